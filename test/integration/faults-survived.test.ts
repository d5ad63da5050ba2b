/**
 * Faults the emulator survives: a stub that fails, a slow or dropped call back into the tenant,
 * and SIGTERM under load (every request that was answered was answered whole; the process exits
 * cleanly).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { PROJECT_ROOT } from '../helpers/optional.js';
import { http } from '../helpers/http.js';
import { runScript } from '../helpers/script-journey.js';
import { DEMO, login, startEmulator } from '../helpers/tenant.js';

describe('faults in scripts’ calls', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const control = (path: string, body: unknown) =>
    http(`${emulator.url}/__emulator/${path}`, { method: 'POST', body: JSON.stringify(body) });

  it('a stub that answers 500 is a 500 to the script, which carries on', async () => {
    await control('stubs', { url: 'https://api.example.com/fail', status: 500, body: 'upstream broke' });
    const run = await runScript(
      emulator,
      'var r = httpClient.send("https://api.example.com/fail").get(); nodeState.putShared("result", r.status + " " + r.text()); outcome = "done";',
    );
    expect(run.outcome).toBe('done');
    expect(run.result).toBe('500 upstream broke');
  });

  it('a slow call back into the tenant is waited for, without holding other requests; a dropped one is an exception the script can catch', async () => {
    await control('faults', { path: '/serverinfo/*', delayMs: 300, times: 1 });
    const source =
      'var url = "http://" + requestHeaders.get("host").get(0) + "/am/json/serverinfo/*";' +
      'var first = httpClient.send(url).get().status;' +
      'var second; try { second = httpClient.send(url).get().status; } catch (e) { second = "threw " + (e.message ? "with a message" : "without a message"); }' +
      'nodeState.putShared("result", first + " " + second); outcome = "done";';
    await control('faults', { path: '/serverinfo/*', reset: true, times: 1 });
    let scriptDone = false;
    const running = runScript(emulator, source).finally(() => {
      scriptDone = true;
    });
    // Meanwhile the tenant answers others: the delay holds only the script's own call.
    const token = await login(emulator, DEMO);
    expect(token).toMatch(/\*$/);
    expect(scriptDone).toBe(false);
    const run = await running;
    expect(run.outcome).toBe('done');
    expect(run.result).toBe('200 threw with a message');
  });
});

describe('SIGTERM under load', () => {
  it('in-flight requests are answered whole, later ones are refused, and the process exits 0', async () => {
    const child = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'dist', 'emulator', 'app', 'cli.js'), 'start', '--port', '0'],
      {
        env: { ...process.env, PORT: '' },
      },
    );
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /listening at (http:\/\/\S+)/.exec(output)?.[1];
        if (found) resolve(found);
      });
      void exit.then(() => reject(new Error(`the emulator exited: ${output}`)));
    });
    const agent = new Agent({ connections: 20 });
    const outcomes = { whole: 0, refused: 0, truncated: 0 };
    let sent = 0;
    let stop = false;
    const worker = async (): Promise<void> => {
      while (!stop || sent < 40) {
        sent += 1;
        let response;
        try {
          response = await request(`${url}/am/json/realms/root/realms/alpha/authenticate`, {
            method: 'POST',
            dispatcher: agent,
            headers: {
              'x-openam-username': 'demo',
              'x-openam-password': DEMO.password,
              'accept-api-version': 'resource=2.0, protocol=1.0',
              'content-type': 'application/json',
            },
            body: '{}',
          });
        } catch {
          outcomes.refused += 1; // no answer began: the connection was refused or closed first
          if (stop) return;
          continue;
        }
        try {
          const body = JSON.parse(await response.body.text());
          expect([200, 503]).toContain(response.statusCode);
          if (response.statusCode === 200) expect(body.tokenId).toMatch(/\*$/);
          outcomes.whole += 1;
        } catch {
          outcomes.truncated += 1;
        }
        if (stop && response.statusCode === 503) return;
      }
    };
    const workers = Array.from({ length: 10 }, () => worker());
    // Let the load build up, then stop the process in the middle of it.
    while (outcomes.whole < 50) await new Promise((resolve) => setImmediate(resolve));
    child.kill('SIGTERM');
    stop = true;
    expect(await exit).toBe(0);
    await Promise.all(workers);
    await agent.close();
    expect(outcomes.truncated).toBe(0);
    expect(outcomes.whole).toBeGreaterThanOrEqual(50);
    expect(output).toContain('SIGTERM, finishing in-flight requests and stopping');
  }, 30_000);
});
