import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'contracts/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own emulators on free ports; files run in parallel, isolated.
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: one on the 2-core machines CI and this
    // project run on, i.e. a serial suite. Most files wait on sockets, browsers and Redis, so two
    // run well side by side (about 330 s down to 220 s here); three made timing-sensitive files
    // (ratios measured in the same run, a pact mock server) flaky.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default'],
  },
});
