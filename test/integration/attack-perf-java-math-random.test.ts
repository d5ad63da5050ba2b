/**
 * Found reviewing 27b5134 (issue 22, script runtime), but older than it (983de90 has it too):
 * `java.lang.Math.random` (on both engines' allowlists) is the engine's own Math.random, taken
 * when installJavaLang runs, before installMathRandom seeds Math.random for the run. Every run
 * starts from the same saved engine memory, QuickJS's generator state included, so on a given
 * worker every run draws the same number: java.lang.Math.random() is a constant per worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { startEmulator } from '../helpers/tenant.js';
import { runScript } from '../helpers/script-journey.js';

let emulator: Emulator;
beforeAll(async () => {
  // One worker: every run starts from the same engine's saved memory.
  emulator = await startEmulator({ config: { scriptLimits: { workers: 1 } } });
});
afterAll(() => emulator.close());

describe('java.lang.Math.random differs per run', () => {
  it.each([
    ['2.0', 'nodeState.putShared'],
    ['1.0', 'sharedState.put'],
  ] as const)('engine %s', async (engine, put) => {
    const drawn: unknown[] = [];
    for (let i = 0; i < 3; i += 1) {
      const run = await runScript(
        emulator,
        `${put}("result", String(java.lang.Math.random()) + " " + String(Math.random())); outcome = "done";`,
        { engine },
      );
      expect(run.error).toBeUndefined();
      drawn.push(run.result);
    }
    const javaDraws = drawn.map((value) => String(value).split(' ')[0]);
    const mathDraws = drawn.map((value) => String(value).split(' ')[1]);
    // Math.random is seeded per run (random.ts): three different numbers.
    expect(new Set(mathDraws).size).toBe(3);
    // java.lang.Math.random should be as random as the Math.random it stands for.
    expect(new Set(javaDraws).size).toBe(3);
  });
});
