/**
 * Where a tenant's state lives, chosen by the `store` option: in this process (the default,
 * optionally saved to a state file), or in Redis, shared by every instance of the tenant.
 *
 * A backend is opened before the Tenant exists (the tenant is built with its stores), attached
 * to it once built (loading a state file, joining the other instances), and closed after the
 * server (saving the state file, closing connections).
 *
 * This module holds the interface only; open-backend.ts picks and opens an implementation.
 */
import type { Tenant, TenantOptions } from '../tenant/tenant.js';

import type { StoreConfig } from '../config/config-types.js';
import type { Logger } from '../core/logger.js';

export type { StoreConfig };

/** What `POST /__emulator/state/save` answers. */
export interface SaveResult {
  path: string;
  savedAt: string;
  bytes: number;
  users: number;
  sessions: number;
  journeySessions: number;
}

/** One thing an instance needs to serve, as `GET /__emulator/ready` reports it. */
export interface ReadinessCheck {
  ok: boolean;
  /** Why not, when not. */
  detail?: string;
}

/** Whether this instance can serve: its store answers and its copy of the tenant is current. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, ReadinessCheck>;
}

export interface StateBackend {
  /** One line for the start banner. */
  readonly description: string;
  /** The stores and secret the Tenant is built with. */
  readonly tenantOptions: Pick<TenantOptions, 'sessionStore' | 'journeySessions' | 'authIdSecret'>;
  /**
   * Once the tenant is built, before the server listens: loads or joins its state. `reimport`
   * imports the config's and command line's journeys again, over those loaded; `log` is where
   * what goes wrong later (a change Redis did not take) is written.
   */
  attach(tenant: Tenant, hooks: { reimport: () => void; log: Logger }): Promise<void>;
  /** Resolves when changes made so far have reached the other instances' source (Redis). */
  flushed(): Promise<void>;
  /**
   * True when changes are shared with other instances: requests then run in a change scope
   * (core/change-scope.ts) and their answers wait for their changes to be shared.
   */
  readonly sharesChanges: boolean;
  /** `GET /__emulator/ready`: probes the store (briefly), never throws. */
  readiness(): Promise<Readiness>;
  /** Saves the state file; undefined when this backend has none (AmError-free: callers word it). */
  save(): Promise<SaveResult | undefined>;
  /** `GET /__emulator/state`. */
  status(): Record<string, unknown>;
  /** After the server closed: saves the state file (unless `save` is false: a failed start), closes connections. */
  close(save?: boolean): Promise<void>;
}
