/**
 * AM's URL space (AIC docs, "Specify realms in URLs"): `/am/json/realms/root` for the root realm
 * and one `/realms/<name>` per level below it, so `/alpha` is `/am/json/realms/root/realms/alpha`.
 * The explicit form is used rather than the realm-less one, because a custom domain may map the
 * realm-less form to another realm, while the explicit path always wins.
 */

export const AM_JSON = '/am/json';

/** The realm's names below root: `/`, `''` and `root` have none; `/alpha/sub` has alpha and sub. */
function realmNames(realm: string): string[] {
  const names = realm
    .split('/')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names[0] === 'root') names.shift();
  return names;
}

/**
 * The realm's base path. `/`, `''` and `root` are the root realm; `alpha`, `/alpha` and
 * `/alpha/` are `/alpha`; `/alpha/sub` is a sub-realm.
 */
export function realmBasePath(realm: string): string {
  return [`${AM_JSON}/realms/root`, ...realmNames(realm).map((name) => `realms/${encodeURIComponent(name)}`)].join('/');
}

/**
 * The realm's OAuth 2.0 / OpenID Connect endpoints, in the same explicit form, as AIC's OAuth 2.0
 * endpoint docs write them (`/am/oauth2/realms/root/realms/alpha/access_token`):
 * `/am/oauth2/realms/root/realms/alpha` for alpha, `/am/oauth2/realms/root` for root.
 */
export function oauth2BasePath(realm: string): string {
  return ['/am/oauth2/realms/root', ...realmNames(realm).map((name) => `realms/${encodeURIComponent(name)}`)].join('/');
}

/** The realm as AM writes it in answers and query filters: `/`, `/alpha`, `/alpha/sub`. */
export function realmPathOf(realm: string): string {
  return `/${realmNames(realm).join('/')}`;
}

/**
 * `?a=1&b=2` with every value percent-encoded (AIC's docs, "Manage sessions over REST", require the
 * query filter URL-encoded).
 */
export function queryString(params: Readonly<Record<string, string | undefined>>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}
