/**
 * The `Accept-API-Version` each call sends: the value PingOne AIC's own documentation uses for that
 * action ("Manage sessions over REST", "Log out over REST", "Log in over REST"), else the one
 * recorded from real AIC traffic, else the one AIC's own UIs (platform-ui) send. A tenant serves
 * the highest version with the same major and at least the minor asked for (AIC docs, "REST API
 * versions"), so naming the documented version is what keeps a call's answer shape stable when AM
 * adds minors; a version it does not serve is a 404 with an empty body, which is why these are
 * pinned here and not chosen at random per call.
 *
 * Every value also satisfies AM's CSRF filter, which refuses a cookie-authenticated POST that has
 * neither this header nor `X-Requested-With` (same page).
 */
export const API_VERSIONS = Object.freeze({
  /** `GET serverinfo/*`: `resource=1.1`, recorded on AIC (frodo's test recordings, 2026) and what frodo sends. */
  serverInfo: 'resource=1.1',
  /** `GET serverinfo/version`: `resource=1.0`, recorded on AIC (frodo's test recordings, 2026). */
  serverVersion: 'resource=1.0',
  /** `POST authenticate`: `resource=2.0, protocol=1.0` as in AIC's docs and frodo (served 2.1, as recorded). */
  authenticate: 'resource=2.0, protocol=1.0',
  /** AIC docs send `resource=4.0`; `protocol=1.0` is added as on the other 4.0 calls (the default protocol anyway). */
  getSessionInfo: 'resource=4.0, protocol=1.0',
  getSessionInfoAndResetIdleTime: 'resource=4.0, protocol=1.0',
  validate: 'resource=4.0, protocol=1.0',
  refresh: 'resource=4.0, protocol=1.0',
  /** logout of the caller's own session (token in the cookie or the cookie-named header, no body): AIC's logout page. */
  logoutSelf: 'resource=3.1, protocol=1.0',
  /** logout of a token named in the body (bearer + `tokenId`): AIC's sessions page. */
  logoutToken: 'resource=4.0, protocol=1.0',
  querySessions: 'resource=4.0, protocol=1.0',
  logoutByHandle: 'resource=4.0, protocol=1.0',
  logoutByUser: 'resource=5.1, protocol=1.0',
  getSessionProperties: 'resource=3.1, protocol=1.0',
  updateSessionProperties: 'resource=3.1, protocol=1.0',
  /** `users?_action=idFromSession`: what platform-ui sends (its LoginMixin); AIC's docs show none. */
  idFromSession: 'resource=2.0, protocol=1.0',
  /**
   * `GET users/<id>`: what frodo sends to AIC, recorded (frodo-lib's UserOps test recording).
   * Protocol 2 makes CREST include `_id` and `_rev` in the answer, which the typed {@link AmUser}
   * relies on.
   */
  getUser: 'resource=4.0, protocol=2.0',
} as const);

export type ApiCall = keyof typeof API_VERSIONS;
