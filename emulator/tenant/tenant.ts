/**
 * One emulated tenant: its config and everything stateful (clock, realms, users, ESVs, the
 * session stores, journeys and their runs, faults, stubs, the journal). State only: the engines
 * that work on it (the journey engine, the script runner) are built beside it by createEmulator
 * (emulator/app/). `reset()` brings it back to its configured start.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AIC_ADMIN_CLIENT, AIC_ADMIN_CLIENT_ID } from '../config/aic-admin-client.js';
import type { ResolvedTenantConfig } from '../config/config-types.js';
import { TenantClock } from '../core/clock.js';
import { ChangeFeed } from '../core/change-feed.js';
import { ConfigError } from '../core/config-error.js';
import { RealmRegistry } from '../state/realms.js';
import { EsvStore } from '../state/esvs.js';
import { EsvCatalog } from '../state/esv-catalog.js';
import { IdmConfigStore } from '../state/idm-config.js';
import { idmConfigSeed } from '../config/idm-config-seed.js';
import { UserDirectory, type User } from '../state/user-directory.js';
import { MemorySessionStore } from '../state/sessions/memory-store.js';
import type { SessionStore } from '../state/sessions/store.js';
import { expiresAt, type Session } from '../state/sessions/session.js';
import { FaultRegistry } from '../state/faults.js';
import { Journal } from '../state/journal.js';
import { MemoryJourneySessionStore, type JourneySessionStore } from '../state/journeys/journey-sessions.js';
import { JourneyRegistry, type ImportResult } from '../state/journeys/registry.js';
import { RunHistory } from '../state/journeys/runs.js';
import { decodeExport } from '../state/journeys/import/formats.js';
import { loadExports } from '../state/journeys/import/load.js';
import { emptyBundle, type JourneyBundle, type JourneyProblem } from '../state/journeys/model.js';
import { demoJourneys } from '../config/demo-journeys/index.js';
import { StubRegistry } from '../state/stubs.js';
import { NodeStubRegistry } from '../state/node-stubs.js';
import { SocialIdentityProviders } from '../state/social-providers.js';
import { Outbox } from '../state/outbox.js';
import type { EmailTemplate } from '../state/email-template.js';
import { OAuth2ClientRegistry } from '../state/oauth2/clients.js';
import { OAuth2GrantStore } from '../state/oauth2/grants.js';
import { randomBytes } from 'node:crypto';

/** How many session tokens' owners a tenant remembers (sessionOwner()). */
const SESSION_OWNERS_KEPT = 20_000;

export interface TenantOptions {
  /** A session store other than the in-memory default. */
  sessionStore?: SessionStore;
  /** Journey exports imported at start (and again at every reset): objects, or paths of files and folders. */
  journeys?: (string | JourneyExportInput)[];
  /** Where journeys in progress wait (default in memory; Redis when instances share a tenant). */
  journeySessions?: JourneySessionStore;
  /** The secret authIds are signed with (default random): shared by the instances of a tenant. */
  authIdSecret?: string;
}

/** An export to import, with the realm it goes to (default: the one it names, else alpha). */
export interface JourneyExportInput {
  /** An export object... */
  export?: unknown;
  /** ...or the path of an export file or folder. */
  path?: string;
  realm?: string;
  source?: string;
}

/**
 * How many expired sessions one sweep step removes before yielding to requests: about 2 ms of
 * work (5,000 held requests for ~25 ms while a million expired; bench/results.md).
 */
const SWEEP_BATCH = 500;
const SWEEP_INTERVAL_MS = 1_000;

/**
 * A reset's start and end. Between the two, the reset empties the stores and seeds them again
 * from the config, and the registries report every user, ESV, stub and journey it seeds as a
 * change: these events tell a listener that those are one reset, not changes of their own (the
 * Redis sync publishes the whole state after a reset instead: onReset()).
 */
export type TenantChange = { type: 'reset-start' } | { type: 'reset-end' };

/** Messages the outbox keeps (the oldest go first). */
const OUTBOX_CAPACITY = 500;

export class Tenant {
  readonly clock: TenantClock;
  readonly realms: RealmRegistry;
  readonly users: UserDirectory;
  readonly esvs = new EsvStore();
  /** What AIC's ESV API knows of the ESVs beyond their values (descriptions, versions, pending changes). */
  readonly esvCatalog: EsvCatalog;
  /** IDM's configuration objects (`/openidm/config`): themes, email templates. */
  readonly idmConfig = new IdmConfigStore();
  readonly sessions: SessionStore;
  readonly faults = new FaultRegistry();
  readonly journal: Journal;
  readonly journeys = new JourneyRegistry();
  readonly runs: RunHistory;
  /** The mail the tenant sent (journeys' email nodes), kept to be read instead of delivered. */
  readonly outbox: Outbox;
  readonly stubs = new StubRegistry();
  /** What nodes the emulator cannot run do instead (state/node-stubs.ts). */
  readonly nodeStubs = new NodeStubRegistry();
  /** The realms' social identity providers (the social login nodes' IdPs). */
  readonly socialProviders: SocialIdentityProviders;
  /** The realms' OAuth 2.0 clients. */
  readonly oauth2Clients: OAuth2ClientRegistry;
  /** Authorization codes, grants and revoked tokens of the OAuth2 provider (this process only). */
  readonly oauth2Grants: OAuth2GrantStore;
  /** Journeys in progress, between one `/authenticate` step and the next. */
  readonly journeySessions: JourneySessionStore;
  /** The secret authIds are signed with: shared by the instances of a tenant, kept by its state file. */
  readonly authIdSecret: string;
  private readonly startJourneys: (string | JourneyExportInput)[];
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private sweepAgain = false;
  private readonly adminTokenDigest: Buffer;
  readonly changes = new ChangeFeed<TenantChange>();
  private afterReset: (() => Promise<void> | void)[] = [];

  /** Throws ConfigError, naming the part of the config at fault, when the tenant cannot be built from it. */
  constructor(
    readonly config: ResolvedTenantConfig,
    options: TenantOptions = {},
  ) {
    try {
      this.clock = new TenantClock(config.clock);
    } catch (error) {
      throw new ConfigError(`config/clock/start: ${(error as Error).message}`);
    }
    this.esvCatalog = new EsvCatalog(this.esvs, this.clock);
    this.realms = new RealmRegistry(config.realms);
    this.users = new UserDirectory(this.realms, () => this.clock.now());
    this.oauth2Clients = new OAuth2ClientRegistry(this.realms);
    this.socialProviders = new SocialIdentityProviders(this.realms, config.socialIdentityProviders);
    this.oauth2Grants = new OAuth2GrantStore(() => this.clock.now());
    this.sessions = options.sessionStore ?? new MemorySessionStore({ now: () => this.clock.now() });
    this.journal = new Journal(config.journalSize, () => ({
      cookieName: config.cookieName,
      // Secret ESVs too: a script's outbound call may carry one (issue 21).
      secretValues: [config.adminToken, ...this.esvs.secretValues()],
    }));
    this.adminTokenDigest = digest(config.adminToken);
    this.outbox = new Outbox(OUTBOX_CAPACITY, () => this.clock.now());
    this.runs = new RunHistory(
      config.runHistorySize,
      () => this.clock.now(),
      () => this.esvs.secretValues(),
    );
    this.journeySessions = options.journeySessions ?? new MemoryJourneySessionStore(() => this.clock.now());
    this.authIdSecret = options.authIdSecret ?? randomBytes(32).toString('base64url');
    this.startJourneys = [...config.journeys, ...(options.journeys ?? [])];
    this.seed();
    this.clock.onChange(() => void this.sweepSoon());
  }

  get cookieName(): string {
    return this.config.cookieName;
  }

  /**
   * Back to the configured start: users, ESVs, clock; no sessions, faults or journal entries.
   * Resolves once the stores are empty and every onReset() listener has finished.
   * `keepUsers`: the users added since start stay (as they are, with their passwords), beside the
   * configured ones (which come back as configured); one whose `_id` or userName a configured
   * user has again is dropped. The control API's `POST reset` keeps them unless asked otherwise
   * (issue 21: a workshop's attendees); `emulator.reset()` and this default do not.
   */
  async reset(options: { keepUsers?: boolean } = {}): Promise<void> {
    await this.resetCounting(options);
  }

  /** reset(), answering how many users added since start it kept. */
  async resetCounting(options: { keepUsers?: boolean } = {}): Promise<{ keptUsers: number }> {
    let storesCleared: Promise<unknown>;
    let keptUsers = 0;
    // Synchronous from reset-start to reset-end, so that no change of a request can come in
    // between and be taken for the reset's.
    this.changes.emit({ type: 'reset-start' });
    try {
      // Configuration first, then the store: a login racing the reset cannot outlive it with a
      // creation time from before the clock went back.
      const added = options.keepUsers === true ? this.users.list() : [];
      this.users.clear();
      this.esvs.clear();
      this.esvCatalog.clear();
      this.idmConfig.clear();
      this.faults.clear();
      this.stubs.clear();
      this.nodeStubs.clear();
      this.journal.clear();
      this.sessionOwners.clear();
      this.journeys.clear();
      this.runs.clear();
      this.outbox.clear();
      this.oauth2Clients.clear();
      this.oauth2Grants.clear();
      const journeysCleared = this.journeySessions.clear();
      this.clock.reset();
      this.seed();
      for (const user of added) {
        if (this.users.get(user._id) || this.users.findByUserName(user.realm, user.userName)) continue;
        // Kept inside the reset: published with the rest of the reset's state (the Redis sync's baseline).
        this.users.put(user);
        keptUsers += 1;
      }
      storesCleared = Promise.all([journeysCleared, this.sessions.clear()]);
    } finally {
      this.changes.emit({ type: 'reset-end' });
    }
    await storesCleared;
    for (const listener of this.afterReset) await listener();
    return { keptUsers };
  }

  /**
   * Runs `listener` after every reset, which waits for it: the Redis sync publishes the state
   * after the reset there, and whoever reset the tenant (the control API, emulator.reset()) must
   * find it on every instance once the reset resolves. A hook the reset awaits, not an event: a
   * feed's listeners are synchronous, and nobody would wait for what they start. Answers the
   * function that removes it.
   */
  onReset(listener: () => Promise<void> | void): () => void {
    this.afterReset = [...this.afterReset, listener];
    return () => {
      this.afterReset = this.afterReset.filter((item) => item !== listener);
    };
  }

  /** Is this the static admin bearer token? Compared in constant time. */
  /** An IDM email template (`emailTemplate/<name>` in IDM's config), as the email nodes render it. */
  emailTemplate(name: string): EmailTemplate | undefined {
    return this.idmConfig.get(`emailTemplate/${name}`);
  }

  isAdminToken(token: string): boolean {
    return timingSafeEqual(digest(token), this.adminTokenDigest);
  }

  /**
   * Creates an authenticated session for a user, applying the session quota when it is on
   * (the session that would expire first is destroyed to make room, as AM's
   * DestroyNextExpiringAction does).
   */
  async createSession(
    user: User,
    options: {
      service: string;
      successUrl: string;
      properties?: Record<string, string>;
      maxIdleMinutes?: number;
      maxSessionMinutes?: number;
    },
  ): Promise<Session> {
    const limits = this.config.session;
    if (limits.quota.enabled) {
      const existing = await this.sessions.listByUser(user.realm, user._id);
      const excess = existing.length - limits.quota.limit + 1;
      if (excess > 0) {
        const byExpiry = existing.sort((a, b) => expiresAt(a) - expiresAt(b));
        for (const session of byExpiry.slice(0, excess)) await this.sessions.delete(session.tokenId);
      }
    }
    const session = await this.sessions.create({
      realm: user.realm,
      userId: user._id,
      universalId: this.users.universalId(user),
      maxIdleMinutes: options.maxIdleMinutes ?? limits.maxIdleMinutes,
      maxSessionMinutes: options.maxSessionMinutes ?? limits.maxSessionMinutes,
      service: options.service,
      successUrl: options.successUrl,
      ...(options.properties ? { properties: options.properties } : {}),
    });
    this.rememberSessionOwner(session.tokenId, user._id);
    return session;
  }

  /**
   * Whose session a token was, for the sessions this instance made lately, live or ended: an
   * attendee's journal (the control API's `me/journal`) holds the requests made with their
   * sessions, the ones a journey ended included. Bounded: the oldest are forgotten first.
   */
  private readonly sessionOwners = new Map<string, string>();

  private rememberSessionOwner(tokenId: string, userId: string): void {
    if (this.sessionOwners.size >= SESSION_OWNERS_KEPT) {
      const oldest = this.sessionOwners.keys().next().value;
      if (oldest !== undefined) this.sessionOwners.delete(oldest);
    }
    this.sessionOwners.set(tokenId, userId);
  }

  /** The `_id` of the user a session token was made for (by this instance, lately), if known. */
  sessionOwner(tokenId: string): string | undefined {
    return this.sessionOwners.get(tokenId);
  }

  /** Starts purging expired sessions in the background (the AM routes never wait for it). */
  startSweeper(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => void this.sweepSoon(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  stopSweeper(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /**
   * Purges in batches, yielding to the event loop between them, so a million sessions expiring
   * at once do not stall requests.
   */
  sweepSoon(): Promise<void> {
    if (this.sweeping) {
      this.sweepAgain = true;
      return this.sweeping;
    }
    this.sweeping = new Promise<void>((resolve) => {
      const done = () => {
        this.sweeping = undefined;
        resolve();
      };
      const step = () => {
        Promise.resolve()
          .then(() => this.sessions.purgeExpired(SWEEP_BATCH))
          .then((result) => {
            if (result.more || this.sweepAgain) {
              this.sweepAgain = false;
              setImmediate(step);
            } else {
              done();
            }
          })
          // A failing store must not kill the process; expired sessions are still never answered.
          .catch(done);
      };
      setImmediate(step);
    });
    return this.sweeping;
  }

  /** Resolves when the sweep in progress (if any) has finished. */
  whenSwept(): Promise<void> {
    return this.sweeping ?? Promise.resolve();
  }

  private seed(): void {
    this.config.users.forEach((seed, index) => {
      try {
        this.users.add(seed);
      } catch (error) {
        throw new ConfigError(`config/users/${index} (${String(seed.userName)}): ${(error as Error).message}`);
      }
    });
    for (const object of idmConfigSeed()) this.idmConfig.put(object._id, object);
    this.esvs.set('esv-cookie', this.config.cookieName);
    for (const [name, value] of Object.entries(this.config.esvs)) {
      try {
        this.esvs.set(name, value);
      } catch (error) {
        throw new ConfigError(`config/esvs/${name}: ${(error as Error).message}`);
      }
    }
    this.config.stubs.forEach((stub, index) => {
      try {
        this.stubs.add(stub);
      } catch (error) {
        throw new ConfigError(`config/stubs/${index}: ${(error as Error).message}`);
      }
    });
    (this.config.nodeStubs ?? []).forEach((stub, index) => {
      try {
        this.nodeStubs.add(stub);
      } catch (error) {
        throw new ConfigError(`config/nodeStubs/${index}: ${(error as Error).message}`);
      }
    });
    this.config.oauth2.clients.forEach((client, index) => {
      try {
        this.oauth2Clients.add(client);
      } catch (error) {
        throw new ConfigError(`config/oauth2/clients/${index} (${client.clientId}): ${(error as Error).message}`);
      }
    });
    // AIC's own admin client, unless the config brings its own under the same id.
    if (!this.oauth2Clients.get('/', AIC_ADMIN_CLIENT_ID)) this.oauth2Clients.add(AIC_ADMIN_CLIENT);
    for (const realm of this.realms.list())
      this.importJourneys({ export: demoJourneys(realm.path), realm: realm.path, source: 'demo tenant' });
    for (const entry of this.startJourneys) {
      const result = this.importJourneys(entry);
      const errors = result.problems.filter((problem) => problem.severity === 'error' && !problem.journey);
      if (errors.length > 0)
        throw new ConfigError(
          `journeys: ${errors.map((problem) => `${problem.source ?? ''}: ${problem.message}`).join('; ')}`,
        );
    }
  }

  /**
   * Imports journeys (an export object, or a file or folder path) into a realm: the one given,
   * else the one the export names, else alpha. Answers what was imported and the problems found
   * decoding it, by name. The linter's findings are the journeys layer's to add
   * (emulator/journeys/import-journeys.ts).
   */
  importJourneys(input: string | JourneyExportInput): ImportResult {
    let bundle: JourneyBundle;
    const problems: JourneyProblem[] = [];
    let realmName: string | undefined;
    if (typeof input === 'string' || input.path !== undefined) {
      const loaded = loadExports(typeof input === 'string' ? input : (input.path as string), {
        realm: typeof input === 'string' ? undefined : input.realm,
      });
      bundle = loaded.bundle;
      problems.push(...loaded.problems);
      if (typeof input !== 'string') realmName = input.realm;
    } else {
      bundle = emptyBundle();
      problems.push(...decodeExport(input.export, input.source ?? 'request', bundle, { realm: input.realm }).problems);
      realmName = input.realm;
    }
    const realm =
      this.realms.resolve(realmName ?? bundle.realmHint ?? '/alpha') ??
      (realmName === undefined ? this.realms.resolve('/alpha') : undefined);
    if (!realm) {
      problems.push({ severity: 'error', message: `no realm ${realmName ?? bundle.realmHint} in this tenant` });
      return { realm: realmName ?? '', imported: [], problems };
    }
    const imported = this.journeys.add(realm.path, bundle);
    return { realm: realm.path, imported, problems };
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
