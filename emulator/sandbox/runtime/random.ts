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
  const seed = rt.input.random ?? [];
  const word = (at: number) =>
    (((seed[at] ?? 1) << 24) | ((seed[at + 1] ?? 2) << 16) | ((seed[at + 2] ?? 3) << 8) | (seed[at + 3] ?? 4)) >>> 0;
  let s0 = word(64) || 1;
  let s1 = word(68) || 2;
  let s2 = word(72) || 3;
  let s3 = word(76) || 4;
  // xoshiro128**: 32-bit arithmetic only, 53 random bits per number as Math.random gives.
  const next = () => {
    const result = _Math.imul((_Math.imul(s1, 5) << 7) | (_Math.imul(s1, 5) >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  define(_Math, 'random', function random() {
    return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  });
}
