/**
 * `aic-emulator lint --json` piped into another program: the whole report arrives, however large
 * (the process used to exit before standard output drained, cutting the report at the pipe's 64 KiB).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/optional.js';
import { tempDir } from '../helpers/temp-dir.js';

const CLI = join(PROJECT_ROOT, 'dist', 'emulator', 'app', 'cli.js');
const JOURNEYS = 300;

/** Journeys whose `false` outcome goes nowhere: a warning each, so the report is large. */
function journeysFolder(): string {
  const dir = tempDir('aic-lint-pipe-');
  mkdirSync(join(dir, 'journeys'));
  for (let index = 0; index < JOURNEYS; index += 1) {
    const name = `Journey${String(index).padStart(4, '0')}`;
    const node = `c2000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    const exported = {
      trees: {
        [name]: {
          tree: {
            _id: name,
            entryNodeId: node,
            nodes: {
              [node]: {
                nodeType: 'MessageNode',
                displayName: `A message node with a long display name number ${index}`,
                connections: { true: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0' },
              },
            },
          },
          nodes: { [node]: { _id: node, _type: { _id: 'MessageNode' }, message: { en: 'Hello' } } },
        },
      },
    };
    writeFileSync(join(dir, 'journeys', `${name}.journey.json`), JSON.stringify(exported));
  }
  return dir;
}

/** A reader that starts reading late, so the pipe is full when the linter has written everything. */
const READER = `
let text = '';
process.stdin.setEncoding('utf8');
process.stdin.pause();
setTimeout(() => {
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => {
    const report = JSON.parse(text);
    process.stdout.write(JSON.stringify({ bytes: Buffer.byteLength(text), journeys: report[0].journeys.length, problems: report[0].problems.length }));
  });
  process.stdin.resume();
}, 300);
`;

/**
 * Standard output made asynchronous, as pipes are on macOS (on Linux Node writes to a pipe
 * synchronously, which hid the bug): each write completes a moment later.
 */
const ASYNC_STDOUT = `data:text/javascript,${encodeURIComponent(`
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, encoding, callback) => {
  if (typeof encoding === 'function') { callback = encoding; encoding = undefined; }
  setTimeout(() => write(chunk, encoding, callback), 50);
  return false;
};`)}`;

async function lintPiped(
  dir: string,
  nodeArgs: string[],
): Promise<{ bytes: number; journeys: number; problems: number; exit: string }> {
  const args = nodeArgs.map((arg) => `"${arg}"`).join(' ');
  const script = `"${process.execPath}" ${args} "${CLI}" lint --json "${join(dir, 'journeys')}" | "${process.execPath}" -e "$READER"; echo " exit=\${PIPESTATUS[0]}"`;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env: { ...process.env, READER } });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(text));
  });
  const match = /^(\{.*\}) exit=(\d+)$/.exec(output.trim());
  expect(match, output).not.toBeNull();
  return {
    ...(JSON.parse(match?.[1] ?? '{}') as { bytes: number; journeys: number; problems: number }),
    exit: match?.[2] ?? '',
  };
}

describe('aic-emulator lint --json | another program', () => {
  const dir = journeysFolder();

  it.each([
    ['a pipe', []],
    ['an asynchronous standard output (as on macOS)', ['--import', ASYNC_STDOUT]],
  ])(
    'through %s the reader gets the whole report (well over 64 KiB), and the exit code is the linter’s',
    async (_, nodeArgs) => {
      const result = await lintPiped(dir, nodeArgs);
      expect(result.bytes).toBeGreaterThan(64 * 1024);
      expect(result.journeys).toBe(JOURNEYS);
      expect(result.problems).toBe(JOURNEYS);
      // Warnings only: exit code 0.
      expect(result.exit).toBe('0');
    },
  );
});
