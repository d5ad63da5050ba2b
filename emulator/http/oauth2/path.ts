/**
 * Which realm and endpoint an `/am/oauth2/...` path names: the full form
 * (`/realms/root/realms/alpha/access_token`), the realm alias (`/alpha/access_token`) or the root
 * realm's (`/access_token`).
 */
import type { Realm, RealmRegistry } from '../../state/realms.js';

export const OAUTH2_PREFIX = '/am/oauth2';

export const ENDPOINTS = [
  'authorize',
  'access_token',
  'userinfo',
  'introspect',
  'token/revoke',
  'connect/endSession',
  'connect/jwk_uri',
  '.well-known/openid-configuration',
] as const;

export type Endpoint = (typeof ENDPOINTS)[number];

const ENDPOINT_SET: ReadonlySet<string> = new Set(ENDPOINTS);

export function parseOAuth2Path(path: string, realms: RealmRegistry): { realm: Realm; endpoint: Endpoint } | undefined {
  if (!path.startsWith(`${OAUTH2_PREFIX}/`) || path.length > 2048) return undefined;
  const segments = path.slice(OAUTH2_PREFIX.length + 1).split('/');
  let realmPath = '/';
  if (segments[0] === 'realms') {
    if (segments[1] !== 'root') return undefined;
    segments.splice(0, 2);
    const names: string[] = [];
    while (segments[0] === 'realms' && segments[1] !== undefined) {
      names.push(segments[1]);
      segments.splice(0, 2);
    }
    realmPath = `/${names.join('/')}`;
  } else if (!ENDPOINT_SET.has(segments.join('/')) && segments.length > 1) {
    // The realm's DNS-alias form, AIC's issuer: `/am/oauth2/alpha/...`.
    realmPath = `/${segments.shift() as string}`;
  }
  const endpoint = segments.join('/');
  const realm = realms.resolve(realmPath);
  if (!realm || !ENDPOINT_SET.has(endpoint)) return undefined;
  return { realm, endpoint: endpoint as Endpoint };
}
