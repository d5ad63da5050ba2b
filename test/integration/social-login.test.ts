/**
 * Social login offline, end to end (issue 19): the alpha realm's social identity provider is the
 * emulator's own OAuth2 provider in another realm (`/idp`). A journey (Select Identity Provider →
 * Social Provider Handler → ACCOUNT_EXISTS to Success, NO_ACCOUNT to a password and Create Object)
 * sends the browser to `/am/oauth2/realms/root/realms/idp/authorize`; the user signs in there, the
 * provider sends the browser back to the login page with a code, the client posts the step back
 * with `code` and `state` in the query of `/authenticate`, and the journey goes on: the first time
 * the account is created (linked by its `aliasList`), the second time it exists. A forged state
 * and a code issued to another client end the journey as AM ends it (401, Login failure). AM's
 * legacy Social Google node, pointed at the same provider, with Provision Dynamic Account, too.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http } from '../helpers/http.js';
import { JarClient } from '../helpers/jar-client.js';
import { startEmulator } from '../helpers/tenant.js';

const IDP = '/am/oauth2/realms/root/realms/idp';
const ALPHA_AUTH = '/am/json/realms/root/realms/alpha/authenticate';
const IDP_AUTH = '/am/json/realms/root/realms/idp/authenticate';
const JOURNEY = 'SocialLogin';
const START = `${ALPHA_AUTH}?authIndexType=service&authIndexValue=${JOURNEY}`;
const REDIRECT_URI = 'https://app.example.com/login';
const CLIENT_SECRET = 'alpha-social-secret';
const CAROL = {
  userName: 'carol',
  password: 'Carol-Secret-1',
  givenName: 'Carol',
  sn: 'Baker',
  mail: 'carol@example.com',
};
const JSON_HEADERS = { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const ids = {
  select: '50c1a100-0000-4000-8000-000000000001',
  handler: '50c1a100-0000-4000-8000-000000000002',
  password: '50c1a100-0000-4000-8000-000000000003',
  create: '50c1a100-0000-4000-8000-000000000004',
};

/** The journey as AIC's social registration journeys are built (FrodoTest's nodes and their config). */
const socialJourney = {
  trees: {
    [JOURNEY]: treeExport({
      name: JOURNEY,
      description: 'social-login.test: sign in with the emulator’s own provider',
      entry: ids.select,
      nodes: [
        {
          id: ids.select,
          type: 'SelectIdPNode',
          name: 'Select Identity Provider',
          x: 100,
          y: 100,
          connections: { socialAuthentication: ids.handler, localAuthentication: END.failure },
          config: {
            filteredProviders: [],
            identityAttribute: 'mail',
            includeLocalAuthentication: true,
            offerOnlyExisting: false,
            passwordAttribute: 'password',
          },
        },
        {
          id: ids.handler,
          type: 'SocialProviderHandlerNode',
          name: 'Social Provider Handler',
          x: 300,
          y: 100,
          connections: { ACCOUNT_EXISTS: END.success, NO_ACCOUNT: ids.password },
          config: {
            clientType: 'BROWSER',
            script: '58c824ae-84ed-4724-82cd-db128fc3f6c',
            usernameAttribute: 'userName',
          },
        },
        {
          id: ids.password,
          type: 'ValidatedPasswordNode',
          name: 'Platform Password',
          x: 500,
          y: 100,
          connections: { outcome: ids.create },
          config: { passwordAttribute: 'password', validateInput: false },
        },
        {
          id: ids.create,
          type: 'CreateObjectNode',
          name: 'Create Object',
          x: 700,
          y: 100,
          connections: { CREATED: END.success, FAILURE: END.failure },
          config: { identityResource: 'managed/alpha_user' },
        },
      ],
    }),
  },
};

const LEGACY = 'GoogleLegacy';
const legacyIds = {
  google: '50c1a100-0000-4000-8000-000000000011',
  provision: '50c1a100-0000-4000-8000-000000000012',
};

/** AM's legacy social node (as AM's sample trees use it) pointed at the emulator's own provider. */
function legacyJourney(providerBase: string) {
  return {
    trees: {
      [LEGACY]: treeExport({
        name: LEGACY,
        description: 'social-login.test: Social Google and Provision Dynamic Account',
        entry: legacyIds.google,
        nodes: [
          {
            id: legacyIds.google,
            type: 'SocialGoogleNode',
            name: 'Google Social Authentication',
            x: 100,
            y: 100,
            connections: { ACCOUNT_EXISTS: END.success, NO_ACCOUNT: legacyIds.provision },
            config: {
              clientId: 'alphaSocial',
              clientSecret: CLIENT_SECRET,
              authorizeEndpoint: `${providerBase}${IDP}/authorize`,
              tokenEndpoint: `${providerBase}${IDP}/access_token`,
              userInfoEndpoint: `${providerBase}${IDP}/userinfo`,
              redirectURI: REDIRECT_URI,
              scopeString: 'openid profile email',
              provider: 'google',
              authenticationIdKey: 'sub',
              basicAuth: false,
              saveUserAttributesToSession: true,
              cfgMixUpMitigation: false,
            },
          },
          {
            id: legacyIds.provision,
            type: 'ProvisionDynamicAccountNode',
            name: 'Provision Dynamic Account',
            x: 300,
            y: 100,
            connections: { outcome: END.success },
            config: {},
          },
        ],
      }),
    },
  };
}

let emulator: Emulator;
let base: string;
beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  emulator = await startEmulator({
    port,
    config: {
      realms: [
        { path: '/', successUrl: '/platform' },
        { path: '/alpha', successUrl: '/enduser/?realm=/alpha' },
        { path: '/idp', defaultJourney: 'Login' },
      ],
      users: [{ realm: 'idp', ...CAROL }],
      oauth2: {
        clients: [
          {
            realm: 'idp',
            clientId: 'alphaSocial',
            clientType: 'Confidential',
            clientSecret: CLIENT_SECRET,
            tokenEndpointAuthMethod: 'client_secret_post',
            redirectionUris: [REDIRECT_URI],
            scopes: ['openid', 'profile', 'email'],
            grantTypes: ['authorization_code'],
          },
          {
            realm: 'idp',
            clientId: 'otherApp',
            clientType: 'Confidential',
            clientSecret: 'other-secret',
            tokenEndpointAuthMethod: 'client_secret_post',
            redirectionUris: [REDIRECT_URI],
            scopes: ['openid', 'profile', 'email'],
            grantTypes: ['authorization_code'],
          },
        ],
      },
      socialIdentityProviders: {
        alpha: {
          emulatorIdp: {
            _type: { _id: 'oidcConfig' },
            clientId: 'alphaSocial',
            clientSecret: CLIENT_SECRET,
            authorizationEndpoint: `${base}${IDP}/authorize`,
            tokenEndpoint: `${base}${IDP}/access_token`,
            userInfoEndpoint: `${base}${IDP}/userinfo`,
            jwksUriEndpoint: `${base}${IDP}/connect/jwk_uri`,
            // AIC's issuer is the realm's DNS alias form (/am/oauth2/<realm>), as discovery says.
            issuer: `${base}/am/oauth2/idp`,
            redirectURI: REDIRECT_URI,
            scopes: ['openid', 'profile', 'email'],
            pkceMethod: 'S256',
            clientAuthenticationMethod: 'CLIENT_SECRET_POST',
            uiConfig: { buttonDisplayName: 'Emulator IdP' },
          },
        },
      },
    },
    journeys: [socialJourney, legacyJourney(base)],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/** The app at the tenant: starts the journey, picks the provider, answers the RedirectCallback step. */
async function toRedirect(app: JarClient) {
  const first = await app.request(START, { method: 'POST', headers: JSON_HEADERS, body: '{}' });
  expect(first.status).toBe(200);
  expect(first.json.callbacks.map((callback: { type: string }) => callback.type)).toEqual(['SelectIdPCallback']);
  expect(first.json.callbacks[0].output[0]).toEqual({
    name: 'providers',
    value: [
      { provider: 'emulatorIdp', uiConfig: { buttonDisplayName: 'Emulator IdP' } },
      { provider: 'localAuthentication' },
    ],
  });
  first.json.callbacks[0].input[0].value = 'emulatorIdp';
  const second = await app.request(START, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(first.json) });
  expect(second.status).toBe(200);
  const [redirect] = second.json.callbacks;
  expect(redirect.type).toBe('RedirectCallback');
  const output = Object.fromEntries(
    redirect.output.map((item: { name: string; value: unknown }) => [item.name, item.value]),
  );
  expect(output).toMatchObject({ redirectMethod: 'GET', trackingCookie: true });
  return { step: second.json, redirectUrl: new URL(output['redirectUrl'] as string) };
}

/** The browser at the provider: to its login page, signs in, and back with the code. */
async function atProvider(redirectUrl: URL, user = CAROL): Promise<URLSearchParams> {
  const browser = new JarClient(base);
  const path = `${redirectUrl.pathname}${redirectUrl.search}`;
  const toLogin = await browser.request(path);
  expect(toLogin.status).toBe(302);
  const login = new URL(toLogin.headers.location as string, base);
  expect(login.pathname).toBe('/am/XUI/');
  expect(login.searchParams.get('realm')).toBe('/idp');
  const signedIn = await browser.request(IDP_AUTH, {
    method: 'POST',
    headers: { ...JSON_HEADERS, 'x-openam-username': user.userName, 'x-openam-password': user.password },
    body: '{}',
  });
  expect(signedIn.status).toBe(200);
  const goto = new URL(login.searchParams.get('goto') as string);
  const back = await browser.request(`${goto.pathname}${goto.search}`);
  expect(back.status).toBe(302);
  const location = new URL(back.headers.location as string);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.searchParams;
}

/** The login page resumes the journey: the step posted back with the provider's code and state. */
function resume(app: JarClient, step: unknown, params: URLSearchParams | string) {
  return app.request(`${START}&${params.toString()}`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify(step),
  });
}

/** The latest run of the social journey (`GET /__emulator/runs`; the provider's Login runs besides). */
async function latestRun() {
  const runs = await http(`${emulator.url}/__emulator/runs`);
  return runs.json.result.filter((run: { journey: string }) => run.journey === JOURNEY).at(-1) as {
    status: string;
    error?: string;
    visits: { nodeType: string; outcome?: string }[];
  };
}

describe('social login against the emulator’s own OAuth2 provider', () => {
  it('first time: NO_ACCOUNT, the account created and linked; second time: ACCOUNT_EXISTS and a session for it', async () => {
    const app = new JarClient(base);
    const { step, redirectUrl } = await toRedirect(app);
    expect(`${redirectUrl.origin}${redirectUrl.pathname}`).toBe(`${base}${IDP}/authorize`);
    expect(redirectUrl.searchParams.get('client_id')).toBe('alphaSocial');
    expect(redirectUrl.searchParams.get('code_challenge_method')).toBe('S256');
    const params = await atProvider(redirectUrl);
    expect(params.get('state')).toBe(redirectUrl.searchParams.get('state'));

    const password = await resume(app, step, params);
    expect(password.status).toBe(200);
    expect(password.json.callbacks.map((callback: { type: string }) => callback.type)).toEqual(['PasswordCallback']);
    password.json.callbacks[0].input[0].value = 'Social-Secret-1';
    const done = await app.request(START, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(password.json),
    });
    expect(done.status).toBe(200);
    expect(typeof done.json.tokenId).toBe('string');

    const users = await http(`${emulator.url}/__emulator/users`);
    const created = (users.json.result as Record<string, unknown>[]).find(
      (user) => user['realm'] === '/alpha' && user['userName'] === 'carol@example.com',
    );
    expect(created).toMatchObject({ givenName: 'Carol', sn: 'Baker', mail: 'carol@example.com' });
    const carolAtIdp = (users.json.result as { _id: string; userName: string }[]).find(
      (user) => user.userName === 'carol',
    );
    expect(created?.['aliasList']).toEqual([`emulatorIdp-${carolAtIdp?._id}`]);

    // Again, in a new browser: the provider's user is linked to that account now.
    const again = new JarClient(base);
    const second = await toRedirect(again);
    const answer = await resume(again, second.step, await atProvider(second.redirectUrl));
    expect(answer.status).toBe(200);
    expect(typeof answer.json.tokenId).toBe('string');
    const sessions = await http(`${emulator.url}/__emulator/sessions`);
    const session = (sessions.json.result as { tokenId: string; userName: string; realm: string }[]).find(
      (item) => item.tokenId === answer.json.tokenId,
    );
    expect(session).toMatchObject({ userName: 'carol@example.com', realm: '/alpha' });
    const run = await latestRun();
    expect(run.visits.map((node) => `${node.nodeType}:${node.outcome}`)).toContain(
      'SocialProviderHandlerNode:ACCOUNT_EXISTS',
    );
  });

  it('a forged state ends the journey: 401 Login failure, no session, no user', async () => {
    const app = new JarClient(base);
    const { step, redirectUrl } = await toRedirect(app);
    const params = await atProvider(redirectUrl);
    params.set('state', 'forged');
    const answer = await resume(app, step, params);
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ code: 401, reason: 'Unauthorized', message: 'Login failure' });
    expect((await latestRun()).error).toMatch(/State does not match/);
    const users = await http(`${emulator.url}/__emulator/users`);
    expect((users.json.result as { realm: string }[]).filter((user) => user.realm === '/alpha')).toEqual([]);
  });

  it('a code issued to another client is refused by the provider: the journey ends with Login failure', async () => {
    const app = new JarClient(base);
    const { step, redirectUrl } = await toRedirect(app);
    // The user signs in for another client of the same provider; its code is brought back with our state.
    const other = new URL(redirectUrl);
    other.searchParams.set('client_id', 'otherApp');
    other.searchParams.delete('code_challenge');
    other.searchParams.delete('code_challenge_method');
    const params = await atProvider(other);
    const answer = await resume(app, step, params);
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ code: 401, message: 'Login failure' });
    expect((await latestRun()).error).toMatch(/Unable to get an access token.*400.*invalid_grant/);
  });

  it('without the code, the step posted back again sends the browser to the provider again (a new state)', async () => {
    const app = new JarClient(base);
    const { step, redirectUrl } = await toRedirect(app);
    const again = await resume(app, step, '');
    expect(again.status).toBe(200);
    const url = new URL(again.json.callbacks[0].output[0].value as string);
    expect(url.searchParams.get('state')).not.toBe(redirectUrl.searchParams.get('state'));
  });
});

describe('the legacy Social Google node against the same provider', () => {
  const START_LEGACY = `${ALPHA_AUTH}?authIndexType=service&authIndexValue=${LEGACY}`;

  async function signIn(app: JarClient) {
    const first = await app.request(START_LEGACY, { method: 'POST', headers: JSON_HEADERS, body: '{}' });
    expect(first.json.callbacks[0].type).toBe('RedirectCallback');
    const redirectUrl = new URL(first.json.callbacks[0].output[0].value as string);
    const params = await atProvider(redirectUrl);
    return app.request(`${START_LEGACY}&${params.toString()}`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(first.json),
    });
  }

  it('NO_ACCOUNT: Provision Dynamic Account creates and signs in the user; the next time ACCOUNT_EXISTS', async () => {
    const first = await signIn(new JarClient(base));
    expect(first.status).toBe(200);
    expect(typeof first.json.tokenId).toBe('string');
    const users = await http(`${emulator.url}/__emulator/users?realm=alpha`);
    const carolAtIdp = (await http(`${emulator.url}/__emulator/users?realm=idp`)).json.result[0] as { _id: string };
    const created = (users.json.result as Record<string, unknown>[]).find(
      (user) => Array.isArray(user['aliasList']) && user['aliasList'].includes(`google-${carolAtIdp._id}`),
    );
    expect(created).toMatchObject({ mail: 'carol@example.com', givenName: 'Carol', sn: 'Baker' });

    const second = await signIn(new JarClient(base));
    expect(typeof second.json.tokenId).toBe('string');
    const sessions = await http(`${emulator.url}/__emulator/sessions`);
    expect(
      (sessions.json.result as { tokenId: string; userName: string }[]).find(
        (session) => session.tokenId === second.json.tokenId,
      )?.userName,
    ).toBe(created?.['userName']);
    const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result.filter(
      (run: { journey: string }) => run.journey === LEGACY,
    );
    expect(runs.at(-1).visits.map((visit: { outcome?: string }) => visit.outcome)).toContain('ACCOUNT_EXISTS');
  });
});
