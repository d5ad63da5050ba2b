/**
 * What the client's OAuth 2.0 calls (client/oauth2.ts) put on the wire, and what they make of
 * answers AM would not give, with no network: an undici MockAgent records each request and answers
 * from a queue. The requests as RFC 6749 and AM want them: form bodies, one client authentication
 * per request (Basic with the id and secret form-encoded, RFC 6749 §2.3.1; never Basic and
 * `client_id` together, which AM refuses), no `Accept-API-Version`, the session only on `authorize`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import {
  AmClient,
  AmError,
  AmOAuth2Error,
  AmProtocolError,
  createPkce,
  type OAuth2ClientOptions,
} from '../../client/index.js';

const ORIGIN = 'https://tenant.example.test';
const COOKIE = '6ac6499e9da2071';
const OAUTH2 = '/am/oauth2/realms/root/realms/alpha';
const REDIRECT = 'https://app.example.test/callback';
const TOKENS = { access_token: 'at', scope: 'openid', token_type: 'Bearer', expires_in: 3599 };

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

/** A client whose tenant is a MockAgent: each request is recorded and answered from `replies` (default 200 tokens). */
async function mockTenant(oauth: Partial<OAuth2ClientOptions> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const requests: Captured[] = [];
  const replies: Reply[] = [];
  agent
    .get(ORIGIN)
    .intercept({ path: () => true, method: () => true })
    .reply((request) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries((request.headers ?? {}) as Record<string, string>))
        headers[name.toLowerCase()] = value;
      requests.push({
        method: request.method,
        path: request.path,
        headers,
        body: typeof request.body === 'string' ? request.body : undefined,
      });
      const reply = replies.shift() ?? { body: TOKENS };
      return {
        statusCode: reply.status ?? 200,
        data: reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body),
        responseOptions: { headers: { 'content-type': 'application/json;charset=UTF-8', ...reply.headers } },
      };
    })
    .persist();
  const client = new AmClient({ baseUrl: ORIGIN, cookieName: COOKIE, dispatcher: agent });
  await client.jar.setCookie(`${COOKIE}=session-token; Path=/; Secure; HttpOnly`, `${ORIGIN}/`);
  const last = () => requests.at(-1) as Captured;
  return {
    oauth: client.oauth2({ clientId: 'sdkPublicClient', redirectUri: REDIRECT, ...oauth }),
    requests,
    replies,
    last,
    form: () => Object.fromEntries(new URLSearchParams(last().body ?? '')),
  };
}

describe('client authentication at the token endpoint', () => {
  it('a public client: client_id in the form, no Authorization, no cookie, no Accept-API-Version', async () => {
    const tenant = await mockTenant();
    await tenant.oauth.refresh('rt-1', { scope: ['openid', 'profile'] });
    expect(tenant.last()).toMatchObject({ method: 'POST', path: `${OAUTH2}/access_token` });
    expect(tenant.last().headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tenant.last().headers['accept']).toBe('application/json');
    for (const absent of ['authorization', 'cookie', 'accept-api-version', COOKIE])
      expect(tenant.last().headers[absent]).toBeUndefined();
    expect(tenant.form()).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      scope: 'openid profile',
      client_id: 'sdkPublicClient',
    });
  });

  it('client_secret_basic: the id and secret form-encoded inside Basic, and no client_id in the form', async () => {
    const tenant = await mockTenant({ clientId: 'my client', clientSecret: 's3cr+t:%é' });
    await tenant.oauth.clientCredentials({ scope: 'a b' });
    const basic = Buffer.from('my+client:s3cr%2Bt%3A%25%C3%A9').toString('base64');
    expect(tenant.last().headers['authorization']).toBe(`Basic ${basic}`);
    expect(tenant.form()).toEqual({ grant_type: 'client_credentials', scope: 'a b' });
  });

  it('client_secret_post: the id and secret in the form', async () => {
    const tenant = await mockTenant({
      clientId: 'api',
      clientSecret: 'secret',
      tokenEndpointAuthMethod: 'client_secret_post',
    });
    await tenant.oauth.introspect('tok', { tokenTypeHint: 'access_token' }).catch(() => undefined);
    expect(tenant.last().path).toBe(`${OAUTH2}/introspect`);
    expect(tenant.last().headers['authorization']).toBeUndefined();
    expect(tenant.form()).toEqual({
      token: 'tok',
      token_type_hint: 'access_token',
      client_id: 'api',
      client_secret: 'secret',
    });
  });

  it('the code exchange sends the code, the redirect URI and the verifier', async () => {
    const tenant = await mockTenant();
    await tenant.oauth.exchangeCode({ code: 'c-1', codeVerifier: createPkce().codeVerifier });
    expect(tenant.form()).toMatchObject({ grant_type: 'authorization_code', code: 'c-1', redirect_uri: REDIRECT });
    expect(tenant.form()['code_verifier']).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('authorize', () => {
  const redirectWith = (query: string): Reply => ({ status: 302, headers: { location: `${REDIRECT}?${query}` } });

  it('GET with the jar’s session cookie (the default), PKCE S256, state and prompt=none; the redirect is read, not followed', async () => {
    const tenant = await mockTenant();
    const pkce = createPkce();
    tenant.replies.push(redirectWith('code=the-code&iss=https%3A%2F%2Ftenant&state=s-1&client_id=sdkPublicClient'));
    const code = await tenant.oauth.authorize({ state: 's-1', pkce, scope: 'openid' });
    expect(code).toMatchObject({
      code: 'the-code',
      state: 's-1',
      iss: 'https://tenant',
      codeVerifier: pkce.codeVerifier,
    });
    expect(tenant.requests).toHaveLength(1);
    const url = new URL(`${ORIGIN}${tenant.last().path}`);
    expect(url.pathname).toBe(`${OAUTH2}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'sdkPublicClient',
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 's-1',
      code_challenge: pkce.codeChallenge,
      code_challenge_method: 'S256',
      prompt: 'none',
    });
    expect(tenant.last().headers['cookie']).toBe(`${COOKIE}=session-token`);
    expect(tenant.last().headers['accept-api-version']).toBeUndefined();
  });

  it('{ token }: the session token in the header named after the cookie, not the jar', async () => {
    const tenant = await mockTenant();
    tenant.replies.push(redirectWith('code=c&state=s'));
    await tenant.oauth.authorize({ state: 's' }, { credentials: { token: 'other-token' } });
    expect(tenant.last().headers[COOKIE]).toBe('other-token');
    expect(tenant.last().headers['cookie']).toBeUndefined();
  });

  it('a redirect back with another state: AmProtocolError (not this request’s answer)', async () => {
    const tenant = await mockTenant();
    tenant.replies.push(redirectWith('code=c&state=forged'));
    await expect(tenant.oauth.authorize({ state: 'mine' })).rejects.toBeInstanceOf(AmProtocolError);
  });

  it('an error in the fragment (a fragment response mode) is read as well', async () => {
    const tenant = await mockTenant();
    tenant.replies.push({ status: 302, headers: { location: `${REDIRECT}#error=access_denied&state=s` } });
    await expect(tenant.oauth.authorize({ state: 's' })).rejects.toMatchObject({
      name: 'AmOAuth2Error',
      status: 302,
      error: 'access_denied',
      error_description: undefined,
      state: 's',
    });
  });

  it('a 200 page (consent, form_post) and a redirect elsewhere (the login page) are AmProtocolError', async () => {
    const tenant = await mockTenant();
    tenant.replies.push({ status: 200, body: '<html>consent</html>', headers: { 'content-type': 'text/html' } });
    await expect(tenant.oauth.authorize()).rejects.toThrow(/without a redirect/);
    tenant.replies.push({ status: 302, headers: { location: `${ORIGIN}/am/XUI/?realm=/alpha&goto=x` } });
    await expect(tenant.oauth.authorize()).rejects.toThrow(/\/am\/XUI\/, not to the redirect URI/);
  });

  it('AM’s error page (400 HTML) is an AmError with the page in body', async () => {
    const tenant = await mockTenant();
    tenant.replies.push({
      status: 400,
      body: '<html>redirect_uri_mismatch</html>',
      headers: { 'content-type': 'text/html' },
    });
    const error = await tenant.oauth.authorize().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmError);
    expect(error).toMatchObject({ status: 400, body: '<html>redirect_uri_mismatch</html>' });
  });
});

describe('answers', () => {
  it('an OAuth error body is AmOAuth2Error with AM’s fields; another error body is AmError', async () => {
    const tenant = await mockTenant();
    tenant.replies.push({
      status: 400,
      body: '{"error_description":"grant is invalid","error":"invalid_grant","state":"x"}',
      headers: { 'x-forgerock-transactionid': 'tx-1' },
    });
    const error = await tenant.oauth.refresh('rt').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmOAuth2Error);
    expect(error).toMatchObject({
      status: 400,
      error: 'invalid_grant',
      error_description: 'grant is invalid',
      state: 'x',
      transactionId: 'tx-1',
      message: 'invalid_grant: grant is invalid',
      request: { method: 'POST', path: `${OAUTH2}/access_token` },
    });
    tenant.replies.push({ status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } });
    const other = await tenant.oauth.refresh('rt').catch((caught: unknown) => caught);
    expect(other).toBeInstanceOf(AmError);
    expect(other).not.toBeInstanceOf(AmOAuth2Error);
    expect((other as AmError).status).toBe(502);
  });

  it('a 200 that is not a token answer, or an introspection without `active`: AmProtocolError', async () => {
    const tenant = await mockTenant({ clientSecret: 's' });
    tenant.replies.push({ body: 'not json' }, { body: { token_type: 'Bearer' } }, { body: { scope: 'x' } });
    await expect(tenant.oauth.clientCredentials()).rejects.toBeInstanceOf(AmProtocolError);
    await expect(tenant.oauth.clientCredentials()).rejects.toThrow(/with access_token/);
    await expect(tenant.oauth.introspect('t')).rejects.toThrow(/without `active`/);
  });

  it('userInfo sends the access token as a bearer and no cookie; endSession sends no cookie and reads the redirect', async () => {
    const tenant = await mockTenant();
    tenant.replies.push({ body: { sub: 'u-1' } });
    expect(await tenant.oauth.userInfo('at-1')).toEqual({ sub: 'u-1' });
    expect(tenant.last()).toMatchObject({ method: 'GET', path: `${OAUTH2}/userinfo` });
    expect(tenant.last().headers['authorization']).toBe('Bearer at-1');
    expect(tenant.last().headers['cookie']).toBeUndefined();

    tenant.replies.push({ status: 302, headers: { location: 'https://app.example.test/bye?state=s' } });
    expect(
      await tenant.oauth.endSession({
        idTokenHint: 'id.token.x',
        postLogoutRedirectUri: 'https://app.example.test/bye',
        state: 's',
      }),
    ).toEqual({ status: 302, location: 'https://app.example.test/bye?state=s' });
    const url = new URL(`${ORIGIN}${tenant.last().path}`);
    expect(url.pathname).toBe(`${OAUTH2}/connect/endSession`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      id_token_hint: 'id.token.x',
      post_logout_redirect_uri: 'https://app.example.test/bye',
      state: 's',
    });
    expect(tenant.last().headers['cookie']).toBeUndefined();
  });
});
