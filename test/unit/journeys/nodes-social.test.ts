/**
 * Social login one node at a time (am-external 8.0.2: SelectIdPNode, SocialProviderHandlerNode and
 * V2): the providers offered and the choice, the redirect to the provider with state, nonce and
 * PKCE, the return with `code` and `state`, the code exchange and profile, the shared and transient
 * state AM sets, ACCOUNT_EXISTS / NO_ACCOUNT, and what is refused. The provider is a fake behind
 * the nodes' SocialServices (the offline end to end flow is in test/integration/social-login.test.ts).
 */
import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import {
  NodeProcessException,
  type NodeContext,
  type NodeResult,
  type SocialServices,
} from '../../../emulator/journeys/nodes/node.js';
import type { HttpRequestJson } from '../../../emulator/sandbox/protocol.js';
import type { SubmittedCallback } from '../../../emulator/state/journeys/callbacks.js';
import { NodeState } from '../../../emulator/state/journeys/tree-state.js';
import type { SocialIdentityProvider } from '../../../emulator/state/social-providers.js';
import { ALICE, NodeHarness, answer, asked, inputs, outcomeOf, output } from '../../helpers/node-context.js';

const GOOGLE: SocialIdentityProvider = {
  _id: 'google',
  _type: { _id: 'googleConfig' },
  clientId: 'google-client',
  clientSecret: 'google-secret',
  authorizationEndpoint: 'https://accounts.example.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://accounts.example.com/token',
  userInfoEndpoint: 'https://accounts.example.com/userinfo',
  jwksUriEndpoint: 'https://accounts.example.com/jwks',
  issuer: 'https://accounts.example.com',
  redirectURI: 'https://tenant.example.com/login',
  scopes: ['openid', 'profile', 'email'],
  pkceMethod: 'S256',
  uiConfig: { buttonDisplayName: 'Google' },
};
const GITHUB: SocialIdentityProvider = {
  _id: 'github',
  _type: { _id: 'oauth2Config' },
  clientId: 'github-client',
  clientSecret: 'github-secret',
  clientAuthenticationMethod: 'CLIENT_SECRET_BASIC',
  authorizationEndpoint: 'https://github.example.com/login/oauth/authorize',
  tokenEndpoint: 'https://github.example.com/login/oauth/access_token',
  userInfoEndpoint: 'https://github.example.com/user',
  redirectURI: 'https://tenant.example.com/login',
  scopes: ['user'],
  pkceMethod: 'NONE',
  authenticationIdKey: 'id',
  uiConfig: { buttonDisplayName: 'GitHub' },
};
const DISABLED: SocialIdentityProvider = { ...GITHUB, _id: 'old', enabled: false };

let keys: { privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']; jwks: unknown };
beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  keys = { privateKey: pair.privateKey, jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1' }] } };
});

/** A fake provider: issues a code's tokens, answers user info and its keys; records the calls. */
class FakeProvider {
  calls: HttpRequestJson[] = [];
  /** The user at the provider. */
  profile: Record<string, unknown> = {
    sub: 'g-123',
    name: 'Carol Baker',
    given_name: 'Carol',
    family_name: 'Baker',
    email: 'carol@example.com',
  };
  nonce: string | undefined;
  tokenStatus = 200;
  idTokenClaims: Record<string, unknown> = {};

  async idToken(): Promise<string> {
    const now = Math.floor(Date.parse('2026-07-10T01:34:08Z') / 1000);
    return new SignJWT({
      sub: this.profile['sub'] as string,
      nonce: this.nonce,
      iss: 'https://accounts.example.com',
      aud: 'google-client',
      iat: now,
      exp: now + 300,
      ...this.idTokenClaims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(keys.privateKey);
  }

  services(providers: SocialIdentityProvider[]): SocialServices {
    return {
      providers: () => providers,
      http: async (_context, request) => {
        this.calls.push(request);
        const json = (status: number, body: unknown) => ({
          ok: true as const,
          value: { status, statusText: '', headers: [], body: JSON.stringify(body) },
        });
        if (request.url.endsWith('/jwks')) return json(200, keys.jwks);
        if (request.method === 'POST') {
          if (this.tokenStatus !== 200) return json(this.tokenStatus, { error: 'invalid_grant' });
          return json(200, {
            access_token: 'at-1',
            refresh_token: 'rt-1',
            token_type: 'Bearer',
            expires_in: 3599,
            ...(request.url.includes('github') ? {} : { id_token: await this.idToken() }),
          });
        }
        if (request.url.includes('github'))
          return json(200, { id: 4711, login: 'carolb', name: 'Carol Baker', email: 'carol@example.com' });
        return json(200, this.profile);
      },
    };
  }
}

/** A harness whose nodes see these providers, and a way to process a node with a request query. */
function socialHarness(
  providers: SocialIdentityProvider[] = [GOOGLE, GITHUB, DISABLED],
  options: { shared?: Record<string, unknown>; users?: (typeof ALICE)[] } = {},
) {
  const harness = new NodeHarness({
    ...(options.shared ? { shared: options.shared } : {}),
    ...(options.users ? { users: options.users } : {}),
  });
  const provider = new FakeProvider();
  const enabled = providers.filter((item) => item.enabled !== false);
  Object.assign(harness.services, { social: provider.services(enabled) });
  const run = async (
    type: string,
    config: Record<string, unknown>,
    request: { callbacks?: readonly SubmittedCallback[]; query?: string; id?: string } = {},
  ): Promise<NodeResult> => {
    const implementation = nodeType(type);
    if (!implementation) throw new Error(`no ${type}`);
    const context: NodeContext = {
      tenant: harness.services,
      realm: harness.realm,
      journeys: harness.journeys,
      node: { id: request.id ?? 'node-1', nodeType: type, displayName: type, connections: {} },
      config,
      resumedFromSuspend: false,
      state: harness.state,
      nodeState: new NodeState(harness.state),
      callbacks: request.callbacks ?? [],
      request: {
        headers: {},
        query: new URLSearchParams(request.query ?? ''),
        hostname: 'tenant.example.com',
        existingSession: undefined,
        zeroPage: undefined,
      },
      run: harness.run,
      journeyName: 'Test',
      runInner: async () => {
        throw new Error('no inner tree');
      },
      processChild: async () => {
        throw new Error('no child');
      },
    };
    const result = await implementation.process(context);
    if (result.kind === 'outcome') expect(implementation.outcomes(config)).toContain(result.outcome);
    return result;
  };
  return { harness, provider, run };
}

const SELECT = 'SelectIdPNode';
const HANDLER = 'SocialProviderHandlerNode';
const HANDLER_V2 = 'SocialProviderHandlerNodeV2';
const HANDLER_CONFIG = { script: '58c824ae-84ed-4724-82cd-db128fc3f6c', usernameAttribute: 'userName' };

describe('SelectIdPNode', () => {
  it('offers the enabled providers with their uiConfig, then local authentication, in a SelectIdPCallback', async () => {
    const { run } = socialHarness();
    const [callback, ...rest] = asked(await run(SELECT, {}));
    expect(rest).toEqual([]);
    expect(callback?.type).toBe('SelectIdPCallback');
    expect(output(callback, 'providers')).toEqual([
      { provider: 'google', uiConfig: { buttonDisplayName: 'Google' } },
      { provider: 'github', uiConfig: { buttonDisplayName: 'GitHub' } },
      { provider: 'localAuthentication' },
    ]);
    expect(output(callback, 'value')).toBe('');
  });

  it('a provider chosen: socialAuthentication, shared selectedIdp', async () => {
    const { harness, run } = socialHarness();
    const step = asked(await run(SELECT, {}));
    expect(outcomeOf(await run(SELECT, {}, { callbacks: answer(step, 'github') }))).toBe('socialAuthentication');
    expect(harness.state.shared['selectedIdp']).toBe('github');
  });

  it('local authentication chosen: localAuthentication, selectedIdp left as it was (AM)', async () => {
    const { harness, run } = socialHarness();
    const step = asked(await run(SELECT, {}));
    expect(outcomeOf(await run(SELECT, {}, { callbacks: answer(step, 'localAuthentication') }))).toBe(
      'localAuthentication',
    );
    expect(harness.state.shared['selectedIdp']).toBeUndefined();
  });

  it('an unknown or disabled provider chosen, or none: "Selected provider is unknown"', async () => {
    const { run } = socialHarness();
    const step = asked(await run(SELECT, {}));
    for (const value of ['facebook', 'old', '', 42])
      await expect(run(SELECT, {}, { callbacks: answer(step, value) })).rejects.toThrow(
        new NodeProcessException('Selected provider is unknown'),
      );
    // Local authentication is not a choice when the node does not include it.
    const noLocal = { includeLocalAuthentication: false };
    const noLocalStep = asked(await run(SELECT, noLocal));
    await expect(run(SELECT, noLocal, { callbacks: answer(noLocalStep, 'localAuthentication') })).rejects.toThrow(
      'Selected provider is unknown',
    );
  });

  it('one choice only is taken without asking; none is an error', async () => {
    const single = socialHarness([GOOGLE]);
    expect(outcomeOf(await single.run(SELECT, { includeLocalAuthentication: false }))).toBe('socialAuthentication');
    expect(single.harness.state.shared['selectedIdp']).toBe('google');

    const onlyLocal = socialHarness([]);
    expect(outcomeOf(await onlyLocal.run(SELECT, {}))).toBe('localAuthentication');
    expect(onlyLocal.harness.state.shared['selectedIdp']).toBe('localAuthentication');

    await expect(socialHarness([DISABLED]).run(SELECT, { includeLocalAuthentication: false })).rejects.toThrow(
      'No available authentication providers',
    );
  });

  it('filteredProviders keeps the named providers (and local authentication)', async () => {
    const { run } = socialHarness();
    const [callback] = asked(await run(SELECT, { filteredProviders: ['github', 'nope'] }));
    expect((output(callback, 'providers') as { provider: string }[]).map((item) => item.provider)).toEqual([
      'github',
      'localAuthentication',
    ]);
    expect(outcomeOf(await run(SELECT, { filteredProviders: ['github'], includeLocalAuthentication: false }))).toBe(
      'socialAuthentication',
    );
  });

  it('offerOnlyExisting: the providers the user is linked to, and local authentication when they have a password', async () => {
    const linked = { ...ALICE, aliasList: ['github-4711'] } as typeof ALICE;
    const { run } = socialHarness(undefined, {
      shared: { objectAttributes: { mail: ALICE.mail } },
      users: [linked],
    });
    const [callback] = asked(await run(SELECT, { offerOnlyExisting: true }));
    expect((output(callback, 'providers') as { provider: string }[]).map((item) => item.provider)).toEqual([
      'github',
      'localAuthentication',
    ]);
    await expect(socialHarness().run(SELECT, { offerOnlyExisting: true })).rejects.toThrow(
      'No identity stored in state',
    );
  });

  it('declares localAuthentication only when included; bad configuration is reported at import', () => {
    const type = nodeType(SELECT);
    expect(type?.outcomes({})).toEqual(['socialAuthentication', 'localAuthentication']);
    expect(type?.outcomes({ includeLocalAuthentication: false })).toEqual(['socialAuthentication']);
    expect(
      type?.check?.({
        includeLocalAuthentication: true,
        offerOnlyExisting: false,
        passwordAttribute: 'password',
        identityAttribute: 'mail',
        filteredProviders: [],
      }),
    ).toEqual([]);
    expect(type?.check?.({ includeLocalAuthentication: 'yes', filteredProviders: 'google' })).toHaveLength(2);
  });
});

/** The redirect the node sent, read back: its URL's parameters, and the callback's other outputs. */
function redirectOf(result: NodeResult) {
  const [callback] = asked(result);
  expect(callback?.type).toBe('RedirectCallback');
  expect(callback?.output.map((item) => item.name)).toEqual(['redirectUrl', 'redirectMethod', 'trackingCookie']);
  return {
    callback,
    url: new URL(output(callback, 'redirectUrl') as string),
    method: output(callback, 'redirectMethod'),
    trackingCookie: output(callback, 'trackingCookie'),
  };
}

/** Through the redirect and back with the code, as the browser returns to the login page. */
async function signIn(
  social: ReturnType<typeof socialHarness>,
  config: Record<string, unknown> = HANDLER_CONFIG,
  type = HANDLER,
) {
  const sent = redirectOf(await social.run(type, config));
  social.provider.nonce = sent.url.searchParams.get('nonce') ?? undefined;
  const state = sent.url.searchParams.get('state') ?? '';
  return social.run(type, config, {
    callbacks: answer([sent.callback!]),
    query: `code=the-code&state=${encodeURIComponent(state)}`,
  });
}

describe('SocialProviderHandlerNode', () => {
  it('sends the browser to the provider: a RedirectCallback (GET, trackingCookie) with state, nonce and PKCE S256', async () => {
    const { run } = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    const { url, method, trackingCookie } = redirectOf(await run(HANDLER, HANDLER_CONFIG));
    expect(method).toBe('GET');
    expect(trackingCookie).toBe(true);
    expect(`${url.origin}${url.pathname}`).toBe(GOOGLE.authorizationEndpoint);
    const params = url.searchParams;
    expect(params.get('client_id')).toBe('google-client');
    expect(params.get('response_type')).toBe('code');
    expect(params.get('redirect_uri')).toBe(GOOGLE.redirectURI);
    expect(params.get('scope')).toBe('openid profile email');
    expect(params.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(params.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  });

  it('the return with code and state: the code exchanged (client_secret_post, the PKCE verifier), the profile read; NO_ACCOUNT with the state AM sets', async () => {
    const social = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    const sent = redirectOf(await social.run(HANDLER, HANDLER_CONFIG));
    social.provider.nonce = sent.url.searchParams.get('nonce') ?? undefined;
    const result = await social.run(HANDLER, HANDLER_CONFIG, {
      callbacks: answer([sent.callback!]),
      query: `code=the-code&state=${sent.url.searchParams.get('state')}`,
    });
    expect(outcomeOf(result)).toBe('NO_ACCOUNT');

    const token = social.provider.calls.find((request) => request.method === 'POST');
    const form = new URLSearchParams(token?.body ?? '');
    expect(token?.url).toBe(GOOGLE.tokenEndpoint);
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: GOOGLE.redirectURI,
      client_id: 'google-client',
      client_secret: 'google-secret',
    });
    expect(createHash('sha256').update(form.get('code_verifier')!).digest('base64url')).toBe(
      sent.url.searchParams.get('code_challenge'),
    );
    const userInfo = social.provider.calls.find((request) => request.url === GOOGLE.userInfoEndpoint);
    expect(userInfo?.headers).toContainEqual(['Authorization', 'Bearer at-1']);

    const { shared, transient } = social.harness.state;
    expect(transient['objectAttributes']).toEqual({
      givenName: 'Carol',
      sn: 'Baker',
      mail: 'carol@example.com',
      aliasList: ['google-g-123'],
    });
    expect(shared['objectAttributes']).toEqual({ userName: 'carol@example.com' });
    expect(shared['username']).toBe('carol@example.com');
    expect(transient['socialOAuthData']).toMatchObject({ google: { access_token: 'at-1', token_type: 'Bearer' } });
    expect(transient['access_token']).toBeUndefined();
    expect(shared['nameEmptyOrNull']).toBe(false);
    expect(social.harness.state.identifiedUserId).toBeUndefined();
  });

  it('no given nor family name: shared nameEmptyOrNull (AIC’s default script), the email alone in the object', async () => {
    const social = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    // Google's normalization maps neither phone nor country: they do not reach the object.
    social.provider.profile = { sub: 'g-9', email: 'nameless@example.com', phone: '+1 555 0100', country: 'US' };
    expect(outcomeOf(await signIn(social))).toBe('NO_ACCOUNT');
    expect(social.harness.state.transient['objectAttributes']).toEqual({
      mail: 'nameless@example.com',
      aliasList: ['google-g-9'],
    });
    expect(social.harness.state.shared['nameEmptyOrNull']).toBe(true);
  });

  it('a Microsoft provider: Graph’s names (userPrincipalName as the email and username, surname), the subject from `id`', async () => {
    const microsoft: SocialIdentityProvider = {
      ...GITHUB,
      _id: 'microsoft',
      _type: { _id: 'microsoftConfig' },
      tokenEndpoint: 'https://login.example.com/token',
      userInfoEndpoint: 'https://graph.example.com/v1.0/me',
    };
    const social = socialHarness([microsoft], { shared: { selectedIdp: 'microsoft' } });
    social.provider.profile = {
      id: '7d7759e2',
      displayName: 'Volker S',
      givenName: 'Volker',
      surname: 'Scheuber',
      userPrincipalName: 'volker@example.onmicrosoft.com',
      mail: null,
    };
    expect(outcomeOf(await signIn(social))).toBe('NO_ACCOUNT');
    expect(social.harness.state.transient['objectAttributes']).toEqual({
      givenName: 'Volker',
      sn: 'Scheuber',
      mail: 'volker@example.onmicrosoft.com',
      aliasList: ['microsoft-7d7759e2'],
    });
    expect(social.harness.state.shared['username']).toBe('volker@example.onmicrosoft.com');
  });

  it('ACCOUNT_EXISTS when a user is linked to <provider>-<subject>: that user identified, their aliases kept', async () => {
    const linked = { ...ALICE, aliasList: ['google-g-123', 'github-1'] } as typeof ALICE;
    const social = socialHarness(undefined, { shared: { selectedIdp: 'google' }, users: [linked] });
    expect(outcomeOf(await signIn(social))).toBe('ACCOUNT_EXISTS');
    const { shared, transient } = social.harness.state;
    expect(shared['username']).toBe('alice');
    expect(shared['objectAttributes']).toEqual({ userName: 'alice' });
    expect((transient['objectAttributes'] as { aliasList: string[] }).aliasList.sort()).toEqual([
      'github-1',
      'google-g-123',
    ]);
    expect(social.harness.state.identifiedUserId).toBe(
      social.harness.services.users.findByUserName('/alpha', 'alice')?._id,
    );
  });

  it('an OAuth2 provider: client_secret_basic, no nonce nor PKCE (pkceMethod NONE), the subject from authenticationIdKey', async () => {
    const social = socialHarness(undefined, { shared: { selectedIdp: 'github' } });
    const sent = redirectOf(await social.run(HANDLER, HANDLER_CONFIG));
    expect(sent.url.searchParams.has('nonce')).toBe(false);
    expect(sent.url.searchParams.has('code_challenge')).toBe(false);
    expect(sent.url.searchParams.get('scope')).toBe('user');
    expect(outcomeOf(await signIn(social))).toBe('NO_ACCOUNT');
    const token = social.provider.calls.find((request) => request.method === 'POST');
    expect(token?.headers).toContainEqual([
      'Authorization',
      `Basic ${Buffer.from('github-client:github-secret').toString('base64')}`,
    ]);
    expect(new URLSearchParams(token?.body ?? '').has('client_secret')).toBe(false);
    expect((social.harness.state.transient['objectAttributes'] as { aliasList: string[] }).aliasList).toEqual([
      'github-4711',
    ]);
    expect(social.harness.state.shared['username']).toBe('carol@example.com');
  });

  it('storeTokens: the access and refresh tokens in transient state', async () => {
    const social = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    await signIn(social, { ...HANDLER_CONFIG, storeTokens: true });
    expect(social.harness.state.transient).toMatchObject({ access_token: 'at-1', refresh_token: 'rt-1' });
  });

  it('a user already in shared state keeps the username; a linked account of someone else is refused', async () => {
    const mine = socialHarness(undefined, {
      shared: { selectedIdp: 'google', objectAttributes: { userName: 'newbie' } },
    });
    expect(outcomeOf(await signIn(mine))).toBe('NO_ACCOUNT');
    expect(mine.harness.state.shared['username']).toBe('newbie');

    const linked = { ...ALICE, aliasList: ['google-g-123'] } as typeof ALICE;
    const other = socialHarness(undefined, {
      shared: { selectedIdp: 'google', objectAttributes: { userName: 'bob' } },
      users: [linked],
    });
    await expect(signIn(other)).rejects.toThrow('Account does not belong to user in share state.');
  });

  it('refuses a forged state, a code without state, a second use of the code, a failed exchange and a wrong nonce', async () => {
    const social = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    const sent = redirectOf(await social.run(HANDLER, HANDLER_CONFIG));
    await expect(social.run(HANDLER, HANDLER_CONFIG, { query: 'code=c&state=forged' })).rejects.toThrow(
      'State does not match',
    );
    await expect(social.run(HANDLER, HANDLER_CONFIG, { query: 'code=c' })).rejects.toThrow(
      'Not having the state could mean that this request did not come from the IDP',
    );
    const state = sent.url.searchParams.get('state');
    social.provider.nonce = 'another nonce';
    await expect(social.run(HANDLER, HANDLER_CONFIG, { query: `code=c&state=${state}` })).rejects.toThrow(
      'nonce does not match',
    );
    social.provider.tokenStatus = 400;
    await expect(social.run(HANDLER, HANDLER_CONFIG, { query: `code=c&state=${state}` })).rejects.toThrow(
      /Unable to get an access token.*400/,
    );
    // A code with no authorization request pending (none was sent from this node).
    const fresh = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    await expect(fresh.run(HANDLER, HANDLER_CONFIG, { query: 'code=c&state=s' })).rejects.toThrow(
      'no authorization request is pending',
    );
  });

  it('an ID token signed by another key, for another client or expired is refused', async () => {
    const social = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    social.provider.idTokenClaims = { aud: 'someone-else' };
    await expect(signIn(social)).rejects.toThrow('not intended for this client');
    const expired = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    expired.provider.idTokenClaims = { exp: Math.floor(Date.parse('2026-07-10T01:00:00Z') / 1000) };
    await expect(signIn(expired)).rejects.toThrow('the ID token is not valid');
    const otherKey = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    const pair = await generateKeyPair('RS256');
    otherKey.provider.idToken = () =>
      new SignJWT({ sub: 'g-123' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setAudience('google-client')
        .sign(pair.privateKey);
    await expect(signIn(otherKey)).rejects.toThrow('signature verification failed');
  });

  it('no selectedIdp, or a provider that does not exist, ends the journey', async () => {
    await expect(socialHarness().run(HANDLER, HANDLER_CONFIG)).rejects.toThrow('selectedIdp not found in state');
    await expect(
      socialHarness(undefined, { shared: { selectedIdp: 'old' } }).run(HANDLER, HANDLER_CONFIG),
    ).rejects.toThrow('Selected provider does not exist.');
  });

  it('NATIVE: an IdPCallback with the client settings and a nonce; the SDK’s ID token is read as the profile', async () => {
    const social = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    const config = { ...HANDLER_CONFIG, clientType: 'NATIVE' };
    const step = asked(await social.run(HANDLER, config));
    expect(step[0]?.type).toBe('IdPCallback');
    expect(Object.fromEntries(step[0]!.output.map((item) => [item.name, item.value]))).toMatchObject({
      provider: 'google',
      clientId: 'google-client',
      redirectUri: GOOGLE.redirectURI,
      scopes: ['openid', 'profile', 'email'],
      acrValues: [],
    });
    social.provider.nonce = output(step[0], 'nonce') as string;
    // Google's ID tokens carry the profile's claims.
    social.provider.idTokenClaims = { email: 'carol@example.com', given_name: 'Carol' };
    const idToken = await social.provider.idToken();
    const result = await social.run(HANDLER, config, {
      callbacks: answer(step, inputs({ token: idToken, token_type: 'id_token' })),
    });
    expect(outcomeOf(result)).toBe('NO_ACCOUNT');
    expect(social.harness.state.shared['username']).toBe('carol@example.com');
    expect(social.harness.state.transient['objectAttributes']).toMatchObject({ givenName: 'Carol' });
    // No access token: the user info endpoint is not called.
    expect(social.provider.calls.map((request) => request.url)).toEqual([GOOGLE.jwksUriEndpoint]);
  });

  it('declares ACCOUNT_EXISTS and NO_ACCOUNT; refuses at import a missing script or an unknown client type', () => {
    const type = nodeType(HANDLER);
    expect(type?.outcomes({})).toEqual(['ACCOUNT_EXISTS', 'NO_ACCOUNT']);
    expect(type?.check?.({ ...HANDLER_CONFIG, clientType: 'BROWSER', storeTokens: false })).toEqual([]);
    expect(type?.check?.({ usernameAttribute: 'userName' })).toEqual([
      'script is required (the Transformation Script)',
    ]);
    expect(type?.check?.({ ...HANDLER_CONFIG, clientType: 'IOS', storeTokens: 'no' })).toHaveLength(2);
  });
});

describe('SocialProviderHandlerNodeV2', () => {
  it('as the legacy node, and SOCIAL_AUTH_INTERRUPTED when the user comes back without the provider’s answer', async () => {
    expect(nodeType(HANDLER_V2)?.outcomes({})).toEqual(['ACCOUNT_EXISTS', 'NO_ACCOUNT', 'SOCIAL_AUTH_INTERRUPTED']);
    const social = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    const sent = redirectOf(await social.run(HANDLER_V2, HANDLER_CONFIG));
    expect(social.harness.state.shared['expectProfileInformation']).toBe(true);
    expect(outcomeOf(await social.run(HANDLER_V2, HANDLER_CONFIG, { callbacks: answer([sent.callback!]) }))).toBe(
      'SOCIAL_AUTH_INTERRUPTED',
    );
    expect(social.harness.state.shared['expectProfileInformation']).toBeUndefined();

    const back = socialHarness(undefined, { shared: { selectedIdp: 'google' } });
    expect(outcomeOf(await signIn(back, HANDLER_CONFIG, HANDLER_V2))).toBe('NO_ACCOUNT');
    expect(back.harness.state.shared['expectProfileInformation']).toBeUndefined();
  });
});

describe('SocialGoogleNode', () => {
  const GOOGLE_NODE = {
    clientId: 'google-client',
    clientSecret: 'google-secret',
    authorizeEndpoint: 'https://accounts.example.com/o/oauth2/v2/auth',
    tokenEndpoint: 'https://accounts.example.com/token',
    userInfoEndpoint: 'https://accounts.example.com/userinfo',
    redirectURI: 'https://tenant.example.com/am/XUI/',
    scopeString: 'profile email',
    provider: 'google',
    authenticationIdKey: 'sub',
    basicAuth: true,
    saveUserAttributesToSession: true,
    cfgMixUpMitigation: false,
  };

  async function back(social: ReturnType<typeof socialHarness>, config: Record<string, unknown>, extra = '') {
    const sent = redirectOf(await social.run('SocialGoogleNode', config));
    const state = sent.url.searchParams.get('state') ?? '';
    return social.run('SocialGoogleNode', config, { query: `code=the-code&state=${state}${extra}` });
  }

  it('sends the browser to the node’s own endpoints (no nonce, no PKCE), and remembers it did', async () => {
    const { harness, run } = socialHarness();
    const { url, trackingCookie } = redirectOf(await run('SocialGoogleNode', GOOGLE_NODE));
    expect(trackingCookie).toBe(true);
    expect(`${url.origin}${url.pathname}`).toBe(GOOGLE_NODE.authorizeEndpoint);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'google-client',
      response_type: 'code',
      redirect_uri: GOOGLE_NODE.redirectURI,
      scope: 'profile email',
    });
    expect(url.searchParams.has('nonce')).toBe(false);
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(harness.state.shared['redirectRequestSentForNode-node-1']).toBe(true);
  });

  it('NO_ACCOUNT: the mapped attributes and account names in shared userInfo, emailAddress, session properties', async () => {
    const social = socialHarness();
    expect(outcomeOf(await back(social, GOOGLE_NODE))).toBe('NO_ACCOUNT');
    const token = social.provider.calls.find((request) => request.method === 'POST');
    expect(token?.headers).toContainEqual([
      'Authorization',
      `Basic ${Buffer.from('google-client:google-secret').toString('base64')}`,
    ]);
    const { shared, sessionProperties } = social.harness.state;
    expect(shared['userInfo']).toEqual({
      attributes: {
        'iplanet-am-user-alias-list': ['google-g-123'],
        givenName: ['Carol'],
        sn: ['Baker'],
        mail: ['carol@example.com'],
        cn: ['Carol Baker'],
      },
      userNames: { 'iplanet-am-user-alias-list': ['google-g-123'] },
    });
    expect(shared['emailAddress']).toBe('carol@example.com');
    expect(shared['redirectRequestSentForNode-node-1']).toBeUndefined();
    expect(sessionProperties).toMatchObject({ mail: 'carol@example.com', givenName: 'Carol' });
  });

  it('ACCOUNT_EXISTS: the user matched by the account mapping (aliasList, or uid as userName) is identified', async () => {
    const linked = { ...ALICE, aliasList: ['google-g-123'] } as typeof ALICE;
    const social = socialHarness(undefined, { users: [linked] });
    expect(outcomeOf(await back(social, GOOGLE_NODE))).toBe('ACCOUNT_EXISTS');
    expect(social.harness.state.shared['username']).toBe('alice');
    expect(social.harness.state.identifiedUserId).toBeDefined();

    // AM's sample trees map `sub` to `uid` (the user name), without a prefix.
    const byUid = socialHarness(undefined, { users: [{ ...ALICE, userName: 'g-123' } as unknown as typeof ALICE] });
    const sample = {
      ...GOOGLE_NODE,
      cfgAccountMapperClass: 'org.forgerock.openam.authentication.modules.common.mapping.JsonAttributeMapper',
      cfgAccountMapperConfiguration: { sub: 'uid' },
    };
    expect(outcomeOf(await back(byUid, sample))).toBe('ACCOUNT_EXISTS');
    expect(byUid.harness.state.shared['username']).toBe('g-123');
  });

  it('a code before the redirect sends the redirect (AM); a forged state and the mix-up checks end the journey', async () => {
    const social = socialHarness();
    expect(asked(await social.run('SocialGoogleNode', GOOGLE_NODE, { query: 'code=c&state=s' }))[0]?.type).toBe(
      'RedirectCallback',
    );
    await expect(social.run('SocialGoogleNode', GOOGLE_NODE, { query: 'code=c&state=forged' })).rejects.toThrow(
      'State does not match',
    );
    const mixUp = { ...GOOGLE_NODE, cfgMixUpMitigation: true, issuer: 'https://accounts.example.com' };
    await expect(back(socialHarness(), mixUp)).rejects.toThrow('the client_id has not been provided properly');
    await expect(back(socialHarness(), mixUp, '&client_id=other&iss=x')).rejects.toThrow(
      'the provided client_id other does not belong to this client google-client',
    );
    expect(
      outcomeOf(await back(socialHarness(), mixUp, '&client_id=google-client&iss=https://accounts.example.com')),
    ).toBe('NO_ACCOUNT');
  });

  it('declares ACCOUNT_EXISTS and NO_ACCOUNT; refuses at import a node without clientId or with bad types', () => {
    const type = nodeType('SocialGoogleNode');
    expect(type?.outcomes({})).toEqual(['ACCOUNT_EXISTS', 'NO_ACCOUNT']);
    expect(type?.check?.(GOOGLE_NODE)).toEqual([]);
    expect(type?.check?.({ ...GOOGLE_NODE, clientId: '' })).toEqual(['clientId is required']);
    expect(type?.check?.({ ...GOOGLE_NODE, basicAuth: 'yes', cfgAttributeMappingClasses: 'x' })).toHaveLength(2);
  });
});

describe('ProvisionDynamicAccountNode', () => {
  const USER_INFO = {
    attributes: {
      'iplanet-am-user-alias-list': ['google-g-123'],
      givenName: ['Carol'],
      sn: ['Baker'],
      mail: ['carol@example.com'],
      cn: ['Carol Baker'],
    },
    userNames: { 'iplanet-am-user-alias-list': ['google-g-123'] },
  };

  it('creates the user a social node described (userInfo), with the journey’s password, and identifies them', async () => {
    const { harness, run } = socialHarness(undefined, { shared: { userInfo: USER_INFO } });
    harness.state.transient['password'] = 'Chosen-Secret-1';
    expect(outcomeOf(await run('ProvisionDynamicAccountNode', {}))).toBe('outcome');
    const { users } = harness.services;
    const user = users.get(harness.state.identifiedUserId ?? '');
    expect(user?.userName).toMatch(/^[0-9a-f-]{36}$/);
    expect(harness.state.shared['username']).toBe(user?.userName);
    expect(users.idmView(user!)).toMatchObject({
      aliasList: ['google-g-123'],
      givenName: 'Carol',
      sn: 'Baker',
      mail: 'carol@example.com',
      cn: 'Carol Baker',
      accountStatus: 'active',
    });
    expect(users.verifyPassword(user!, 'Chosen-Secret-1')).toBe(true);
  });

  it('objectAttributes win over userInfo; `uid` names the user; no password in the journey: a random one', async () => {
    const { harness, run } = socialHarness(undefined, {
      shared: { userInfo: USER_INFO, objectAttributes: { userName: 'carolb', mail: 'carol@example.com' } },
    });
    await run('ProvisionDynamicAccountNode', {});
    const user = harness.services.users.findByUserName('/alpha', 'carolb');
    expect(user?.attributes).toEqual({ mail: 'carol@example.com' });
    expect(user?.password).toMatch(/^[\w-]{32}$/);
  });

  it('fails as AM without userInfo or its userNames, and when the user cannot be created', async () => {
    await expect(socialHarness().run('ProvisionDynamicAccountNode', {})).rejects.toThrow(
      'No user information has been found in the shared state',
    );
    await expect(
      socialHarness(undefined, { shared: { userInfo: { attributes: {} } } }).run('ProvisionDynamicAccountNode', {}),
    ).rejects.toThrow("The user information doesn't contain the userNames");
    await expect(
      socialHarness(undefined, { shared: { objectAttributes: { userName: 'alice' } } }).run(
        'ProvisionDynamicAccountNode',
        {},
      ),
    ).rejects.toThrow(/Unable to create user: .*already exists/);
    expect(nodeType('ProvisionDynamicAccountNode')?.check?.({ accountProviderClass: 7 })).toHaveLength(1);
  });
});
