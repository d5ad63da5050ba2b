/** The `aic-emulator` package: the programmatic API. */
export { createEmulator, type Emulator, type EmulatorOptions } from './create-emulator.js';
export {
  resolveConfig,
  readConfigFile,
  ConfigError,
  type TenantConfig,
  type TenantConfigInput,
  type UserSeed,
} from './tenant/config.js';
export { DEMO_PASSWORD, DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOKEN } from './tenant/demo-tenant.js';
export { Tenant } from './tenant/tenant.js';
export type { Session } from './sessions/session.js';
export type { SessionStore, NewSession } from './sessions/store.js';
export { MemorySessionStore } from './sessions/memory-store.js';
export type { StoreConfig, SaveResult } from './scaling/backend.js';
