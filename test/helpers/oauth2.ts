/**
 * The OAuth2 provider over the wire, as a client app drives it: PKCE pairs, `authorize` with the
 * user's session cookie, the code exchange and the other form posts, and reading a redirect's
 * parameters (query, fragment or form_post page).
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_CLIENT_SECRET } from '../../emulator/config/demo-tenant.js';
import { http, type RawResponse } from './http.js';
import { DEMO, login } from './tenant.js';

/** The alpha realm's endpoints, in AM's full path form. */
export const OAUTH2 = '/am/oauth2/realms/root/realms/alpha';
/** The same realm by its DNS alias, AIC's issuer path. */
export const OAUTH2_ALIAS = '/am/oauth2/alpha';

export const PUBLIC_CLIENT = 'sdkPublicClient';
export const CONFIDENTIAL_CLIENT = 'demoConfidentialClient';
export const CLIENT_SECRET = DEMO_CLIENT_SECRET;
/** A loopback redirect URI: the demo clients register `http://localhost/callback` with loopbackInterfaceRedirection. */
export const REDIRECT_URI = 'http://localhost:3000/callback';

export const INVALID_GRANT = 'The provided access grant is invalid, expired, or revoked.';
export const INVALID_TOKEN = 'The access token provided is expired, revoked, malformed, or invalid for other reasons.';
export const MISMATCH = 'The redirection URI provided does not match a pre-registered value.';
export const CLIENT_AUTH_FAILED = 'Client authentication failed';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;

export function pkce(method: 'S256' | 'plain' = 'S256'): { verifier: string; challenge: string; method: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return { verifier, challenge, method };
}

export const basic = (id: string, secret: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
});

export const cookieHeader = (emulator: Emulator, token: string): Record<string, string> => ({
  cookie: `${emulator.cookieName}=${token}`,
});

/** GET authorize with these parameters, with the session's cookie when a token is given. */
export function authorize(
  emulator: Emulator,
  params: Record<string, string>,
  sessionToken?: string,
  base = OAUTH2,
): Promise<RawResponse> {
  return http(`${emulator.url}${base}/authorize?${new URLSearchParams(params).toString()}`, {
    headers: sessionToken === undefined ? {} : cookieHeader(emulator, sessionToken),
  });
}

/** A form POST to an endpoint of the realm (`access_token`, `introspect`, `token/revoke`, ...). */
export function post(
  emulator: Emulator,
  endpoint: string,
  form: Record<string, string> | string,
  headers: Record<string, string> = {},
  base = OAUTH2,
): Promise<RawResponse> {
  return http(`${emulator.url}${base}/${endpoint}`, {
    method: 'POST',
    headers: { ...FORM, ...headers },
    body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });
}

/** The parameters a redirect carries: its query, or its fragment. */
export function redirectParams(response: RawResponse): URLSearchParams {
  const location = response.headers.location;
  if (typeof location !== 'string') throw new Error(`no Location: ${response.status} ${response.text.slice(0, 300)}`);
  const url = new URL(location);
  return new URLSearchParams(url.hash !== '' ? url.hash.slice(1) : url.search);
}

/** Code flow parameters for the public client (PKCE S256), overridable. */
export function codeRequest(challenge: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    client_id: PUBLIC_CLIENT,
    response_type: 'code',
    scope: 'openid profile email',
    redirect_uri: REDIRECT_URI,
    state: 'st-123',
    nonce: 'n-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** A code for the user's session (PKCE S256 unless `extra` says otherwise). */
export async function codeFor(
  emulator: Emulator,
  sessionToken: string,
  extra: Record<string, string> = {},
): Promise<{ code: string; verifier: string; params: URLSearchParams }> {
  const pair = pkce();
  const response = await authorize(emulator, codeRequest(pair.challenge, extra), sessionToken);
  if (response.status !== 302) throw new Error(`authorize: ${response.status} ${response.text.slice(0, 300)}`);
  const params = redirectParams(response);
  const code = params.get('code');
  if (!code) throw new Error(`no code: ${response.headers.location as string}`);
  return { code, verifier: pair.verifier, params };
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  scope: string;
  token_type: string;
  expires_in: number;
}

/** Logs the user in and runs the whole code flow for the public client: the session and the tokens. */
export async function userTokens(
  emulator: Emulator,
  extra: Record<string, string> = {},
  user: { userName: string; password: string } = DEMO,
): Promise<{ session: string; tokens: Tokens }> {
  const session = await login(emulator, user);
  const { code, verifier } = await codeFor(emulator, session, extra);
  const response = await post(emulator, 'access_token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: extra['redirect_uri'] ?? REDIRECT_URI,
    client_id: extra['client_id'] ?? PUBLIC_CLIENT,
    code_verifier: verifier,
  });
  if (response.status !== 200) throw new Error(`access_token: ${response.status} ${response.text}`);
  return { session, tokens: response.json as Tokens };
}

/** Client credentials for the confidential demo client. */
export async function clientTokens(emulator: Emulator): Promise<Tokens> {
  const response = await post(
    emulator,
    'access_token',
    { grant_type: 'client_credentials' },
    basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET),
  );
  if (response.status !== 200) throw new Error(`client_credentials: ${response.status} ${response.text}`);
  return response.json as Tokens;
}

/** Introspects a token as the confidential client (which may introspect any token of the realm). */
export async function introspect(emulator: Emulator, token: string): Promise<RawResponse> {
  return post(emulator, 'introspect', { token }, basic(CONFIDENTIAL_CLIENT, CLIENT_SECRET));
}

export function userinfo(emulator: Emulator, accessToken: string, base = OAUTH2): Promise<RawResponse> {
  return http(`${emulator.url}${base}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
}

/** The tenant clock's time in seconds (the frozen clock of the tests' emulators). */
export function clockSeconds(emulator: Emulator): number {
  return Math.floor(emulator.tenant.clock.now() / 1000);
}

/**
 * An OAuth2 JSON error answer as AM sends it: the status, `{"error_description", "error"}` in
 * that order, AM's JSON content type and the no-store pair.
 */
export function expectOAuth2Error(response: RawResponse, status: number, error: string, description: string): void {
  expect({ status: response.status, body: response.json }, response.text.slice(0, 500)).toEqual({
    status,
    body: { error_description: description, error },
  });
  expect(Object.keys(response.json as object)).toEqual(['error_description', 'error']);
  expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['pragma']).toBe('no-cache');
}

/** AM's "OAuth2 Error Page": HTML, the status, the error and its description, and never a redirect. */
export function expectErrorPage(response: RawResponse, status: number, error: string, description: string): void {
  expect(response.status, response.text.slice(0, 500)).toBe(status);
  expect(response.headers.location).toBeUndefined();
  expect(String(response.headers['content-type'])).toMatch(/^text\/html/);
  expect(response.text).toContain('<title>OAuth2 Error Page</title>');
  expect(response.text).toContain(`Error: ${escapeHtml(error)}`);
  expect(response.text).toContain(`Description: ${escapeHtml(description)}`);
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
