/**
 * Who a call speaks for (AIC docs, "Session tokens after authentication" and "Manage sessions over
 * REST"; AM: SessionResourceUtil.getTokenID). AM reads a caller from, in order, a bearer token
 * (administrators and service accounts), the tenant cookie, and a header named after the tenant
 * cookie. Mixing them invites surprises (a stale cookie in the jar would win over a token passed
 * explicitly), so each call sends exactly one kind:
 *
 * - `{ jar: true }`: the cookies in the client's jar (the session a `login()` or journey stored),
 *   as a browser sends them. The default for everything a user does.
 * - `{ token }`: the given session token in a header named after the tenant cookie, the way AIC's
 *   docs (and the single-logout how-to) present a user's token; the jar is not consulted.
 * - `{ admin: true }`: `Authorization: Bearer <adminToken>` with the token given to the client's
 *   constructor (a service account's access token with `fr:am:*` on a real tenant).
 * - `{ bearer }`: `Authorization: Bearer <bearer>` with this token.
 * - `{ anonymous: true }`: no credential at all.
 */
export type Credentials =
  | { readonly jar: true }
  | { readonly token: string }
  | { readonly admin: true }
  | { readonly bearer: string }
  | { readonly anonymous: true };

export const JAR: Credentials = Object.freeze({ jar: true });
export const ANONYMOUS: Credentials = Object.freeze({ anonymous: true });
export const ADMIN: Credentials = Object.freeze({ admin: true });

/** Per-call options every method accepts. */
export interface CallOptions {
  /** Whose credentials to send; see {@link Credentials} for each method's default. */
  credentials?: Credentials | undefined;
  /** Cancels the call; it then fails with `AmAbortError`. */
  signal?: AbortSignal | undefined;
  /** Deadline for this call, overriding the client's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /**
   * The `Accept-API-Version` to send instead of the documented one (API_VERSIONS): for a tenant
   * that serves another version, or to see what AM answers a version it does not serve (404).
   */
  apiVersion?: string | undefined;
}

/** The headers a credential adds, and whether the jar's cookies go too. */
export interface CredentialHeaders {
  headers: Record<string, string>;
  sendCookies: boolean;
}

/** True for credentials that act as an administrator by bearer token. */
export function isBearer(credentials: Credentials): boolean {
  return 'admin' in credentials || 'bearer' in credentials;
}

export function credentialHeaders(
  credentials: Credentials,
  context: { cookieName: () => Promise<string>; adminToken: string | undefined },
): Promise<CredentialHeaders> | CredentialHeaders {
  if ('jar' in credentials) return { headers: {}, sendCookies: true };
  if ('anonymous' in credentials) return { headers: {}, sendCookies: false };
  if ('bearer' in credentials)
    return { headers: { authorization: `Bearer ${credentials.bearer}` }, sendCookies: false };
  if ('admin' in credentials) {
    if (context.adminToken === undefined) {
      throw new TypeError('credentials { admin: true } need an adminToken: pass one to new AmClient({ adminToken })');
    }
    return { headers: { authorization: `Bearer ${context.adminToken}` }, sendCookies: false };
  }
  const token = credentials.token;
  // The header name is the tenant's cookie name, which may have to be discovered first.
  return context.cookieName().then((name) => ({ headers: { [name]: token }, sendCookies: false }));
}
