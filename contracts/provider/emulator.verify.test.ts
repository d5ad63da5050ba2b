/**
 * Provider verification: the committed pact against the emulator (started in-process on a free
 * port), and against a real tenant when one is configured (AIC_TENANT_URL and friends).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { EmulatorDriver, RealTenantDriver } from './tenant-drivers.js';
import { CONTRACT_TENANT, verifyAgainst } from './verify.js';

describe('the pact verified against the emulator', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await createEmulator({ config: CONTRACT_TENANT });
  });
  afterAll(() => emulator.close());

  it('every interaction verifies', async () => {
    await expect(verifyAgainst(new EmulatorDriver(emulator.url))).resolves.toBeDefined();
  }, 120_000);
});

const tenant = RealTenantDriver.fromEnvironment();
if (!tenant) {
  console.info(
    '[contracts] real-tenant verification skipped: set AIC_TENANT_URL, AIC_USERNAME, AIC_PASSWORD and AIC_ADMIN_TOKEN to run it (README, Contracts)',
  );
}

describe.skipIf(!tenant)('the pact verified against a real tenant (opt-in)', () => {
  it('every interaction verifies', async () => {
    await expect(verifyAgainst(tenant as RealTenantDriver)).resolves.toBeDefined();
  }, 300_000);
});
