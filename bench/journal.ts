/**
 * Reading the journal (the console's Journal tab) when it holds hostile input: 20 requests with
 * 16,000-character cookies without "=" (a shape a backtracking cookie regex took 18 s to mask),
 * against 20 requests with normal cookies of the same length (the baseline, same run).
 *
 *   npm run bench -- journal
 */
import { createEmulator, type Emulator } from '../emulator/index.js';

const ENTRIES = 20;
const COOKIE_LENGTH = 16_000;
const READS = 15;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function normalCookie(): string {
  let cookie = '';
  for (let i = 0; cookie.length < COOKIE_LENGTH; i += 1) cookie += `c${i}=v${i}; `;
  return cookie.slice(0, COOKIE_LENGTH);
}

async function filled(cookie: string): Promise<Emulator> {
  const emulator = await createEmulator({ config: { journalSize: ENTRIES } });
  for (let i = 0; i < ENTRIES; i += 1) {
    const response = await fetch(`${emulator.url}/am/json/serverinfo/*`, { headers: { cookie } });
    await response.arrayBuffer();
  }
  return emulator;
}

async function readMs(emulator: Emulator): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${emulator.url}/__emulator/journal`);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`the journal answered ${response.status}`);
  return performance.now() - started;
}

export async function run(): Promise<string> {
  const hostile = await filled('x'.repeat(COOKIE_LENGTH));
  const normal = await filled(normalCookie());
  try {
    await readMs(hostile);
    await readMs(normal);
    const times = { hostile: [] as number[], normal: [] as number[] };
    for (let i = 0; i < READS; i += 1) {
      times.normal.push(await readMs(normal));
      times.hostile.push(await readMs(hostile));
    }
    const ratio = median(times.hostile) / median(times.normal);
    return [
      '### journal',
      '',
      `GET /__emulator/journal of ${ENTRIES} AM requests, each with a ${COOKIE_LENGTH.toLocaleString('en')}-character Cookie header; median of ${READS} reads each, interleaved.`,
      '',
      '| journal of | median read | target |',
      '|---|---:|---|',
      `| normal cookies (\`c0=v0; c1=v1; ...\`, baseline) | ${median(times.normal).toFixed(2)} ms | — |`,
      `| cookies without "=" | ${median(times.hostile).toFixed(2)} ms (${ratio.toFixed(2)}× the baseline) | ≤ 2× ${ratio <= 2 ? '✓' : '✗'} |`,
    ].join('\n');
  } finally {
    await Promise.all([hostile.close(), normal.close()]);
  }
}
