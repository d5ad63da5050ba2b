/**
 * How the work a function does grows with hostile input, without a timed assertion: the time of
 * its worst shape against a baseline measured in the same run (a benign input of the same size,
 * or the same shape at another size). Absolute times mean nothing on a shared, noisy machine;
 * a ratio of two measurements taken side by side does: a quadratic pass on a megabyte is
 * thousands of times slower than a linear one, a linear pass within a small factor.
 */

/** Milliseconds `repetitions` calls of `fn` take. */
function elapsed(fn: () => unknown, repetitions: number): number {
  const started = performance.now();
  for (let i = 0; i < repetitions; i += 1) fn();
  return performance.now() - started;
}

/**
 * time(candidate) / time(baseline), each the best of several rounds taken alternately (so that
 * both see the same load), with the baseline repeated until it takes long enough to be well above
 * the timer's resolution. A candidate that is already far slower on its first run is not run again
 * (a superlinear pass would make the test crawl before failing).
 */
export function costRatio(
  candidate: () => unknown,
  baseline: () => unknown,
  options: { rounds?: number; minimumMs?: number } = {},
): number {
  const rounds = options.rounds ?? 5;
  const minimumMs = options.minimumMs ?? 25;
  baseline();
  let repetitions = 1;
  while (elapsed(baseline, repetitions) < minimumMs && repetitions < 4096) repetitions *= 2;
  let best = { candidate: Infinity, baseline: Infinity };
  for (let round = 0; round < rounds; round += 1) {
    const base = elapsed(baseline, repetitions);
    const single = round === 0 ? elapsed(candidate, 1) : undefined;
    if (single !== undefined && single > 100 * base) return (single * repetitions) / base;
    const cand = single !== undefined && repetitions === 1 ? single : elapsed(candidate, repetitions);
    best = { candidate: Math.min(best.candidate, cand), baseline: Math.min(best.baseline, base) };
  }
  return best.candidate / best.baseline;
}

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** `unit` repeated until the text is `size` characters long (cut to exactly that). */
export function repeatTo(unit: string | ((index: number) => string), size: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i += 1) {
    const part = typeof unit === 'string' ? unit : unit(i);
    parts.push(part);
    length += part.length;
  }
  return parts.join('').slice(0, size);
}

/** Milliseconds `repetitions` sequential calls of `fn` take. */
async function elapsedAsync(fn: () => Promise<unknown>, repetitions: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < repetitions; i += 1) await fn();
  return performance.now() - started;
}

/** costRatio for work that answers later (a request to a running emulator). */
export async function costRatioAsync(
  candidate: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  options: { rounds?: number; minimumMs?: number } = {},
): Promise<number> {
  const rounds = options.rounds ?? 5;
  const minimumMs = options.minimumMs ?? 50;
  await baseline();
  let repetitions = 1;
  while ((await elapsedAsync(baseline, repetitions)) < minimumMs && repetitions < 256) repetitions *= 2;
  let best = { candidate: Infinity, baseline: Infinity };
  for (let round = 0; round < rounds; round += 1) {
    const base = await elapsedAsync(baseline, repetitions);
    const single = round === 0 ? await elapsedAsync(candidate, 1) : undefined;
    if (single !== undefined && single > 100 * base) return (single * repetitions) / base;
    const cand = single !== undefined && repetitions === 1 ? single : await elapsedAsync(candidate, repetitions);
    best = { candidate: Math.min(best.candidate, cand), baseline: Math.min(best.baseline, base) };
  }
  return best.candidate / best.baseline;
}

/** Whole copies of `unit` (statements of a script, say) until the text is at least `size` characters long. */
export function repeatWhole(unit: (index: number) => string, size: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i += 1) {
    const part = unit(i);
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}
