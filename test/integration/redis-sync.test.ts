/**
 * Instances of one tenant sharing Redis (in this process, each its own Tenant): sessions and
 * journeys in progress are shared, and every control change (users, ESVs, faults, stubs,
 * imports, the clock, reset) reaches the other instances, including those started later.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { ConfigError } from '../../emulator/index.js';
import { tenantKeys } from '../../emulator/core/redis-connection.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http } from '../helpers/http.js';
import { ALPHA, BJENSEN, DEMO, SCARTER, asAdmin, login, sessionsAction } from '../helpers/tenant.js';
import { hasRedis, testPrefix, testRedis } from '../helpers/redis.js';
import { answer, postStep, settled, startInstance, until } from '../helpers/instances.js';

const available = await hasRedis();
const redis = available ? await testRedis() : undefined;
const prefixes: string[] = [];
const started: Emulator[] = [];
afterAll(async () => {
  for (const emulator of started.splice(0)) await emulator.close();
  await redis?.cleanUp(...prefixes);
});

/** A new tenant under its own prefix, with `count` instances. */
async function tenant(count: number, label: string): Promise<{ prefix: string; instances: Emulator[] }> {
  const prefix = testPrefix(label);
  prefixes.push(prefix);
  const instances: Emulator[] = [];
  for (let i = 0; i < count; i += 1) instances.push(await startInstance(prefix));
  started.push(...instances);
  return { prefix, instances };
}

const control = (emulator: Emulator, path: string, method = 'GET', body?: unknown) =>
  http(`${emulator.url}/__emulator/${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

const validate = async (emulator: Emulator, token: string) =>
  (await sessionsAction(emulator, 'validate', { body: { tokenId: token }, headers: asAdmin(emulator) })).json.valid;

describe.skipIf(!available)('instances of one tenant on Redis', () => {
  it('share sessions: a login on A is valid on B, logoutByUser on B ends it on A', async () => {
    const { instances } = await tenant(2, 'sessions');
    const [a, b] = instances as [Emulator, Emulator];
    const first = await login(a, DEMO);
    const second = await login(b, DEMO);
    expect(await validate(b, first)).toBe(true);
    expect(await validate(a, second)).toBe(true);
    const ended = await sessionsAction(b, 'logoutByUser', {
      body: { username: DEMO._id },
      headers: asAdmin(b),
      version: 'resource=5.1, protocol=1.0',
    });
    expect(ended.json).toEqual({ result: true });
    expect(await validate(a, first)).toBe(false);
    expect(await validate(a, second)).toBe(false);
  });

  it('logoutByHandle on one instance ends the session on the other', async () => {
    const { instances } = await tenant(2, 'handle');
    const [a, b] = instances as [Emulator, Emulator];
    const token = await login(a, BJENSEN);
    const query = await http(
      `${b.url}${ALPHA}/sessions?_queryFilter=${encodeURIComponent(`username eq "${BJENSEN._id}" and realm eq "/alpha"`)}`,
      {
        headers: { ...asAdmin(b), 'accept-api-version': 'resource=4.0, protocol=1.0' },
      },
    );
    const handle = query.json.result[0].sessionHandle as string;
    const out = await sessionsAction(b, 'logoutByHandle', {
      body: { sessionHandles: [handle] },
      headers: asAdmin(b),
      version: 'resource=5.1, protocol=1.0',
    });
    expect(out.json.result).toEqual({ [handle]: true });
    expect(await validate(a, token)).toBe(false);
  });

  it('a journey begun on A continues on B and ends on A, the user’s login count shared', async () => {
    const { prefix, instances } = await tenant(2, 'journey');
    const [a, b] = instances as [Emulator, Emulator];
    const created = await control(a, 'users', 'POST', { realm: 'alpha', userName: 'traveller', password: 'Passw0rd!' });
    expect(created.status).toBe(201);
    await settled(redis!.client, prefix, b);
    // Two logins, one on each instance: the third (ProgressiveProfile) asks for preferences.
    await login(a, { userName: 'traveller', password: 'Passw0rd!' });
    await settled(redis!.client, prefix, b);
    await login(b, { userName: 'traveller', password: 'Passw0rd!' });
    await settled(redis!.client, prefix, a);
    const first = await postStep(a, 'Login', undefined);
    expect(first.json.callbacks.map((callback: { type: string }) => callback.type)).toEqual([
      'NameCallback',
      'PasswordCallback',
    ]);
    const second = await postStep(b, 'Login', answer(answer(first.json, 0, 'traveller'), 1, 'Passw0rd!'));
    expect(second.json.header).toBe('Please select your preferences');
    const done = await postStep(a, 'Login', answer(answer(second.json, 0, true), 1, false));
    expect(done.status).toBe(200);
    expect(await validate(b, done.json.tokenId)).toBe(true);
    await settled(redis!.client, prefix, a, b);
    for (const instance of [a, b]) {
      const user = instance.tenant.users.get(created.json._id);
      expect(user?.attributes['preferences']).toEqual({ updates: true, marketing: false });
      expect(user?.attributes['loginCount']).toBe(3);
    }
  });

  it('a replayed step is refused on every instance', async () => {
    const { instances } = await tenant(2, 'replay');
    const [a, b] = instances as [Emulator, Emulator];
    const first = await postStep(a, 'Login', undefined);
    const answered = answer(answer(first.json, 0, DEMO.userName), 1, DEMO.password);
    expect((await postStep(b, 'Login', answered)).status).toBe(200);
    const again = await postStep(a, 'Login', answered);
    expect(again.status).toBe(401);
    expect(again.json.detail).toEqual({ errorCode: '110' });
  });

  it('users, ESVs, stubs and imports made on one instance reach the others', async () => {
    const { prefix, instances } = await tenant(3, 'control');
    const [a, b, c] = instances as [Emulator, Emulator, Emulator];
    await control(a, 'users', 'POST', { realm: 'alpha', userName: 'alice', password: 'pw-alice' });
    await control(b, 'esvs/esv-colour', 'PUT', { value: 'blue' });
    const stub = await control(c, 'stubs', 'POST', {
      method: 'GET',
      url: 'https://api.example.com/colour',
      status: 200,
      body: { colour: 'blue' },
    });
    await control(c, 'node-stubs/AcmeRiskNode', 'PUT', { outcome: 'low' });
    const node = 'c0000000-0000-4000-8000-000000000001';
    const hello = treeExport({
      name: 'Hello',
      description: 'one message',
      entry: node,
      nodes: [
        {
          id: node,
          type: 'MessageNode',
          name: 'Hi',
          x: 1,
          y: 1,
          connections: { true: END.success, false: END.failure },
          config: { message: { en: 'Hi' }, messageYes: { en: 'OK' }, messageNo: {} },
        },
      ],
    });
    const imported = await control(a, 'import', 'POST', { trees: { Hello: hello } });
    expect(imported.json.imported).toEqual(['Hello']);
    await settled(redis!.client, prefix, a, b, c);
    for (const instance of [a, b, c]) {
      expect(instance.tenant.users.findByUserName('/alpha', 'alice')).toBeDefined();
      expect(instance.tenant.esvs.get('esv-colour')).toBe('blue');
      expect(instance.tenant.stubs.list().map((entry) => entry.id)).toContain(stub.json.id);
      expect(instance.tenant.nodeStubs.get('AcmeRiskNode')?.outcome).toBe('low');
      expect(instance.tenant.journeys.tree('/alpha', 'Hello')).toBeDefined();
    }
    // The user added on A signs in on C.
    expect(await login(c, { userName: 'alice', password: 'pw-alice' })).toEqual(expect.any(String));
    await control(b, `stubs/${stub.json.id as string}`, 'DELETE');
    await control(a, 'node-stubs/AcmeRiskNode', 'DELETE');
    await settled(redis!.client, prefix, a, b, c);
    for (const instance of [a, b, c]) {
      expect(instance.tenant.stubs.list().map((entry) => entry.id)).not.toContain(stub.json.id);
      expect(instance.tenant.nodeStubs.list()).toEqual([]);
    }
  });

  it('changes through the admin REST APIs (AM config, ESV, IDM) on one instance reach the others', async () => {
    const { prefix, instances } = await tenant(3, 'admin-rest');
    const [a, b, c] = instances as [Emulator, Emulator, Emulator];
    const admin = { ...asAdmin(a), 'content-type': 'application/json' };
    const trees = `${ALPHA}/realm-config/authentication/authenticationtrees`;
    const node = 'c0000000-0000-4000-8000-0000000000a1';
    // frodo's order: the node, then the tree, each on another instance.
    const putNode = await http(`${a.url}${trees}/nodes/MessageNode/${node}`, {
      method: 'PUT',
      headers: { ...admin, 'accept-api-version': 'protocol=2.1,resource=1.0' },
      body: JSON.stringify({ message: { en: 'Hi' }, messageYes: { en: 'OK' }, messageNo: {} }),
    });
    expect(putNode.status, putNode.text).toBe(201);
    await settled(redis!.client, prefix, a, b, c);
    const putTree = await http(`${b.url}${trees}/trees/HelloRest`, {
      method: 'PUT',
      headers: { ...admin, 'accept-api-version': 'protocol=2.1,resource=1.0' },
      body: JSON.stringify({
        entryNodeId: node,
        nodes: {
          [node]: {
            displayName: 'Hi',
            nodeType: 'MessageNode',
            connections: { true: END.success, false: END.failure },
          },
        },
      }),
    });
    expect(putTree.status, putTree.text).toBe(201);
    const variable = await http(`${c.url}/environment/variables/esv-rest-colour`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ valueBase64: Buffer.from('green').toString('base64') }),
    });
    expect(variable.status, variable.text).toBe(200);
    await http(`${c.url}/environment/startup?_action=restart`, { method: 'POST', headers: asAdmin(c) });
    const user = await http(`${a.url}/openidm/managed/alpha_user?_action=create`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        userName: 'idm-bob',
        givenName: 'Bob',
        sn: 'Rest',
        mail: 'bob@example.com',
        password: 'Pw-b0b-rest!',
      }),
    });
    expect(user.status, user.text).toBe(201);
    await settled(redis!.client, prefix, a, b, c);
    for (const instance of [a, b, c]) {
      expect(instance.tenant.journeys.tree('/alpha', 'HelloRest')).toBeDefined();
      expect(instance.tenant.journeys.of('/alpha').nodes.get(node)).toBeDefined();
      expect(instance.tenant.esvs.get('esv-rest-colour')).toBe('green');
      expect(instance.tenant.users.findByUserName('/alpha', 'idm-bob')).toBeDefined();
    }
    // A delete travels too.
    const deleted = await http(`${c.url}${trees}/trees/HelloRest`, {
      method: 'DELETE',
      headers: { ...asAdmin(c), 'accept-api-version': 'protocol=2.1,resource=1.0' },
    });
    expect(deleted.status, deleted.text).toBe(200);
    await settled(redis!.client, prefix, a, b, c);
    for (const instance of [a, b, c]) expect(instance.tenant.journeys.tree('/alpha', 'HelloRest')).toBeUndefined();
  });

  it('IDM config (an email template, the theme) put on one instance reaches the others, and so does its delete', async () => {
    const { prefix, instances } = await tenant(2, 'idm-config');
    const [a, b] = instances as [Emulator, Emulator];
    const admin = (emulator: Emulator) => ({ ...asAdmin(emulator), 'content-type': 'application/json' });
    const template = { enabled: true, subject: { en: 'Hi' }, message: { en: '<p>{{object.userName}}</p>' } };
    const put = await http(`${a.url}/openidm/config/emailTemplate/synced`, {
      method: 'PUT',
      headers: admin(a),
      body: JSON.stringify(template),
    });
    expect(put.status, put.text).toBe(201);
    const theme = await http(`${b.url}/openidm/config/ui/themerealm`, {
      method: 'PUT',
      headers: admin(b),
      body: JSON.stringify({ realm: { alpha: [{ _id: 't1', name: 'Synced' }] } }),
    });
    expect(theme.status, theme.text).toBe(200);
    await settled(redis!.client, prefix, a, b);
    for (const instance of [a, b]) {
      expect(instance.tenant.idmConfig.get('emailTemplate/synced')).toEqual({
        _id: 'emailTemplate/synced',
        ...template,
      });
      expect(instance.tenant.idmConfig.get('ui/themerealm')).toEqual({
        _id: 'ui/themerealm',
        realm: { alpha: [{ _id: 't1', name: 'Synced' }] },
      });
    }
    const deleted = await http(`${b.url}/openidm/config/emailTemplate/synced`, {
      method: 'DELETE',
      headers: asAdmin(b),
    });
    expect(deleted.status, deleted.text).toBe(200);
    await settled(redis!.client, prefix, a, b);
    for (const instance of [a, b]) expect(instance.tenant.idmConfig.get('emailTemplate/synced')).toBeUndefined();
  });

  it('a fault added on A fires on B; its use is counted everywhere, and it ends everywhere', async () => {
    const { prefix, instances } = await tenant(2, 'faults');
    const [a, b] = instances as [Emulator, Emulator];
    const fault = await control(a, 'faults', 'POST', { path: '/serverinfo/*', status: 503, body: 'down', times: 2 });
    await settled(redis!.client, prefix, b);
    expect((await http(`${b.url}/am/json/serverinfo/*`)).status).toBe(503);
    await settled(redis!.client, prefix, a);
    expect(a.tenant.faults.list()).toEqual([expect.objectContaining({ id: fault.json.id, remaining: 1, hits: 1 })]);
    expect((await http(`${a.url}/am/json/serverinfo/*`)).status).toBe(503);
    await settled(redis!.client, prefix, b);
    expect(b.tenant.faults.list()).toEqual([]);
    expect((await http(`${b.url}/am/json/serverinfo/*`)).status).toBe(200);
  });

  it('the clock moves on every instance, and so do the sessions it expires', async () => {
    const { prefix, instances } = await tenant(2, 'clock');
    const [a, b] = instances as [Emulator, Emulator];
    const token = await login(a, SCARTER);
    const moved = await control(b, 'clock', 'POST', { advanceSeconds: 31 * 60 });
    await settled(redis!.client, prefix, a);
    expect((await control(a, 'clock')).json.now).toBe(moved.json.now);
    expect(await validate(a, token)).toBe(false);
    b.advanceClock(60);
    await settled(redis!.client, prefix, a);
    expect(a.tenant.clock.now()).toBe(b.tenant.clock.now());
  });

  it('a reset on one instance resets all: users, ESVs, clock, sessions, journal', async () => {
    const { prefix, instances } = await tenant(2, 'reset');
    const [a, b] = instances as [Emulator, Emulator];
    const start = a.tenant.clock.now();
    await control(a, 'users', 'POST', { realm: 'alpha', userName: 'temporary', password: 'pw' });
    await control(a, 'esvs/esv-temp', 'PUT', { value: 'x' });
    await control(a, 'clock', 'POST', { advanceSeconds: 600 });
    const token = await login(b, DEMO);
    await settled(redis!.client, prefix, b);
    expect(b.tenant.users.findByUserName('/alpha', 'temporary')).toBeDefined();
    expect((await control(b, 'reset', 'POST', { keepUsers: false })).status).toBe(200);
    await settled(redis!.client, prefix, a);
    for (const instance of [a, b]) {
      expect(instance.tenant.users.findByUserName('/alpha', 'temporary')).toBeUndefined();
      expect(instance.tenant.esvs.get('esv-temp')).toBeUndefined();
      expect(instance.tenant.clock.now()).toBe(start);
      expect(instance.tenant.journal.list()).toEqual([]);
    }
    expect(await validate(a, token)).toBe(false);
    expect(await a.tenant.sessions.count()).toBe(0);
  });

  it('a reset that keeps the users added since start keeps them on every instance (issue 21)', async () => {
    const { prefix, instances } = await tenant(2, 'reset-keep');
    const [a, b] = instances as [Emulator, Emulator];
    await control(a, 'users', 'POST', { realm: 'alpha', userName: 'attendee-7', password: 'pw-attendee-7' });
    await settled(redis!.client, prefix, b);
    expect((await control(b, 'reset', 'POST')).status).toBe(200);
    await settled(redis!.client, prefix, a);
    for (const instance of [a, b]) {
      expect(instance.tenant.users.findByUserName('/alpha', 'attendee-7')).toBeDefined();
      expect(await login(instance, { userName: 'attendee-7', password: 'pw-attendee-7' })).toEqual(expect.any(String));
    }
  });

  it('an instance started later takes the tenant’s state (ESVs, clock, sessions), not a fresh one', async () => {
    const { prefix, instances } = await tenant(1, 'late');
    const [a] = instances as [Emulator];
    await control(a, 'esvs/esv-early', 'PUT', { value: 'yes' });
    await control(a, 'clock', 'POST', { advanceSeconds: 3600 });
    const token = await login(a, DEMO);
    const late = await startInstance(prefix);
    started.push(late);
    expect(late.tenant.esvs.get('esv-early')).toBe('yes');
    expect(late.tenant.clock.now()).toBe(a.tenant.clock.now());
    expect(await validate(late, token)).toBe(true);
  });

  it('concurrent changes to one thing end the same on every instance (Redis’s order wins)', async () => {
    const { prefix, instances } = await tenant(2, 'race');
    const [a, b] = instances as [Emulator, Emulator];
    for (let round = 0; round < 5; round += 1) {
      // Forty changes to one ESV at once, half on each instance.
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          control(i % 2 === 0 ? a : b, 'esvs/esv-race', 'PUT', { value: `${round}-${i}` }),
        ),
      );
      await settled(redis!.client, prefix, a, b);
      expect(a.tenant.esvs.get('esv-race')).toBe(b.tenant.esvs.get('esv-race'));
    }
    await settled(redis!.client, prefix, a, b);
    const shared = await redis!.client.hget(`${tenantKeys(prefix).control}state`, 'esv:esv-race');
    expect(a.tenant.esvs.get('esv-race')).toBe(b.tenant.esvs.get('esv-race'));
    expect(JSON.stringify(a.tenant.esvs.get('esv-race'))).toBe(shared);
  });

  it('an instance that missed changes (a gap in the sequence) reloads the whole state', async () => {
    const { prefix, instances } = await tenant(2, 'gap');
    const [a, b] = instances as [Emulator, Emulator];
    const keys = tenantKeys(prefix);
    // A change written behind the instances' backs, with no message: as if one was lost.
    await redis!.client.hset(`${keys.control}state`, 'esv:esv-lost', JSON.stringify('found'));
    await redis!.client.incr(`${keys.control}seq`);
    await control(a, 'esvs/esv-next', 'PUT', { value: 'n' });
    await settled(redis!.client, prefix, a, b);
    for (const instance of [a, b]) {
      expect(instance.tenant.esvs.get('esv-lost')).toBe('found');
      expect(instance.tenant.esvs.get('esv-next')).toBe('n');
    }
  });

  it('when Redis loses the tenant (restarted empty), the instances write their state back and go on', async () => {
    const { prefix, instances } = await tenant(2, 'lost');
    const [a, b] = instances as [Emulator, Emulator];
    const keys = tenantKeys(prefix);
    await control(a, 'esvs/esv-kept', 'PUT', { value: 'kept' });
    const begun = await postStep(a, 'Login', undefined);
    await settled(redis!.client, prefix, b);
    // What a Redis restart without persistence does to the tenant: its keys gone, its
    // subscriptions cut.
    await redis!.client.unlink(
      `${keys.control}seq`,
      `${keys.control}state`,
      `${keys.control}cookie`,
      keys.authIdSecret,
    );
    const clients = (await redis!.client.client('LIST')) as string;
    for (const line of clients.split('\n')) {
      if (line.includes(`name=aic-emulator-sync:${prefix}`))
        await redis!.client.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]!);
    }
    await until(
      async () => (await redis!.client.hget(`${keys.control}state`, 'esv:esv-kept')) !== null,
      'the state written back',
    );
    expect(await redis!.client.get(keys.authIdSecret)).not.toBeNull();
    // Both have taken the tenant's new state: ready, at Redis's number (their old numbers, from
    // before the loss, are higher than Redis's new ones, so `settled` alone would be fooled).
    for (const instance of [a, b])
      await until(async () => {
        const ready = await http(`${instance.url}/__emulator/ready`);
        const sequence = (await control(instance, 'state')).json.sequence as number;
        return ready.status === 200 && sequence === Number(await redis!.client.get(`${keys.control}seq`));
      }, `${instance.url} to take the written-back state`);
    await control(b, 'esvs/esv-after', 'PUT', { value: 'after' });
    await settled(redis!.client, prefix, a, b);
    expect(a.tenant.esvs.get('esv-after')).toBe('after');
    // A new instance takes the written-back state, and the authId key: the journey goes on there.
    const late = await startInstance(prefix);
    started.push(late);
    expect(late.tenant.esvs.get('esv-kept')).toBe('kept');
    const done = await postStep(late, 'Login', answer(answer(begun.json, 0, DEMO.userName), 1, DEMO.password));
    expect(done.status).toBe(200);
  });

  it('refuses an instance whose config gives another cookie name under the same prefix', async () => {
    const { prefix } = await tenant(1, 'cookie');
    await expect(startInstance(prefix, { cookieName: '0123456789abcde' })).rejects.toBeInstanceOf(ConfigError);
  });

  it('GET /__emulator/state names the store; state/save is refused with an AM-shaped 400', async () => {
    const { prefix, instances } = await tenant(1, 'status');
    const [a] = instances as [Emulator];
    expect((await control(a, 'state')).json).toEqual({
      store: 'redis',
      redisUrl: expect.stringMatching(/^redis:\/\//),
      keyPrefix: prefix,
      sequence: expect.any(Number),
    });
    const save = await control(a, 'state/save', 'POST');
    expect(save.status).toBe(400);
    expect(save.json).toEqual({ code: 400, reason: 'Bad Request', message: expect.stringContaining('Redis') });
  });
});
