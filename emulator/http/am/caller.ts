/**
 * Who is calling: AM's authentication of REST callers (AIC docs, "Session tokens after authentication" and
 * "Manage sessions over REST"; AM source: SessionResourceUtil.getTokenID).
 *
 * - `Authorization: Bearer <token>`: the tenant's static admin token stands for a service
 *   account with `fr:am:*`, an administrator. Any other bearer token authenticates nobody.
 * - The session token, from the tenant cookie in `Cookie` or, failing that, from a header named
 *   after the cookie (AM's SSO token session module reads them in that order).
 * An invalid or expired token is not an error here: like AM's optional SSO token module, it
 * leaves the caller anonymous, and operations that need a caller then answer 401.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Session } from '../../state/sessions/session.js';
import type { User } from '../../state/user-directory.js';
import type { Tenant } from '../../tenant/tenant.js';
import { readOrMissing } from './store-outage.js';

export type Caller =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'bearer'; readonly admin: true }
  | { readonly kind: 'session'; readonly session: Session; readonly user: User | undefined; readonly admin: boolean };

export const ANONYMOUS: Caller = { kind: 'anonymous' };

export function isAdmin(caller: Caller): boolean {
  return caller.kind === 'bearer' || (caller.kind === 'session' && caller.admin);
}

/** The value of the tenant cookie in a `Cookie` header, if present. Cookie names match case-insensitively, as in AM. */
export function tokenFromCookieHeader(headers: IncomingHttpHeaders, cookieName: string): string | undefined {
  const header = headers.cookie;
  if (!header) return undefined;
  const wanted = cookieName.toLowerCase();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim().toLowerCase() === wanted) {
      const value = part.slice(eq + 1).trim();
      return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
    }
  }
  return undefined;
}

/** The value of the header named after the tenant cookie (Node lower-cases header names). */
export function tokenFromNamedHeader(headers: IncomingHttpHeaders, cookieName: string): string | undefined {
  const value = headers[cookieName.toLowerCase()];
  if (Array.isArray(value)) return value[0];
  return value === undefined || value === '' ? undefined : value;
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

/** The session token the caller presents (cookie first, then the named header). */
export function presentedToken(headers: IncomingHttpHeaders, cookieName: string): string | undefined {
  return tokenFromCookieHeader(headers, cookieName) ?? tokenFromNamedHeader(headers, cookieName);
}

export async function resolveCaller(request: {
  readonly tenant: Tenant;
  readonly headers: IncomingHttpHeaders;
  readonly adminBearer: (token: string) => Promise<boolean>;
}): Promise<Caller> {
  const { tenant, headers } = request;
  const bearer = bearerToken(headers);
  if (bearer !== undefined && (await request.adminBearer(bearer))) return { kind: 'bearer', admin: true };
  const token = presentedToken(headers, tenant.cookieName);
  if (token === undefined) return ANONYMOUS;
  return callerForToken(tenant, token);
}

/** The caller a session token stands for, or anonymous if it is not a live session. */
export async function callerForToken(tenant: Tenant, token: string): Promise<Caller> {
  // A store that does not answer leaves the caller anonymous, as AM's CTS read failures do.
  const session = await readOrMissing(tenant.sessions.getByToken(token));
  if (!session) return ANONYMOUS;
  const user = tenant.users.get(session.userId);
  return { kind: 'session', session, user, admin: user?.admin === true };
}
