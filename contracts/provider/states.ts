/**
 * The provider states the contracts name, set up on a tenant through a TenantDriver. Each returns
 * the values the verifier injects into the interaction's request (`${tokenId}`, `${userId}`,
 * `${adminToken}`, ...), so the same pact verifies against tenants whose values differ.
 */
import type { VerifierOptions } from '@pact-foundation/pact';
import { AmClient } from '../../client/index.js';
import type { TenantDriver } from './tenant-drivers.js';

export const STATES = {
  activeSession: 'a user with an active session',
  threeSessions: 'a user with 3 active sessions',
  adminToken: 'an admin bearer token',
  credentials: 'a user with a password',
  endedSession: 'a session token that has been logged out',
  loginStep: 'the Login journey waiting for a username and password',
  loginLocationAllowed: 'LoginLocation is an allow-listed session property',
} as const;

type Values = Record<string, string>;

export function stateHandlers(driver: TenantDriver): NonNullable<VerifierOptions['stateHandlers']> {
  const admin = async () =>
    new AmClient({
      baseUrl: driver.baseUrl,
      adminToken: await driver.adminToken(),
      cookieName: await driver.cookieName(),
    });
  const handlers: Record<string, () => Promise<Values>> = {
    [STATES.activeSession]: async () => {
      const user = await driver.signIn();
      return { tokenId: user.tokenId, userId: user.userId, userName: user.userName };
    },
    [STATES.threeSessions]: async () => {
      const [first, second] = [await driver.signIn(), await driver.signIn(), await driver.signIn()];
      // A handle of another of the user's sessions, as an admin finds it with the query.
      const client = await admin();
      try {
        const sessions = await client.querySessions({ userId: first.userId });
        const handle = sessions.result.find(
          (session) => session.sessionHandle !== undefined && session.sessionHandle !== '',
        )?.sessionHandle;
        if (!handle) throw new Error('the user’s sessions have no handles');
        return {
          tokenId: first.tokenId,
          otherTokenId: second.tokenId,
          userId: first.userId,
          userName: first.userName,
          sessionHandle: handle,
        };
      } finally {
        await client.close();
      }
    },
    [STATES.adminToken]: async () => ({ adminToken: await driver.adminToken() }),
    [STATES.loginStep]: async () => {
      const client = new AmClient({ baseUrl: driver.baseUrl, cookieName: await driver.cookieName() });
      try {
        const step = await client.startJourney('Login');
        if (step.type !== 'step')
          throw new Error('the Login journey answered a session at once: expected its first step');
        return { authId: step.authId, ...driver.credentials() };
      } finally {
        await client.close();
      }
    },
    // A tenant setting: the emulator is started with it (provider test); a real tenant must have it.
    [STATES.loginLocationAllowed]: async () => ({}),
    [STATES.credentials]: async () => ({ ...driver.credentials() }),
    [STATES.endedSession]: async () => {
      const user = await driver.signIn();
      const client = new AmClient({ baseUrl: driver.baseUrl, cookieName: await driver.cookieName() });
      try {
        await client.logout(undefined, { credentials: { token: user.tokenId } });
      } finally {
        await client.close();
      }
      return { tokenId: user.tokenId, userId: user.userId };
    },
  };
  return Object.fromEntries(
    Object.entries(handlers).map(([name, setup]) => [name, { setup: async () => setup() }]),
  ) as NonNullable<VerifierOptions['stateHandlers']>;
}
