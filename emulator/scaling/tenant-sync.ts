/**
 * Keeps the control state of every instance of a tenant the same, through Redis. Sessions and
 * journeys in progress need none of this: they live in Redis already. What lives in each process
 * (the clock, ESVs, users, faults, stubs, imported journeys) is read synchronously all over the
 * emulator, so it stays in memory, and changes travel:
 *
 * - A change made here (control API, a journey's node, a script) is applied here at once, as
 *   before, and published: one Lua script writes the entry into the tenant's state hash, takes
 *   the next sequence number and publishes the change (sync-scripts.ts).
 * - Every instance applies the changes it receives, in sequence order. A gap in the numbers (a
 *   lost connection) makes it reload the whole state from the hash, which is exact at a number.
 * - A reset publishes a "baseline": the whole state after the reset, replacing everyone's.
 *
 * Two instances changing the same thing at the same moment: Redis orders the two changes, and
 * everyone must end with the later one. An instance applied its own change early, so when it
 * receives another instance's change that Redis ordered before one of its own not yet
 * acknowledged, it applies that change and then its own again on top. All instances thus agree
 * with Redis's order.
 *
 * Entries are whole values (a user's record, a fault with its counters), so applying one twice
 * is harmless. Counters of faults and stubs (`times`, `hits`) travel as values too: two
 * instances using the same fault within the same millisecond or so may both fire it.
 *
 * Changes are caught by wrapping the methods that make them on this tenant's objects (the list
 * is in instrument()): the registries know nothing of Redis, and the memory store pays nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Tenant } from '../tenant/tenant.js';
import type { RedisClient } from '../core/redis-connection.js';
import { LuaScript } from '../core/redis-connection.js';
import { ConfigError } from '../core/config-error.js';
import {
  applyControlEntry,
  captureControlState,
  captureRealmJourneys,
  controlEntries,
  controlStateFromEntries,
  restoreControlState,
  type ControlState,
} from '../tenant/control-state.js';
import * as Scripts from './sync-scripts.js';

const PUBLISH = new LuaScript(Scripts.PUBLISH);
const INIT = new LuaScript(Scripts.INIT);

/** A change as it travels on the channel. */
type Change =
  | { o: string; e: number; op: 'set'; k: string; v: unknown }
  | { o: string; e: number; op: 'del'; k: string }
  | { o: string; e: number; op: 'baseline'; reason: 'reset'; entries: [string, unknown][] };

/** A change of ours that Redis has not yet sent back: `seq` once Redis has ordered it. */
interface Pending {
  e: number;
  seq: number | undefined;
  apply: () => void;
}

export interface TenantSyncOptions {
  /** For commands. */
  client: RedisClient;
  /** A second connection, for the subscription (a subscribed connection takes no commands). */
  subscriber: RedisClient;
  /** tenantKeys(prefix).control */
  prefix: string;
  /** The tenant's authId key and where Redis keeps it (written back if Redis lost it). */
  authId: { key: string; secret: string };
  log?: { warn(details: object, message: string): void };
}

export class TenantSync {
  private readonly origin = randomUUID();
  private readonly client: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly prefix: string;
  private readonly authId: { key: string; secret: string };
  private readonly log: { warn(details: object, message: string): void };
  /** Nonzero while changes are applied, not made: they must not be published again. */
  private quiet = 0;
  private counter = 0;
  private pending: Pending[] = [];
  private readonly inflight = new Set<Promise<void>>();
  /** The last sequence number applied. */
  private seq = 0;
  /** False while loading the state: messages wait in `queue`. */
  private ready = false;
  private queue: { seq: number; payload: string }[] = [];
  private reloading: Promise<void> | undefined;
  /** The order of faults and stubs, which the registries do not keep as data. */
  private readonly order = new Map<string, number>();
  private closed = false;

  private constructor(
    private readonly tenant: Tenant,
    options: TenantSyncOptions,
  ) {
    this.client = options.client;
    this.subscriber = options.subscriber;
    this.prefix = options.prefix;
    this.authId = options.authId;
    this.log = options.log ?? { warn: () => undefined };
  }

  /**
   * Joins the tenant: the first instance writes its state to Redis, the others take the state
   * there is (users, ESVs, clock, ...) in place of their own. Throws ConfigError when the tenant
   * under this prefix has another cookie name (another config).
   */
  static async start(tenant: Tenant, options: TenantSyncOptions): Promise<TenantSync> {
    const sync = new TenantSync(tenant, options);
    await sync.join();
    return sync;
  }

  /** Resolves when every change made here so far is in Redis (control answers wait for it). */
  async flushed(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** The last change applied here, by its number (the control API shows it; tests wait on it). */
  get sequence(): number {
    return this.seq;
  }

  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
  }

  private async join(): Promise<void> {
    const channel = `${this.prefix}events`;
    // Subscribe first: nothing published between reading the state and subscribing is lost.
    this.subscriber.on('message', (from: string, message: string) => {
      if (from === channel && !this.closed) this.receive(message);
    });
    await this.subscriber.subscribe(channel);
    // After a lost connection ioredis subscribes again by itself, but what was published in the
    // meantime is gone: read the whole state again.
    this.subscriber.on('ready', () => {
      if (this.ready && !this.closed) void this.reload();
    });
    this.instrument();
    await this.init();
    this.ready = true;
    this.drain();
  }

  /** Takes the tenant's state from Redis, or writes ours there when Redis has none. */
  private async init(): Promise<void> {
    const entries = controlEntries(captureControlState(this.tenant)).flatMap(([key, value]) => [
      key,
      JSON.stringify(value),
    ]);
    const reply = (await INIT.run(this.client, [
      this.prefix,
      this.tenant.cookieName,
      this.authId.key,
      this.authId.secret,
      ...entries,
    ])) as [number, number | string, string[]?];
    if (reply[0] === -1) {
      throw new ConfigError(
        `the tenant under Redis prefix ${this.prefix.replace(/control:$/, '')} has cookie name ${String(reply[1])}, this instance ${this.tenant.cookieName}: start every instance of a tenant with the same config, or give this one another prefix`,
      );
    }
    if (reply[0] === 0) {
      this.load(Number(reply[1]), reply[2] ?? []);
    } else {
      // Ours is now the tenant's state, at this number.
      this.seq = Number(reply[1]);
      this.pending = [];
    }
  }

  // ---- changes made here ----

  /** Wraps every method that changes the control state, to publish what it changed. */
  private instrument(): void {
    const { tenant } = this;
    const publishClock = () => this.set('clock', tenant.clock.state());
    after(tenant.clock, 'advance', publishClock);
    after(tenant.clock, 'set', publishClock);
    after(tenant.clock, 'freeze', publishClock);

    after(tenant.esvs, 'set', (_result, [name, value]) => this.set(`esv:${name}`, value));

    after(tenant.users, 'add', (user) => this.set(`user:${user._id}`, user));
    after(tenant.users, 'update', (user) => this.set(`user:${user._id}`, user));
    around(
      tenant.users,
      'remove',
      ([id]) => tenant.users.get(id)?._id,
      (removed, id) => {
        if (removed && id !== undefined) this.del(`user:${id}`);
      },
    );

    for (const [kind, registry] of [
      ['fault', tenant.faults],
      ['stub', tenant.stubs],
    ] as const) {
      const registryAny = registry as unknown as Registry;
      const entry = (item: { id: string }) => ({ order: this.orderOf(`${kind}:${item.id}`), [kind]: { ...item } });
      after(registryAny, 'add', (item) => {
        // Added after everything a baseline holds (numbered from 0), in the order added.
        this.order.set(`${kind}:${item.id}`, Date.now() + (this.counter % 1000) / 1000);
        this.set(`${kind}:${item.id}`, entry(item));
      });
      after(registryAny, 'remove', (removed, [id]) => {
        if (removed) this.del(`${kind}:${id}`);
      });
      around(
        registryAny,
        'clear',
        () => registryAny.list().map((item) => item.id),
        (_result, ids) => {
          for (const id of ids) this.del(`${kind}:${id}`);
        },
      );
      // A use changes its counters (a use that ends it removes it, which `remove` publishes).
      after(registryAny, 'match', (item) => {
        if (item && (item.remaining === undefined || item.remaining > 0)) this.set(`${kind}:${item.id}`, entry(item));
      });
    }

    after(tenant, 'importJourneys', (result) => {
      if (result.imported.length > 0) this.set(`journeys:${result.realm}`, captureRealmJourneys(tenant, result.realm));
    });

    // A reset re-seeds users, ESVs and stubs: those are not changes to publish one by one but a
    // new whole state. Tenant.reset() is synchronous up to clearing its stores (tenant.ts), so
    // what it seeds happens inside the quiet section.
    const reset = tenant.reset.bind(tenant);
    tenant.reset = async () => {
      this.quiet += 1;
      let done: Promise<void>;
      try {
        done = reset();
      } finally {
        this.quiet -= 1;
      }
      await done;
      this.baseline();
      await this.flushed();
    };
  }

  private set(key: string, value: unknown): void {
    if (this.quiet > 0) return;
    const copy = structuredClone(value);
    this.publish({ op: 'set', k: key, v: copy }, ['set', key, JSON.stringify(copy)], () =>
      applyControlEntry(this.tenant, key, copy),
    );
  }

  private del(key: string): void {
    if (this.quiet > 0) return;
    this.order.delete(key);
    this.publish({ op: 'del', k: key }, ['del', key], () => applyControlEntry(this.tenant, key, undefined));
  }

  private baseline(): void {
    const state = captureControlState(this.tenant);
    const entries = controlEntries(state);
    this.resetOrder(state);
    this.publish(
      { op: 'baseline', reason: 'reset', entries },
      ['baseline', ...entries.flatMap(([key, value]) => [key, JSON.stringify(value)])],
      () => restoreControlState(this.tenant, structuredClone(state)),
    );
  }

  private publish(change: DistributiveOmit<Change, 'o' | 'e'>, args: string[], apply: () => void): void {
    const e = ++this.counter;
    const pending: Pending = { e, seq: undefined, apply };
    this.pending.push(pending);
    const payload = JSON.stringify({ o: this.origin, e, ...change });
    const done = PUBLISH.run(this.client, [this.prefix, payload, ...args]).then(
      (seq) => {
        pending.seq = Number(seq);
      },
      (error: unknown) => {
        // Redis is away: the change stays on this instance only.
        this.pending = this.pending.filter((item) => item !== pending);
        this.log.warn({ error: (error as Error).message }, 'a tenant change could not be shared through Redis');
      },
    );
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
  }

  // ---- changes received ----

  private receive(message: string): void {
    const space = message.indexOf(' ');
    const seq = Number(message.slice(0, space));
    if (!Number.isSafeInteger(seq)) return;
    this.queue.push({ seq, payload: message.slice(space + 1) });
    if (this.ready) this.drain();
  }

  /** Applies queued messages in order; a gap makes it reload the whole state. */
  private drain(): void {
    this.queue.sort((a, b) => a.seq - b.seq);
    while (this.ready && this.queue.length > 0) {
      const next = this.queue[0] as { seq: number; payload: string };
      if (next.seq <= this.seq) {
        this.queue.shift();
        continue;
      }
      if (next.seq !== this.seq + 1) {
        void this.reload();
        return;
      }
      this.queue.shift();
      this.seq = next.seq;
      let change: Change;
      try {
        change = JSON.parse(next.payload) as Change;
      } catch {
        continue;
      }
      if (change.o === this.origin) {
        // Ours, back in order: applied already, and nothing of ours is older.
        this.pending = this.pending.filter((item) => item.e !== change.e);
      } else {
        this.applyTheirs(change, next.seq);
      }
    }
  }

  private applyTheirs(change: Change, seq: number): void {
    this.quietly(() => {
      if (change.op === 'set') {
        applyControlEntry(this.tenant, change.k, change.v);
        if (change.k.startsWith('fault:') || change.k.startsWith('stub:'))
          this.order.set(change.k, (change.v as { order: number }).order);
      } else if (change.op === 'del') {
        applyControlEntry(this.tenant, change.k, undefined);
        this.order.delete(change.k);
      } else {
        const state = controlStateFromEntries(change.entries);
        restoreControlState(this.tenant, state);
        this.resetOrder(state);
        // A reset empties the journal and the run history too (each instance's own).
        this.tenant.journal.clear();
        this.tenant.runs.clear();
      }
      this.reapplyOurs(seq);
    });
  }

  /** Our changes that Redis orders after `seq` (or has not ordered yet) go back on top. */
  private reapplyOurs(seq: number): void {
    this.pending = this.pending.filter((item) => item.seq === undefined || item.seq > this.seq);
    for (const item of this.pending) if (item.seq === undefined || item.seq > seq) item.apply();
  }

  /** Takes the whole state from Redis (a gap in the messages, a reconnection). */
  private reload(): Promise<void> {
    if (this.reloading) return this.reloading;
    this.ready = false;
    // Every message received so far was published before the state is read below (Redis runs
    // one command at a time), so the state holds them: they go. After Redis restarted empty they
    // would even carry numbers from before, which no longer mean anything.
    this.queue = [];
    this.reloading = (async () => {
      try {
        await this.init();
      } catch (error) {
        this.log.warn(
          { error: (error as Error).message },
          'could not reload the tenant state from Redis; retrying on reconnection',
        );
      } finally {
        this.ready = true;
        this.reloading = undefined;
      }
      this.drain();
    })();
    return this.reloading;
  }

  private load(seq: number, flat: string[]): void {
    const entries: [string, unknown][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      try {
        entries.push([flat[i] as string, JSON.parse(flat[i + 1] as string)]);
      } catch {
        // an entry that is not JSON is skipped
      }
    }
    const state = controlStateFromEntries(entries);
    this.quietly(() => {
      restoreControlState(this.tenant, state);
      this.seq = seq;
      this.reapplyOurs(seq);
    });
    this.resetOrder(state);
    for (const [key, value] of entries)
      if (key.startsWith('fault:') || key.startsWith('stub:')) this.order.set(key, (value as { order: number }).order);
  }

  private resetOrder(state: ControlState): void {
    this.order.clear();
    state.faults.forEach((fault, index) => this.order.set(`fault:${fault.id}`, index));
    state.stubs.forEach((stub, index) => this.order.set(`stub:${stub.id}`, index));
  }

  private orderOf(key: string): number {
    return this.order.get(key) ?? Date.now();
  }

  private quietly(work: () => void): void {
    this.quiet += 1;
    try {
      work();
    } finally {
      this.quiet -= 1;
    }
  }
}

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

/** What the sync needs of the fault and stub registries (both have these). */
interface Registry {
  add(input: unknown): { id: string; remaining: number | undefined };
  remove(id: string): boolean;
  clear(): void;
  list(): { id: string }[];
  match(...args: unknown[]): { id: string; remaining: number | undefined } | undefined;
}

type AnyFunction = (...args: unknown[]) => unknown;

/** Replaces `target[name]` with a call to it followed by `then(result, args)`. */
function after<T, K extends keyof T>(
  target: T,
  name: K,
  then: T[K] extends (...args: infer A) => infer R ? (result: R, args: A) => void : never,
): void {
  const original = target[name] as unknown as AnyFunction;
  (target as Record<K, unknown>)[name] = (...args: unknown[]) => {
    const result = original.apply(target, args);
    (then as unknown as (result: unknown, args: unknown[]) => void)(result, args);
    return result;
  };
}

/** Like after(), with something worked out before the call (what a removal removes). */
function around<T, K extends keyof T, B>(
  target: T,
  name: K,
  before: T[K] extends (...args: infer A) => unknown ? (args: A) => B : never,
  then: T[K] extends (...args: never[]) => infer R ? (result: R, noted: B) => void : never,
): void {
  const original = target[name] as unknown as AnyFunction;
  (target as Record<K, unknown>)[name] = (...args: unknown[]) => {
    const noted = (before as unknown as (args: unknown[]) => B)(args);
    const result = original.apply(target, args);
    (then as unknown as (result: unknown, noted: B) => void)(result, noted);
    return result;
  };
}
