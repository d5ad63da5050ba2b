/**
 * The shapes of AM's answers (AIC docs, "Manage sessions over REST"; recorded AIC answers of users
 * and serverinfo). Fields AM documents are typed; the rest pass through under an index signature,
 * so a tenant that adds a field does not break a caller.
 */

/** `GET serverinfo/*`. `cookieName` is the tenant cookie, and the name of the header that carries a token. */
export interface ServerInfo {
  _id: string;
  _rev: string;
  cookieName: string;
  domains: string[];
  secureCookie: boolean;
  realm: string;
  [field: string]: unknown;
}

/** `GET serverinfo/version`. */
export interface ServerVersion {
  _id: 'version';
  _rev: string;
  version: string;
  fullVersion: string;
  revision: string;
  date: string;
  [field: string]: unknown;
}

/** What validate, refresh and getSessionInfo answer (HTTP 200) for a token that is not a live session. */
export interface InvalidSession {
  valid: false;
}

/** getSessionInfo / getSessionInfoAndResetIdleTime. `username` is the user's `_id` on AIC; times are ISO seconds. */
export interface SessionInfo {
  username: string;
  universalId: string;
  realm: string;
  latestAccessTime: string;
  maxIdleExpirationTime: string;
  maxSessionExpirationTime: string;
  properties: Record<string, string>;
}

/** validate. */
export type ValidateResult = { valid: true; sessionUid: string; uid: string; realm: string } | InvalidSession;

/** refresh: idle seconds, limits in minutes, seconds left (AIC docs, "Refresh server-side sessions"). */
export interface RefreshResult {
  uid: string;
  realm: string;
  idletime: number;
  maxidletime: number;
  maxsessiontime: number;
  maxtime: number;
}

/** logout: `Successfully logged out`, or `Token has expired` when the token was not live. */
export interface LogoutResult {
  result: string;
  /** Present when a post-logout URL is configured. */
  goto?: string;
}

export interface LogoutByUserResult {
  result: boolean;
}

/** logoutByHandle: for each handle, whether it is gone. */
export interface LogoutByHandleResult {
  result: Record<string, boolean>;
}

/** One session in a query answer; `sessionHandle` is what logoutByHandle takes. */
export interface SessionQueryItem {
  _rev?: string;
  username: string;
  universalId: string;
  realm: string;
  sessionHandle: string;
  latestAccessTime: string;
  maxIdleExpirationTime: string;
  maxSessionExpirationTime: string;
  properties?: Record<string, string>;
  [field: string]: unknown;
}

/** CREST's query envelope. */
export interface QueryResult<T> {
  result: T[];
  resultCount: number;
  pagedResultsCookie: string | null;
  totalPagedResultsPolicy: string;
  totalPagedResults: number;
  remainingPagedResults: number;
}

/** users?_action=idFromSession: `id` is the user's `_id` on AIC. */
export interface IdFromSession {
  id: string;
  realm: string;
  dn: string;
  successURL: string;
  fullLoginURL: string;
  [field: string]: unknown;
}

/** users/<id> as AM sees the identity; LDAP-style attributes are arrays. */
export interface AmUser {
  _id: string;
  _rev: string;
  realm: string;
  username: string;
  [attribute: string]: unknown;
}

/** True when a getSessionInfo/validate/refresh answer is the `{"valid": false}` of a dead token. */
export function isInvalidSession(answer: object): answer is InvalidSession {
  return 'valid' in answer && answer.valid === false;
}
