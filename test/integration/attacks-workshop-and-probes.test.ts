/**
 * Attacks on the workshop room and the health probes (issues 20 and 21), each written as a test
 * first: the probes' token exemption reached for other control routes (spellings, HEAD, OPTIONS,
 * dot segments, method override) and what they tell; the attendee's own view (`me/...`) read for
 * another's runs, sessions, journal and mail, or with other credentials; the front door's HTML
 * (secrets, the Host header and names rendered into it); secrets in the journal and the runs view
 * through every way a client or a script can send them; bad reset bodies; readiness under Redis
 * while many probes are in flight. Every refusal is AM's error body, never a 5xx, crash or hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { http, type RawResponse } from '../helpers/http.js';
import { journey } from '../helpers/journey.js';
import { rawRequest } from '../helpers/raw-socket.js';
import { hasRedisServer, TestRedisServer } from '../helpers/redis-server.js';
import { hasRedis, REDIS_URL, testPrefix } from '../helpers/redis.js';
import { runScript } from '../helpers/script-journey.js';
import { ALPHA, DEMO, login, startEmulator, startEmulatorClosedAfterEach } from '../helpers/tenant.js';
import { DEMO_CLIENT_SECRET } from '../../emulator/config/demo-tenant.js';

/** AM's error body: `{code, reason, message}` with the status as its code. */
function expectAmError(answer: RawResponse, status: number | number[], label = ''): void {
  const statuses = Array.isArray(status) ? status : [status];
  expect(statuses, `${label}: ${answer.status} ${answer.text.slice(0, 300)}`).toContain(answer.status);
  expect(answer.json, label).toMatchObject({
    code: answer.status,
    reason: expect.any(String),
    message: expect.any(String),
  });
}

/** No run of five characters of `secret` appears in `text` (never shown, not even in part). */
function expectNoPartOf(text: string, secret: string, label: string): void {
  for (let at = 0; at + 5 <= secret.length; at += 1) {
    const part = secret.slice(at, at + 5);
    const where = text.indexOf(part);
    expect(
      where < 0,
      `${label}: "${part}" of a secret shows: …${text.slice(Math.max(0, where - 300), where + 60)}…`,
    ).toBe(true);
  }
}

type ControlInit = { method?: string; body?: unknown };

/** A control API call with the trainer's token, as a workshop's trainer makes it. */
function controlCall(emulator: Emulator, token: string, path: string, init: ControlInit) {
  return http(`${emulator.url}/__emulator/${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'x-aic-emulator-token': token,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

describe('the probes’ token exemption, attacked', () => {
  let emulator: Emulator;
  let token: string;
  const control = (path: string, init: ControlInit = {}) => controlCall(emulator, token, path, init);
  const fingerprint = async () => {
    const sessions = (await control('sessions')).json.result.length as number;
    const faults = (await control('faults')).json.result.length as number;
    return { sessions, faults };
  };

  beforeAll(async () => {
    // Beyond loopback, as a workshop runs: every control route but the probes needs the token.
    emulator = await startEmulator({ host: '0.0.0.0' });
    token = emulator.controlToken as string;
    const demo = emulator.tenant.users.findByUserName('/alpha', DEMO.userName);
    await login(emulator, { userName: DEMO.userName, password: demo?.password ?? '' });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('the probes answer without the token, and tell nothing but whether the instance serves', async () => {
    const health = await http(`${emulator.url}/__emulator/health`);
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    const ready = await http(`${emulator.url}/__emulator/ready`);
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', checks: { store: { ok: true } } });
    for (const answer of [health, ready]) {
      expect(answer.text).not.toContain(token);
      expect(answer.text).not.toContain(emulator.adminToken);
      expect(answer.text).not.toContain(emulator.cookieName);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    // HEAD is the same route: no token needed, no body.
    for (const path of ['health', 'ready']) {
      const head = await http(`${emulator.url}/__emulator/${path}`, { method: 'HEAD' });
      expect(head.status, path).toBe(200);
      expect(head.text).toBe('');
    }
  });

  it('no spelling that names a probe reaches another control route without the token', async () => {
    const before = await fingerprint();
    const paths = [
      '/__emulator/ready/../tenant',
      '/__emulator/health/../tenant',
      '/__emulator/ready/%2E%2E/tenant',
      '/__emulator/ready/%2e%2e/tenant',
      '/__emulator/ready%2F..%2Ftenant',
      '/__emulator/ready%2f%2e%2e%2ftenant',
      '/__emulator/ready/..%2Ftenant',
      '/__emulator/ready/./../tenant',
      '/__emulator/ready;/../tenant',
      '/__emulator/ready;tenant',
      '/__emulator/ready/',
      '/__emulator/health/',
      '/__emulator/ready//',
      '/__emulator//ready',
      '/__emulator/./ready',
      '/__emulator/READY',
      '/__emulator/ready%00',
      '/__emulator/ready%20',
      '/__emulator/ready/tenant',
      '/__emulator/health/tenant',
      '/__emulator/tenant?/__emulator/ready',
      '/__emulator/tenant?probe=true',
      '/__emulator/tenant#/__emulator/ready',
      '/__emulator/tenant/..%2Fready',
      '/__emulator/%72eady/../tenant',
      '/__emulator/state',
      '/__emulator/state?ready',
      '/__emulator/ready/../state',
      '/__emulator/ready/../users',
      '/__emulator/ready/../sessions',
    ];
    for (const path of paths) {
      for (const method of ['GET', 'HEAD']) {
        const answer = await rawRequest(
          emulator.url,
          `${method} ${path} HTTP/1.1\r\nHost: ${new URL(emulator.url).host}\r\nConnection: close\r\n\r\n`,
        );
        const label = `${method} ${path}`;
        // A refusal (401 without the token) or AM's 404; never the tenant, its admin token or its state.
        expect([400, 401, 404], `${label}: ${answer.status} ${answer.body.slice(0, 200)}`).toContain(answer.status);
        expect(answer.body, label).not.toContain(emulator.adminToken);
        expect(answer.body, label).not.toContain(token);
        expect(answer.body, label).not.toMatch(/redis|keyPrefix|cookieName/i);
        if (method === 'GET') expect(JSON.parse(answer.body), label).toMatchObject({ code: answer.status });
      }
    }
    // The absolute form, naming the probe in the authority or the query.
    for (const target of [
      `http://${new URL(emulator.url).host}/__emulator/tenant?/__emulator/ready`,
      `http://${new URL(emulator.url).host}/__emulator/ready/../tenant`,
    ]) {
      const answer = await rawRequest(
        emulator.url,
        `GET ${target} HTTP/1.1\r\nHost: ${new URL(emulator.url).host}\r\nConnection: close\r\n\r\n`,
      );
      expect([400, 401, 404], `${target}: ${answer.status}`).toContain(answer.status);
      expect(answer.body).not.toContain(emulator.adminToken);
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('other methods on a probe, a method override, OPTIONS: a refusal, never a change or a CORS grant', async () => {
    const before = await fingerprint();
    const attempts: { method: string; path: string; headers?: Record<string, string>; body?: string }[] = [
      { method: 'POST', path: 'ready' },
      { method: 'POST', path: 'health', body: '{}' },
      { method: 'DELETE', path: 'ready' },
      { method: 'PUT', path: 'health' },
      { method: 'PATCH', path: 'ready' },
      { method: 'POST', path: 'ready', headers: { 'x-http-method-override': 'GET' }, body: '{}' },
      { method: 'POST', path: 'reset', headers: { 'x-http-method-override': 'GET' }, body: '{}' },
      { method: 'POST', path: 'reset?_method=GET', body: '{}' },
      { method: 'GET', path: 'reset', headers: { 'x-http-method-override': 'POST' } },
      { method: 'DELETE', path: 'sessions', headers: { 'x-http-method-override': 'GET' } },
      { method: 'DELETE', path: 'sessions?_method=HEAD' },
      { method: 'POST', path: 'faults', headers: { 'x-http-method': 'GET' }, body: '{"path":"/x","status":500}' },
    ];
    for (const { method, path, headers, body } of attempts) {
      const answer = await http(`${emulator.url}/__emulator/${path}`, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body } : {}),
      });
      expectAmError(answer, [401, 404], `${method} ${path} ${JSON.stringify(headers ?? {})}`);
    }
    // A method override on a probe is not honoured: the probe answers as a probe, nothing more.
    const overridden = await http(`${emulator.url}/__emulator/ready`, {
      headers: { 'x-http-method-override': 'POST' },
    });
    expect(overridden.status).toBe(200);
    expect(overridden.json).toEqual({ status: 'ready', checks: { store: { ok: true } } });
    for (const path of ['ready', 'health', 'tenant', 'reset', 'me']) {
      const preflight = await http(`${emulator.url}/__emulator/${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-aic-emulator-token, content-type',
        },
      });
      expect([401, 403, 404], `OPTIONS ${path}: ${preflight.status}`).toContain(preflight.status);
      expect(preflight.headers['access-control-allow-origin'], path).toBeUndefined();
      expect(preflight.headers['access-control-allow-credentials'], path).toBeUndefined();
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('a page of another site cannot use the probes either (the guard’s site check holds for them)', async () => {
    for (const headers of [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'not a url' },
    ]) {
      for (const path of ['health', 'ready']) {
        const answer = await http(`${emulator.url}/__emulator/${path}`, { headers });
        expectAmError(answer, 403, `${path} ${JSON.stringify(headers)}`);
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      }
    }
  });
});

describe('the probes on loopback: DNS rebinding and journey scripts', () => {
  const start = startEmulatorClosedAfterEach();

  it('a rebound name is refused for both probes, every spelling of it; a script cannot probe', async () => {
    const emulator = await start();
    const port = new URL(emulator.url).port;
    for (const host of [
      'attacker.example',
      `attacker.example:${port}`,
      'localhost.',
      `localhost.:${port}`,
      '127.0.0.1.nip.io',
      `127.0.0.1.attacker.example:${port}`,
      'localhost.attacker.example',
      '0.0.0.0',
      '127.1',
      '2130706433',
    ]) {
      for (const path of ['health', 'ready']) {
        const answer = await http(`${emulator.url}/__emulator/${path}`, { headers: { host } });
        expectAmError(answer, 403, `${path} Host ${host}`);
      }
    }
    // The tenant's own names answer.
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      expect((await http(`${emulator.url}/__emulator/health`, { headers: { host } })).status, host).toBe(200);
    }
    // A journey script's call to the probes through the tenant's own host is refused.
    const run = await runScript(
      emulator,
      'var r = httpClient.send("http://localhost:' +
        port +
        '/__emulator/ready", {method: "GET"}).get(); nodeState.putShared("result", String(r.status)); outcome = "done";',
    );
    expect(run.result, `${run.error ?? ''} ${JSON.stringify(run.logs)}`).toBe('403');
  });
});

describe('the attendee’s own view, attacked', () => {
  let emulator: Emulator;
  let token: string;
  const MALLORY = {
    userName: 'atk-mallory',
    password: 'Mq!~3vX#n8Tz-mal',
    mail: 'mallory@example.com',
    givenName: 'Mal',
    sn: 'Lory',
  };
  const VICTIM = {
    userName: 'atk-victim',
    password: 'Vk!~5pR#w2Hy-vic',
    mail: 'victim@example.com',
    givenName: 'Vic',
    sn: 'Tim',
  };
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const control = (path: string, init: ControlInit = {}) => controlCall(emulator, token, path, init);
  const as = (who: string, path: string, headers: Record<string, string> = {}, method = 'GET') =>
    http(`${emulator.url}/__emulator/${path}`, {
      method,
      headers: { cookie: `${emulator.cookieName}=${tokens[who] as string}`, ...headers },
    });

  beforeAll(async () => {
    emulator = await startEmulator({ host: '0.0.0.0' });
    token = emulator.controlToken as string;
    for (const [who, user] of [
      ['mallory', MALLORY],
      ['victim', VICTIM],
    ] as const) {
      const created = await control('users', { method: 'POST', body: { realm: 'alpha', ...user } });
      expect(created.status).toBe(201);
      ids[who] = created.json._id;
      tokens[who] = await login(emulator, user);
    }
    // The victim does things of their own: a failed sign-in, a session read over AM's REST.
    const failed = await journey(emulator, 'Login').start();
    await failed.answer(0, VICTIM.userName).answer(1, 'not-the-password').next();
    await http(`${emulator.url}${ALPHA}/sessions?_action=getSessionInfo`, {
      method: 'POST',
      headers: {
        cookie: `${emulator.cookieName}=${tokens['victim'] as string}`,
        'accept-api-version': 'resource=4.0',
        'content-type': 'application/json',
      },
      body: '{}',
    });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('another’s run by its id, however spelt, is a 404 that names nothing of theirs', async () => {
    const runs = (await control('runs')).json.result as { id: string; user?: { _id: string } }[];
    const theirs = runs.filter((run) => run.user?._id === ids['victim']);
    expect(theirs.length).toBeGreaterThanOrEqual(2);
    for (const run of theirs) {
      for (const id of [
        run.id,
        run.id.toUpperCase(),
        `${run.id}%00`,
        `${run.id}%20`,
        encodeURIComponent(run.id),
        `${run.id}/`,
        `${run.id}/journeys/Login`,
        `${run.id}?user=${ids['victim']}`,
      ]) {
        const answer = await as('mallory', `me/runs/${id}`);
        // 401: a path that is no route of the attendee's view is a control path, which needs the token.
        expectAmError(answer, [400, 401, 404], `me/runs/${id}`);
        expect(answer.text).not.toContain(VICTIM.userName);
        expect(answer.text).not.toContain(ids['victim'] as string);
      }
    }
    // Filters the attendee's list does not take, or takes once, never widen it to another's runs.
    for (const query of [
      `user=${VICTIM.userName}`,
      `user=${ids['victim']}`,
      'journey=Login&journey=Login',
      'status=failure&status=success',
      'journey[]=Login',
      '__proto__=x',
      'realm=/',
    ]) {
      const answer = await as('mallory', `me/runs?${query}`);
      expect([200, 400], `${query}: ${answer.status}`).toContain(answer.status);
      if (answer.status === 400) expectAmError(answer, 400, query);
      else
        expect(
          (answer.json.result as { user?: { _id: string } }[]).every((run) => run.user?._id === ids['mallory']),
          query,
        ).toBe(true);
      expect(answer.text).not.toContain(VICTIM.userName);
    }
  });

  it('another’s sessions, journal and mail stay theirs, whatever the attendee sends along', async () => {
    // The trainer validates the attacker's session with the admin token: the entry is the attacker's
    // (it names their token), but shows nothing of the trainer's credential.
    await http(`${emulator.url}${ALPHA}/sessions?_action=validate`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emulator.adminToken}`,
        'accept-api-version': 'resource=2.1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ tokenId: tokens['mallory'] }),
    });
    // The attacker's requests name the victim every way they can (user name, _id, a tokenId that is
    // a prefix of nothing), and carry their own cookie.
    await http(`${emulator.url}${ALPHA}/sessions?_action=getSessionInfo&tokenId=${ids['victim']}`, {
      method: 'POST',
      headers: {
        cookie: `${emulator.cookieName}=${tokens['mallory'] as string}`,
        'accept-api-version': 'resource=4.0',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ username: VICTIM.userName, tokenId: ids['victim'] }),
    });
    for (const extra of [
      {},
      // Another cookie of the same name, or the header named after the cookie, holding the victim's
      // _id (the attacker does not have the victim's token).
      { [emulator.cookieName]: ids['victim'] as string },
      { 'x-aic-emulator-token': 'wrong' },
      { authorization: `Bearer ${emulator.adminToken}` },
    ]) {
      const sessions = await as('mallory', 'me/sessions', extra);
      expect(sessions.status).toBe(200);
      expect((sessions.json.result as { username: string }[]).every((s) => s.username === ids['mallory'])).toBe(true);
      const journal = await as('mallory', 'me/journal', extra);
      expect(journal.status).toBe(200);
      expect(journal.text).not.toContain(emulator.adminToken);
      expect(journal.text).not.toContain((tokens['victim'] as string).slice(0, 12));
      expectNoPartOf(journal.text, VICTIM.password, 'me/journal');
      expectNoPartOf(journal.text, MALLORY.password, 'me/journal (own password)');
      const entries = journal.json.result as { requestHeaders: Record<string, string> }[];
      // No entry the victim made (their cookie's masked head is theirs alone).
      const victimHead = `${emulator.cookieName}=${(tokens['victim'] as string).slice(0, 4)}`;
      expect(entries.some((entry) => (entry.requestHeaders['cookie'] ?? '').includes(victimHead))).toBe(false);
      const outbox = await as('mallory', 'me/outbox', extra);
      expect(outbox.status).toBe(200);
      expect(
        (outbox.json.result as { to: string }[]).every((message) => message.to.toLowerCase() === MALLORY.mail),
      ).toBe(true);
    }
  });

  it('the cookie in another case, quoted, doubled or with another realm’s session reads only its own user', async () => {
    const own = tokens['mallory'] as string;
    for (const cookie of [
      `${emulator.cookieName.toUpperCase()}=${own}`,
      `${emulator.cookieName}="${own}"`,
      `${emulator.cookieName}=${own}; ${emulator.cookieName}=${tokens['victim'] as string}`,
    ]) {
      const me = await http(`${emulator.url}/__emulator/me`, { headers: { cookie } });
      expect(me.status, cookie.slice(0, 40)).toBe(200);
      expect(me.json.user._id).toBe(ids['mallory']);
    }
    // The cookie name as a prefix or with a suffix is another cookie.
    for (const cookie of [
      `x${emulator.cookieName}=${own}`,
      `${emulator.cookieName}x=${own}`,
      `${emulator.cookieName} =${own}`.replace(' =', '%3D'),
    ]) {
      const me = await http(`${emulator.url}/__emulator/me`, { headers: { cookie } });
      expectAmError(me, 401, cookie.slice(0, 40));
    }
    // A session token as a query parameter, a body or a bearer is not the attendee's credential here.
    for (const [path, init] of [
      [`me?tokenId=${own}`, {}],
      [`me?${emulator.cookieName}=${own}`, {}],
      ['me', { authorization: `Bearer ${own}` }],
      ['me', { 'x-aic-emulator-token': own }],
    ] as const) {
      const answer = await http(`${emulator.url}/__emulator/${path}`, { headers: { ...init } });
      expectAmError(answer, 401, path);
    }
  });

  it('a reset mail Mallory’s own signed-in run sent to the victim is the victim’s: not in Mallory’s outbox, and her link never resets their password', async () => {
    const cookie = `${emulator.cookieName}=${tokens['mallory'] as string}`;
    const started = await journey(emulator, 'ResetPassword', { headers: { cookie } }).start();
    const suspended = await started.answer(0, VICTIM.mail).next();
    expect(suspended.response.status).toBe(200);
    // The mail went out (the trainer sees it), written for the victim.
    const sent = (await control('outbox')).json.result as { to: string; toUserId?: string; links: string[] }[];
    const toVictim = sent.filter((message) => message.to === VICTIM.mail);
    expect(toVictim).toHaveLength(1);
    expect(toVictim[0]?.toUserId).toBe(ids['victim']);
    const malloryMail = await as('mallory', 'me/outbox');
    expect(malloryMail.status).toBe(200);
    expect(malloryMail.json.result).toEqual([]);
    expect(malloryMail.text).not.toContain('suspendedId');
    // Nor does her view of her own run carry the link.
    const runs = (await as('mallory', 'me/runs')).json.result as { id: string; journey: string }[];
    for (const run of runs.filter((item) => item.journey === 'ResetPassword'))
      expect((await as('mallory', `me/runs/${run.id}`)).text).not.toContain('suspendedId');
    // The victim reads it in their own view; their password is still theirs.
    const victimMail = (await as('victim', 'me/outbox')).json.result as { to: string }[];
    expect(victimMail.map((message) => message.to)).toEqual([VICTIM.mail]);
    expect(await login(emulator, VICTIM)).toEqual(expect.any(String));
  });

  it('changes nothing: every method but GET and HEAD on the attendee’s routes is refused', async () => {
    const before = (await control('sessions')).json.result.length as number;
    for (const path of ['me', 'me/sessions', 'me/runs', 'me/journal', 'me/outbox', `me/sessions/${ids['mallory']}`]) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const answer = await as('mallory', path, { 'content-type': 'application/json' }, method);
        expectAmError(answer, [401, 404], `${method} ${path}`);
      }
    }
    expect((await control('sessions')).json.result.length).toBe(before);
    expect((await as('victim', 'me')).status).toBe(200);
  });

  it('a tenant administrator’s own view shows only their own; the admin bearer is no way in', async () => {
    const admin = await login(
      emulator,
      {
        userName: 'amadmin',
        password: emulator.tenant.users.findByUserName('/', 'amadmin')?.password ?? '',
      },
      '/am/json/realms/root',
    ).catch(() => undefined);
    if (admin !== undefined) {
      const journal = await http(`${emulator.url}/__emulator/me/journal`, {
        headers: { cookie: `${emulator.cookieName}=${admin}` },
      });
      expect(journal.status).toBe(200);
      expect(journal.text).not.toContain((tokens['victim'] as string).slice(0, 12));
      const runs = await http(`${emulator.url}/__emulator/me/runs`, {
        headers: { cookie: `${emulator.cookieName}=${admin}` },
      });
      expect(runs.text).not.toContain(VICTIM.userName);
    }
    const bearer = await http(`${emulator.url}/__emulator/me/runs`, {
      headers: { authorization: `Bearer ${emulator.adminToken}` },
    });
    expectAmError(bearer, 401, 'admin bearer');
  });
});

describe('the front door, attacked', () => {
  const start = startEmulatorClosedAfterEach();

  it('beyond loopback: no token, no made password, no user added since, whatever the Host', async () => {
    const emulator = await start({ host: '0.0.0.0' });
    const token = emulator.controlToken as string;
    const added = await http(`${emulator.url}/__emulator/users/bulk`, {
      method: 'POST',
      headers: { 'x-aic-emulator-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 2, prefix: 'door-attendee' }),
    });
    expect(added.status).toBe(201);
    // The tokens' random tails (their heads are the emulator's name, on the page as it should be).
    const secrets = [
      token.slice(-16),
      emulator.adminToken.slice(-16),
      ...emulator.tenant.users.list('/alpha').map((user) => user.password),
      ...emulator.tenant.users.list('/').map((user) => user.password),
      ...(added.json.created as { password: string }[]).map((user) => user.password),
    ];
    for (const host of [
      new URL(emulator.url).host,
      'workshop.example',
      'workshop.example:8080',
      '[::1]:8080',
      '"><script>alert(1)</script>',
      "a.example'><img src=x onerror=alert(1)>",
      'a.example:8080/"><script>alert(1)</script>',
      'a.example%22%3E%3Cscript%3E',
      'a.example\\"onmouseover=alert(1)',
      `${'a'.repeat(250)}.example`,
    ]) {
      const page = await http(`${emulator.url}/`, { headers: { host } });
      expect([200, 400, 403], `Host ${host}: ${page.status}`).toContain(page.status);
      if (page.status !== 200) {
        expectAmError(page, [400, 403], host);
        continue;
      }
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.text, host).not.toMatch(/<script|<img|onerror=|onmouseover=/i);
      for (const secret of secrets) expectNoPartOf(page.text, secret, `front door, Host ${host}`);
      for (const user of added.json.created as { userName: string }[]) expect(page.text).not.toContain(user.userName);
    }
  });

  it('names the config chose are escaped, not rendered as markup', async () => {
    const emulator = await start({
      config: {
        users: [
          {
            realm: 'alpha',
            userName: 'x"><script>alert(1)</script>',
            password: 'Cf!~2kD#m7Ws-cfg',
            givenName: '<img src=x onerror=alert(2)>',
            sn: 'S',
          },
        ],
      },
    }).catch((error: Error) => error);
    if (emulator instanceof Error) {
      // A config that refuses such a name is as good: nothing renders it.
      expect(emulator.message).toMatch(/userName|user name|config/i);
      return;
    }
    const page = await http(`${emulator.url}/`);
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<script>alert|<img src=x/i);
    expectNoPartOf(page.text, 'Cf!~2kD#m7Ws-cfg', 'front door, config password');
  });

  it('on loopback, a DNS-rebound name reads nothing, and the refusal is JSON that cannot be sniffed as a page', async () => {
    const emulator = await start();
    const port = new URL(emulator.url).port;
    for (const host of [
      `attacker.example:${port}`,
      `localhost.:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `"><script>alert(1)</script>`,
    ]) {
      const page = await http(`${emulator.url}/`, { headers: { host } });
      expectAmError(page, [400, 403], host);
      expect(page.headers['content-type'], host).toMatch(/json/);
      expect(page.text).not.toContain(DEMO.password);
    }
  });
});

describe('secrets in the journal and the runs view, attacked', () => {
  let emulator: Emulator;
  const PASSWORD = 'Pz!~4bN#k9Qe-atk';
  const USER = 'atk-masked';
  const SECRET = 'Sx!~8gM@t3Jd-esv';
  const CLIENT_SECRET = 'Cs!~6hW@y1Lf-cli';
  const control = (path: string, init: { method?: string; body?: unknown } = {}) =>
    http(`${emulator.url}/__emulator/${path}`, {
      method: init.method ?? 'GET',
      ...(init.body !== undefined
        ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
        : {}),
    });
  const everything = async () => {
    const paths = ['journal', 'runs', 'tenant', 'esvs', 'sessions', 'outbox', 'users', 'faults', 'stubs'];
    const answers = await Promise.all(paths.map((path) => control(path)));
    return answers.map((answer, index) => `${paths[index]}: ${answer.text}`).join('\n');
  };

  beforeAll(async () => {
    emulator = await startEmulator();
    expect(
      (
        await control('users', {
          method: 'POST',
          body: { realm: 'alpha', userName: USER, password: PASSWORD, givenName: 'A', sn: 'B' },
        })
      ).status,
    ).toBe(201);
    expect((await control('esvs/esv-atk-secret', { method: 'PUT', body: { value: SECRET } })).status).toBe(200);
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('a sign-in step longer than the journal keeps: its password masked all the same', async () => {
    const first = await journey(emulator, 'Login').start();
    const body = first.answer(0, USER).answer(1, PASSWORD).body as Record<string, unknown>;
    // A field after the callbacks, as long as a terms text a Registration step echoes back.
    const padded = { ...body, padding: 'x'.repeat(40_000) };
    const answered = await http(`${emulator.url}${ALPHA}/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-api-version': 'resource=2.0, protocol=1.0' },
      body: JSON.stringify(padded),
    });
    expect(answered.status).toBe(200);
    const journal = (await control('journal')).text;
    expect(journal).toContain('padding');
    expectNoPartOf(journal, PASSWORD, 'journal, long step');
  });

  it('OAuth 2.0 tokens in the journal: a token response’s and an introspection’s token shown as heads only', async () => {
    const basic = Buffer.from(`demoConfidentialClient:${DEMO_CLIENT_SECRET}`).toString('base64');
    const form = { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' };
    const issued = await http(`${emulator.url}/am/oauth2/realms/root/realms/alpha/access_token`, {
      method: 'POST',
      headers: form,
      body: 'grant_type=client_credentials&scope=am-introspect-all-tokens',
    });
    expect(issued.status).toBe(200);
    const token = issued.json.access_token as string;
    const introspected = await http(`${emulator.url}/am/oauth2/realms/root/realms/alpha/introspect`, {
      method: 'POST',
      headers: form,
      body: `token=${token}`,
    });
    expect(introspected.status).toBe(200);
    const journal = (await control('journal')).text;
    expect(journal).toContain(`${token.slice(0, 4)}***`);
    expect(journal).not.toContain(token.slice(0, 20));
  });

  it('form bodies: password and client_secret keys in any case or encoding', async () => {
    for (const body of [
      `grant_type=password&username=${USER}&password=${encodeURIComponent(PASSWORD)}`,
      `grant_type=password&username=${USER}&Password=${encodeURIComponent(PASSWORD)}`,
      `grant_type=password&username=${USER}&PASSWORD=${encodeURIComponent(PASSWORD)}`,
      `grant_type=password&username=${USER}&pass%77ord=${encodeURIComponent(PASSWORD)}`,
      `grant_type=password&username=${USER}&password=${encodeURIComponent(PASSWORD)}&password=${encodeURIComponent(PASSWORD)}`,
      `grant_type=password&username=${USER}&%50assword=${encodeURIComponent(PASSWORD)}`,
      `grant_type=client_credentials&client_id=x&client_secret=${encodeURIComponent(CLIENT_SECRET)}`,
      `grant_type=client_credentials&client_id=x&CLIENT_SECRET=${encodeURIComponent(CLIENT_SECRET)}`,
    ]) {
      const answer = await http(`${emulator.url}/am/oauth2/realms/root/realms/alpha/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(answer.status).toBeLessThan(500);
    }
    const text = await everything();
    expectNoPartOf(text, PASSWORD, 'form body');
    expectNoPartOf(text, encodeURIComponent(PASSWORD), 'form body, encoded');
    expectNoPartOf(text, CLIENT_SECRET, 'form client_secret');
    expectNoPartOf(text, encodeURIComponent(CLIENT_SECRET), 'form client_secret, encoded');
  });

  it('JSON bodies: password keys in any case and nested', async () => {
    for (const body of [
      { userName: `${USER}-j1`, givenName: 'A', sn: 'B', mail: 'j1@example.com', Password: PASSWORD },
      { userName: `${USER}-j2`, givenName: 'A', sn: 'B', mail: 'j2@example.com', PASSWORD },
      { userName: `${USER}-j4`, givenName: 'A', sn: 'B', mail: 'j4@example.com', password: PASSWORD },
    ]) {
      const answer = await http(`${emulator.url}/openidm/managed/alpha_user?_action=create`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(answer.status).toBeLessThan(500);
    }
    const text = await everything();
    expectNoPartOf(text, PASSWORD, 'JSON body');
  });

  it('headers and zero-page logins: X-OpenAM-Password, Authorization Basic, the password sent twice', async () => {
    await login(emulator, { userName: USER, password: PASSWORD });
    const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    for (const headers of [
      { authorization: `Basic ${basic}` },
      { authorization: `basic ${basic}` },
      { authorization: basic },
      { 'x-openam-username': USER, 'x-openam-password': PASSWORD },
      { 'X-OpenAM-Password': `=?UTF-8?B?${Buffer.from(PASSWORD).toString('base64')}?=`, 'x-openam-username': USER },
      { 'x-openam-username': USER, 'x-openam-password': `${PASSWORD}x` },
      { 'proxy-authorization': `Basic ${basic}` },
    ]) {
      const answer = await http(`${emulator.url}${ALPHA}/authenticate`, {
        method: 'POST',
        headers: { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json', ...headers },
        body: '{}',
      });
      expect(answer.status).toBeLessThan(500);
    }
    const text = await everything();
    expectNoPartOf(text, PASSWORD, 'headers');
    expectNoPartOf(text, Buffer.from(`${USER}:${PASSWORD}`).toString('base64'), 'Basic credentials');
  });

  it('a secret ESV a script logs, puts in shared state (nested, in JSON), or sends out, is masked everywhere', async () => {
    const run = await runScript(
      emulator,
      [
        'var s = systemEnv.getProperty("esv.atk.secret");',
        'logger.error("plain " + s);',
        'logger.error(JSON.stringify({ key: s, nested: { deeper: [s] } }));',
        'logger.error("quoted \\"" + s + "\\" and encoded " + encodeURIComponent(s));',
        'nodeState.putShared("nestedSecret", { a: { b: [s] } });',
        'nodeState.putShared("jsonSecret", JSON.stringify({ v: s }));',
        'nodeState.putShared("result", "k=" + s);',
        'outcome = "done";',
      ].join('\n'),
    );
    expect(run.outcome, run.error).toBe('done');
    const text = await everything();
    expectNoPartOf(text, SECRET, 'secret ESV');
    expectNoPartOf(text, encodeURIComponent(SECRET), 'secret ESV, encoded');
    // GET esvs and GET tenant say it is secret without showing it.
    const esvs = await control('esvs');
    expect(esvs.text).toContain('esv-atk-secret');
    expect(esvs.text).not.toContain(SECRET);
  });
});

describe('POST reset with a bad body', () => {
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulator({ host: '0.0.0.0' });
    token = emulator.controlToken as string;
    const created = await http(`${emulator.url}/__emulator/users`, {
      method: 'POST',
      headers: { 'x-aic-emulator-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ realm: 'alpha', userName: 'kept-attendee', password: 'Kp!~1aB#c2De-kep' }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('is AM’s 400 for each, and removes nobody', async () => {
    const bodies: [string, string][] = [
      ['application/json', '{"keepUsers":"false"}'],
      ['application/json', '{"keepUsers":"true"}'],
      ['application/json', '{"keepUsers":0}'],
      ['application/json', '{"keepUsers":1}'],
      ['application/json', '{"keepUsers":null}'],
      ['application/json', '{"keepUsers":[]}'],
      ['application/json', '{"keepUsers":[false]}'],
      ['application/json', '{"keepUsers":{}}'],
      ['application/json', '{"keepUsers":""}'],
      ['application/json', '{"keepUsers":false,"extra":1}'],
      ['application/json', '{"keepusers":false}'],
      ['application/json', '{"KeepUsers":false}'],
      ['application/json', '{"__proto__":{"keepUsers":false}}'],
      ['application/json', '{"constructor":{"prototype":{"keepUsers":false}}}'],
      ['application/json', '{"keepUsers":false,"keepUsers":true,"x":1}'],
      ['application/json', '[]'],
      ['application/json', '[{"keepUsers":false}]'],
      ['application/json', 'false'],
      ['application/json', 'null'],
      ['application/json', '"keepUsers"'],
      ['application/json', '12'],
      ['application/json', '{'],
      ['application/json', '{"keepUsers":false'],
      ['application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`],
      ['application/json', `{"keepUsers":${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['application/x-www-form-urlencoded', 'keepUsers=false'],
      ['text/plain', '{"keepUsers":"no"}'],
    ];
    for (const [type, body] of bodies) {
      const answer = await http(`${emulator.url}/__emulator/reset`, {
        method: 'POST',
        headers: { 'x-aic-emulator-token': token, 'content-type': type },
        body,
      });
      expectAmError(answer, [400, 415], `${type} ${body.slice(0, 60)}`);
      expect(answer.json.code).toBe(answer.status);
      expect(Object.keys(answer.json).sort(), body.slice(0, 60)).toEqual(
        expect.arrayContaining(['code', 'message', 'reason']),
      );
    }
    expect(emulator.tenant.users.findByUserName('/alpha', 'kept-attendee')).toBeDefined();
    // The good ones still work: {} keeps, {"keepUsers": true} keeps.
    for (const body of ['{}', '{"keepUsers":true}']) {
      const ok = await http(`${emulator.url}/__emulator/reset`, {
        method: 'POST',
        headers: { 'x-aic-emulator-token': token, 'content-type': 'application/json' },
        body,
      });
      expect(ok.status, body).toBe(200);
      expect(emulator.tenant.users.findByUserName('/alpha', 'kept-attendee'), body).toBeDefined();
    }
  });
});

const redisAvailable = await hasRedis();

describe.skipIf(!redisAvailable)('readiness under the Redis store, many probes in flight', () => {
  let emulator: Emulator;
  const prefix = testPrefix('probe-attacks');
  beforeAll(async () => {
    emulator = await startEmulator({
      host: '0.0.0.0',
      store: { kind: 'redis', redisUrl: REDIS_URL, keyPrefix: prefix },
      logger: false,
    });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('hundreds of concurrent probes all answer, ready, telling no URL, prefix or secret', async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, index) => http(`${emulator.url}/__emulator/${index % 3 ? 'ready' : 'health'}`)),
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(prefix);
      expect(answer.text).not.toMatch(/redis:\/\/|6379|6390|127\.0\.0\.1/);
      expect(answer.text).not.toContain(emulator.controlToken as string);
    }
    // The tenant's other routes kept answering meanwhile.
    expect(
      (
        await login(emulator, {
          userName: DEMO.userName,
          password: emulator.tenant.users.findByUserName('/alpha', 'demo')?.password ?? '',
        })
      ).length,
    ).toBeGreaterThan(10);
  });
});

describe.skipIf(!hasRedisServer())('readiness while Redis is paused or gone', () => {
  let server: TestRedisServer;
  let emulator: Emulator;
  const prefix = testPrefix('probe-paused');
  beforeAll(async () => {
    server = await TestRedisServer.start('none');
    emulator = await startEmulator({
      host: '0.0.0.0',
      store: { kind: 'redis', redisUrl: server.url, keyPrefix: prefix, timeoutMs: 400 },
      logger: false,
    });
  });
  afterAll(async () => {
    server?.resume();
    await emulator?.close();
    await server?.destroy();
  });

  it('each probe is bounded while Redis answers nothing; the liveness probe and the server keep answering', async () => {
    server.pause();
    try {
      const timed = async (path: string) => {
        const at = Date.now();
        const answer = await http(`${emulator.url}/__emulator/${path}`);
        return { answer, ms: Date.now() - at };
      };
      const probes = await Promise.all(Array.from({ length: 100 }, () => timed('ready')));
      const health = await timed('health');
      for (const { answer, ms } of probes) {
        expect(ms).toBeLessThan(5_000);
        expectAmError(answer, 503, 'ready while paused');
        expect(answer.text).not.toContain(prefix);
        expect(answer.text).not.toContain(new URL(server.url).port);
        expect(answer.text).not.toContain(emulator.controlToken as string);
      }
      expect(health.answer.status).toBe(200);
      expect(health.ms).toBeLessThan(2_000);
    } finally {
      server.resume();
    }
    // Once Redis answers again, ready again.
    for (let attempt = 0; ; attempt += 1) {
      const ready = await http(`${emulator.url}/__emulator/ready`);
      if (ready.status === 200) break;
      if (attempt > 200) throw new Error(`never ready: ${ready.text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('with Redis gone, the probe’s answer names no host, port or prefix', async () => {
    await server.stop();
    try {
      const answers = await Promise.all(Array.from({ length: 50 }, () => http(`${emulator.url}/__emulator/ready`)));
      for (const answer of answers) {
        expectAmError(answer, 503, 'ready while stopped');
        expect(answer.text).not.toContain(prefix);
        expect(answer.text).not.toContain(new URL(server.url).port);
        expect(answer.text).not.toMatch(/redis:\/\/|ECONNREFUSED/);
      }
    } finally {
      await server.start();
    }
  });
});

describe.skipIf(!redisAvailable)('a secret ESV on instances sharing a tenant', () => {
  const prefix = testPrefix('secret-esv');
  const SECRET = 'Db!~9vQ#z1Xy-sec';
  let a: Emulator;
  let b: Emulator;
  beforeAll(async () => {
    const store = { kind: 'redis' as const, redisUrl: REDIS_URL, keyPrefix: prefix };
    a = await startEmulator({ store, logger: false });
    b = await startEmulator({ store, logger: false });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('made a secret through the ESV API on one instance (its name says nothing), it is masked on every instance', async () => {
    const environment = (path: string, method: string, body?: unknown) =>
      http(`${a.url}/environment/${path}`, {
        method,
        headers: {
          'accept-api-version': 'protocol=1.0,resource=1.0',
          authorization: `Bearer ${a.adminToken}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const created = await environment('secrets/esv-db', 'PUT', {
      valueBase64: Buffer.from(SECRET).toString('base64'),
      description: 'db',
      encoding: 'generic',
      useInPlaceholders: true,
    });
    expect(created.status).toBeLessThan(300);
    expect((await environment('startup?_action=restart', 'POST')).status).toBeLessThan(300);
    for (let attempt = 0; b.tenant.esvs.get('esv-db') === undefined; attempt += 1) {
      if (attempt > 1_000) throw new Error('the ESV never reached B');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(b.tenant.esvs.get('esv-db')).toBe(SECRET);
    for (const instance of [a, b])
      for (const path of ['esvs', 'tenant']) {
        const answer = await http(`${instance.url}/__emulator/${path}`);
        expect(answer.status).toBe(200);
        expectNoPartOf(answer.text, SECRET, `${instance === a ? 'A' : 'B'} ${path}`);
      }
  });
});
