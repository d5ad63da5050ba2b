/**
 * Two `aic-emulator start --store redis` processes on one Redis serve one tenant (the issue's
 * acceptance): sign in on A, validate on B, logoutByUser on B, validate on A → invalid; a
 * journey begun on A finishes on B; after `kill -9` of one instance and a restart, no session
 * is lost. Built from dist/ (the global setup builds it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import { DEMO, BJENSEN, SCARTER } from '../helpers/tenant.js';
import { REDIS_URL, hasRedis, testPrefix, testRedis } from '../helpers/redis.js';
import { answer, postStep, settled, startCli, type CliInstance, type Instance } from '../helpers/instances.js';

const available = await hasRedis();
const redis = available ? await testRedis() : undefined;
const prefix = testPrefix('multi');
const running: CliInstance[] = [];
afterAll(async () => {
  for (const instance of running.splice(0)) instance.child.kill('SIGKILL');
  await redis?.cleanUp(prefix);
});

const start = async () => {
  const instance = await startCli(['--store', 'redis', '--redis-url', REDIS_URL, '--redis-prefix', prefix]);
  running.push(instance);
  return instance;
};

const adminToken = async (instance: Instance) =>
  (await http(`${instance.url}/__emulator/tenant`)).json.adminToken as string;

async function zeroPage(instance: Instance, user: { userName: string; password: string }): Promise<string> {
  const response = await http(`${instance.url}/am/json/realms/root/realms/alpha/authenticate`, {
    method: 'POST',
    headers: {
      'x-openam-username': user.userName,
      'x-openam-password': user.password,
      'accept-api-version': 'resource=2.0, protocol=1.0',
    },
  });
  expect(response.status).toBe(200);
  return response.json.tokenId as string;
}

async function sessions(instance: Instance, action: string, body: unknown, version = 'resource=4.0, protocol=1.0') {
  return http(`${instance.url}/am/json/realms/root/realms/alpha/sessions?_action=${action}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await adminToken(instance)}`,
      'accept-api-version': version,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

const valid = async (instance: Instance, tokenId: string) =>
  (await sessions(instance, 'validate', { tokenId })).json.valid as boolean;

describe.skipIf(!available)('two emulator processes, one tenant on Redis', () => {
  it('sign in on A, validate on B, logoutByUser on B → invalid on A; a journey begun on A finishes on B; kill -9 loses no session', async () => {
    const started = await Promise.all([start(), start()]);
    let a = started[0];
    const b = started[1];
    expect(a.output()).toContain(`key prefix ${prefix}`);

    const token = await zeroPage(a, DEMO);
    expect(await valid(b, token)).toBe(true);
    const ended = await sessions(b, 'logoutByUser', { username: DEMO._id }, 'resource=5.1, protocol=1.0');
    expect(ended.json).toEqual({ result: true });
    expect(await valid(a, token)).toBe(false);

    // The demo Login journey, step by step: the page on A, the answers to B.
    const first = await postStep(a, 'Login', undefined);
    expect(first.status).toBe(200);
    expect(first.json.callbacks.map((callback: { type: string }) => callback.type)).toEqual([
      'NameCallback',
      'PasswordCallback',
    ]);
    const done = await postStep(b, 'Login', answer(answer(first.json, 0, BJENSEN.userName), 1, BJENSEN.password));
    expect(done.status).toBe(200);
    expect(done.json.tokenId).toEqual(expect.any(String));
    expect(await valid(a, done.json.tokenId)).toBe(true);

    // Sessions made on both instances, then A dies without a chance to clean up.
    const survivors = [done.json.tokenId as string, await zeroPage(a, SCARTER), await zeroPage(b, DEMO)];
    a.child.kill('SIGKILL');
    expect(await a.exit).toBe(null);
    for (const survivor of survivors) expect(await valid(b, survivor)).toBe(true);
    a = await start();
    for (const instance of [a, b]) for (const survivor of survivors) expect(await valid(instance, survivor)).toBe(true);

    // The restarted instance has the tenant's control state too.
    await http(`${b.url}/__emulator/esvs/esv-after-restart`, {
      method: 'PUT',
      body: JSON.stringify({ value: 'seen' }),
    });
    await settled(redis!.client, prefix, a);
    expect((await http(`${a.url}/__emulator/esvs`)).json.result).toContainEqual({
      name: 'esv-after-restart',
      value: 'seen',
    });
  });
});
