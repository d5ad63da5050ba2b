/**
 * The demo tenant's secrets. The README publishes an admin bearer token and the demo users'
 * passwords: fine on a developer's loopback instance (and tests rely on them), not on a workshop's
 * `--host 0.0.0.0` instance, where anyone on the network could end anyone's sessions with them.
 * Beyond loopback, unless the config sets its own, they are made at start (and printed); instances
 * that share a tenant (Redis, a state file's next start) agree on them.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import {
  DEMO_ADMIN_PASSWORD,
  DEMO_ADMIN_TOKEN,
  DEMO_CLIENT_SECRET,
  DEMO_PASSWORD,
} from '../../emulator/config/demo-tenant.js';
import { http } from '../helpers/http.js';
import { PROJECT_ROOT } from '../helpers/optional.js';
import { hasRedis, testPrefix, testRedis } from '../helpers/redis.js';
import { startInstance, until } from '../helpers/instances.js';
import { tenantKeys } from '../../emulator/core/redis-connection.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ALPHA, ROOT, login, startEmulatorClosedAfterEach } from '../helpers/tenant.js';

const ADMIN_USER = 'tenant-admin@example.com';
const start = startEmulatorClosedAfterEach();

/** Zero-page login's status (200 or 401), without throwing. */
async function loginStatus(emulator: Emulator, userName: string, password: string, realmPath = ALPHA): Promise<number> {
  const response = await http(`${emulator.url}${realmPath}/authenticate`, {
    method: 'POST',
    headers: {
      'x-openam-username': userName,
      'x-openam-password': password,
      'accept-api-version': 'resource=2.0, protocol=1.0',
    },
  });
  return response.status;
}

/** refresh as an administrator: 200 with the admin token, 401 with any other bearer. */
async function asAdminStatus(emulator: Emulator, bearer: string): Promise<number> {
  const token = await login(emulator, { userName: 'demo', password: emulator.demoPasswords?.users as string });
  const response = await http(`${emulator.url}${ALPHA}/sessions/?_action=refresh`, {
    method: 'POST',
    headers: {
      'accept-api-version': 'resource=4.0, protocol=1.0',
      'content-type': 'application/json',
      authorization: `Bearer ${bearer}`,
    },
    body: JSON.stringify({ tokenId: token }),
  });
  return response.status;
}

/** Everything a published secret would give, refused; everything the printed ones give, granted. */
async function expectMadeSecrets(emulator: Emulator, printedClientSecret?: string): Promise<void> {
  const passwords = emulator.demoPasswords as { users: string; admin: string };
  expect(emulator.adminToken).not.toBe(DEMO_ADMIN_TOKEN);
  expect(emulator.adminToken).toMatch(/^aic-emulator-admin-[A-Za-z0-9_-]{32}$/);
  expect(passwords.users).not.toBe(DEMO_PASSWORD);
  expect(passwords.admin).not.toBe(DEMO_ADMIN_PASSWORD);
  expect(await asAdminStatus(emulator, DEMO_ADMIN_TOKEN)).toBe(401);
  expect(await asAdminStatus(emulator, emulator.adminToken)).toBe(200);
  expect(await loginStatus(emulator, 'demo', DEMO_PASSWORD)).toBe(401);
  expect(await loginStatus(emulator, 'bjensen', DEMO_PASSWORD)).toBe(401);
  expect(await loginStatus(emulator, 'demo', passwords.users)).toBe(200);
  expect(await loginStatus(emulator, 'scarter', passwords.users)).toBe(200);
  expect(await loginStatus(emulator, ADMIN_USER, DEMO_ADMIN_PASSWORD, ROOT)).toBe(401);
  expect(await loginStatus(emulator, ADMIN_USER, passwords.admin, ROOT)).toBe(200);
  // The control API (and so the console) shows the token that works.
  const tenant = await http(`${emulator.url}/__emulator/tenant`, {
    headers: { 'x-aic-emulator-token': emulator.controlToken as string },
  });
  expect(tenant.json.adminToken).toBe(emulator.adminToken);
  // The confidential demo client's published secret gets no token; the made one does.
  const made =
    printedClientSecret ?? emulator.tenant.oauth2Clients.get('/alpha', 'demoConfidentialClient')?.clientSecret;
  expect(made).toBeTypeOf('string');
  expect(made).not.toBe(DEMO_CLIENT_SECRET);
  expect(await clientCredentialsStatus(emulator, DEMO_CLIENT_SECRET)).toBe(401);
  expect(await clientCredentialsStatus(emulator, String(made))).toBe(200);
}

/** A client_credentials token request by the confidential demo client with this secret. */
async function clientCredentialsStatus(emulator: Emulator, secret: string): Promise<number> {
  const response = await http(`${emulator.url}/am/oauth2/realms/root/realms/alpha/access_token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`demoConfidentialClient:${secret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  return response.status;
}

describe('the demo secrets', () => {
  it('on loopback are the README’s fixed ones (tests and examples rely on them)', async () => {
    const emulator = await start({});
    expect(emulator.adminToken).toBe(DEMO_ADMIN_TOKEN);
    expect(emulator.demoPasswords).toEqual({ users: DEMO_PASSWORD, admin: DEMO_ADMIN_PASSWORD });
    expect(await asAdminStatus(emulator, DEMO_ADMIN_TOKEN)).toBe(200);
    expect(await loginStatus(emulator, ADMIN_USER, DEMO_ADMIN_PASSWORD, ROOT)).toBe(200);
    expect((await http(`${emulator.url}/__emulator/tenant`)).json.adminToken).toBe(DEMO_ADMIN_TOKEN);
    expect(await clientCredentialsStatus(emulator, DEMO_CLIENT_SECRET)).toBe(200);
  });

  it('beyond loopback are made at start: the README’s are refused, the made ones work, after a reset too', async () => {
    const emulator = await start({ host: '0.0.0.0' });
    await expectMadeSecrets(emulator);
    await http(`${emulator.url}/__emulator/reset`, {
      method: 'POST',
      headers: { 'x-aic-emulator-token': emulator.controlToken as string },
    });
    await expectMadeSecrets(emulator);
  });

  it('beyond loopback differ from one tenant to the next, and keep the cookie name of the config', async () => {
    const [a, b, local] = [await start({ host: '0.0.0.0' }), await start({ host: '0.0.0.0' }), await start({})];
    expect(a.adminToken).not.toBe(b.adminToken);
    expect(a.demoPasswords?.users).not.toBe(b.demoPasswords?.users);
    expect(a.controlToken).not.toBe(b.controlToken);
    expect(a.cookieName).toBe(local.cookieName);
  });

  it('beyond loopback, a config’s own admin token and users are kept', async () => {
    const adminToken = 'a-configured-admin-token-0123456789';
    const emulator = await start({
      host: '0.0.0.0',
      config: { adminToken, users: [{ realm: 'alpha', userName: 'alice', password: 'Alice-pw-1' }] },
    });
    expect(emulator.adminToken).toBe(adminToken);
    expect(emulator.demoPasswords).toBeUndefined();
    expect(await loginStatus(emulator, 'alice', 'Alice-pw-1')).toBe(200);
  });

  it('a config that sets only the admin token still gets made demo passwords beyond loopback', async () => {
    const adminToken = 'a-configured-admin-token-0123456789';
    const emulator = await start({ host: '0.0.0.0', config: { adminToken } });
    expect(emulator.adminToken).toBe(adminToken);
    expect(await loginStatus(emulator, 'demo', DEMO_PASSWORD)).toBe(401);
    expect(await loginStatus(emulator, 'demo', emulator.demoPasswords?.users as string)).toBe(200);
  });
});

describe('made secrets and saved state', () => {
  it('a state file keeps them from one start to the next beyond loopback', async () => {
    const stateFile = join(tempDir('aic-secrets-'), 'state.json');
    const first = await start({ host: '0.0.0.0', store: { kind: 'memory', stateFile } });
    const made = { adminToken: first.adminToken, controlToken: first.controlToken, demoPasswords: first.demoPasswords };
    await first.close();
    const second = await start({ host: '0.0.0.0', store: { kind: 'memory', stateFile } });
    expect({
      adminToken: second.adminToken,
      controlToken: second.controlToken,
      demoPasswords: second.demoPasswords,
    }).toEqual(made);
    await expectMadeSecrets(second);
  });

  it('a state file saved on loopback, loaded beyond it: the demo users no longer take the README’s passwords', async () => {
    const stateFile = join(tempDir('aic-secrets-'), 'state.json');
    const first = await start({ store: { kind: 'memory', stateFile } });
    expect(await loginStatus(first, 'demo', DEMO_PASSWORD)).toBe(200);
    await first.close();
    const second = await start({ host: '0.0.0.0', store: { kind: 'memory', stateFile } });
    await expectMadeSecrets(second);
  });
});

const redisAvailable = await hasRedis();
const redis = redisAvailable ? await testRedis() : undefined;
const prefixes: string[] = [];
afterAll(async () => {
  await redis?.cleanUp(...prefixes);
});

describe.skipIf(!redisAvailable)('made secrets on instances sharing a tenant through Redis', () => {
  it('every instance beyond loopback has the same admin token, control token and demo passwords, after a reset too', async () => {
    const prefix = testPrefix('secrets');
    prefixes.push(prefix);
    const a = await startInstance(prefix, { host: '0.0.0.0' });
    start.closeAfterEach(a);
    const b = await startInstance(prefix, { host: '0.0.0.0' });
    start.closeAfterEach(b);
    expect(b.adminToken).toBe(a.adminToken);
    expect(b.controlToken).toBe(a.controlToken);
    expect(b.demoPasswords).toEqual(a.demoPasswords);
    await expectMadeSecrets(a);
    await expectMadeSecrets(b);
    // A reset on B seeds the users again, from B's config: the same made passwords, on A too.
    const reset = await http(`${b.url}/__emulator/reset`, {
      method: 'POST',
      headers: { 'x-aic-emulator-token': b.controlToken as string },
    });
    expect(reset.status).toBe(200);
    const target = Number(await redis?.client.get(`${tenantKeys(prefix).control}seq`));
    const sequence = async () =>
      Number(
        (await http(`${a.url}/__emulator/state`, { headers: { 'x-aic-emulator-token': a.controlToken as string } }))
          .json?.sequence,
      );
    await until(async () => (await sequence()) >= target, 'A to apply B’s reset');
    await expectMadeSecrets(a);
  });
});

describe('aic-emulator start beyond loopback', () => {
  it('prints the made admin token and demo passwords, not the README’s', async () => {
    const child = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'dist', 'emulator', 'app', 'cli.js'), 'start', '--port', '0', '--host', '0.0.0.0'],
      { env: { ...process.env, PORT: '' } },
    );
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('try ')) resolve();
        });
        child.on('exit', () => reject(new Error(`exited: ${output}`)));
      });
      expect(output).not.toContain(DEMO_ADMIN_TOKEN);
      expect(output).not.toContain(DEMO_PASSWORD);
      const url = (/listening at (http:\/\/\S+)/.exec(output)?.[1] as string).replace('0.0.0.0', '127.0.0.1');
      const adminToken = /Authorization: Bearer (\S+)/.exec(output)?.[1] as string;
      const password = /demo users\s+\(password (\S+)\)/.exec(output)?.[1] as string;
      const adminPassword = new RegExp(`${ADMIN_USER} / (\\S+)`).exec(output)?.[1] as string;
      const controlToken = /X-Aic-Emulator-Token: (\S+)/.exec(output)?.[1] as string;
      expect(
        (await http(`${url}/__emulator/tenant`, { headers: { 'x-aic-emulator-token': controlToken } })).json.adminToken,
      ).toBe(adminToken);
      const printed = {
        url,
        port: Number(new URL(url).port),
        adminToken,
        controlToken,
        demoPasswords: { users: password, admin: adminPassword },
      } as unknown as Emulator;
      expect(output).not.toContain(DEMO_CLIENT_SECRET);
      await expectMadeSecrets(printed, /demoConfidentialClient \/ (\S+)/.exec(output)?.[1]);
      expect(output).toContain(`-H 'X-OpenAM-Password: ${password}'`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
