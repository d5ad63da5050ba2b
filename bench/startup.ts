/**
 * Start-up: from process start to the first 200 on `/am/json/serverinfo/*`, for the emulator's CLI
 * and for a bare Fastify process (the baseline, same run); and `createEmulator()` in-process.
 *
 *   npm run bench -- startup
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '../emulator/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, '..', '..', 'dist', 'emulator', 'app', 'cli.js');
const RUNS = 10;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Milliseconds from spawning `node <args>` to its first 200 on serverinfo/*. */
async function timeToFirst200(args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: '' },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /listening at (http:\/\/[^\s]+)/.exec(output)?.[1];
        if (found) resolve(found);
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    const response = await fetch(`${url}/am/json/serverinfo/*`, { headers: { 'accept-api-version': 'resource=1.1' } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`serverinfo answered ${response.status}`);
    return performance.now() - started;
  } finally {
    child.kill('SIGKILL');
  }
}

export async function run(): Promise<string> {
  const bareArgs = [join(HERE, 'servers', 'bare-fastify.js')];
  const cliArgs = [CLI, 'start', '--port', '0'];
  await timeToFirst200(bareArgs);
  await timeToFirst200(cliArgs);
  const bare: number[] = [];
  const cli: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    bare.push(await timeToFirst200(bareArgs));
    cli.push(await timeToFirst200(cliArgs));
  }
  const inProcess: number[] = [];
  for (let i = 0; i < RUNS + 2; i += 1) {
    const started = performance.now();
    const emulator = await createEmulator();
    const elapsed = performance.now() - started;
    await emulator.close();
    if (i >= 2) inProcess.push(elapsed);
  }
  const ratio = median(cli) / median(bare);
  return [
    '### startup',
    '',
    `Median of ${RUNS} runs each, interleaved.`,
    '',
    '| measure | median | target |',
    '|---|---:|---|',
    `| bare Fastify process: spawn to first 200 (baseline) | ${median(bare).toFixed(0)} ms | — |`,
    `| \`aic-emulator start\`: spawn to first 200 on serverinfo/* | ${median(cli).toFixed(0)} ms (${ratio.toFixed(2)}× the baseline) | ≤ 300 ms and ≤ 1.5× ${median(cli) <= 300 && ratio <= 1.5 ? '✓' : '✗'} |`,
    `| \`createEmulator()\` in-process (demo tenant, listening) | ${median(inProcess).toFixed(1)} ms | ≤ 50 ms ${median(inProcess) <= 50 ? '✓' : '✗'} |`,
  ].join('\n');
}
