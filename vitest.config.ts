import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The Pact consumer tests run on their own, after everything else. Pact's Rust mock server
 * records a matched request on a task of its own, after it has answered (pact-reference#535,
 * pact-core-mock-server#13): under CPU pressure from the files running beside it, the test
 * checks before the record is written and reports an answered request as "expected but not
 * received" (4 runs in 8 with two busy cores here, as often before issue 22's changes). Each
 * test waits for the record (`recorded`, contracts/consumer/pact-setup.ts), which alone made it
 * pass 8 runs in 8 under that load; running the file alone as well keeps CPU pressure off a race
 * that also showed once in CI with nothing beside it. Reported upstream against 16.3.0 and later;
 * the 16.x line is the one that runs on Node 20.
 */
const PACT_CONSUMER = ['contracts/consumer/**/*.test.ts'];
/**
 * The megabyte-input suite asserts ratios measured in the same run (linear work: ~4× between a
 * megabyte and a quarter of it; quadratic: 16×; the bound: 8×). Beside another file, the garbage
 * collector's share of the larger input grows with the machine's load: one shape measured 9.1×
 * in CI. It runs alone too, last (about a minute).
 */
const RATIOS = ['test/unit/linear-input.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own emulators on free ports; files run in parallel, isolated.
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: one on the 2-core machines CI and this
    // project run on, i.e. a serial suite. Most files wait on sockets, browsers and Redis, so two
    // run well side by side (about 330 s down to 220 s here); the files whose assertions are
    // sensitive to what runs beside them run alone, after the rest (projects below).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts', 'contracts/**/*.test.ts'],
          exclude: [...PACT_CONSUMER, ...RATIOS],
          sequence: { groupOrder: 0 },
        },
      },
      // Groups run one after the other: each of these files runs with nothing beside it.
      {
        extends: true,
        test: { name: 'pact-consumer', include: PACT_CONSUMER, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'linear-input', include: RATIOS, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
