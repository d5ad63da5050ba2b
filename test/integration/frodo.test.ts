/**
 * frodo-cli (the community's tool for moving journeys in and out of AIC), unmodified, against the
 * emulator in classic mode (a tenant administrator's journey login, then AM's config REST):
 * `journey list`, `journey export` of a demo journey with its scripts, `script list`, and
 * `journey import -a` of the how-to's Part 3 export, whose journeys then exist in the tenant.
 * frodo runs as a child process (asynchronously: the emulator answers in this process).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD } from '../../emulator/index.js';
import { PROJECT_ROOT, hasShared, sharedPath } from '../helpers/optional.js';
import { startEmulator } from '../helpers/tenant.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const FRODO = join(PROJECT_ROOT, 'node_modules', '@rockcarver', 'frodo-cli', 'dist', 'launch.cjs');
const home = tempDir('aic-frodo-');
let emulator: Emulator;
let credentials: string[];

beforeAll(async () => {
  // On the real clock: frodo's cookie jar drops a session cookie whose Expires (the tenant's
  // clock) is already past in real time, as a frozen test clock's would be.
  emulator = await startEmulator({ clock: {} });
  credentials = [
    `${emulator.url.replace('127.0.0.1', 'localhost')}/am`,
    'alpha',
    'tenant-admin@example.com',
    DEMO_ADMIN_PASSWORD,
    '--type',
    'classic',
  ];
});
afterAll(async () => {
  await emulator?.close();
});

/** frodo's stdout and stderr together (it prints its progress to stderr). */
async function frodo(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [FRODO, ...args, ...credentials], {
    env: { ...process.env, HOME: home, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return `${stdout}\n${stderr}`;
}

describe('frodo-cli 3.1.0, classic mode', () => {
  it('lists the demo journeys and their scripts', async () => {
    const journeys = await frodo('journey', 'list');
    for (const name of ['Login', 'ProgressiveProfile', 'TerminateSession', 'CaptureSession'])
      expect(journeys).toMatch(new RegExp(`^${name}$`, 'm'));
    const scripts = await frodo('script', 'list');
    expect(scripts).toMatch(/^Terminate Sessions$/m);
  }, 90_000);

  it('exports a demo journey with its script, whose source is the one the tenant runs', async () => {
    const file = join(home, 'TerminateSession.json');
    await frodo('journey', 'export', '-i', 'TerminateSession', '-f', file);
    // One journey's export: the tree, its nodes and its scripts at the top.
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      tree: { _id: string };
      scripts: Record<string, { name: string }>;
    };
    expect(exported.tree._id).toBe('TerminateSession');
    const [scriptId, script] = Object.entries(exported.scripts)[0] ?? [];
    expect(script?.name).toBe('Terminate Sessions');
    const source = emulator.tenant.journeys.of('/alpha').scripts.get(scriptId ?? '')?.source;
    expect(source).toContain('logoutByUser');
  }, 90_000);

  describe.skipIf(!hasShared())('with the how-to’s exports', () => {
    it('imports Part 3 with everything it depends on, in order; the journeys are then in the tenant', async () => {
      const file = sharedPath('reference', 'exports', 'single-logout', 'Pt 3_Terminate ForgeRock Session.json');
      const output = await frodo('journey', 'import', '-a', '-f', file);
      expect(output).toContain('Finished importing journeys');
      const names = [...emulator.tenant.journeys.of('/alpha').trees.keys()];
      for (const name of [
        'Pt 1_Capture Browser Session',
        'Pt 2_Terminate Session with API Call',
        'Pt 3_Terminate ForgeRock Session',
      ])
        expect(names).toContain(name);
      expect(await frodo('journey', 'list')).toMatch(/^Pt 3_Terminate ForgeRock Session$/m);
    }, 120_000);
  });
});
