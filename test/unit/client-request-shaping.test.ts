/**
 * What the client puts on the wire for every method, with no network: an undici MockAgent answers
 * and records each request (method, path and query, headers, body). Checked against AIC's docs: paths
 * ("Specify realms in URLs"), Accept-API-Version per action ("Manage sessions over REST", "Log in over REST",
 * recorded AIC traffic for users and serverinfo), credentials ("Session tokens after authentication"), bodies,
 * the CSRF header ("REST API versions"), and the cookie jar's rules.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import {
  AmClient,
  AmError,
  AmProtocolError,
  Callback,
  JourneyStep,
  type AmClientOptions,
  type StepJson,
} from '../../client/index.js';

const ORIGIN = 'https://tenant.example.test';
const COOKIE = '6ac6499e9da2071';
const ADMIN_TOKEN = 'admin-access-token';
const ALPHA = '/am/json/realms/root/realms/alpha';

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

/** A client on a MockAgent that records requests and answers from a queue (default: `{}` or serverinfo). */
function mockTenant(options: Partial<AmClientOptions> = {}) {
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
      const reply =
        replies.shift() ??
        (request.path.includes('/serverinfo/*') ? { body: { _id: '*', cookieName: COOKIE } } : { body: {} });
      const body =
        reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      return {
        statusCode: reply.status ?? 200,
        data: body,
        responseOptions: { headers: { 'content-type': 'application/json', ...reply.headers } },
      };
    })
    .persist();
  const client = new AmClient({
    baseUrl: ORIGIN,
    cookieName: COOKIE,
    adminToken: ADMIN_TOKEN,
    dispatcher: agent,
    ...options,
  });
  return {
    client,
    requests,
    /** Queues answers for the next requests. */
    reply: (...next: Reply[]) => replies.push(...next),
    last: (): Captured => {
      const request = requests.at(-1);
      if (!request) throw new Error('no request was made');
      return request;
    },
  };
}

/** A jar holding a session for the tenant, as after a login. */
async function withSession(tenant: ReturnType<typeof mockTenant>, token = 'jar-token'): Promise<void> {
  await tenant.client.jar.setCookie(`${COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=none`, `${ORIGIN}/`);
}

const json = (request: Captured): unknown => (request.body === undefined ? undefined : JSON.parse(request.body));

/** Everything every call sends. */
function expectCommonHeaders(request: Captured, version: string): void {
  expect(request.headers['accept-api-version']).toBe(version);
  expect(request.headers['accept']).toBe('application/json');
  expect(request.headers['x-forgerock-transactionid']).toMatch(/^aic-client-[0-9a-f-]{36}$/);
  // AM's CSRF filter: POSTs carry X-Requested-With as AIC's login UI (the ForgeRock SDK) does.
  if (request.method === 'POST') expect(request.headers['x-requested-with']).toBe('forgerock-sdk');
  else expect(request.headers['x-requested-with']).toBeUndefined();
}

describe('paths from the realm', () => {
  it.each([
    ['/alpha', `${ALPHA}/sessions/?_action=validate`],
    ['alpha', `${ALPHA}/sessions/?_action=validate`],
    ['/alpha/', `${ALPHA}/sessions/?_action=validate`],
    ['/', '/am/json/realms/root/sessions/?_action=validate'],
    ['root', '/am/json/realms/root/sessions/?_action=validate'],
    ['', '/am/json/realms/root/sessions/?_action=validate'],
    ['/alpha/sub', `${ALPHA}/realms/sub/sessions/?_action=validate`],
  ])('realm %j → %s', async (realm, path) => {
    const tenant = mockTenant({ realm });
    await tenant.client.validate('t');
    expect(tenant.last().path).toBe(path);
  });

  it('defaults to /alpha, and a baseUrl with a trailing slash is the same origin', async () => {
    const tenant = mockTenant({ baseUrl: `${ORIGIN}/` });
    expect(tenant.client.realm).toBe('/alpha');
    expect(tenant.client.basePath).toBe(ALPHA);
    await tenant.client.validate('t');
    expect(tenant.last().path).toBe(`${ALPHA}/sessions/?_action=validate`);
  });
});

describe('serverinfo', () => {
  it('serverInfo(): GET <realm>/serverinfo/*, resource=1.1, no credential', async () => {
    const tenant = mockTenant();
    await withSession(tenant);
    await tenant.client.serverInfo();
    const request = tenant.last();
    expect(request).toMatchObject({ method: 'GET', path: `${ALPHA}/serverinfo/*`, body: undefined });
    expectCommonHeaders(request, 'resource=1.1');
    expect(request.headers['cookie']).toBeUndefined();
    expect(request.headers['authorization']).toBeUndefined();
  });

  it('serverVersion(): GET /am/json/serverinfo/version, resource=1.0, with the jar’s session', async () => {
    const tenant = mockTenant();
    await withSession(tenant);
    await tenant.client.serverVersion();
    const request = tenant.last();
    expect(request).toMatchObject({ method: 'GET', path: '/am/json/serverinfo/version' });
    expectCommonHeaders(request, 'resource=1.0');
    expect(request.headers['cookie']).toBe(`${COOKIE}=jar-token`);
  });

  it('the cookie name is discovered from GET /am/json/serverinfo/* (anonymous) once, when not given', async () => {
    const tenant = mockTenant({ cookieName: undefined });
    await withSession(tenant);
    await tenant.client.getSessionInfo(undefined, { credentials: { token: 'T1' } });
    await tenant.client.getSessionInfo(undefined, { credentials: { token: 'T2' } });
    expect(tenant.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /am/json/serverinfo/*',
      `POST ${ALPHA}/sessions/?_action=getSessionInfo`,
      `POST ${ALPHA}/sessions/?_action=getSessionInfo`,
    ]);
    const [lookup, first, second] = tenant.requests as [Captured, Captured, Captured];
    expectCommonHeaders(lookup, 'resource=1.1');
    expect(lookup.headers['cookie']).toBeUndefined();
    expect(first.headers[COOKIE]).toBe('T1');
    expect(second.headers[COOKIE]).toBe('T2');
  });

  it('a failed discovery is not remembered', async () => {
    const tenant = mockTenant({ cookieName: undefined });
    tenant.reply({ status: 503, body: { code: 503, reason: 'Service Unavailable', message: 'down' } });
    await expect(tenant.client.cookieName()).rejects.toBeInstanceOf(AmError);
    expect(await tenant.client.cookieName()).toBe(COOKIE);
  });
});

describe('authenticate', () => {
  it('login(): zero-page headers, body {}, resource=2.0, protocol=1.0, the journey and noSession in the query', async () => {
    const tenant = mockTenant();
    tenant.reply({ body: { successUrl: '/enduser/?realm=/alpha', realm: '/alpha' } });
    const result = await tenant.client.login({
      journey: 'Login',
      username: 'demo',
      password: 'Ch4ng3-it!',
      noSession: true,
    });
    expect(result).toEqual({
      type: 'success',
      tokenId: undefined,
      successUrl: '/enduser/?realm=/alpha',
      realm: '/alpha',
    });
    const request = tenant.last();
    expect(request).toMatchObject({
      method: 'POST',
      path: `${ALPHA}/authenticate?authIndexType=service&authIndexValue=Login&noSession=true`,
    });
    expectCommonHeaders(request, 'resource=2.0, protocol=1.0');
    expect(request.headers['x-openam-username']).toBe('demo');
    expect(request.headers['x-openam-password']).toBe('Ch4ng3-it!');
    expect(request.headers['content-type']).toBe('application/json');
    expect(json(request)).toEqual({});
  });

  it('login(): the realm’s default journey without a query; the jar’s session is not sent (a new session, not an upgrade)', async () => {
    const tenant = mockTenant();
    await withSession(tenant);
    tenant.reply({
      body: { tokenId: 'new', successUrl: '/enduser/?realm=/alpha', realm: '/alpha' },
      headers: { 'set-cookie': `${COOKIE}=new; Path=/; Secure; HttpOnly; SameSite=none` },
    });
    await tenant.client.login({ username: 'demo', password: 'pw' });
    expect(tenant.last().path).toBe(`${ALPHA}/authenticate`);
    expect(tenant.last().headers['cookie']).toBeUndefined();
    expect(await tenant.client.sessionToken()).toBe('new');
  });

  it('login(): values that are not printable ASCII go RFC 2047 encoded', async () => {
    const tenant = mockTenant();
    tenant.reply({ body: { tokenId: 't', successUrl: '/', realm: '/alpha' } });
    await tenant.client.login({ username: 'zoë', password: '=?looks-encoded' });
    expect(tenant.last().headers['x-openam-username']).toBe(`=?UTF-8?B?${Buffer.from('zoë').toString('base64')}?=`);
    expect(tenant.last().headers['x-openam-password']).toBe(
      `=?UTF-8?B?${Buffer.from('=?looks-encoded').toString('base64')}?=`,
    );
  });

  it('startJourney(): the journey and extra query, body {}, the jar’s cookies; next() posts the filled step to the same URL', async () => {
    const tenant = mockTenant();
    await withSession(tenant);
    const step: StepJson = {
      authId: 'eyJ.auth.id',
      callbacks: [
        {
          type: 'NameCallback',
          output: [{ name: 'prompt', value: 'User Name' }],
          input: [{ name: 'IDToken1', value: '' }],
          _id: 0,
        },
        {
          type: 'PasswordCallback',
          output: [{ name: 'prompt', value: 'Password' }],
          input: [{ name: 'IDToken2', value: '' }],
          _id: 1,
        },
      ],
      header: 'Sign In',
    };
    tenant.reply({ body: step }, { body: { tokenId: 'tok', successUrl: '/enduser/?realm=/alpha', realm: '/alpha' } });
    const first = await tenant.client.startJourney('Login', { query: { ForceAuth: 'true' } });
    const start = tenant.last();
    expect(start).toMatchObject({
      method: 'POST',
      path: `${ALPHA}/authenticate?authIndexType=service&authIndexValue=Login&ForceAuth=true`,
    });
    expectCommonHeaders(start, 'resource=2.0, protocol=1.0');
    expect(start.headers['cookie']).toBe(`${COOKIE}=jar-token`);
    expect(start.headers['x-openam-username']).toBeUndefined();
    expect(json(start)).toEqual({});

    if (first.type !== 'step') throw new Error('expected a step');
    first.fill({ NameCallback: 'demo', PasswordCallback: 'secret' });
    const done = await tenant.client.next(first);
    expect(done).toEqual({ type: 'success', tokenId: 'tok', successUrl: '/enduser/?realm=/alpha', realm: '/alpha' });
    const answer = tenant.last();
    expect(answer.path).toBe(start.path);
    expectCommonHeaders(answer, 'resource=2.0, protocol=1.0');
    expect(answer.headers['content-type']).toBe('application/json');
    expect(json(answer)).toEqual({
      ...step,
      callbacks: [
        { ...step.callbacks[0], input: [{ name: 'IDToken1', value: 'demo' }] },
        { ...step.callbacks[1], input: [{ name: 'IDToken2', value: 'secret' }] },
      ],
    });
  });

  it('startJourney(undefined): the realm’s default journey', async () => {
    const tenant = mockTenant();
    tenant.reply({ body: { tokenId: 't', successUrl: '/', realm: '/alpha' } });
    await tenant.client.startJourney(undefined);
    expect(tenant.last().path).toBe(`${ALPHA}/authenticate`);
  });

  it('a failure answer is AmError with detail; an answer that is neither step nor success is AmProtocolError', async () => {
    const tenant = mockTenant();
    tenant.reply(
      {
        status: 401,
        body: { code: 401, reason: 'Unauthorized', message: 'Login failure', detail: { failureUrl: '/sorry' } },
        headers: { 'x-forgerock-transactionid': 'tx-1' },
      },
      { body: { something: 'else' } },
    );
    const error = await tenant.client.startJourney('Login').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmError);
    expect(error).toMatchObject({
      status: 401,
      code: 401,
      reason: 'Unauthorized',
      amMessage: 'Login failure',
      detail: { failureUrl: '/sorry' },
      transactionId: 'tx-1',
    });
    expect((error as AmError).request).toEqual({
      method: 'POST',
      path: `${ALPHA}/authenticate?authIndexType=service&authIndexValue=Login`,
    });
    await expect(tenant.client.startJourney('Login')).rejects.toBeInstanceOf(AmProtocolError);
  });
});

describe('sessions actions: path, version, credentials, body', () => {
  type Case = {
    name: string;
    call: (client: AmClient) => Promise<unknown>;
    path: string;
    version: string;
    body: unknown;
    credential: 'jar' | 'admin' | 'token';
  };
  const sessions = (action: string, extra = '') => `${ALPHA}/sessions/?_action=${action}${extra}`;
  const cases: Case[] = [
    {
      name: 'getSessionInfo() own',
      call: (c) => c.getSessionInfo(),
      path: sessions('getSessionInfo'),
      version: 'resource=4.0, protocol=1.0',
      body: undefined,
      credential: 'jar',
    },
    {
      name: 'getSessionInfo(token) as admin',
      call: (c) => c.getSessionInfo('T', { credentials: { admin: true } }),
      path: sessions('getSessionInfo'),
      version: 'resource=4.0, protocol=1.0',
      body: { tokenId: 'T' },
      credential: 'admin',
    },
    {
      name: 'getSessionInfoAndResetIdleTime(token)',
      call: (c) => c.getSessionInfoAndResetIdleTime('T'),
      path: sessions('getSessionInfoAndResetIdleTime'),
      version: 'resource=4.0, protocol=1.0',
      body: { tokenId: 'T' },
      credential: 'jar',
    },
    {
      name: 'validate(token)',
      call: (c) => c.validate('T'),
      path: sessions('validate'),
      version: 'resource=4.0, protocol=1.0',
      body: { tokenId: 'T' },
      credential: 'jar',
    },
    {
      name: 'validate(token, {refresh:false})',
      call: (c) => c.validate('T', { refresh: false }),
      path: sessions('validate', '&refresh=false'),
      version: 'resource=4.0, protocol=1.0',
      body: { tokenId: 'T' },
      credential: 'jar',
    },
    {
      name: 'validate() own, {refresh:true}',
      call: (c) => c.validate(undefined, { refresh: true }),
      path: sessions('validate', '&refresh=true'),
      version: 'resource=4.0, protocol=1.0',
      body: undefined,
      credential: 'jar',
    },
    {
      name: 'refresh(token): admin by default',
      call: (c) => c.refresh('T'),
      path: sessions('refresh'),
      version: 'resource=4.0, protocol=1.0',
      body: { tokenId: 'T' },
      credential: 'admin',
    },
    {
      name: 'logout() own: 3.1, no body',
      call: (c) => c.logout(),
      path: sessions('logout'),
      version: 'resource=3.1, protocol=1.0',
      body: undefined,
      credential: 'jar',
    },
    {
      name: 'logout(token) as admin: 4.0, tokenId body',
      call: (c) => c.logout('T', { credentials: { admin: true } }),
      path: sessions('logout'),
      version: 'resource=4.0, protocol=1.0',
      body: { tokenId: 'T' },
      credential: 'admin',
    },
    {
      name: 'logout() with the token in the cookie-named header (AIC’s logout page)',
      call: (c) => c.logout(undefined, { credentials: { token: 'T' } }),
      path: sessions('logout'),
      version: 'resource=3.1, protocol=1.0',
      body: undefined,
      credential: 'token',
    },
    {
      name: 'logoutByUser(id)',
      call: (c) => c.logoutByUser('U'),
      path: sessions('logoutByUser'),
      version: 'resource=5.1, protocol=1.0',
      body: { username: 'U' },
      credential: 'jar',
    },
    {
      name: 'logoutByHandle(handles): admin by default',
      call: (c) => c.logoutByHandle(['shandle:a', 'shandle:b']),
      path: sessions('logoutByHandle'),
      version: 'resource=4.0, protocol=1.0',
      body: { sessionHandles: ['shandle:a', 'shandle:b'] },
      credential: 'admin',
    },
    {
      name: 'getSessionProperties(token)',
      call: (c) => c.getSessionProperties('T'),
      path: sessions('getSessionProperties'),
      version: 'resource=3.1, protocol=1.0',
      body: { tokenId: 'T' },
      credential: 'jar',
    },
    {
      name: 'updateSessionProperties(props, token)',
      call: (c) => c.updateSessionProperties({ LoginLocation: '40.7, -73.9' }, 'T'),
      path: sessions('updateSessionProperties'),
      version: 'resource=3.1, protocol=1.0',
      body: { tokenId: 'T', LoginLocation: '40.7, -73.9' },
      credential: 'jar',
    },
    {
      name: 'updateSessionProperties(props) own',
      call: (c) => c.updateSessionProperties({ LoginLocation: 'x' }),
      path: sessions('updateSessionProperties'),
      version: 'resource=3.1, protocol=1.0',
      body: { LoginLocation: 'x' },
      credential: 'jar',
    },
  ];

  it.each(cases)('$name', async ({ call, path, version, body, credential }) => {
    const tenant = mockTenant();
    await withSession(tenant);
    await call(tenant.client);
    const request = tenant.last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe(path);
    expectCommonHeaders(request, version);
    expect(json(request)).toEqual(body);
    expect(request.headers['content-type']).toBe(body === undefined ? undefined : 'application/json');
    // Exactly one credential.
    expect(request.headers['cookie']).toBe(credential === 'jar' ? `${COOKIE}=jar-token` : undefined);
    expect(request.headers['authorization']).toBe(credential === 'admin' ? `Bearer ${ADMIN_TOKEN}` : undefined);
    expect(request.headers[COOKIE]).toBe(credential === 'token' ? 'T' : undefined);
  });

  it('admin-only calls use the jar when the client has no adminToken', async () => {
    const tenant = mockTenant({ adminToken: undefined });
    await withSession(tenant);
    await tenant.client.refresh('T');
    expect(tenant.last().headers['cookie']).toBe(`${COOKIE}=jar-token`);
    expect(tenant.last().headers['authorization']).toBeUndefined();
    await expect(tenant.client.refresh('T', { credentials: { admin: true } })).rejects.toThrow(/adminToken/);
  });

  it('{ bearer } and { anonymous } credentials', async () => {
    const tenant = mockTenant();
    await withSession(tenant);
    await tenant.client.validate('T', { credentials: { bearer: 'sa-token' } });
    expect(tenant.last().headers['authorization']).toBe('Bearer sa-token');
    expect(tenant.last().headers['cookie']).toBeUndefined();
    await tenant.client.validate('T', { credentials: { anonymous: true } });
    expect(tenant.last().headers['authorization']).toBeUndefined();
    expect(tenant.last().headers['cookie']).toBeUndefined();
    expect(tenant.last().headers[COOKIE]).toBeUndefined();
  });
});

describe('sessions query', () => {
  it.each([
    [{ userId: 'b0f30dfb' }, 'username eq "b0f30dfb" and realm eq "/alpha"'],
    [{ userId: 'b0f30dfb', realm: 'alpha/sub' }, 'username eq "b0f30dfb" and realm eq "/alpha/sub"'],
    [{ realm: '/alpha' }, 'realm eq "/alpha"'],
    [{ userId: 'a"b\\c' }, 'username eq "a\\"b\\\\c" and realm eq "/alpha"'],
    [{ filter: 'realm eq "/"' }, 'realm eq "/"'],
  ])('%j → _queryFilter=%s, URL-encoded, GET, resource=4.0, admin by default', async (query, filter) => {
    const tenant = mockTenant();
    tenant.reply({
      body: {
        result: [],
        resultCount: 0,
        pagedResultsCookie: null,
        totalPagedResultsPolicy: 'NONE',
        totalPagedResults: -1,
        remainingPagedResults: -1,
      },
    });
    await tenant.client.querySessions(query);
    const request = tenant.last();
    expect(request.method).toBe('GET');
    expect(request.path).toBe(`${ALPHA}/sessions?_queryFilter=${encodeURIComponent(filter)}`);
    expect(request.path).not.toContain(' ');
    expectCommonHeaders(request, 'resource=4.0, protocol=1.0');
    expect(request.headers['authorization']).toBe(`Bearer ${ADMIN_TOKEN}`);
    expect(request.body).toBeUndefined();
  });
});

describe('users', () => {
  it('idFromSession(): POST users?_action=idFromSession, resource=2.0, protocol=1.0, the jar, no body', async () => {
    const tenant = mockTenant();
    await withSession(tenant);
    await tenant.client.idFromSession();
    const request = tenant.last();
    expect(request).toMatchObject({ method: 'POST', path: `${ALPHA}/users?_action=idFromSession`, body: undefined });
    expectCommonHeaders(request, 'resource=2.0, protocol=1.0');
    expect(request.headers['cookie']).toBe(`${COOKIE}=jar-token`);
  });

  it('getUser(id): GET users/<id> percent-encoded, resource=4.0, protocol=2.0', async () => {
    const tenant = mockTenant();
    await withSession(tenant);
    await tenant.client.getUser('a b/c');
    const request = tenant.last();
    expect(request).toMatchObject({ method: 'GET', path: `${ALPHA}/users/a%20b%2Fc`, body: undefined });
    expectCommonHeaders(request, 'resource=4.0, protocol=2.0');
    expect(request.headers['cookie']).toBe(`${COOKIE}=jar-token`);
  });
});

describe('terminateAllSessions()', () => {
  it('idFromSession then logoutByUser, both with the jar’s token in the cookie-named header; logoutByUser as the script sends it', async () => {
    const tenant = mockTenant();
    await withSession(tenant, 'mine');
    tenant.reply({ body: { id: 'U1', realm: '/alpha' } }, { body: { result: true } });
    expect(await tenant.client.terminateAllSessions()).toEqual({
      outcome: 'Success',
      userId: 'U1',
      status: 200,
      result: true,
    });
    const [who, logout] = tenant.requests as [Captured, Captured];
    expect(who.path).toBe(`${ALPHA}/users?_action=idFromSession`);
    expect(who.headers[COOKIE]).toBe('mine');
    expect(who.headers['cookie']).toBeUndefined();
    expect(logout).toMatchObject({ method: 'POST', path: `${ALPHA}/sessions/?_action=logoutByUser` });
    expectCommonHeaders(logout, 'resource=5.1, protocol=1.0');
    expect(logout.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(logout.headers[COOKIE]).toBe('mine');
    expect(logout.headers['cookie']).toBeUndefined();
    expect(logout.headers['authorization']).toBeUndefined();
    expect(json(logout)).toEqual({ username: 'U1' });
  });

  it.each([
    ['200 {"result": true}', { body: { result: true } }, 'Success'],
    ['200 {"result": "yes"} (truthy, as the script’s if)', { body: { result: 'yes' } }, 'Success'],
    ['200 {"result": false}', { body: { result: false } }, 'Failure'],
    ['200 {}', { body: {} }, 'Failure'],
    ['204', { status: 204 }, 'Failure'],
    ['401', { status: 401, body: { code: 401, reason: 'Unauthorized', message: 'Access Denied' } }, 'Failure'],
    ['500', { status: 500, body: { code: 500, reason: 'Internal Server Error', message: 'boom' } }, 'Failure'],
    ['200 not JSON', { body: 'OK' }, 'Error'],
    ['200 null', { body: 'null' }, 'Error'],
  ] as [string, Reply, string][])('logoutByUser answers %s → %s', async (_label, reply, outcome) => {
    const tenant = mockTenant();
    tenant.reply(reply);
    const result = await tenant.client.terminateAllSessions({ token: 'T', userId: 'U' });
    expect(result.outcome).toBe(outcome);
    expect(tenant.requests).toHaveLength(1);
  });

  it('No Session without a token (no request at all), or when idFromSession refuses the token', async () => {
    const none = mockTenant();
    expect(await none.client.terminateAllSessions()).toEqual({ outcome: 'No Session' });
    expect(none.requests).toEqual([]);
    const stale = mockTenant();
    stale.reply({ status: 401, body: { code: 401, reason: 'Unauthorized', message: 'Access Denied' } });
    const result = await stale.client.terminateAllSessions({ token: 'dead' });
    expect(result.outcome).toBe('No Session');
    expect(stale.requests).toHaveLength(1);
  });

  it('Error when idFromSession fails otherwise (500)', async () => {
    const tenant = mockTenant();
    tenant.reply({ status: 500, body: { code: 500, reason: 'Internal Server Error', message: 'boom' } });
    expect((await tenant.client.terminateAllSessions({ token: 'T' })).outcome).toBe('Error');
  });
});

describe('the cookie jar', () => {
  it('stores Set-Cookie by the jar’s rules: a foreign domain is refused, an expired cookie removed, paths respected', async () => {
    const tenant = mockTenant();
    tenant.reply({
      body: { tokenId: 'S1', successUrl: '/', realm: '/alpha' },
      headers: {
        'set-cookie': [
          `${COOKIE}=S1; Path=/; Domain=tenant.example.test; Secure; HttpOnly; SameSite=none`,
          `${COOKIE}=X; Path=/; Domain=other.example; Secure; HttpOnly; SameSite=none`,
          'amlbcookie=01; Path=/; Secure; HttpOnly; SameSite=none',
          'scoped=1; Path=/elsewhere',
        ],
      },
    });
    await tenant.client.login({ username: 'demo', password: 'pw' });
    await tenant.client.getSessionInfo();
    expect(tenant.last().headers['cookie']).toBe(`${COOKIE}=S1; amlbcookie=01`);

    tenant.reply({
      body: { result: 'Successfully logged out' },
      headers: {
        'set-cookie': `${COOKIE}=LOGOUT; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/; Domain=tenant.example.test; Secure; HttpOnly; SameSite=none`,
      },
    });
    await tenant.client.logout();
    expect(await tenant.client.sessionToken()).toBeUndefined();
    await tenant.client.validate('T');
    expect(tenant.last().headers['cookie']).toBe('amlbcookie=01');
  });

  it('Secure cookies are not sent over plain HTTP to a host that is not loopback', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agents.push(agent);
    const seen: (string | undefined)[] = [];
    agent
      .get('http://plain.example.test')
      .intercept({ path: () => true, method: () => true })
      .reply((request) => {
        seen.push((request.headers as Record<string, string>)['cookie']);
        return { statusCode: 200, data: '{}' };
      })
      .persist();
    const client = new AmClient({ baseUrl: 'http://plain.example.test', cookieName: COOKIE, dispatcher: agent });
    await client.jar.setCookie(`${COOKIE}=S; Path=/; Secure`, 'https://plain.example.test/');
    await client.jar.setCookie('plain=1; Path=/', 'http://plain.example.test/');
    await client.validate('T');
    expect(seen).toEqual(['plain=1']);
  });
});

describe('error answers', () => {
  it('an AM error body gives status, code, reason, message and detail', async () => {
    const tenant = mockTenant();
    tenant.reply({
      status: 400,
      body: {
        code: 400,
        reason: 'Bad Request',
        message: 'Invalid attribute specified.',
        detail: { validAttributes: ['a'] },
      },
    });
    const error = (await tenant.client.getUser('x').catch((caught: unknown) => caught)) as AmError;
    expect(error).toBeInstanceOf(AmError);
    expect(error).toMatchObject({
      name: 'AmError',
      status: 400,
      code: 400,
      reason: 'Bad Request',
      amMessage: 'Invalid attribute specified.',
      detail: { validAttributes: ['a'] },
    });
  });

  it('the message names the status, AM’s message, the method and the path', async () => {
    const tenant = mockTenant();
    tenant.reply({ status: 401, body: { code: 401, reason: 'Unauthorized', message: 'Access Denied' } });
    const error = (await tenant.client.getSessionInfo().catch((caught: unknown) => caught)) as AmError;
    expect(error).toBeInstanceOf(AmError);
    expect(error.message).toBe(
      '401 Access Denied (POST /am/json/realms/root/realms/alpha/sessions/?_action=getSessionInfo)',
    );
    expect(String(error)).toBe(`AmError: ${error.message}`);
    expect(error.amMessage).toBe('Access Denied');
  });

  it('a body AM’s code and HTTP status disagree on keeps both (authenticate’s 405 with code 501)', async () => {
    const tenant = mockTenant();
    tenant.reply({ status: 405, body: { code: 501, reason: 'Not Implemented', message: 'Not Implemented' } });
    await expect(tenant.client.startJourney('Login')).rejects.toMatchObject({
      status: 405,
      code: 501,
      reason: 'Not Implemented',
    });
  });

  it('an error without an AM body (empty 404, a proxy’s HTML) falls back to the status and its phrase', async () => {
    const tenant = mockTenant();
    tenant.reply({ status: 404 }, { status: 502, body: '<html>Bad gateway</html>' });
    await expect(tenant.client.validate('T')).rejects.toMatchObject({
      status: 404,
      code: 404,
      reason: 'Not Found',
      amMessage: 'Not Found',
      message: '404 Not Found (POST /am/json/realms/root/realms/alpha/sessions/?_action=validate)',
      body: '',
    });
    await expect(tenant.client.validate('T')).rejects.toMatchObject({
      status: 502,
      code: 502,
      reason: 'Bad Gateway',
      amMessage: '<html>Bad gateway</html>',
    });
  });
});

describe('journey steps and callbacks', () => {
  const step = (callbacks: StepJson['callbacks']): JourneyStep =>
    new JourneyStep({ authId: 'a', callbacks }, `${ALPHA}/authenticate`);

  it('typed callbacks read their outputs and write their inputs in place', () => {
    const s = step([
      {
        type: 'TextOutputCallback',
        output: [
          { name: 'message', value: 'Hi' },
          { name: 'messageType', value: '1' },
        ],
      },
      {
        type: 'ConfirmationCallback',
        output: [
          { name: 'prompt', value: '' },
          { name: 'messageType', value: 0 },
          { name: 'options', value: ['Yes', 'No'] },
          { name: 'optionType', value: -1 },
          { name: 'defaultOption', value: 0 },
        ],
        input: [{ name: 'IDToken2', value: 0 }],
      },
      {
        type: 'ChoiceCallback',
        output: [
          { name: 'prompt', value: 'Pick' },
          { name: 'choices', value: ['red', 'blue'] },
          { name: 'defaultChoice', value: 0 },
        ],
        input: [{ name: 'IDToken3', value: 0 }],
      },
      {
        type: 'HiddenValueCallback',
        output: [
          { name: 'value', value: 'nonce' },
          { name: 'id', value: 'jwt' },
        ],
        input: [{ name: 'IDToken4', value: 'jwt' }],
      },
      {
        type: 'ValidatedCreateUsernameCallback',
        output: [
          { name: 'policies', value: {} },
          { name: 'failedPolicies', value: ['{"policyRequirement":"UNIQUE"}'] },
          { name: 'validateOnly', value: false },
          { name: 'prompt', value: 'Username' },
        ],
        input: [
          { name: 'IDToken5', value: '' },
          { name: 'IDToken5validateOnly', value: false },
        ],
      },
      {
        type: 'KbaCreateCallback',
        output: [
          { name: 'prompt', value: 'Question' },
          { name: 'predefinedQuestions', value: ['Pet?'] },
        ],
        input: [
          { name: 'IDToken6question', value: '' },
          { name: 'IDToken6answer', value: '' },
        ],
      },
      {
        type: 'TermsAndConditionsCallback',
        output: [
          { name: 'version', value: '1' },
          { name: 'terms', value: 'Be nice' },
          { name: 'createDate', value: '2026-01-01' },
        ],
        input: [{ name: 'IDToken7', value: false }],
      },
      {
        type: 'RedirectCallback',
        output: [
          { name: 'redirectUrl', value: 'https://idp' },
          { name: 'redirectMethod', value: 'POST' },
          { name: 'redirectData', value: { a: '1' } },
          { name: 'trackingCookie', value: true },
        ],
      },
      { type: 'MetadataCallback', output: [{ name: 'data', value: { stage: 'x' } }] },
      {
        type: 'StringAttributeInputCallback',
        output: [
          { name: 'name', value: 'mail' },
          { name: 'prompt', value: 'Email' },
          { name: 'required', value: true },
          { name: 'value', value: '' },
        ],
        input: [
          { name: 'IDToken10', value: '' },
          { name: 'IDToken10validateOnly', value: false },
        ],
      },
      {
        type: 'TextInputCallback',
        output: [
          { name: 'prompt', value: 'Code' },
          { name: 'defaultText', value: '000' },
        ],
        input: [{ name: 'IDToken11', value: '000' }],
      },
    ]);
    const text = s.callback('TextOutputCallback');
    expect([text.message, text.messageType]).toEqual(['Hi', 1]);
    const confirm = s.callback('ConfirmationCallback');
    expect([confirm.options, confirm.defaultOption, confirm.optionType]).toEqual([['Yes', 'No'], 0, -1]);
    confirm.setOption('No');
    expect(() => confirm.setOption('Maybe')).toThrow(/no option "Maybe"/);
    const choice = s.callback('ChoiceCallback');
    expect(choice.choices).toEqual(['red', 'blue']);
    choice.setChoice('blue');
    const hidden = s.callback('HiddenValueCallback');
    expect([hidden.fieldId, hidden.value]).toEqual(['jwt', 'nonce']);
    hidden.setValue('signed.jwt');
    const username = s.callback('ValidatedCreateUsernameCallback');
    expect(username.failedPolicies).toEqual(['{"policyRequirement":"UNIQUE"}']);
    username.setValue('newbie').setValidateOnly(true);
    const kba = s.callback('KbaCreateCallback');
    expect(kba.predefinedQuestions).toEqual(['Pet?']);
    kba.setValue({ question: 'Pet?', answer: 'Rex' });
    s.callback('TermsAndConditionsCallback').setAccepted(true);
    const redirect = s.callback('RedirectCallback');
    expect([redirect.redirectUrl, redirect.redirectMethod, redirect.redirectData, redirect.trackingCookie]).toEqual([
      'https://idp',
      'POST',
      { a: '1' },
      true,
    ]);
    expect(s.callback('MetadataCallback').data).toEqual({ stage: 'x' });
    const mail = s.callback('StringAttributeInputCallback');
    expect([mail.attributeName, mail.required]).toEqual(['mail', true]);
    mail.setValue('a@example.com');
    expect(s.callback('TextInputCallback').defaultText).toBe('000');

    const inputs = s.toJSON().callbacks.map((callback) => callback.input ?? []);
    expect(inputs).toEqual([
      [],
      [{ name: 'IDToken2', value: 1 }],
      [{ name: 'IDToken3', value: 1 }],
      [{ name: 'IDToken4', value: 'signed.jwt' }],
      [
        { name: 'IDToken5', value: 'newbie' },
        { name: 'IDToken5validateOnly', value: true },
      ],
      [
        { name: 'IDToken6question', value: 'Pet?' },
        { name: 'IDToken6answer', value: 'Rex' },
      ],
      [{ name: 'IDToken7', value: true }],
      [],
      [],
      [
        { name: 'IDToken10', value: 'a@example.com' },
        { name: 'IDToken10validateOnly', value: false },
      ],
      [{ name: 'IDToken11', value: '000' }],
    ]);
  });

  it('an unknown callback type passes through unchanged, and can still be answered', () => {
    const raw = {
      type: 'DeviceProfileCallback',
      output: [{ name: 'metadata', value: true }],
      input: [{ name: 'IDToken1', value: '' }],
      _id: 0,
      extra: { kept: true },
    };
    const s = step([raw]);
    const callback = s.callback('DeviceProfileCallback');
    expect(callback).toBeInstanceOf(Callback);
    expect(callback.getOutputValue('metadata')).toBe(true);
    callback.setValue('{"identifier":"x"}');
    expect(s.toJSON().callbacks[0]).toEqual({ ...raw, input: [{ name: 'IDToken1', value: '{"identifier":"x"}' }] });
    expect(raw.input[0]?.value).toBe('');
  });

  it('fill() sets callbacks by type, several in order; mistakes are reported with what the step has', () => {
    const s = step([
      {
        type: 'BooleanAttributeInputCallback',
        output: [{ name: 'name', value: 'preferences/updates' }],
        input: [{ name: 'IDToken1', value: false }],
      },
      {
        type: 'BooleanAttributeInputCallback',
        output: [{ name: 'name', value: 'preferences/marketing' }],
        input: [{ name: 'IDToken2', value: false }],
      },
    ]);
    s.fill({ BooleanAttributeInputCallback: [true, false] });
    expect(s.callbacksOf('BooleanAttributeInputCallback').map((callback) => callback.getInputValue())).toEqual([
      true,
      false,
    ]);
    expect(() => s.fill({ NameCallback: 'x' })).toThrow(/has 0 NameCallback/);
    expect(() => s.callback('PasswordCallback')).toThrow(
      /no PasswordCallback \(callbacks: BooleanAttributeInputCallback, BooleanAttributeInputCallback\)/,
    );
    const output = step([{ type: 'TextOutputCallback', output: [{ name: 'message', value: 'x' }] }]);
    expect(() => output.callback('TextOutputCallback').setInputValue('x')).toThrow(/no input/);
  });

  it('a step result of next() is a new JourneyStep; the caller’s step JSON is never shared with the answer', async () => {
    const tenant = mockTenant();
    const body: StepJson = {
      authId: 'a1',
      callbacks: [{ type: 'NameCallback', output: [], input: [{ name: 'IDToken1', value: '' }] }],
      stage: 'One',
    };
    tenant.reply({ body }, { body: { ...body, authId: 'a2', stage: 'Two' } });
    const first = await tenant.client.startJourney('X');
    if (first.type !== 'step') throw new Error('expected a step');
    expect(first.stage).toBe('One');
    first.callback('NameCallback').setValue('demo');
    const second = await tenant.client.next(first);
    if (second.type !== 'step') throw new Error('expected a step');
    expect([second.authId, second.stage, second.callback('NameCallback').getInputValue()]).toEqual(['a2', 'Two', '']);
  });
});

describe('other versions and actions', () => {
  it('options.apiVersion replaces the documented Accept-API-Version of a call', async () => {
    const tenant = mockTenant();
    await tenant.client.getSessionInfo('t', { apiVersion: 'resource=9.9' });
    expectCommonHeaders(tenant.last(), 'resource=9.9');
    await tenant.client.getSessionInfo('t');
    expectCommonHeaders(tenant.last(), 'resource=4.0, protocol=1.0');
  });

  it('sessionsActionByName posts any action with its body, the jar by default', async () => {
    const tenant = mockTenant();
    await withSession(tenant);
    await tenant.client.sessionsActionByName('getMaxIdle', { tokenId: 't' });
    const request = tenant.last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`${ALPHA}/sessions/?_action=getMaxIdle`);
    expectCommonHeaders(request, 'resource=4.0, protocol=1.0');
    expect(request.headers['cookie']).toBe(`${COOKIE}=jar-token`);
    expect(json(request)).toEqual({ tokenId: 't' });
  });
});
