import type { Rt } from './types.js';

/**
 * Seeds `Math.random` from the run's own random bytes. Every run starts from the same saved
 * engine state (worker.ts), its Math.random generator's included: unseeded, each run would draw
 * the same numbers.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installMathRandom(rt: Rt): void {
  const { define, Math: _Math } = rt;
  // 53 random bits per number, as Math.random gives, from two 32-bit draws.
  const next = rt.xoshiro128(64, 1);
  define(_Math, 'random', function random() {
    return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  });
}
