/**
 * The tenant's state reports its changes (core/change-feed.ts): each registry and the clock emit
 * what they changed, a reset marks its re-seeding, and the Redis sync listens to that instead of
 * replacing the tenant's methods.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ChangeFeed } from '../../emulator/core/change-feed.js';
import { TenantClock } from '../../emulator/core/clock.js';
import { resolveConfig } from '../../emulator/config/config.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { EsvStore } from '../../emulator/state/esvs.js';
import { FaultRegistry } from '../../emulator/state/faults.js';
import { JourneyRegistry } from '../../emulator/state/journeys/registry.js';
import { StubRegistry } from '../../emulator/state/stubs.js';
import { UserDirectory } from '../../emulator/state/user-directory.js';
import { Tenant } from '../../emulator/tenant/tenant.js';
import type { Emulator } from '../../emulator/index.js';
import { hasRedis, testPrefix, testRedis } from '../helpers/redis.js';
import { startInstance } from '../helpers/instances.js';

const newTenant = () => new Tenant(resolveConfig({ cookieName: 'abcdef012345678' }));

/** Every event of every feed of the tenant, in order, tagged with the feed's name. */
function record(tenant: Tenant): { feed: string; event: Record<string, unknown> }[] {
  const seen: { feed: string; event: Record<string, unknown> }[] = [];
  const listen = <E extends object>(feed: string, changes: ChangeFeed<E>) =>
    changes.on((event) => seen.push({ feed, event: event as Record<string, unknown> }));
  listen('tenant', tenant.changes);
  listen('clock', tenant.clock.changes);
  listen('esvs', tenant.esvs.changes);
  listen('users', tenant.users.changes);
  listen('faults', tenant.faults.changes);
  listen('stubs', tenant.stubs.changes);
  listen('journeys', tenant.journeys.changes);
  return seen;
}

const NODE = 'c0000000-0000-4000-8000-000000000001';
const hello = treeExport({
  name: 'Hello',
  description: 'one message',
  entry: NODE,
  nodes: [
    {
      id: NODE,
      type: 'MessageNode',
      name: 'Hi',
      x: 1,
      y: 1,
      connections: { true: END.success, false: END.failure },
      config: { message: { en: 'Hi' }, messageYes: { en: 'OK' }, messageNo: {} },
    },
  ],
});

describe('ChangeFeed', () => {
  it('calls listeners in order until they unsubscribe; a throwing one stops neither the others nor the emit', () => {
    const errors: unknown[] = [];
    const feed = new ChangeFeed<number>((error) => errors.push(error));
    expect(feed.listening).toBe(false);
    feed.emit(0);
    const seen: string[] = [];
    const first = feed.on((n) => seen.push(`a${n}`));
    feed.on(() => {
      throw new Error('broken listener');
    });
    feed.on((n) => seen.push(`c${n}`));
    expect(feed.listening).toBe(true);
    expect(() => feed.emit(1)).not.toThrow();
    first();
    first();
    feed.emit(2);
    expect(seen).toEqual(['a1', 'c1', 'c2']);
    expect(errors.map((error) => (error as Error).message)).toEqual(['broken listener', 'broken listener']);
  });
});

describe('the state emits what changed', () => {
  it('the clock: advance, set, freeze (and restore), each with its state after; onChange hears moves only', () => {
    const start = Date.UTC(2026, 6, 10);
    const clock = new TenantClock({ start, frozen: true }, () => start);
    const events: unknown[] = [];
    const moves: number[] = [];
    clock.changes.on((change) => events.push(change));
    clock.onChange((now) => moves.push(now));
    clock.advance(10);
    clock.set(start + 60_000);
    clock.freeze(true);
    clock.restore({ offsetMs: 0, frozenAt: start });
    expect(events).toEqual([
      { type: 'advance', now: start + 10_000, state: { offsetMs: 0, frozenAt: start + 10_000 } },
      { type: 'set', now: start + 60_000, state: { offsetMs: 0, frozenAt: start + 60_000 } },
      { type: 'freeze', now: start + 60_000, state: { offsetMs: 0, frozenAt: start + 60_000 } },
      { type: 'restore', now: start, state: { offsetMs: 0, frozenAt: start } },
    ]);
    expect(moves).toEqual([start + 10_000, start + 60_000, start]);
  });

  it('ESVs, users, faults, stubs and journeys', () => {
    const tenant = newTenant();
    const seen = record(tenant);
    tenant.esvs.set('esv-colour', 'blue');
    const user = tenant.users.add({ realm: 'alpha', userName: 'alice', password: 'pw' });
    const updated = tenant.users.update(user._id, { givenName: 'Alice' });
    tenant.users.remove(user._id.toUpperCase());
    expect(tenant.users.remove(user._id)).toBe(false);
    expect(seen.splice(0)).toEqual([
      { feed: 'esvs', event: { type: 'set', name: 'esv-colour', value: 'blue', secret: false } },
      { feed: 'users', event: { type: 'added', user } },
      { feed: 'users', event: { type: 'updated', user: updated } },
      { feed: 'users', event: { type: 'removed', id: user._id } },
    ]);

    const twice = tenant.faults.add({ path: '/sessions', status: 503, times: 2 });
    const always = tenant.faults.add({ path: '/users', status: 500 });
    tenant.faults.match({ method: 'GET', path: '/sessions', action: undefined });
    tenant.faults.match({ method: 'GET', path: '/sessions', action: undefined });
    tenant.faults.match({ method: 'GET', path: '/nothing', action: undefined });
    tenant.faults.clear();
    expect(seen.splice(0).map(({ feed, event }) => [feed, event.type, event['id'] ?? event['ids']])).toEqual([
      ['faults', 'added', undefined],
      ['faults', 'added', undefined],
      ['faults', 'used', undefined],
      // Its last use removes it: `removed`, not `used`.
      ['faults', 'removed', twice.id],
      ['faults', 'cleared', [always.id]],
    ]);

    tenant.stubs.clear();
    seen.splice(0);
    const stub = tenant.stubs.add({ url: 'https://api.example.com/*', body: 'hi' });
    tenant.stubs.match('GET', 'https://api.example.com/colour');
    tenant.stubs.remove(stub.id);
    expect(seen.splice(0)).toEqual([
      { feed: 'stubs', event: { type: 'added', item: expect.objectContaining({ id: stub.id }) } },
      { feed: 'stubs', event: { type: 'used', item: expect.objectContaining({ id: stub.id, hits: 1 }) } },
      { feed: 'stubs', event: { type: 'removed', id: stub.id } },
    ]);

    tenant.importJourneys({ export: { trees: { Hello: hello } }, realm: '/alpha' });
    // Nothing imported, nothing changed: no event.
    tenant.importJourneys({ export: { nothing: true }, realm: '/alpha' });
    expect(seen.map(({ feed, event }) => [feed, event.type, event['realm'], event['trees']])).toEqual([
      ['journeys', 'added', '/alpha', ['Hello']],
    ]);
    expect((seen[0]?.event['journeys'] as { trees: Map<string, unknown> }).trees.has('Hello')).toBe(true);
  });

  it('a listener that throws neither undoes the change nor fails the call that made it', () => {
    const tenant = newTenant();
    tenant.users.changes.on(() => {
      throw new Error('broken listener');
    });
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    const user = tenant.users.add({ realm: 'alpha', userName: 'bob', password: 'pw' });
    expect(tenant.users.get(user._id)).toBe(user);
    return expect(warned).resolves.toMatchObject({
      name: 'ChangeListenerError',
      message: expect.stringContaining('broken listener'),
    });
  });

  it('a reset marks its re-seeding, and waits for the onReset listeners', async () => {
    const tenant = newTenant();
    tenant.users.add({ realm: 'alpha', userName: 'carol', password: 'pw' });
    const seen = record(tenant);
    let release: () => void = () => undefined;
    let finished = false;
    const unsubscribe = tenant.onReset(() => new Promise<void>((resolve) => (release = resolve)));
    const reset = tenant.reset().then(() => (finished = true));
    const feeds = seen.map(({ feed, event }) => `${feed}:${String(event.type)}`);
    expect(feeds[0]).toBe('tenant:reset-start');
    expect(feeds.at(-1)).toBe('tenant:reset-end');
    // What the config seeds, in between: the demo users, the stub, the demo journeys.
    expect(feeds).toContain('users:added');
    expect(feeds).toContain('stubs:added');
    expect(feeds).toContain('journeys:added');
    expect(feeds.filter((name) => name.startsWith('tenant:'))).toHaveLength(2);
    for (let i = 0; i < 10; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    release();
    await reset;
    expect(finished).toBe(true);
    expect(tenant.users.findByUserName('/alpha', 'carol')).toBeUndefined();
    unsubscribe();
    await tenant.reset();
  });
});

const available = await hasRedis();
const redis = available ? await testRedis() : undefined;
const prefix = testPrefix('state-events');
const started: Emulator[] = [];
afterAll(async () => {
  for (const emulator of started.splice(0)) await emulator.close();
  await redis?.cleanUp(prefix);
});

describe.skipIf(!available)('the Redis sync listens, it does not replace methods', () => {
  it("leaves every method of the tenant's objects its prototype's, and stops listening on close", async () => {
    const emulator = await startInstance(prefix);
    started.push(emulator);
    const { tenant } = emulator;
    // Each object with its class's prototype, named: a method replaced on the object would be its own.
    const objects: [string, object, object, string[]][] = [
      ['tenant', tenant, Tenant.prototype, ['reset', 'importJourneys']],
      ['clock', tenant.clock, TenantClock.prototype, ['advance', 'set', 'freeze', 'restore']],
      ['esvs', tenant.esvs, EsvStore.prototype, ['set', 'clear']],
      ['users', tenant.users, UserDirectory.prototype, ['add', 'update', 'remove', 'put', 'clear']],
      ['faults', tenant.faults, FaultRegistry.prototype, ['add', 'remove', 'clear', 'match', 'put']],
      ['stubs', tenant.stubs, StubRegistry.prototype, ['add', 'remove', 'clear', 'match', 'put']],
      ['journeys', tenant.journeys, JourneyRegistry.prototype, ['add', 'clear']],
    ];
    for (const [name, object, prototype, methods] of objects) {
      expect(Object.getPrototypeOf(object), name).toBe(prototype);
      for (const method of methods) {
        expect(Object.hasOwn(object, method), `${name}.${method}`).toBe(false);
        expect(Reflect.get(object, method), `${name}.${method}`).toBe(Reflect.get(prototype, method));
      }
    }
    const feeds = [tenant.changes, tenant.esvs.changes, tenant.users.changes, tenant.faults.changes] as const;
    expect(feeds.every((feed) => feed.listening)).toBe(true);
    started.splice(started.indexOf(emulator), 1);
    await emulator.close();
    expect(feeds.some((feed) => feed.listening)).toBe(false);
  });
});
