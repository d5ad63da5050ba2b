/**
 * The `aic-emulator` command, run as a real process from the build (`npm test` builds first).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { tempDir } from '../helpers/temp-dir.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/optional.js';
import { http } from '../helpers/http.js';

const CLI = join(PROJECT_ROOT, 'dist', 'emulator', 'app', 'cli.js');
let child: ChildProcessWithoutNullStreams | undefined;
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const running of children.splice(0)) running.kill('SIGKILL');
  child = undefined;
});

/** Starts the CLI and resolves with its output once it printed the URL (or exited). */
function start(args: string[]): Promise<{ output: string; url: string | undefined; exit: Promise<number | null> }> {
  child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, PORT: '' } });
  children.push(child);
  const process_ = child;
  let output = '';
  const exit = new Promise<number | null>((resolve) => process_.on('exit', (code) => resolve(code)));
  return new Promise((resolve) => {
    const check = () => {
      const url = /listening at (http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes('try')) resolve({ output, url, exit });
    };
    process_.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      check();
    });
    process_.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exit.then(() => resolve({ output, url: undefined, exit }));
  });
}

describe('aic-emulator start', () => {
  it('--port 0 picks a free port and prints the URL, cookie name and demo credentials; SIGTERM stops it cleanly', async () => {
    const { output, url, exit } = await start(['start', '--port', '0']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toMatch(/cookie name\s+[0-9a-f]{15}/);
    expect(output).toContain('demo');
    expect(output).toContain('Ch4ng3-it!');
    const info = await http(`${url}/am/json/serverinfo/*`);
    expect(info.json.cookieName).toBe(/cookie name\s+([0-9a-f]{15})/.exec(output)?.[1]);
    child?.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('names the front door, the sign-in page and the console: on loopback at its URL, beyond it at every address of the machine', async () => {
    const local = await start(['start', '--port', '0']);
    const url = local.url as string;
    expect(local.output).toContain(`front door    ${url}/  (open it first`);
    expect(local.output).toContain(`sign-in page  ${url}/am/XUI/?realm=/alpha\n`);
    expect(local.output).toContain(`console       ${url}/__emulator/ui\n`);
    expect((await http(`${url}/`)).status).toBe(200);

    const shared = await start(['start', '--port', '0', '--host', '0.0.0.0']);
    const port = new URL(shared.url as string).port;
    const addresses = Object.values(networkInterfaces())
      .flatMap((infos) => infos ?? [])
      .filter((info) => info.family === 'IPv4' && !info.internal && !info.address.startsWith('127.'))
      .map((info) => `http://${info.address}:${port}`);
    if (addresses.length === 0) {
      console.warn("this machine has no non-loopback IPv4 address: the banner's addresses are not checked");
      expect(shared.output).toContain('no network address found on this machine');
      return;
    }
    expect(shared.output).toContain(`front door    ${addresses[0]}/  (for everyone)`);
    for (const address of addresses)
      expect(shared.output).toMatch(new RegExp(`^ +(front door +)?${address.replace(/\./g, '\\.')}/`, 'm'));
    expect(shared.output).toContain(`http://127.0.0.1:${port}/  (on this machine)`);
    expect(shared.output).toContain(`sign-in page  ${addresses[0]}/am/XUI/?realm=/alpha\n`);
    expect(shared.output).toContain(`console       ${addresses[0]}/__emulator/ui  (asks for the control token)`);
    expect((await http(`${addresses[0]}/`)).status).toBe(200);
  });

  it('a single SIGINT aborts a fault delay rather than waiting for it', async () => {
    const { url, exit } = await start(['start', '--port', '0']);
    await http(`${url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/serverinfo/*', delayMs: 60_000 }),
    });
    const held = http(`${url}/am/json/serverinfo/*`).catch((error: unknown) => error);
    // Wait until the request is held by the fault (the journal records it as it arrives).
    for (let i = 0; i < 200 && (await http(`${url}/__emulator/journal`)).json.result.length === 0; i += 1)
      await new Promise((r) => setImmediate(r));
    child?.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(await held).toBeInstanceOf(Error);
  });

  it('--cookie-name sets the cookie name', async () => {
    const { url } = await start(['start', '--port', '0', '--cookie-name', '0123456789abcde']);
    expect((await http(`${url}/am/json/serverinfo/*`)).json.cookieName).toBe('0123456789abcde');
  });

  it('--config merges a YAML file over the demo tenant', async () => {
    const dir = tempDir('aic-cli-');
    const file = join(dir, 'tenant.yaml');
    writeFileSync(
      file,
      'realms:\n  - path: /\n  - path: /alpha\n  - path: /bravo\nusers:\n  - realm: bravo\n    userName: bob\n    password: pw\n',
    );
    const { url } = await start(['start', '--port', '0', '--config', file]);
    const login = await http(`${url}/am/json/realms/root/realms/bravo/authenticate`, {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=2.0', 'x-openam-username': 'bob', 'x-openam-password': 'pw' },
    });
    expect(login.status).toBe(200);
    expect(login.json.realm).toBe('/bravo');
  });

  it('a broken config exits 2 with the problem; so does a port in use', async () => {
    const dir = tempDir('aic-cli-');
    const file = join(dir, 'tenant.json');
    writeFileSync(file, '{"session": {"maxIdleMinutes": "long"}}');
    const broken = await start(['start', '--port', '0', '--config', file]);
    expect(await broken.exit).toBe(2);
    expect(broken.output).toContain('config/session/maxIdleMinutes must be number');

    const first = await start(['start', '--port', '0']);
    const port = new URL(first.url as string).port;
    const second = await start(['start', '--port', port]);
    expect(await second.exit).toBe(2);
    expect(second.output).toContain('EADDRINUSE');
  });

  it('refuses a port that is not a port, from --port or PORT', async () => {
    const run = await start(['start', '--port', 'eighty']);
    expect(await run.exit).not.toBe(0);
    expect(run.output).toContain('a port is an integer');
    child = spawn(process.execPath, [CLI, 'start'], { env: { ...process.env, PORT: 'abc' } });
    children.push(child);
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => child?.on('exit', resolve));
    expect(code).toBe(2);
    expect(output).toContain('PORT=abc is not a port');
  });

  it('a config the tenant cannot be built from exits 2 and names the place', async () => {
    const dir = tempDir('aic-cli-');
    const file = join(dir, 'tenant.yaml');
    writeFileSync(file, 'users:\n  - realm: nowhere\n    userName: x\n    password: y\n');
    const run = await start(['start', '--port', '0', '--config', file]);
    expect(await run.exit).toBe(2);
    expect(run.output).toContain('config/users/0 (x): no realm nowhere in this tenant');
    writeFileSync(file, 'clock:\n  start: yesterday\n');
    const clock = await start(['start', '--port', '0', '--config', file]);
    expect(await clock.exit).toBe(2);
    expect(clock.output).toContain('config/clock/start');
  });
});
