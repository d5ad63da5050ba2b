/**
 * State files for the memory store: saved on request and on close (the CLI's SIGTERM), loaded at
 * start, written atomically; a bad one stops the start with a ConfigError (exit 2), never a crash.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, type Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http } from '../helpers/http.js';
import { tempDir } from '../helpers/temp-dir.js';
import { DEMO, asAdmin, login, sessionsAction, startEmulator } from '../helpers/tenant.js';
import { answer, postStep, startCli, type CliInstance } from '../helpers/instances.js';

const open: Emulator[] = [];
const children: CliInstance[] = [];
afterAll(async () => {
  for (const emulator of open.splice(0)) await emulator.close().catch(() => undefined);
  for (const child of children.splice(0)) child.child.kill('SIGKILL');
});

async function withStateFile(stateFile: string): Promise<Emulator> {
  const emulator = await startEmulator({ store: { kind: 'memory', stateFile } });
  open.push(emulator);
  return emulator;
}

const control = (emulator: { url: string }, path: string, method = 'GET', body?: unknown) =>
  http(`${emulator.url}/__emulator/${path}`, {
    method,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });

const validate = async (emulator: Emulator, token: string) =>
  (await sessionsAction(emulator, 'validate', { body: { tokenId: token }, headers: asAdmin(emulator) })).json.valid;

const greeting = () => {
  const node = 'd0000000-0000-4000-8000-000000000001';
  return {
    trees: {
      Greeting: treeExport({
        name: 'Greeting',
        description: 'a message',
        entry: node,
        nodes: [
          {
            id: node,
            type: 'MessageNode',
            name: 'Hello',
            x: 1,
            y: 1,
            connections: { true: END.success, false: END.failure },
            config: { message: { en: 'Hello' }, messageYes: { en: 'OK' }, messageNo: {} },
          },
        ],
      }),
    },
  };
};

describe('state files (memory store)', () => {
  it('saves users, ESVs, journeys, sessions, journeys in progress and the clock; a restart has them all back', async () => {
    const dir = tempDir('aic-state-');
    const file = join(dir, 'tenant-state.json');
    const first = await withStateFile(file);
    expect((await control(first, 'state')).json).toEqual({ store: 'memory', stateFile: file });
    const token = await login(first, DEMO);
    const alice = await control(first, 'users', 'POST', {
      realm: 'alpha',
      userName: 'alice',
      password: 'pw-alice',
      givenName: 'Alice',
    });
    await control(first, 'esvs/esv-colour', 'PUT', { value: 'blue' });
    await control(first, 'import', 'POST', greeting());
    await control(first, 'clock', 'POST', { advanceSeconds: 600 });
    const inProgress = await postStep(first, 'Login', undefined);
    const savedAt = first.tenant.clock.now();

    const saved = await control(first, 'state/save', 'POST');
    expect(saved.status).toBe(200);
    expect(saved.json).toEqual({
      saved: file,
      savedAt: expect.any(String),
      bytes: expect.any(Number),
      users: 5,
      sessions: 1,
      journeySessions: 1,
    });
    // Written whole (no temporary file left behind), readable by its owner only.
    expect(readdirSync(dir)).toEqual(['tenant-state.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await first.close();

    const second = await withStateFile(file);
    expect(second.store).toContain('loaded: 5 users, 1 sessions');
    expect(second.tenant.clock.now()).toBe(savedAt);
    expect(await validate(second, token)).toBe(true);
    expect(second.tenant.users.get(alice.json._id)?.attributes['givenName']).toBe('Alice');
    expect(await login(second, { userName: 'alice', password: 'pw-alice' })).toEqual(expect.any(String));
    expect(second.tenant.esvs.get('esv-colour')).toBe('blue');
    expect(second.tenant.journeys.tree('/alpha', 'Greeting')).toBeDefined();
    // The journey begun before the restart goes on: its authId still verifies.
    const done = await postStep(second, 'Login', answer(answer(inProgress.json, 0, DEMO.userName), 1, DEMO.password));
    expect(done.status).toBe(200);
    expect(done.json.tokenId).toEqual(expect.any(String));
  });

  it('close() saves too: what happened after the last save survives', async () => {
    const file = join(tempDir('aic-state-'), 'state.json');
    const first = await withStateFile(file);
    const token = await login(first, DEMO);
    await first.close();
    expect(existsSync(file)).toBe(true);
    const second = await withStateFile(file);
    expect(await validate(second, token)).toBe(true);
  });

  it('an ESV made a secret otherwise than by its name stays a secret after a restart (masked, not only by name)', async () => {
    const file = join(tempDir('aic-state-'), 'state.json');
    const first = await withStateFile(file);
    first.tenant.esvs.set('esv-db', 'Db!~9vQ#z1Xy-sec', { secret: true });
    await first.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).secretEsvs).toEqual(['esv-db']);
    const second = await withStateFile(file);
    expect(second.tenant.esvs.get('esv-db')).toBe('Db!~9vQ#z1Xy-sec');
    expect(second.tenant.esvs.isSecret('esv-db')).toBe(true);
    expect((await control(second, 'esvs')).text).not.toContain('Db!~9vQ#z1Xy-sec');
  });

  it('sessions that expired while the tenant was down are not restored (the saved clock runs on)', async () => {
    const file = join(tempDir('aic-state-'), 'state.json');
    const first = await startEmulator({
      store: { kind: 'memory', stateFile: file },
      config: { session: { maxIdleMinutes: 1 } },
    });
    open.push(first);
    const token = await login(first, DEMO);
    await first.close();
    // The saved state, one hour on: the session's idle time is long gone.
    const state = JSON.parse(readFileSync(file, 'utf8'));
    state.clock.frozenAt += 3600_000;
    writeFileSync(file, JSON.stringify(state));
    const second = await startEmulator({
      store: { kind: 'memory', stateFile: file },
      config: { session: { maxIdleMinutes: 1 } },
    });
    open.push(second);
    expect(await second.tenant.sessions.count()).toBe(0);
    expect(await validate(second, token)).toBe(false);
  });

  it('a missing state file is a first run: the tenant starts as configured and creates it on save', async () => {
    const file = join(tempDir('aic-state-'), 'new.json');
    const emulator = await withStateFile(file);
    expect(emulator.store).toContain('none yet');
    expect(emulator.tenant.users.findByUserName('/alpha', 'demo')).toBeDefined();
    expect((await control(emulator, 'state/save', 'POST', {})).status).toBe(200);
    expect(existsSync(file)).toBe(true);
  });

  it.each([
    ['not JSON', '{"format": ', /not valid JSON/],
    ['JSON of another kind', '{"users": []}', /not an aic-emulator state file/],
    ['a wrong field', null, /\/users\/0\/accountStatus must be equal to one of the allowed values/],
    ['a realm the config lacks', null, /holds realm \/bravo/],
    ['a bad ESV name', null, /could not be loaded: ESV names start with "esv-"/],
  ])('a state file with %s stops the start with a ConfigError saying so', async (label, text, message) => {
    const dir = tempDir('aic-state-');
    const file = join(dir, 'state.json');
    if (text !== null) {
      writeFileSync(file, text);
    } else {
      const good = await withStateFile(file);
      await good.close();
      const state = JSON.parse(readFileSync(file, 'utf8'));
      if (label === 'a wrong field') state.users[0].accountStatus = 'sleeping';
      if (label === 'a realm the config lacks') state.users[0].realm = '/bravo';
      if (label === 'a bad ESV name') state.esvs['Not An ESV'] = 'x';
      writeFileSync(file, JSON.stringify(state));
    }
    const before = readFileSync(file, 'utf8');
    const error = await startEmulator({ store: { kind: 'memory', stateFile: file } }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    // A failed start never writes over the file it could not load.
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a state file that is a folder, or cannot be read, is a ConfigError too', async () => {
    const dir = tempDir('aic-state-');
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    await expect(startEmulator({ store: { kind: 'memory', stateFile: folder } })).rejects.toThrow(
      /cannot read the state file/,
    );
  });

  it('POST state/save: AM-shaped errors for a body with options, no state file, a file that cannot be written', async () => {
    const plain = await startEmulator();
    open.push(plain);
    const none = await control(plain, 'state/save', 'POST');
    expect(none.status).toBe(400);
    expect(none.json).toEqual({ code: 400, reason: 'Bad Request', message: expect.stringContaining('--state-file') });
    expect((await control(plain, 'state')).json).toEqual({ store: 'memory', stateFile: null });

    const dir = tempDir('aic-state-');
    const withFile = await withStateFile(join(dir, 'state.json'));
    for (const [body, message] of [
      ['{"path": "/etc/passwd"}', /unknown field "path"/],
      ['[1]', /must be a JSON object/],
      ['{oops', /not valid JSON/],
    ] as const) {
      const refused = await control(withFile, 'state/save', 'POST', body);
      expect(refused.status).toBe(400);
      expect(refused.json.message).toMatch(message);
      expect(refused.json.reason).toBe('Bad Request');
    }
    chmodSync(dir, 0o500);
    try {
      // root ignores folder permissions: then this part shows nothing and is skipped.
      if (process.getuid?.() !== 0) {
        const failed = await control(withFile, 'state/save', 'POST');
        expect(failed.status).toBe(500);
        expect(failed.json).toEqual({
          code: 500,
          reason: 'Internal Server Error',
          message: expect.stringContaining('could not be written'),
        });
      }
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('a save into a folder that does not exist answers 500, and the tenant keeps serving', async () => {
    const emulator = await startEmulator({
      store: { kind: 'memory', stateFile: join(tempDir('aic-state-'), 'missing', 'state.json') },
    });
    const failed = await control(emulator, 'state/save', 'POST');
    expect(failed.status).toBe(500);
    expect(failed.json.message).toMatch(/could not be written: ENOENT/);
    expect(await login(emulator, DEMO)).toEqual(expect.any(String));
    await expect(emulator.close()).rejects.toThrow(/ENOENT/);
  });
});

describe('aic-emulator start --state-file', () => {
  it('SIGTERM saves the state; the next start loads it; a corrupt file exits 2 with a message', async () => {
    const dir = tempDir('aic-state-cli-');
    const file = join(dir, 'state.json');
    const first = await startCli(['--state-file', file]);
    children.push(first);
    expect(first.output()).toContain(`state file ${file} (none yet`);
    const tokenResponse = await http(`${first.url}/am/json/realms/root/realms/alpha/authenticate`, {
      method: 'POST',
      headers: {
        'x-openam-username': DEMO.userName,
        'x-openam-password': DEMO.password,
        'accept-api-version': 'resource=2.0, protocol=1.0',
      },
    });
    const token = tokenResponse.json.tokenId as string;
    await control(first, 'users', 'POST', { realm: 'alpha', userName: 'kept', password: 'pw' });
    await control(first, 'clock', 'POST', { advanceSeconds: 120 });
    const clock = (await control(first, 'clock')).json.now as string;
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.output()).toContain(`state saved to ${file}`);

    const second = await startCli(['--state-file', file]);
    children.push(second);
    expect(second.output()).toContain('loaded: 5 users, 1 sessions');
    const admin = (await control(second, 'tenant')).json.adminToken as string;
    const validated = await http(`${second.url}/am/json/realms/root/realms/alpha/sessions?_action=validate`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${admin}`,
        'accept-api-version': 'resource=2.1, protocol=1.0',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ tokenId: token }),
    });
    expect(validated.json.valid).toBe(true);
    expect(
      (await control(second, 'users?realm=alpha')).json.result.map((user: { userName: string }) => user.userName),
    ).toContain('kept');
    // A running clock: it went on from where it was saved.
    expect(Date.parse((await control(second, 'clock')).json.now)).toBeGreaterThanOrEqual(Date.parse(clock));
    second.child.kill('SIGKILL');

    writeFileSync(file, '{ not json');
    const broken = await startCli(['--state-file', file]).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(broken?.message).toMatch(/exited \(2\)[\s\S]*state file .* is not valid JSON/);
  });

  it('flag mistakes exit 2 with a message: --state-file with --store redis, --redis-url with --store memory', async () => {
    for (const args of [
      ['--store', 'redis', '--state-file', 'x.json'],
      ['--store', 'memory', '--redis-url', 'redis://127.0.0.1:6379'],
      ['--store', 'disk'],
    ]) {
      const failed = await startCli(args).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failed?.message).toMatch(
        /exited \(2\)[\s\S]*aic-emulator: (--state-file is for the memory store|--redis-url, --redis-prefix and --redis-timeout go with --store redis|--store is memory or redis)/,
      );
    }
  });
});
