/**
 * Verifies the committed pact against a provider: the emulator (in CI) or a real tenant (opt-in).
 * The contract names the tenant cookie iPlanetDirectoryPro (AM's classic default); the request
 * filter renames it, in the Cookie header and as a header of its own, to the tenant's real name.
 */
import { join } from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import { COMMITTED_PACTS, PACT_FILE, PROVIDER } from '../consumer/pact-setup.js';
import { CONTRACT_COOKIE_NAME } from '../consumer/matchers.js';
import { stateHandlers } from './states.js';
import type { TenantDriver } from './tenant-drivers.js';

export const COMMITTED_PACT = join(COMMITTED_PACTS, PACT_FILE);

/** The one tenant setting the contract needs beyond the defaults (state "LoginLocation is an allow-listed session property"). */
export const CONTRACT_TENANT = { session: { propertyAllowList: ['AMCtxId', 'LoginLocation'] } };

interface FilterRequest {
  headers: Record<string, string | string[] | undefined>;
}

/** The Express-style request filter that puts the tenant's cookie name where the contract says iPlanetDirectoryPro. */
export function cookieNameFilter(cookieName: string) {
  const contractName = CONTRACT_COOKIE_NAME.toLowerCase();
  return (request: FilterRequest, _response: unknown, next: () => void) => {
    const headerToken = request.headers[contractName];
    if (headerToken !== undefined) {
      delete request.headers[contractName];
      request.headers[cookieName.toLowerCase()] = headerToken;
    }
    const cookie = request.headers['cookie'];
    if (typeof cookie === 'string')
      request.headers['cookie'] = cookie.replace(
        new RegExp(`(^|;\\s*)${CONTRACT_COOKIE_NAME}=`, 'g'),
        `$1${cookieName}=`,
      );
    next();
  };
}

export async function verifyAgainst(
  driver: TenantDriver,
  options: { pactUrls?: string[]; providerBaseUrl?: string } = {},
): Promise<unknown> {
  const verifier = new Verifier({
    provider: PROVIDER,
    providerBaseUrl: options.providerBaseUrl ?? driver.baseUrl,
    pactUrls: options.pactUrls ?? [COMMITTED_PACT],
    stateHandlers: stateHandlers(driver),
    beforeEach: () => driver.reset(),
    requestFilter: cookieNameFilter(await driver.cookieName()),
    logLevel: 'error',
    // Publishing to a Pact Broker (README): set PACT_BROKER_BASE_URL and publish from CI.
    ...(process.env['PACT_BROKER_BASE_URL']
      ? {
          pactBrokerUrl: process.env['PACT_BROKER_BASE_URL'],
          publishVerificationResult: process.env['PACT_PUBLISH_VERIFICATION'] === '1',
          providerVersion: process.env['PACT_PROVIDER_VERSION'] ?? 'local',
        }
      : {}),
  });
  return verifier.verifyProvider();
}
