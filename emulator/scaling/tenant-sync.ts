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
 * Changes are heard from the tenant's state: each registry and the clock emit what they changed
 * (core/change-feed.ts), and the tenant marks the changes its reset makes, which are published as
 * one baseline instead (subscribe()). The registries know nothing of Redis, and with the memory
 * store nobody listens, so it pays a length check per change.
 */
import { randomUUID } from 'node:crypto';
import type { Tenant } from '../tenant/tenant.js';
import type { RedisClient } from '../core/redis-connection.js';
import { LuaScript } from '../core/redis-connection.js';
import { ConfigError } from '../core/config-error.js';
import { StoreUnavailableError } from '../core/store-unavailable.js';
import { changeScopes } from '../core/change-scope.js';
import {
  applyControlEntry,
  captureControlState,
  controlEntries,
  controlStateFromEntries,
  realmJourneysData,
  restoreControlState,
  type ControlState,
} from '../tenant/control-state.js';
import type { ChangeFeed, ListChange } from '../core/change-feed.js';
import * as Scripts from './sync-scripts.js';

const PUBLISH = new LuaScript(Scripts.PUBLISH);
/** How soon a reload is tried again after Redis did not answer. */
const RESYNC_DELAY_MS = 200;
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
  /**
   * Nonzero while the changes heard are not to be published one by one: ours applying another
   * instance's (or Redis's whole state), and a reset's re-seeding (published whole, after it).
   */
  private quiet = 0;
  /** What close() undoes: the subscriptions to the tenant's changes. */
  private unsubscribe: (() => void)[] = [];
  private counter = 0;
  private pending: Pending[] = [];
  private readonly inflight = new Set<Promise<void>>();
  /** The last sequence number applied. */
  private seq = 0;
  /** False while loading the state: messages wait in `queue`. */
  private ready = false;
  private queue: { seq: number; payload: string }[] = [];
  private reloading: Promise<boolean> | undefined;
  /** The order of faults and stubs, which the registries do not keep as data. */
  private readonly order = new Map<string, number>();
  private closed = false;
  /**
   * The number (`e`) of the latest change of ours Redis did not take, and why: this instance's
   * copy of the tenant is ahead of Redis until it takes Redis's state again (resyncSoon()).
   */
  private lastFailed = 0;
  private lastFailure = '';
  /** True while this instance holds changes Redis did not take (readiness reports it). */
  private diverged = false;
  /** Reloads that failed in a row (the log says so once). */
  private reloadFailures = 0;
  private resyncTimer: NodeJS.Timeout | undefined;

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

  /** Resolves when every change made here so far is in Redis (a reset, a close wait for it). */
  async flushed(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** Whether this instance's copy of the tenant is Redis's (readiness), and if not, why. */
  get state(): { ok: boolean; detail?: string } {
    if (this.reloading) return { ok: false, detail: "reloading the tenant's state from Redis" };
    if (this.reloadFailures > 0)
      return { ok: false, detail: "the tenant's state could not be read from Redis since it was last lost; retrying" };
    if (this.diverged)
      return {
        ok: false,
        detail: `changes made here were not taken by Redis (${this.lastFailure}); Redis's state replaces them when it answers`,
      };
    return { ok: true };
  }

  /** The last change applied here, by its number (the control API shows it; tests wait on it). */
  get sequence(): number {
    return this.seq;
  }

  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
    clearTimeout(this.resyncTimer);
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
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
    this.subscribe();
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

  /** Listens to every change of the control state, to publish it. */
  private subscribe(): void {
    const { tenant } = this;
    this.listen(tenant.clock.changes, (change) => {
      // A restore takes over a state decided elsewhere (another instance's, applied quietly).
      if (change.type !== 'restore') this.set('clock', change.state);
    });
    this.listen(tenant.esvs.changes, (change) =>
      this.set(`esv:${change.name}`, change.secret ? { value: change.value, secret: true } : change.value),
    );
    this.listen(tenant.users.changes, (change) => {
      if (change.type === 'removed') this.del(`user:${change.id}`);
      else this.set(`user:${change.user._id}`, change.user);
    });
    this.listen(tenant.idmConfig.changes, (change) => {
      if (change.type === 'removed') this.del(`idm-config:${change.id}`);
      else this.set(`idm-config:${change.id}`, change.object);
    });
    this.listenToList('fault', tenant.faults.changes);
    this.listenToList('stub', tenant.stubs.changes);
    this.listen(tenant.nodeStubs.changes, (change) => {
      if (change.type === 'removed') this.del(`node-stub:${change.id}`);
      else this.set(`node-stub:${change.id}`, change.stub);
    });
    this.listen(tenant.journeys.changes, (change) =>
      this.set(`journeys:${change.realm}`, realmJourneysData(change.journeys)),
    );

    // A reset re-seeds users, ESVs, stubs and journeys: not changes to publish one by one but a
    // new whole state, published once the reset is done (and awaited by it: whoever reset the
    // tenant finds the new state on every instance).
    this.listen(tenant.changes, (change) => {
      this.quiet += change.type === 'reset-start' ? 1 : -1;
    });
    this.unsubscribe.push(
      tenant.onReset(async () => {
        this.baseline();
        await this.flushed();
      }),
    );
  }

  private listenToList<T extends { readonly id: string }>(
    kind: 'fault' | 'stub',
    changes: ChangeFeed<ListChange<T>>,
  ): void {
    const entry = (item: T) => ({ order: this.orderOf(`${kind}:${item.id}`), [kind]: { ...item } });
    this.listen(changes, (change) => {
      switch (change.type) {
        case 'added':
          // Added after everything a baseline holds (numbered from 0), in the order added.
          this.order.set(`${kind}:${change.item.id}`, Date.now() + (this.counter % 1000) / 1000);
          this.set(`${kind}:${change.item.id}`, entry(change.item));
          return;
        case 'used':
          this.set(`${kind}:${change.item.id}`, entry(change.item));
          return;
        case 'removed':
          this.del(`${kind}:${change.id}`);
          return;
        case 'cleared':
          for (const id of change.ids) this.del(`${kind}:${id}`);
          return;
      }
    });
  }

  /**
   * Subscribes until close(). What goes wrong publishing is this sync's to report, in the
   * emulator's log (the feed would only print a process warning); the change stays made here.
   */
  private listen<E>(feed: ChangeFeed<E>, listener: (event: E) => void): void {
    this.unsubscribe.push(
      feed.on((event) => {
        try {
          listener(event);
        } catch (error) {
          this.log.warn({ error: (error as Error).message }, 'a tenant change could not be published');
        }
      }),
    );
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
      (seq): undefined => {
        pending.seq = Number(seq);
        return undefined;
      },
      (error: unknown): string => {
        // Redis is away: the change is on this instance only, until Redis's state replaces it.
        this.pending = this.pending.filter((item) => item !== pending);
        this.lastFailed = Math.max(this.lastFailed, e);
        this.lastFailure = error instanceof StoreUnavailableError ? error.reason : (error as Error).message;
        this.diverged = true;
        this.log.warn({ error: this.lastFailure }, 'a tenant change could not be shared through Redis');
        this.resyncSoon();
        return this.lastFailure;
      },
    );
    // The request that made the change (if any) waits for it, and learns its fate.
    changeScopes.getStore()?.shared.push(done);
    const tracked = done.then(() => undefined);
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
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

  /**
   * Takes the whole state from Redis (a gap in the messages, a reconnection, changes of ours
   * Redis did not take). Resolves true once this instance holds Redis's state.
   */
  private reload(): Promise<boolean> {
    if (this.reloading) return this.reloading;
    this.ready = false;
    // Every message received so far was published before the state is read below (Redis runs
    // one command at a time), so the state holds them: they go. After Redis restarted empty they
    // would even carry numbers from before, which no longer mean anything.
    this.queue = [];
    const failedBefore = this.lastFailed;
    this.reloading = (async () => {
      let loaded = false;
      try {
        await this.init();
        loaded = true;
        // Redis's state (or ours, written to an empty Redis) is now this instance's: the changes
        // Redis had not taken are gone, or, when Redis was empty, in it now.
        if (this.lastFailed === failedBefore) this.diverged = false;
        if (this.reloadFailures > 0)
          this.log.warn({ attempts: this.reloadFailures + 1 }, "reloaded the tenant's state from Redis");
        this.reloadFailures = 0;
      } catch (error) {
        // Once per outage in the log, not at every attempt.
        if (this.reloadFailures === 0)
          this.log.warn(
            { error: (error as Error).message },
            "could not reload the tenant's state from Redis; trying again until it answers",
          );
        this.reloadFailures += 1;
      } finally {
        this.ready = true;
        this.reloading = undefined;
      }
      this.drain();
      if (this.diverged || this.reloadFailures > 0) this.resyncSoon();
      return loaded;
    })();
    return this.reloading;
  }

  /**
   * Reloads Redis's state soon: after a change Redis did not take, or a reload that failed. The
   * subscription's reconnection reloads too, but a Redis that paused without dropping the
   * connection gives no such event.
   */
  private resyncSoon(): void {
    if (this.resyncTimer || this.closed) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      if (!this.closed) void this.reload();
    }, RESYNC_DELAY_MS);
    this.resyncTimer.unref();
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
