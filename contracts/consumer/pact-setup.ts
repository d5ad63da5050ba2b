/**
 * The consumer side's shared set-up: one PactV4 (consumer aic-emulator-client, provider aic-am),
 * where its file goes, and a client pointed at Pact's mock server.
 *
 * `npm run contracts:consumer` (PACT_WRITE=1) writes the pact to contracts/pacts/, the committed
 * contract. Under `npm test` it is written to a temporary folder instead and compared with the
 * committed one (see drift.ts): a client change that changes the contract fails the tests until
 * the pact is regenerated, so every change of contract shows in review.
 */
import { mkdtempSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PactV4, type V3MockServer } from '@pact-foundation/pact';
import { AmClient } from '../../client/index.js';
import { CONTRACT_COOKIE_NAME, EXAMPLE_TOKEN } from './matchers.js';

export const CONSUMER = 'aic-emulator-client';
export const PROVIDER = 'aic-am';
export const COMMITTED_PACTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'pacts');
export const PACT_FILE = `${CONSUMER}-${PROVIDER}.json`;

export const writesCommittedPact = process.env['PACT_WRITE'] === '1';

export function newPact(): { pact: PactV4; dir: string } {
  const dir = writesCommittedPact ? COMMITTED_PACTS : mkdtempSync(join(tmpdir(), 'aic-pact-'));
  return { pact: new PactV4({ consumer: CONSUMER, provider: PROVIDER, dir, logLevel: 'warn' }), dir };
}

/** The example admin bearer token the consumer sends (the verifier injects the tenant's). */
export const EXAMPLE_ADMIN_TOKEN =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.example-service-account-access-token.signature';

/** A client on the mock server, naming the cookie as the contract does; with a session in its jar when asked. */
export async function clientFor(url: string, options: { session?: string; admin?: boolean } = {}): Promise<AmClient> {
  const client = new AmClient({
    baseUrl: url,
    cookieName: CONTRACT_COOKIE_NAME,
    ...(options.admin ? { adminToken: EXAMPLE_ADMIN_TOKEN } : {}),
  });
  if (options.session !== undefined)
    await client.jar.setCookie(`${CONTRACT_COOKIE_NAME}=${options.session}; Path=/`, `${url}/`);
  return client;
}

export const SESSION = EXAMPLE_TOKEN;

/**
 * A form body (`application/x-www-form-urlencoded`, the OAuth2 endpoints' requests) whose fields
 * may be matchers and provider-state values, as Pact's core takes one: the fields as JSON with
 * matchers, turned into the form (its FFI's `pactffi_with_body` for this content type, with the
 * form's generators at verification). pact-js's request builder has no method for it (its
 * `body()` is binary, without matchers), so the builder's interaction is called directly.
 */
export function formBody<Builder extends object>(builder: Builder, fields: Record<string, unknown>): Builder {
  const interaction = (builder as { interaction?: { withRequestBody?: (body: string, contentType: string) => void } })
    .interaction;
  if (typeof interaction?.withRequestBody !== 'function')
    throw new Error('formBody: pact-js’s request builder no longer has interaction.withRequestBody');
  interaction.withRequestBody(JSON.stringify(fields), 'application/x-www-form-urlencoded');
  return builder;
}

/** The Basic credentials the consumer sends for the confidential client (the verifier injects the tenant's). */
export const EXAMPLE_CLIENT_BASIC = `Basic ${Buffer.from('contractConfidentialClient:example-secret').toString('base64')}`;

/** How long a test waits for Pact's mock server to record the requests it answered. */
const RECORDED_WITHIN_MS = 2_000;

/**
 * A test's function that ends once Pact's mock server has recorded the request it answered.
 * The mock server (Rust) records a match on a task of its own after it has answered
 * (pact-reference#535, pact-core-mock-server#13): the check executeTest makes as soon as the
 * function returns can run first and report an answered request as "expected but not received",
 * which it did in CI, on Node 24 too, with nothing else running. The wait is bounded: a request
 * that never matched still fails, with Pact's own report, RECORDED_WITHIN_MS later.
 */
export function recorded<T>(
  pact: PactV4,
  test: (server: V3MockServer) => Promise<T>,
): (server: V3MockServer) => Promise<T> {
  // executeTest asks the same question through the same core (pact-js v4/http; its V4MockServer is V3MockServer).
  const core = (pact as unknown as { pact: { mockServerMatchedSuccessfully(port: number): boolean } }).pact;
  return async (server) => {
    const value = await test(server);
    const until = Date.now() + RECORDED_WITHIN_MS;
    // Polls the mock server's own state: what is waited on is another thread's bookkeeping.
    while (!core.mockServerMatchedSuccessfully(server.port) && Date.now() < until) await delay(10);
    return value;
  };
}
