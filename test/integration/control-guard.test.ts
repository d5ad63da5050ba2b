/**
 * The control API's guard against every spelling of its paths. The router decodes what a raw
 * prefix test of the URL does not (`/%5F_emulator/tenant` is `/__emulator/tenant` to it), so
 * the checks (control token, Host, cross-site) must run on the route the router matched.
 * Requests go through a raw socket: an HTTP client would normalise most of these paths.
 *
 * Each spelling is first sent as a legitimate request, which tells whether the router reaches a
 * control handler with it at all; then as each attack, which must be refused with AM's error
 * shape (401 or 403) or be a 404, and must change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { rawRequest, type RawSocketAnswer } from '../helpers/raw-socket.js';
import { runScript } from '../helpers/script-journey.js';
import { startEmulator } from '../helpers/tenant.js';

/** Ways of writing `/__emulator/<rest>` that a client might send, decoded or not by the router. */
function spellings(rest: string, port: number): string[] {
  const first = rest.charCodeAt(0).toString(16);
  return [
    `/__emulator/${rest}`,
    `/%5F_emulator/${rest}`,
    `/_%5femulator/${rest}`,
    `/%5f%5femulator/${rest}`,
    `/__%65mulator/${rest}`,
    `/__%65%6D%75%6c%61%74%6F%72/${rest}`,
    `/%5F%5F%65%6D%75%6C%61%74%6F%72/%${first}${rest.slice(1)}`,
    `/__emulator/%${first.toUpperCase()}${rest.slice(1)}`,
    `/__%45mulator/${rest}`,
    `/__EMULATOR/${rest}`,
    `//__emulator/${rest}`,
    `/__emulator//${rest}`,
    `/x/../__emulator/${rest}`,
    `/./__emulator/${rest}`,
    `/__emulator/./${rest}`,
    `/%2e%2e/__emulator/${rest}`,
    `/x/%2E%2E/__emulator/${rest}`,
    `/__emulator;x/${rest}`,
    `/__emulator/${rest};jsessionid=1`,
    `/__emulator/${rest}/`,
    `/__emulator%2F${rest}`,
    `/__emulator%2f${rest}`,
    `/__emulator\\${rest}`,
    `/__emulator/${rest}?x=1`,
    `/__emulator/${rest}#fragment`,
    `http://127.0.0.1:${port}/__emulator/${rest}`,
    `http://attacker.example/%5F_emulator/${rest}`,
  ];
}

interface Sent {
  method: string;
  target: string;
  headers?: Record<string, string>;
  body?: string;
}

async function send(emulator: Emulator, request: Sent): Promise<RawSocketAnswer & { json: unknown }> {
  const headers: Record<string, string> = {
    host: `127.0.0.1:${emulator.port}`,
    connection: 'close',
    ...request.headers,
  };
  const body = request.body ?? (request.method === 'POST' ? '' : undefined);
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const head = [
    `${request.method} ${request.target} HTTP/1.1`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  const answer = await rawRequest(`http://127.0.0.1:${emulator.port}`, `${head}\r\n\r\n${body ?? ''}`);
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    json = undefined;
  }
  return { ...answer, json };
}

/** A refusal (401, 403) or a 404, in AM's error shape; never the handler's own answer. */
function expectRefusedOrMissing(answer: RawSocketAnswer & { json: unknown }, what: string, secrets: string[]): void {
  expect([401, 403, 404], `${what}: ${answer.status} ${answer.body}`).toContain(answer.status);
  if (answer.body !== '') {
    const body = answer.json as { code: number; reason: string; message: string };
    expect(Object.keys(body).sort(), what).toEqual(['code', 'message', 'reason']);
    expect(body.code, what).toBe(answer.status);
  }
  for (const secret of secrets) expect(answer.body, what).not.toContain(secret);
}

const CROSS_SITE_ATTACKS: { name: string; headers: (port: number) => Record<string, string> }[] = [
  { name: 'a foreign Host (DNS rebinding)', headers: (port) => ({ host: `attacker.example:${port}` }) },
  { name: 'a foreign Host without a port', headers: () => ({ host: 'attacker.example' }) },
  { name: 'a cross-site Origin', headers: () => ({ origin: 'https://evil.example' }) },
  { name: 'an Origin on another port of the same host', headers: () => ({ origin: 'http://127.0.0.1:1' }) },
  { name: 'an opaque Origin', headers: () => ({ origin: 'null' }) },
  { name: 'Sec-Fetch-Site: cross-site', headers: () => ({ 'sec-fetch-site': 'cross-site' }) },
  { name: 'Sec-Fetch-Site: same-site (another port)', headers: () => ({ 'sec-fetch-site': 'same-site' }) },
];

describe('the control API on loopback, whatever the spelling of its paths', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('the router does decode encoded spellings: each reaches the handler when the request is legitimate', async () => {
    // Without this, the refusals below could be 404s that prove nothing.
    const reached: string[] = [];
    for (const target of spellings('tenant', emulator.port)) {
      const answer = await send(emulator, { method: 'GET', target });
      if (answer.status === 200) reached.push(target);
      else expectRefusedOrMissing(answer, target, [emulator.adminToken]);
    }
    expect(reached).toEqual(
      expect.arrayContaining([
        '/__emulator/tenant',
        '/%5F_emulator/tenant',
        '/__%65mulator/tenant',
        `/__emulator/%74enant`,
      ]),
    );
  });

  for (const attack of CROSS_SITE_ATTACKS) {
    it(`refuses reading the tenant (and its admin token) with ${attack.name}, every spelling, GET and HEAD`, async () => {
      for (const method of ['GET', 'HEAD']) {
        for (const target of spellings('tenant', emulator.port)) {
          const answer = await send(emulator, { method, target, headers: attack.headers(emulator.port) });
          expectRefusedOrMissing(answer, `${method} ${target}`, [emulator.adminToken]);
        }
      }
    });

    it(`refuses changes with ${attack.name}, every spelling: nothing is reset, created or imported`, async () => {
      await emulator.reset();
      emulator.tenant.esvs.set('esv-marker', 'before the attacks');
      const evilJourney = JSON.stringify({
        trees: { EvilJourney: { tree: { _id: 'EvilJourney', entryNodeId: 'x', nodes: {} } } },
      });
      const mallory = JSON.stringify({ realm: 'alpha', userName: 'mallory', password: 'x', admin: true });
      for (const target of spellings('reset', emulator.port)) {
        expectRefusedOrMissing(
          await send(emulator, { method: 'POST', target, headers: attack.headers(emulator.port) }),
          `POST ${target}`,
          [],
        );
      }
      for (const target of spellings('users', emulator.port)) {
        const headers = { 'content-type': 'text/plain', ...attack.headers(emulator.port) };
        expectRefusedOrMissing(
          await send(emulator, { method: 'POST', target, headers, body: mallory }),
          `POST ${target}`,
          [],
        );
      }
      for (const target of spellings('import', emulator.port)) {
        const headers = { 'content-type': 'text/plain', ...attack.headers(emulator.port) };
        expectRefusedOrMissing(
          await send(emulator, { method: 'POST', target, headers, body: evilJourney }),
          `POST ${target}`,
          [],
        );
      }
      expect(emulator.tenant.esvs.get('esv-marker')).toBe('before the attacks');
      expect(emulator.tenant.users.findByUserName('/alpha', 'mallory')).toBeUndefined();
      expect(emulator.tenant.journeys.of('/alpha').trees.has('EvilJourney')).toBe(false);
    });
  }

  it('a same-origin change and a top-level visit still work (the console’s own requests)', async () => {
    const origin = `http://127.0.0.1:${emulator.port}`;
    const sameOrigin = await send(emulator, {
      method: 'POST',
      target: '/__emulator/clock',
      headers: { origin, 'sec-fetch-site': 'same-origin' },
      body: '{"advanceSeconds":1}',
    });
    expect(sameOrigin.status).toBe(200);
    const typed = await send(emulator, {
      method: 'GET',
      target: '/__emulator/tenant',
      headers: { 'sec-fetch-site': 'none' },
    });
    expect(typed.status).toBe(200);
    const localhost = await send(emulator, {
      method: 'GET',
      target: '/__emulator/tenant',
      headers: { host: `localhost:${emulator.port}` },
    });
    expect(localhost.status).toBe(200);
  });

  it('the console’s page and assets load without a token, from a link on another site too, but not through a foreign Host', async () => {
    const pages = [
      ...spellings('ui', emulator.port),
      ...spellings('ui/assets/console.js', emulator.port),
      '/__emulator/ui/assets/%63onsole.js',
    ];
    const reached: string[] = [];
    for (const target of pages) {
      const navigation = await send(emulator, {
        method: 'GET',
        target,
        headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
      });
      if (navigation.status === 200) reached.push(target);
      else expectRefusedOrMissing(navigation, target, []);
      expectRefusedOrMissing(
        await send(emulator, { method: 'GET', target, headers: { host: `attacker.example:${emulator.port}` } }),
        `rebound ${target}`,
        [],
      );
    }
    expect(reached).toEqual(
      expect.arrayContaining([
        '/__emulator/ui',
        '/%5F_emulator/ui',
        '/__emulator/ui/assets/console.js',
        '/__emulator/ui/assets/%63onsole.js',
      ]),
    );
  });

  it('a request with no Host at all (HTTP/1.0) is refused, not a crash', async () => {
    for (const target of ['/__emulator/tenant', '/%5F_emulator/tenant', '/__emulator/ui']) {
      const answer = await rawRequest(`http://127.0.0.1:${emulator.port}`, `GET ${target} HTTP/1.0\r\n\r\n`);
      expectRefusedOrMissing({ ...answer, json: JSON.parse(answer.body) }, target, [emulator.adminToken]);
    }
  });

  it('a journey script cannot reach the control API through the tenant’s own host, whatever the spelling', async () => {
    const targets = ['/__emulator/tenant', '/%5F_emulator/tenant', '/__%65mulator/tenant'];
    const source =
      `var base = "http://127.0.0.1:${emulator.port}"; var seen = [];\n` +
      `var targets = ${JSON.stringify(targets)};\n` +
      'for (var i = 0; i < targets.length; i++) { var r = httpClient.send(base + targets[i]).get(); seen.push(r.status + " " + r.text()); }\n' +
      'var reset = httpClient.send(base + "/%5F_emulator/reset", { method: "POST" }).get(); seen.push(reset.status + " " + reset.text());\n' +
      'nodeState.putShared("result", seen.join("\\n")); outcome = "done";';
    emulator.tenant.esvs.set('esv-marker', 'before the script');
    const run = await runScript(emulator, source);
    expect(run.error).toBeUndefined();
    const lines = String(run.result).split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/^403 \{"code":403,"reason":"Forbidden","message":/);
    expect(String(run.result)).not.toContain(emulator.adminToken);
    expect(emulator.tenant.esvs.get('esv-marker')).toBe('before the script');
  });
});

describe('the control API beyond loopback, whatever the spelling of its paths', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ host: '0.0.0.0' });
  });
  afterAll(() => emulator.close());

  it('needs the control token for every spelling that reaches a handler; with it, they answer', async () => {
    const token = emulator.controlToken as string;
    const reached: string[] = [];
    for (const method of ['GET', 'HEAD']) {
      for (const target of spellings('tenant', emulator.port)) {
        expectRefusedOrMissing(await send(emulator, { method, target }), `${method} ${target}`, [emulator.adminToken]);
        const wrong = await send(emulator, { method, target, headers: { 'x-aic-emulator-token': `${token}x` } });
        expectRefusedOrMissing(wrong, `${method} ${target} with a wrong token`, [emulator.adminToken]);
        if ((await send(emulator, { method, target, headers: { 'x-aic-emulator-token': token } })).status === 200)
          reached.push(target);
      }
    }
    expect(reached).toEqual(
      expect.arrayContaining(['/__emulator/tenant', '/%5F_emulator/tenant', '/__%65mulator/tenant']),
    );
  });

  it('refuses changes without the token, every spelling: nothing is reset, created or imported', async () => {
    emulator.tenant.esvs.set('esv-marker', 'before the attacks');
    const mallory = JSON.stringify({ realm: 'alpha', userName: 'mallory', password: 'x', admin: true });
    for (const target of spellings('reset', emulator.port))
      expectRefusedOrMissing(await send(emulator, { method: 'POST', target }), `POST ${target}`, []);
    for (const target of spellings('users', emulator.port))
      expectRefusedOrMissing(await send(emulator, { method: 'POST', target, body: mallory }), `POST ${target}`, []);
    for (const target of spellings('state/save', emulator.port))
      expectRefusedOrMissing(await send(emulator, { method: 'POST', target }), `POST ${target}`, []);
    expect(emulator.tenant.esvs.get('esv-marker')).toBe('before the attacks');
    expect(emulator.tenant.users.findByUserName('/alpha', 'mallory')).toBeUndefined();
  });

  it('the console’s page and assets load without the token, whatever their spelling', async () => {
    for (const target of [
      '/__emulator/ui',
      '/%5F_emulator/ui',
      '/__emulator/ui/assets/console.js',
      '/__emulator/ui/assets/%63onsole.js',
    ]) {
      expect((await send(emulator, { method: 'GET', target })).status, target).toBe(200);
    }
  });
});
