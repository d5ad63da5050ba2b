/**
 * The provider states the contracts name, set up on a tenant through a TenantDriver. Each returns
 * the values the verifier injects into the interaction's request (`${tokenId}`, `${userId}`,
 * `${adminToken}`, ...), so the same pact verifies against tenants whose values differ.
 */
import type { VerifierOptions } from '@pact-foundation/pact';
import { AmClient, type AmOAuth2 } from '../../client/index.js';
import { CONTRACT_PUBLIC_CLIENT, CONTRACT_REDIRECT_URI, CONTRACT_SCOPE } from '../consumer/matchers.js';
import type { TenantDriver } from './tenant-drivers.js';

export const STATES = {
  activeSession: 'a user with an active session',
  threeSessions: 'a user with 3 active sessions',
  adminToken: 'an admin bearer token',
  credentials: 'a user with a password',
  endedSession: 'a session token that has been logged out',
  loginStep: 'the Login journey waiting for a username and password',
  loginLocationAllowed: 'LoginLocation is an allow-listed session property',
  confidentialClient: 'a confidential OAuth2 client',
  authorizationCode: 'an authorization code issued with PKCE to the public OAuth2 client',
  oauth2Tokens: 'tokens issued to the public OAuth2 client for a user',
} as const;

type Values = Record<string, string>;

export function stateHandlers(driver: TenantDriver): NonNullable<VerifierOptions['stateHandlers']> {
  const admin = async () =>
    new AmClient({
      baseUrl: driver.baseUrl,
      adminToken: await driver.adminToken(),
      cookieName: await driver.cookieName(),
    });
  /** The public client's code flow for a new session of the contract user, as a Node app runs it with the client. */
  const codeFlow = async <T>(run: (oauth: AmOAuth2, token: string) => Promise<T>): Promise<T> => {
    const user = await driver.signIn();
    const client = new AmClient({ baseUrl: driver.baseUrl, cookieName: await driver.cookieName() });
    try {
      return await run(
        client.oauth2({ clientId: CONTRACT_PUBLIC_CLIENT, redirectUri: CONTRACT_REDIRECT_URI }),
        user.tokenId,
      );
    } finally {
      await client.close();
    }
  };
  const basic = (clientId: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
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
    [STATES.confidentialClient]: async () => {
      const { clientId, clientSecret } = driver.confidentialClient();
      return {
        clientAuthorization: basic(clientId, clientSecret),
        wrongClientAuthorization: basic(clientId, `${clientSecret}-not`),
      };
    },
    [STATES.authorizationCode]: () =>
      codeFlow(async (oauth, token) => {
        const code = await oauth.authorize({ scope: CONTRACT_SCOPE }, { credentials: { token } });
        return { code: code.code, codeVerifier: code.codeVerifier };
      }),
    [STATES.oauth2Tokens]: () =>
      codeFlow(async (oauth, token) => {
        const tokens = await oauth.authorizationCode({ scope: CONTRACT_SCOPE }, { credentials: { token } });
        if (tokens.refresh_token === undefined || tokens.id_token === undefined)
          throw new Error('the public client’s code flow gave no refresh token or no ID token');
        return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, idToken: tokens.id_token };
      }),
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
