/**
 * Web pages attacking the control API from a real browser (chromium): a page on another site,
 * one on another port of the same host, and a DNS-rebound page whose own origin names the
 * emulator's address. They send what any page may send without asking (no-cors fetches, a form
 * posted as text/plain) to every spelling of the control paths; the emulator's state shows
 * whether anything got through, and its request log shows that each request did arrive and was
 * refused (401/403) or not found (404).
 *
 * Host names: the browser maps attacker.test and rebound.test to 127.0.0.1, so one machine plays
 * the attacker's server, the victim's emulator, and DNS rebinding.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO, login, startEmulator } from '../helpers/tenant.js';
import { CHROMIUM, hasChromium, keepScreenshots } from './browser.js';

/** Spellings of a control path; the browser's URL parser normalises some (dot segments, `\`), not `%5F`. */
const spellings = (rest: string): string[] => [
  `/__emulator/${rest}`,
  `/%5F_emulator/${rest}`,
  `/%5f%5femulator/${rest}`,
  `/__%65mulator/${rest}`,
  `/__emulator/%${rest.charCodeAt(0).toString(16)}${rest.slice(1)}`,
  `/__EMULATOR/${rest}`,
  `//__emulator/${rest}`,
  `/x/../__emulator/${rest}`,
  `/x/%2e%2e/__emulator/${rest}`,
  `/__emulator;x/${rest}`,
  `/__emulator/${rest};jsessionid=1`,
  `/__emulator/${rest}/`,
  `/__emulator%2F${rest}`,
];

const MALLORY = JSON.stringify({ realm: 'alpha', userName: 'mallory', password: 'Mallory-pw-1', admin: true });
const EVIL_EXPORT = JSON.stringify({
  trees: { EvilJourney: { tree: { _id: 'EvilJourney', entryNodeId: 'x', nodes: {} } } },
});

/** What the emulator's log says it answered: request URL and status, in order. */
class RequestLog extends Writable {
  readonly urls = new Map<string, string>();
  readonly answers: { url: string; status: number }[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as { reqId?: string; req?: { url: string }; res?: { statusCode: number } };
      if (entry.reqId && entry.req) this.urls.set(entry.reqId, entry.req.url);
      if (entry.reqId && entry.res)
        this.answers.push({ url: this.urls.get(entry.reqId) ?? '?', status: entry.res.statusCode });
    }
    done();
  }
  /** Answers to control paths, however spelled (every spelling here keeps "mulator" as is). */
  controlAnswers(): { url: string; status: number }[] {
    return this.answers.filter((answer) => /mulator/i.test(answer.url));
  }
}

async function attackerServer(): Promise<Server> {
  const server = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>attacker</title><p>nothing to see</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Everything a page may send to another origin without a CORS preflight, to each spelling. */
async function attack(page: Page, base: string): Promise<void> {
  await page.evaluate(
    async ({ base, targets, mallory, evil }) => {
      const quietly = (promise: Promise<unknown>) =>
        promise.then(
          () => undefined,
          () => undefined,
        );
      for (const target of targets.reset) await quietly(fetch(base + target, { method: 'POST', mode: 'no-cors' }));
      for (const target of targets.users)
        await quietly(
          fetch(base + target, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: mallory,
          }),
        );
      for (const target of targets.import)
        await quietly(
          fetch(base + target, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: evil,
          }),
        );
      for (const target of targets.tenant)
        await quietly(fetch(base + target, { mode: 'no-cors', credentials: 'include' }));
    },
    {
      base,
      targets: {
        reset: spellings('reset'),
        users: spellings('users'),
        import: spellings('import'),
        tenant: spellings('tenant'),
      },
      mallory: MALLORY,
      evil: EVIL_EXPORT,
    },
  );
  // The classic CSRF: a form posted as text/plain whose body is JSON, in a top-level navigation.
  for (const target of ['/%5F_emulator/users', '/__emulator/users']) {
    // A string, run in the page: the test's TypeScript has no DOM types.
    await page.evaluate(`(() => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.enctype = 'text/plain';
      form.action = ${JSON.stringify(base + target)};
      const input = document.createElement('input');
      input.name = '{"realm":"alpha","userName":"formuser","password":"Form-pw-1","admin":true,"pad":"';
      input.value = '"}';
      form.append(input);
      document.body.append(form);
      form.submit();
    })()`);
    await page.waitForURL((url) => url.pathname.includes('emulator'));
    await page.goBack();
  }
}

describe.skipIf(!hasChromium())('web pages attacking the control API, in a browser', () => {
  let browser: Browser;
  let attacker: Server;
  let context: BrowserContext;
  let page: Page;
  const log = new RequestLog();
  const instances: { name: string; emulator: Emulator }[] = [];

  beforeAll(async () => {
    [browser, attacker] = await Promise.all([
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--host-resolver-rules=MAP attacker.test 127.0.0.1, MAP rebound.test 127.0.0.1',
        ],
      }),
      attackerServer(),
    ]);
    const logger = { level: 'info', stream: log };
    instances.push({ name: 'on loopback', emulator: await startEmulator({ logger }) });
    instances.push({ name: 'beyond loopback', emulator: await startEmulator({ logger, host: '0.0.0.0' }) });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    for (const { emulator } of instances) await emulator.close();
  });
  beforeEach(async () => {
    for (const { emulator } of instances) await emulator.reset();
    context = await browser.newContext();
    context.setDefaultTimeout(8_000);
    context.setDefaultNavigationTimeout(8_000);
    // Only the test's own servers, under their test names.
    await context.route(
      (url) => !['127.0.0.1', 'attacker.test', 'rebound.test'].includes(url.hostname),
      (route) => route.abort('blockedbyclient'),
    );
    page = await context.newPage();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await keepScreenshots(context, task.name);
    await context.close();
  });

  /** The tenant's state before an attack, and a check that it is all still there after. */
  async function untouched(emulator: Emulator, requests: number): Promise<() => Promise<void>> {
    emulator.tenant.esvs.set('esv-marker', 'before the attack');
    const session = await login(emulator, { ...DEMO, password: emulator.demoPasswords?.users as string });
    const logged = log.controlAnswers().length;
    return async () => {
      expect(emulator.tenant.esvs.get('esv-marker')).toBe('before the attack');
      expect(await emulator.tenant.sessions.getByToken(session)).toBeDefined();
      for (const userName of ['mallory', 'formuser'])
        expect(emulator.tenant.users.findByUserName('/alpha', userName)).toBeUndefined();
      expect(emulator.tenant.journeys.of('/alpha').trees.has('EvilJourney')).toBe(false);
      // The requests did reach the emulator (the browser sent them), and each was turned away.
      const answers = log.controlAnswers().slice(logged);
      expect(answers.length).toBeGreaterThanOrEqual(requests);
      for (const answer of answers)
        expect([401, 403, 404], `${answer.url} → ${answer.status}`).toContain(answer.status);
      expect(answers.some((answer) => answer.url.startsWith('/%5F_emulator/') && answer.status !== 404)).toBe(true);
    };
  }

  for (const [index, name] of ['on loopback', 'beyond loopback'].entries()) {
    it(`a page on another site changes nothing and reads nothing (${name})`, async () => {
      const { emulator } = instances[index] as { emulator: Emulator };
      const check = await untouched(emulator, spellings('x').length * 4 + 2);
      await page.goto(`http://attacker.test:${(attacker.address() as AddressInfo).port}/`);
      await attack(page, `http://127.0.0.1:${emulator.port}`);
      await check();
    });

    it(`a page on another port of the same host changes nothing (${name})`, async () => {
      const { emulator } = instances[index] as { emulator: Emulator };
      const check = await untouched(emulator, spellings('x').length * 4 + 2);
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      await attack(page, `http://127.0.0.1:${emulator.port}`);
      await check();
    });
  }

  it('a DNS-rebound page (same origin as far as the browser knows) reads nothing and changes nothing on loopback', async () => {
    const { emulator } = instances[0] as { emulator: Emulator };
    const check = await untouched(emulator, spellings('x').length * 3);
    // The emulator serves its login page to any Host: the rebound name is now "its" origin.
    const origin = `http://rebound.test:${emulator.port}`;
    await page.goto(`${origin}/am/XUI/`);
    const seen = await page.evaluate(
      async ({ origin, tenant, reset, users, mallory }) => {
        const answers: string[] = [];
        const send = async (target: string, init?: RequestInit) => {
          const response = await fetch(origin + target, init);
          answers.push(`${target} ${response.status} ${await response.text()}`);
        };
        for (const target of tenant) await send(target);
        for (const target of reset) await send(target, { method: 'POST' });
        for (const target of users) await send(target, { method: 'POST', body: mallory });
        return answers;
      },
      { origin, tenant: spellings('tenant'), reset: spellings('reset'), users: spellings('users'), mallory: MALLORY },
    );
    expect(seen).toHaveLength(spellings('x').length * 3);
    for (const answer of seen) {
      expect(answer).toMatch(/^\S+ (403|404) \{"code":(403|404),"reason":"(Forbidden|Not Found)","message":/);
      expect(answer).not.toContain(emulator.adminToken);
    }
    expect(seen).toContainEqual(expect.stringMatching(/^\/%5F_emulator\/tenant 403 /));
    await check();
  });
});
