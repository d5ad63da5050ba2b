/**
 * The tenant's Set-Cookie headers, as recorded on AIC (frodo's test recordings, 2022 and 2026): on a successful
 * login, one session cookie per cookie domain, then one `amlbcookie=01` per domain, each
 * `Path=/; Domain=<d>; Secure; HttpOnly; SameSite=none`.
 *
 * Emulator choices (docs/fidelity.md): the host the client addressed is the tenant's own cookie
 * domain, except that IP addresses and single-label names like `localhost` get host-only cookies
 * (browsers refuse a Domain attribute on them). `Secure` follows `secureCookie`; with `auto` it
 * is set over TLS and on loopback hosts (which browsers treat as secure), and left off on a plain
 * HTTP LAN address, where a browser would drop the cookie. `SameSite=none` needs `Secure`, so
 * without it the cookie says `SameSite=lax`.
 */
import { isIP } from 'node:net';
import type { AmRequest } from './context.js';

export const LB_COOKIE = 'amlbcookie';
const LB_VALUE = '01';
/** How AM expires a cookie: a date in 1970. */
const EXPIRED = 'Thu, 01 Jan 1970 00:00:10 GMT';

type CookieRequest = Pick<AmRequest, 'tenant' | 'hostname' | 'secure'>;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** A DNS name of two or more labels: nothing else from a Host header may reach a Domain attribute. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

function cookieDomains(request: CookieRequest): (string | undefined)[] {
  const domains: (string | undefined)[] = [];
  const host = request.hostname.toLowerCase();
  const hostIsDomain = DNS_NAME.test(host) && isIP(host) === 0 && !host.endsWith('.localhost');
  domains.push(hostIsDomain ? host : undefined);
  for (const domain of request.tenant.config.cookieDomains) {
    if (domain.toLowerCase() !== host) domains.push(domain);
  }
  return domains;
}

function attributes(request: CookieRequest, domain: string | undefined): string {
  const setting = request.tenant.config.secureCookie;
  const secure = setting === 'auto' ? request.secure || isLoopbackHost(request.hostname) : setting;
  const parts = ['Path=/'];
  if (domain !== undefined) parts.push(`Domain=${domain}`);
  if (secure) parts.push('Secure');
  parts.push('HttpOnly', secure ? 'SameSite=none' : 'SameSite=lax');
  return parts.join('; ');
}

/** The Set-Cookie headers of a successful login. */
export function sessionCookies(request: CookieRequest, tokenId: string): string[] {
  const domains = cookieDomains(request);
  const name = request.tenant.cookieName;
  return [...domains.map((domain) => `${name}=${tokenId}; ${attributes(request, domain)}`), ...lbCookies(request)];
}

/**
 * `amlbcookie` alone: what the first step of a callback journey sets [real: the 2022 callback-login and 2026
 * admin-login recordings].
 */
export function lbCookies(request: CookieRequest): string[] {
  return cookieDomains(request).map((domain) => `${LB_COOKIE}=${LB_VALUE}; ${attributes(request, domain)}`);
}

/**
 * Cookies a journey's nodes set besides the session's (a persistent cookie: CreatePersistentCookieTreeHook
 * sets `<name>=<jwt>; Path=/; Domain=<each cookie domain>; Expires=...`, with Secure and HttpOnly as the
 * node's settings say).
 */
export function journeyCookies(
  request: CookieRequest,
  cookies: readonly { name: string; value: string; expires: number; secure: boolean; httpOnly: boolean }[],
): string[] {
  return cookies.flatMap((cookie) =>
    cookieDomains(request).map((domain) =>
      [
        `${cookie.name}=${cookie.value}`,
        `Expires=${new Date(cookie.expires).toUTCString()}`,
        'Path=/',
        ...(domain !== undefined ? [`Domain=${domain}`] : []),
        ...(cookie.secure ? ['Secure'] : []),
        ...(cookie.httpOnly ? ['HttpOnly'] : []),
      ].join('; '),
    ),
  );
}

/** Expires the tenant cookie in the browser after its session was logged out. */
export function clearedSessionCookies(request: CookieRequest): string[] {
  const name = request.tenant.cookieName;
  return cookieDomains(request).map((domain) => `${name}=LOGOUT; Expires=${EXPIRED}; ${attributes(request, domain)}`);
}
