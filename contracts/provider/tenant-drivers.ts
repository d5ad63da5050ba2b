/**
 * What the provider states need from a tenant, two ways: the emulator's control API (fast,
 * exact), and a real tenant, where the only way to make a session is to sign in. The state
 * handlers (states.ts) are written once against this interface, so the same pact verifies
 * against both.
 */
import { AmClient } from '../../client/index.js';
import { DEMO_CLIENT_SECRET } from '../../emulator/config/demo-tenant.js';

export interface SignedInUser {
  tokenId: string;
  userId: string;
  userName: string;
}

export interface TenantDriver {
  readonly baseUrl: string;
  /** The tenant cookie's name (contracts call it iPlanetDirectoryPro; the verifier renames it). */
  cookieName(): Promise<string>;
  /** Before each interaction: no sessions left over from the last one (the user's, at least). */
  reset(): Promise<void>;
  /** A new session of the contract user. */
  signIn(): Promise<SignedInUser>;
  /** The contract user's credentials, for zero-page and callback logins. */
  credentials(): { username: string; password: string };
  /** An admin bearer token (a service account's access token on a real tenant). */
  adminToken(): Promise<string>;
  /**
   * A confidential OAuth2 client of the realm with the client credentials grant and the
   * `am-introspect-all-tokens` scope (the SDK samples' API client).
   */
  confidentialClient(): { clientId: string; clientSecret: string };
}

/** The emulator, driven through its control API. */
export class EmulatorDriver implements TenantDriver {
  constructor(
    readonly baseUrl: string,
    private readonly user = { username: 'demo', password: 'Ch4ng3-it!' },
  ) {}

  private async control(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${this.baseUrl}/__emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`control API ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  async cookieName(): Promise<string> {
    return (await this.control('GET', 'tenant')).cookieName as string;
  }

  async reset(): Promise<void> {
    await this.control('POST', 'reset');
  }

  async signIn(): Promise<SignedInUser> {
    const session = await this.control('POST', 'sessions', { realm: 'alpha', userName: this.user.username });
    return { tokenId: session.tokenId, userId: session.username, userName: this.user.username };
  }

  credentials() {
    return this.user;
  }

  async adminToken(): Promise<string> {
    return (await this.control('GET', 'tenant')).adminToken as string;
  }

  /** The demo tenant's confidential client (its secret is fixed on loopback, where the verification runs). */
  confidentialClient() {
    return { clientId: 'demoConfidentialClient', clientSecret: DEMO_CLIENT_SECRET };
  }
}

/**
 * A real tenant: AIC_TENANT_URL, AIC_REALM (default alpha), AIC_USERNAME, AIC_PASSWORD (a test
 * user that signs in with the realm's default journey by zero-page login) and AIC_ADMIN_TOKEN (a
 * service account's access token with fr:am:*); for the OAuth2 interactions, AIC_OAUTH2_CLIENT_ID
 * and AIC_OAUTH2_CLIENT_SECRET (a confidential client, see {@link TenantDriver.confidentialClient}).
 */
export class RealTenantDriver implements TenantDriver {
  readonly baseUrl: string;
  private readonly client: AmClient;

  constructor(private readonly env: Record<string, string>) {
    this.baseUrl = env['AIC_TENANT_URL'] as string;
    this.client = new AmClient({ baseUrl: this.baseUrl, realm: env['AIC_REALM'] ?? 'alpha' });
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): RealTenantDriver | undefined {
    const needed = ['AIC_TENANT_URL', 'AIC_USERNAME', 'AIC_PASSWORD', 'AIC_ADMIN_TOKEN'];
    if (needed.some((name) => !env[name])) return undefined;
    return new RealTenantDriver(env as Record<string, string>);
  }

  cookieName(): Promise<string> {
    return this.client.cookieName();
  }

  async reset(): Promise<void> {
    // End the contract user's sessions, so that "3 active sessions" means three.
    const user = await this.signIn();
    await this.client.logoutByUser(user.userId, { credentials: { token: user.tokenId } });
  }

  async signIn(): Promise<SignedInUser> {
    const client = new AmClient({ baseUrl: this.baseUrl, realm: this.env['AIC_REALM'] ?? 'alpha' });
    try {
      const { username, password } = this.credentials();
      const success = await client.login({ username, password });
      const tokenId = success.tokenId as string;
      const id = await client.idFromSession();
      return { tokenId, userId: id.id, userName: username };
    } finally {
      await client.close();
    }
  }

  credentials() {
    return { username: this.env['AIC_USERNAME'] as string, password: this.env['AIC_PASSWORD'] as string };
  }

  async adminToken(): Promise<string> {
    return this.env['AIC_ADMIN_TOKEN'] as string;
  }

  confidentialClient() {
    const clientId = this.env['AIC_OAUTH2_CLIENT_ID'];
    const clientSecret = this.env['AIC_OAUTH2_CLIENT_SECRET'];
    if (!clientId || !clientSecret)
      throw new Error(
        'the OAuth2 interactions need a confidential client: set AIC_OAUTH2_CLIENT_ID and AIC_OAUTH2_CLIENT_SECRET (contracts/README.md)',
      );
    return { clientId, clientSecret };
  }
}
