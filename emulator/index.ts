/** The `aic-emulator` package: the programmatic API. */
export { createEmulator, type Emulator, type EmulatorOptions } from './app/create-emulator.js';
export {
  ControlApiError,
  type EmulatorTestHelpers,
  type UserHelpers,
  type BulkUsersInput,
  type BulkUsers,
  type SessionHelpers,
  type SessionFilters,
  type ClockHelpers,
  type FaultHelpers,
  type StubHelpers,
  type RunHelpers,
  type RunFilters,
  type JournalHelpers,
  type OutboxHelpers,
  type ControlUser,
  type ControlSession,
} from './app/test-helpers.js';
export type { FaultSpec, Fault } from './state/faults.js';
export type { StubSpec, Stub } from './state/stubs.js';
export type { JournalEntry } from './state/journal.js';
export type { OutboxMessage } from './state/outbox.js';
export type { RunRecord, NodeVisit, RunStatus, StateChange, LogLine, OutboundCall } from './state/journeys/runs.js';
export {
  resolveConfig,
  readConfigFile,
  ConfigError,
  type TenantConfig,
  type TenantConfigInput,
  type UserSeed,
} from './config/config.js';
export { DEMO_PASSWORD, DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOKEN, DEMO_CLIENT_SECRET } from './config/demo-tenant.js';
export { DEMO_SERVICE_ACCOUNT_ID, DEMO_SERVICE_ACCOUNT_JWK } from './config/demo-service-account.js';
export { Tenant } from './tenant/tenant.js';
export type { Session } from './state/sessions/session.js';
export type { SessionStore, NewSession } from './state/sessions/store.js';
export { MemorySessionStore } from './state/sessions/memory-store.js';
export type { StoreConfig, SaveResult } from './scaling/backend.js';
