/**
 * The OAuth 2.0 clients of a tenant's realms (AM's OAuth2Client agents): seeded from the config
 * at start and at every reset, added and removed through the control API.
 */
import type { OAuth2ClientConfig, OAuth2ClientSeed } from '../../config/config-types.js';
import type { RealmRegistry } from '../realms.js';

export type OAuth2Client = Readonly<OAuth2ClientConfig>;

export class OAuth2ClientError extends Error {
  override name = 'OAuth2ClientError';
}

const GRANTS = new Set(['authorization_code', 'refresh_token', 'client_credentials']);

export class OAuth2ClientRegistry {
  /** By realm path, then client id. */
  private readonly clients = new Map<string, Map<string, OAuth2Client>>();

  constructor(private readonly realms: RealmRegistry) {}

  /** Adds or replaces a client; the fields a seed leaves out take AM's defaults for its type. */
  add(seed: OAuth2ClientSeed): OAuth2Client {
    const realm = this.realms.resolve(seed.realm);
    if (!realm) throw new OAuth2ClientError(`no realm ${seed.realm} in this tenant`);
    if (typeof seed.clientId !== 'string' || seed.clientId === '' || seed.clientId.length > 200)
      throw new OAuth2ClientError('clientId must be a non-empty string of at most 200 characters');
    const clientType = seed.clientType ?? (seed.clientSecret === undefined ? 'Public' : 'Confidential');
    if (clientType === 'Confidential' && !seed.clientSecret)
      throw new OAuth2ClientError('a Confidential client needs a clientSecret');
    const grantTypes = seed.grantTypes ?? ['authorization_code', 'refresh_token'];
    const unknown = grantTypes.filter((grant) => !GRANTS.has(grant));
    if (unknown.length > 0) throw new OAuth2ClientError(`unsupported grant types: ${unknown.join(', ')}`);
    const client: OAuth2Client = Object.freeze({
      realm: realm.path,
      clientId: seed.clientId,
      clientType,
      ...(clientType === 'Confidential' ? { clientSecret: seed.clientSecret as string } : {}),
      tokenEndpointAuthMethod:
        seed.tokenEndpointAuthMethod ?? (clientType === 'Public' ? 'none' : 'client_secret_basic'),
      redirectionUris: [...(seed.redirectionUris ?? [])],
      loopbackInterfaceRedirection: seed.loopbackInterfaceRedirection ?? false,
      postLogoutRedirectUri: [...(seed.postLogoutRedirectUri ?? [])],
      scopes: [...(seed.scopes ?? ['openid'])],
      defaultScopes: [...(seed.defaultScopes ?? [])],
      grantTypes: [...grantTypes],
      javascriptOrigins: [...(seed.javascriptOrigins ?? [])],
    });
    let realmClients = this.clients.get(realm.path);
    if (!realmClients) this.clients.set(realm.path, (realmClients = new Map<string, OAuth2Client>()));
    realmClients.set(client.clientId, client);
    return client;
  }

  get(realmPath: string, clientId: string): OAuth2Client | undefined {
    return this.clients.get(realmPath)?.get(clientId);
  }

  remove(realmPath: string, clientId: string): boolean {
    return this.clients.get(realmPath)?.delete(clientId) ?? false;
  }

  list(realmPath?: string): OAuth2Client[] {
    const realms =
      realmPath === undefined
        ? [...this.clients.values()]
        : [this.clients.get(realmPath) ?? new Map<string, OAuth2Client>()];
    return realms.flatMap((clients) => [...clients.values()]);
  }

  clear(): void {
    this.clients.clear();
  }
}

/**
 * A client's registered URIs as absolute URLs: a URI registered as a path (`/platform/...`, as
 * AIC's own clients name the tenant's host) is on the tenant's `origin`, the one the caller used.
 */
export function registeredUris(registered: readonly string[], origin: string): string[] {
  return registered.map((uri) => (uri.startsWith('/') && !uri.startsWith('//') ? `${origin}${uri}` : uri));
}

/**
 * Does `requested` name one of `registered` URIs? Exact string comparison, as AM does; with
 * loopbackInterfaceRedirection, a loopback `http` URI matches whatever its port (RFC 8252 §7.3).
 */
export function redirectUriMatches(
  requested: string,
  registered: readonly string[],
  loopbackInterfaceRedirection: boolean,
): boolean {
  // The URL parser drops tabs, line breaks and control characters: a URI holding one must not
  // match through it (and would then be written, raw, into a Location header).
  if (/[\u0000-\u0020\u007f]/.test(requested)) return false;
  if (registered.includes(requested)) return true;
  if (!loopbackInterfaceRedirection) return false;
  const portless = withoutLoopbackPort(requested);
  return portless !== undefined && registered.some((uri) => withoutLoopbackPort(uri) === portless);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function withoutLoopbackPort(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  url.port = '';
  return url.href;
}
