/**
 * Verifies the committed pact against a provider: the emulator (in CI) or a real tenant (opt-in).
 * The contract names the tenant cookie iPlanetDirectoryPro (AM's classic default); the request
 * filter renames it, in the Cookie header and as a header of its own, to the tenant's real name.
 */
import { join } from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import { COMMITTED_PACTS, PACT_FILE, PROVIDER } from '../consumer/pact-setup.js';
import {
  CONTRACT_COOKIE_NAME,
  CONTRACT_POST_LOGOUT_URI,
  CONTRACT_PUBLIC_CLIENT,
  CONTRACT_REDIRECT_URI,
} from '../consumer/matchers.js';
import { DEMO_TENANT } from '../../emulator/config/demo-tenant.js';
import type { TenantConfigInput } from '../../emulator/config/config-types.js';
import { stateHandlers } from './states.js';
import type { TenantDriver } from './tenant-drivers.js';

export const COMMITTED_PACT = join(COMMITTED_PACTS, PACT_FILE);

/**
 * The tenant settings the contract needs beyond the demo tenant: the state "LoginLocation is an
 * allow-listed session property", and the contract's redirect URI registered on `sdkPublicClient`
 * (redirect and post-logout; see CONTRACT_REDIRECT_URI). A config's arrays replace the demo
 * tenant's, so the demo clients are restated with that one change.
 */
export const CONTRACT_TENANT: TenantConfigInput = {
  session: { propertyAllowList: ['AMCtxId', 'LoginLocation'] },
  oauth2: {
    clients: DEMO_TENANT.oauth2.clients.map((client) =>
      client.clientId === CONTRACT_PUBLIC_CLIENT
        ? {
            ...client,
            redirectionUris: [...(client.redirectionUris ?? []), CONTRACT_REDIRECT_URI],
            postLogoutRedirectUri: [...(client.postLogoutRedirectUri ?? []), CONTRACT_POST_LOGOUT_URI],
          }
        : client,
    ),
  },
};

interface FilterRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/**
 * pact-js's verification proxy parses a form body (body-parser's urlencoded) and forwards the
 * parsed object as JSON, under the original Content-Type and Content-Length (pact-js issues 884
 * and 1233): the provider gets a broken request. This puts the form back, byte for byte as Pact
 * wrote it (both serialise `application/x-www-form-urlencoded` the WHATWG way), before it is
 * forwarded.
 */
export function restoreFormBody(request: FilterRequest): void {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  const body = request.body;
  if (type !== 'application/x-www-form-urlencoded' || typeof body !== 'object' || body === null) return;
  if (Buffer.isBuffer(body)) return;
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body as Record<string, unknown>))
    for (const one of Array.isArray(value) ? value : [value]) form.append(name, String(one));
  const bytes = Buffer.from(form.toString(), 'utf8');
  request.body = bytes;
  request.headers['content-length'] = String(bytes.length);
}

/**
 * The Express-style request filter that puts the tenant's cookie name where the contract says
 * iPlanetDirectoryPro (and a form body back together, see restoreFormBody).
 */
export function cookieNameFilter(cookieName: string) {
  const contractName = CONTRACT_COOKIE_NAME.toLowerCase();
  return (request: FilterRequest, _response: unknown, next: () => void) => {
    restoreFormBody(request);
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
