/**
 * `createEmulator(options)`: a tenant and its HTTP server, started and listening. Each call is a
 * separate tenant (its own store, clock, users, faults), so parallel test files never share
 * state.
 *
 *     const emulator = await createEmulator();
 *     // emulator.url, emulator.cookieName, emulator.adminToken
 *     await emulator.advanceClock(31 * 60);
 *     await emulator.close();
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { readConfigFile, resolveConfig, type TenantConfigInput } from '../config/config.js';
import { Tenant, type JourneyExportInput } from '../tenant/tenant.js';
import type { SessionStore } from '../state/sessions/store.js';
import { buildServer } from '../http/server.js';
import {
  isLoopbackAddress,
  isLoopbackHost,
  rekeyDemoUsers,
  startSecrets,
  type DemoPasswords,
} from './start-secrets.js';
import type { SaveResult, StoreConfig } from '../scaling/backend.js';
import { openBackend } from '../scaling/open-backend.js';
import { stateRoutes } from '../http/control/state-routes.js';
import { buildEngines, type Engines } from './engines.js';
import { createTestHelpers, type EmulatorTestHelpers } from './test-helpers.js';

export interface EmulatorOptions {
  /** Port to listen on; 0 (the default here) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** A config object, or the path of a JSON or YAML config file, merged over the demo tenant. */
  config?: TenantConfigInput | string;
  /** Overrides the tenant cookie name (15 lowercase hex characters). */
  cookieName?: string;
  /** Clock start and freezing, as in the config file's `clock`. */
  clock?: { start?: string; frozen?: boolean };
  /** Fastify's logger option (default off). */
  logger?: FastifyServerOptions['logger'];
  /** A session store other than the in-memory default. */
  sessionStore?: SessionStore;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** How long a client may take to send its request's headers, in ms (default: Node's, 60 s); past it, a 408. */
  headersTimeoutMs?: number;
  /**
   * Journey exports to import at start (and at every reset): export objects (the realm taken from
   * the export, else alpha), `{export, realm}`, or paths of files and folders.
   */
  journeys?: (string | JourneyExportInput | Record<string, unknown>)[];
  /** The control API's token (overrides the config's); see `Emulator.controlToken`. */
  controlToken?: string;
  /**
   * Where the state lives (overrides the config's `store`): `{kind: 'memory', stateFile?}`, the
   * default, or `{kind: 'redis', redisUrl?, keyPrefix?}` for several instances of one tenant.
   */
  store?: StoreConfig;
}

/**
 * A running tenant. Besides the members below, the control API as typed helpers (test-helpers.ts):
 * `users`, `sessions`, `clock`, `faults`, `stubs`, `runs`, `journal`, `outbox`.
 */
export interface Emulator extends EmulatorTestHelpers {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly cookieName: string;
  /**
   * The admin bearer token: the configured one, else the README's fixed one on loopback and one
   * made at start beyond it (shared by the instances of a tenant, kept by its state file).
   */
  readonly adminToken: string;
  /**
   * The demo users' and tenant admin's passwords, fixed or made as the admin token is; undefined
   * when the config names its own users.
   */
  readonly demoPasswords: DemoPasswords | undefined;
  /**
   * The token control API requests must carry (header `x-aic-emulator-token`): the configured one,
   * or one made at start when the server listens beyond loopback; undefined when none is needed.
   */
  readonly controlToken: string | undefined;
  readonly tenant: Tenant;
  /** The engines working on the tenant: the journey engine and the script runner. */
  readonly engines: Engines;
  readonly server: FastifyInstance;
  /** Where the state lives, in words (the banner prints it). */
  readonly store: string;
  /** The state file (memory store), if any: loaded at start, written by saveState() and close(). */
  readonly stateFile: string | undefined;
  /** Writes the state file now; undefined when there is none (see `store.stateFile`). */
  saveState(): Promise<SaveResult | undefined>;
  /** Back to the configured start state (users, ESVs, clock; no sessions, faults or journal). */
  reset(): Promise<void>;
  /** Moves the tenant clock forward. */
  advanceClock(seconds: number): void;
  close(): Promise<void>;
}

export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const fileConfig = typeof options.config === 'string' ? readConfigFile(options.config) : options.config;
  const config = resolveConfig(
    fileConfig,
    options.cookieName !== undefined ? { cookieName: options.cookieName } : undefined,
    options.clock !== undefined ? { clock: options.clock } : undefined,
  );
  const journeys = (options.journeys ?? []).map((entry): string | JourneyExportInput =>
    typeof entry === 'string'
      ? entry
      : 'export' in entry || 'path' in entry
        ? (entry as unknown as JourneyExportInput)
        : { export: entry, source: 'createEmulator options' },
  );
  // The backend (memory, a state file, Redis) first: the tenant is built with its stores.
  const backend = await openBackend(storeConfig(options.store, config.store), {
    cookieName: config.cookieName,
    sessionStore: options.sessionStore,
  });
  try {
    return await start(options, fileConfig, config, journeys, backend);
  } catch (error) {
    await backend.close(false);
    throw error;
  }
}

/** The option's store over the config's: key by key when they are of one kind, else the option's. */
function storeConfig(option: StoreConfig | undefined, configured: StoreConfig | undefined): StoreConfig | undefined {
  if (!option) return configured;
  if (!configured || configured.kind !== option.kind) return option;
  const given = Object.fromEntries(Object.entries(option).filter(([, value]) => value !== undefined));
  return { ...configured, ...given };
}

async function start(
  options: EmulatorOptions,
  given: TenantConfigInput | undefined,
  resolved: ReturnType<typeof resolveConfig>,
  journeys: (string | JourneyExportInput)[],
  backend: Awaited<ReturnType<typeof openBackend>>,
): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  // Decided before listening: the tenant is seeded with them. Checked again once listening.
  const fixedSecrets = isLoopbackHost(host);
  const seed = backend.tenantOptions.authIdSecret ?? randomBytes(32).toString('base64url');
  const secrets = startSecrets(resolved, given, { loopback: fixedSecrets, seed });
  const config = secrets.config;
  const tenant = new Tenant(config, { ...backend.tenantOptions, journeys });
  let listening: AddressInfo | undefined;
  const hosts = () => {
    const names = new Set(['127.0.0.1', 'localhost', ...config.hosts]);
    if (listening && listening.address !== '0.0.0.0' && listening.address !== '::') names.add(listening.address);
    return [...names];
  };
  const loopbackOnly = () => listening !== undefined && isLoopbackAddress(listening.address);
  const configuredToken = options.controlToken ?? config.controlToken;
  const controlToken = () =>
    configuredToken ?? (listening === undefined || loopbackOnly() ? undefined : secrets.controlToken);
  // The engines reach the server (in-process calls, its log) only when a script runs, once it exists.
  const engines = buildEngines(tenant, {
    hosts,
    inject: (injectOptions) => server.inject(injectOptions),
    log: {
      warn: (details, message) => server.log.warn(details, message),
      error: (details, message) => server.log.error(details, message),
    },
  });
  const server = buildServer(
    {
      tenant,
      authenticator: engines.journeys,
      lintEnvironment: engines.lintEnvironment,
      inProcessSecret: engines.inProcessSecret,
      oauth2: engines.oauth2,
      adminBearer: engines.adminBearer,
      bearerScopes: engines.bearerScopes,
      sharesChanges: backend.sharesChanges,
    },
    {
      hosts,
      loopbackOnly,
      controlToken,
      controlRoutes: (scope) => {
        scope.register(stateRoutes, { backend });
      },
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
      ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
      ...(options.headersTimeoutMs !== undefined ? { headersTimeoutMs: options.headersTimeoutMs } : {}),
    },
  );
  // Loads a state file or joins the tenant's other instances; this instance's journeys go over
  // what was loaded (as they would over the demo tenant's).
  await backend.attach(tenant, {
    reimport: () => {
      for (const entry of [...config.journeys, ...journeys]) tenant.importJourneys(entry);
    },
    log: server.log,
  });
  if (!fixedSecrets && secrets.demoPasswords) rekeyDemoUsers(tenant.users, secrets.demoPasswords);
  await server.listen({ port: options.port ?? 0, host });
  listening = server.server.address() as AddressInfo;
  if (fixedSecrets && !loopbackOnly()) {
    // A name that resolved to loopback a moment ago and to something else now: the published
    // secrets must not be served there.
    await engines.scripts.close();
    await server.close();
    throw new Error(
      `${host} did not resolve to a loopback address (${listening.address}); the demo tenant's published secrets are only for loopback`,
    );
  }
  tenant.startSweeper();
  const urlHost = listening.family === 'IPv6' ? `[${listening.address}]` : listening.address;
  const displayHost = listening.address === '0.0.0.0' || listening.address === '::' ? '127.0.0.1' : urlHost;
  let closed = false;
  return {
    url: `http://${displayHost}:${listening.port}`,
    port: listening.port,
    cookieName: config.cookieName,
    adminToken: config.adminToken,
    demoPasswords: secrets.demoPasswords,
    controlToken: controlToken(),
    tenant,
    engines,
    server,
    ...createTestHelpers(server, controlToken),
    store: backend.description,
    stateFile: (backend.status()['stateFile'] as string | null | undefined) ?? undefined,
    saveState: () => backend.save(),
    reset: () => tenant.reset(),
    advanceClock: (seconds: number) => {
      tenant.clock.advance(seconds);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      tenant.stopSweeper();
      tenant.faults.abortDelays();
      await engines.scripts.close();
      await server.close();
      // After the last request: the state file then holds everything they did.
      await backend.close();
    },
  };
}
