/**
 * The demo tenant: what `npm start` serves and what every config file is merged over
 * (DESIGN.md, "The demo tenant"). Ids and passwords are fixed so that READMEs, workshops and
 * tests can name them. Being published, the passwords and the admin token are used on loopback
 * only: beyond it they are replaced by ones made at start (start-secrets.ts).
 */
import type { TenantConfig } from './config-types.js';
import { EXTERNAL_LOGOUT_URL } from './demo-journeys/index.js';
import { DEMO_SERVICE_ACCOUNT } from './demo-service-account.js';

/** Demo credentials, printed by `aic-emulator start` (on loopback; see above). */
export const DEMO_PASSWORD = 'Ch4ng3-it!';
export const DEMO_ADMIN_PASSWORD = 'Adm1n-Ch4ng3-it!';
export const DEMO_ADMIN_TOKEN = 'aic-emulator-admin-t7HhWBZoRAdDERgSwUx5VpgiaRkjehmI';
export const DEMO_CLIENT_SECRET = 'demo-client-s3cret-Ch4ng3-it';

/**
 * Where the demo apps may send users back to: the SDK tutorials' `https://localhost:8443` and
 * the same paths on any loopback port (loopbackInterfaceRedirection).
 */
const DEMO_APP_URIS = ['https://localhost:8443', 'http://localhost', 'http://127.0.0.1'].flatMap((origin) => [
  `${origin}/`,
  `${origin}/callback`,
  `${origin}/callback.html`,
]);

export const DEMO_TENANT: TenantConfig = {
  adminToken: DEMO_ADMIN_TOKEN,
  hosts: [],
  cookieDomains: [],
  secureCookie: 'auto',
  realms: [
    { path: '/', successUrl: '/platform' },
    { path: '/alpha', successUrl: '/enduser/?realm=/alpha' },
  ],
  users: [
    {
      realm: 'alpha',
      _id: '25cff7e1-0539-45b9-98cd-7f02b2463370',
      userName: 'demo',
      password: DEMO_PASSWORD,
      givenName: 'Demo',
      sn: 'User',
      mail: 'demo@example.com',
      frUnindexedString1: 'demo-1',
      // Part 2 of the how-to sends this to the external service as the user's SSO token.
      frUnindexedString2: 'exampleSSOToken',
      // Part 4 of the how-to redirects the user here on logout.
      frUnindexedString3: 'https://example.com/goodbye',
      frUnindexedString4: 'demo-4',
      frUnindexedString5: 'demo-5',
      // Chosen already, so ProgressiveProfile does not interrupt the demo users' third login.
      preferences: { updates: true, marketing: true },
    },
    {
      realm: 'alpha',
      _id: '94a7ea72-615f-4514-b933-d25b0d3e33c7',
      userName: 'bjensen',
      password: DEMO_PASSWORD,
      givenName: 'Barbara',
      sn: 'Jensen',
      mail: 'bjensen@example.com',
      frUnindexedString1: 'bjensen-1',
      frUnindexedString2: 'bjensenSSOToken',
      frUnindexedString3: 'https://example.com/bye-babs',
      frUnindexedString4: 'bjensen-4',
      frUnindexedString5: 'bjensen-5',
      preferences: { updates: true, marketing: true },
    },
    {
      realm: 'alpha',
      _id: '62638df0-4ef3-4f5b-a894-c9b2b8768680',
      userName: 'scarter',
      password: DEMO_PASSWORD,
      givenName: 'Sam',
      sn: 'Carter',
      mail: 'scarter@example.com',
      // No frUnindexedString2 or 3: the how-to's Part 2 answers "No User Found" for this user and
      // Part 4 falls back to the static Failure URL.
      frUnindexedString1: 'scarter-1',
      frUnindexedString4: 'scarter-4',
      frUnindexedString5: 'scarter-5',
      preferences: { updates: true, marketing: true },
    },
    {
      realm: 'root',
      _id: '647c4de3-4c89-47dc-b41e-1c29f5579d37',
      userName: 'tenant-admin@example.com',
      password: DEMO_ADMIN_PASSWORD,
      givenName: 'Tenant',
      sn: 'Admin',
      mail: 'tenant-admin@example.com',
      admin: true,
      preferences: { updates: true, marketing: true },
    },
  ],
  session: {
    maxIdleMinutes: 30,
    maxSessionMinutes: 120,
    latestAccessUpdateSeconds: 60,
    propertyAllowList: ['AMCtxId'],
    returnedProperties: [],
    quota: { enabled: false, limit: 5 },
  },
  esvs: {},
  clock: {},
  journalSize: 1000,
  runHistorySize: 200,
  journeys: [],
  allowOutbound: false,
  scriptLimits: {},
  // The external application that the demo TerminateExternalSession journey signs users out of.
  stubs: [{ method: 'POST', url: EXTERNAL_LOGOUT_URL, status: 200, body: { result: 'Successfully logged out' } }],
  // The SDK preset's CORS configuration, and any app on a loopback port (a dev server's).
  cors: [
    {
      id: 'demo',
      enabled: true,
      acceptedOrigins: ['https://localhost:8443'],
      acceptLoopbackOrigins: true,
      acceptedMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
      acceptedHeaders: [
        'accept-api-version',
        'x-requested-with',
        'x-requested-platform',
        'content-type',
        'authorization',
        'if-match',
        'if-none-match',
        'accept',
        'cache-control',
      ],
      exposedHeaders: ['WWW-Authenticate'],
      allowCredentials: true,
      maxAge: 600,
    },
  ],
  // An AIC alpha realm's provider settings, and the SDK tutorials' clients.
  oauth2: {
    accessTokenLifetime: 3600,
    refreshTokenLifetime: 604_800,
    codeLifetime: 120,
    idTokenLifetime: 3600,
    codeVerifierEnforced: false,
    clients: [
      {
        realm: 'alpha',
        clientId: 'sdkPublicClient',
        clientType: 'Public',
        tokenEndpointAuthMethod: 'none',
        redirectionUris: DEMO_APP_URIS,
        loopbackInterfaceRedirection: true,
        postLogoutRedirectUri: DEMO_APP_URIS,
        scopes: ['openid', 'profile', 'email', 'address', 'phone'],
        defaultScopes: ['openid', 'profile', 'email', 'address', 'phone'],
        grantTypes: ['authorization_code', 'refresh_token'],
      },
      {
        // A server-side app: client credentials, and introspection of any token of the realm.
        realm: 'alpha',
        clientId: 'demoConfidentialClient',
        clientType: 'Confidential',
        clientSecret: DEMO_CLIENT_SECRET,
        tokenEndpointAuthMethod: 'client_secret_basic',
        redirectionUris: DEMO_APP_URIS,
        loopbackInterfaceRedirection: true,
        postLogoutRedirectUri: DEMO_APP_URIS,
        scopes: ['openid', 'profile', 'email', 'address', 'phone', 'am-introspect-all-tokens'],
        defaultScopes: ['am-introspect-all-tokens'],
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      },
    ],
    serviceAccounts: [DEMO_SERVICE_ACCOUNT],
  },
};
