/**
 * The `baseUrl` option, written as users of the vendor SDKs write it. The ForgeRock/Ping
 * JavaScript SDK takes AM's base URL, `https://<tenant>/am/` (it adds the missing slash to
 * `.../am`), and joins `json/realms/...` under it; this client always asked for the origin. Both
 * are accepted:
 *
 *     https://<tenant>   https://<tenant>/   https://<tenant>/am   https://<tenant>/am/
 *
 * AM's context path in Advanced Identity Cloud is `/am`, and the client's paths start with it
 * (`/am/json/...`, paths.ts), so any other path is refused rather than guessed at; except a path
 * prefix before `/am` (a tenant behind a reverse proxy at `https://<host>/<prefix>/am/`), which
 * the SDK would keep too: requests then go to `<prefix>/am/json/...`. Anything else (another path,
 * a query or fragment, credentials in the URL, another scheme, not a URL) is a TypeError at
 * construction, naming the value and the accepted forms, instead of a 404 at the first call.
 */

const ACCEPTED =
  "expected the tenant's origin or AM's base URL: https://<tenant>, https://<tenant>/, https://<tenant>/am or https://<tenant>/am/ " +
  '(http: too; behind a reverse proxy, a path prefix before /am: https://<host>/<prefix>/am/)';

/** AM's base path with an optional prefix of non-empty segments: `/am`, `/am/`, `/idp/am/`. */
const AM_PATH = /^((?:\/[^/]+)*?)\/am\/?$/;

/**
 * The URL under which the client's `/am/json/...` paths go: the origin, followed by the path
 * prefix if there is one, without a trailing slash (`https://h`, `https://h/idp`).
 * Throws a TypeError saying what was expected when `value` is not one of the accepted forms.
 */
export function tenantRoot(value: unknown): string {
  if (typeof value !== 'string') {
    throw new TypeError(
      `AmClient: baseUrl must be a string, got ${value === null ? 'null' : typeof value}; ${ACCEPTED}`,
    );
  }
  // The value is named in the message, but never a password in it (messages end up in logs).
  const shown = value.replace(/^(\s*[a-z][a-z0-9+.-]*:\/*)[^/?#\\]*@/i, '$1***@');
  const refuse = (why: string): TypeError =>
    new TypeError(`AmClient: baseUrl ${JSON.stringify(shown)} ${why}; ${ACCEPTED}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(
      `is not a URL${/^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) ? '' : ' (no scheme: write https://...)'}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // `host:8080` parses as the scheme `host:`.
    throw refuse(
      `has the scheme ${url.protocol}, not http: or https:${value.includes('://') ? '' : ' (no scheme: write https://...)'}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw refuse('has credentials in it (user:password@); the client authenticates with a login or adminToken');
  }
  // An empty `?` or `#` leaves `search`/`hash` empty, so the written value is checked too: a `?`
  // or `#` can only start a query or fragment in an http(s) URL that parsed.
  if (url.search !== '' || value.includes('?')) throw refuse('has a query (?...)');
  if (url.hash !== '' || value.includes('#')) throw refuse('has a fragment (#...)');
  if (url.pathname === '/') return url.origin;
  const am = AM_PATH.exec(url.pathname);
  if (am) return `${url.origin}${am[1] ?? ''}`;
  const path = url.pathname.replace(/\/+$/, '');
  const amAt = path.lastIndexOf('/am/');
  const hint =
    amAt >= 0
      ? ` (give the URL up to /am: ${url.origin}${path.slice(0, amAt)}/am/; the client adds json/realms/...)`
      : /^(?:\/[^/]+)+$/.test(path)
        ? ` (if ${path} is a reverse proxy's prefix in front of AM, write ${url.origin}${path}/am/)`
        : '';
  throw refuse(`has the path ${url.pathname}, not /am${hint}`);
}
