/**
 * frodo-cli (the community's tool for moving journeys in and out of AIC), unmodified, against the
 * emulator in both its modes:
 * - classic: a tenant administrator's journey login, then AM's config REST with the session;
 * - cloud: the same login, then `idmAdminClient`'s PKCE code flow for a bearer token that IDM and
 *   the ESV API take.
 * In each: `journey list`, `journey export` of a demo journey with its script and of every
 * journey, `script export`, `journey import` of the how-to's four exports with their scripts
 * (Part 3 then runs over `/authenticate` to its end); in cloud mode also `esv variable create`
 * and `esv apply`, after which a script reads the variable. frodo runs as a child process
 * (asynchronously: the emulator answers in this process).
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD } from '../../emulator/index.js';
import { PROJECT_ROOT, hasShared, sharedPath } from '../helpers/optional.js';
import { DEMO, login, startEmulator } from '../helpers/tenant.js';
import { tempDir } from '../helpers/temp-dir.js';
import { JarClient } from '../helpers/jar-client.js';
import { PT3_NAME, runPart3, signIn, stubExternalLogout } from '../helpers/single-logout.js';
import { runScript } from '../helpers/script-journey.js';

const run = promisify(execFile);
const FRODO = join(PROJECT_ROOT, 'node_modules', '@rockcarver', 'frodo-cli', 'dist', 'launch.cjs');
const HOW_TO = ['Pt 1_Capture Browser Session', 'Pt 2_Terminate Session with API Call', PT3_NAME];
const HOW_TO_ALL = [...HOW_TO, 'Pt 4_Failure Redirect By Attribute'];

interface JourneyFile {
  tree: { _id: string };
  scripts: Record<string, { name: string; script: unknown }>;
}

describe.each(['classic', 'cloud'] as const)('frodo-cli 3.1.0, %s mode', (mode) => {
  const home = tempDir(`aic-frodo-${mode}-`);
  let emulator: Emulator;
  let host: string;

  beforeAll(async () => {
    // On the real clock: frodo's cookie jar drops a session cookie whose Expires (the tenant's
    // clock) is already past in real time, as a frozen test clock's would be.
    emulator = await startEmulator({ clock: {} });
    host = `${emulator.url.replace('127.0.0.1', 'localhost')}/am`;
  });
  afterAll(async () => {
    await emulator?.close();
  });

  /**
   * frodo's stdout and stderr together (it prints its progress to stderr). Realm-scoped commands
   * take `host realm user password`; tenant-global ones (esv) `host user password`.
   */
  async function frodo(args: string[], options: { realm?: boolean; cwd?: string } = {}): Promise<string> {
    const credentials = [host, ...(options.realm === false ? [] : ['alpha']), 'tenant-admin@example.com'];
    const { stdout, stderr } = await run(
      process.execPath,
      [FRODO, ...args, ...credentials, DEMO_ADMIN_PASSWORD, '--type', mode],
      { env: { ...process.env, HOME: home, NO_COLOR: '1' }, timeout: 60_000, cwd: options.cwd ?? home },
    );
    const output = `${stdout}\n${stderr}`;
    // frodo reports many failures on stderr and still exits 0.
    expect(output).not.toMatch(/HTTP client error|Error getting tokens/);
    return output;
  }

  it('lists the demo journeys and their scripts', async () => {
    const journeys = await frodo(['journey', 'list']);
    for (const name of ['Login', 'ProgressiveProfile', 'TerminateSession', 'CaptureSession'])
      expect(journeys).toMatch(new RegExp(`^${name}$`, 'm'));
    expect(await frodo(['script', 'list'])).toMatch(/^Terminate Sessions$/m);
  }, 90_000);

  it('exports a demo journey with its script, whose source is the one the tenant runs', async () => {
    const file = join(home, 'TerminateSession.json');
    await frodo(['journey', 'export', '-i', 'TerminateSession', '-f', file]);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as JourneyFile;
    expect(exported.tree._id).toBe('TerminateSession');
    const [scriptId, script] = Object.entries(exported.scripts)[0] ?? [];
    expect(script?.name).toBe('Terminate Sessions');
    const source = emulator.tenant.journeys.of('/alpha').scripts.get(scriptId ?? '')?.source;
    expect(source).toContain('logoutByUser');
  }, 90_000);

  it('exports every journey of the realm, one file each', async () => {
    const directory = tempDir(`aic-frodo-${mode}-all-`);
    await frodo(['journey', 'export', '-A', '-D', directory]);
    const files = readdirSync(directory).filter((name) => name.endsWith('.journey.json'));
    const names = [...emulator.tenant.journeys.of('/alpha').trees.keys()];
    expect(files).toHaveLength(names.length);
    for (const name of names) expect(files.some((file) => file.startsWith(name))).toBe(true);
  }, 90_000);

  it('exports a script', async () => {
    const directory = tempDir(`aic-frodo-${mode}-script-`);
    await frodo(['script', 'export', '-n', 'Terminate Sessions'], { cwd: directory });
    const [file] = readdirSync(directory);
    const exported = JSON.parse(readFileSync(join(directory, file ?? ''), 'utf8')) as {
      script: Record<string, { name: string; script: string | string[] }>;
    };
    const [script] = Object.values(exported.script);
    expect(script?.name).toBe('Terminate Sessions');
    const source = Array.isArray(script?.script) ? script.script.join('\n') : (script?.script ?? '');
    expect(source).toContain('logoutByUser');
  }, 90_000);

  it('imports a script it exported, changed: the tenant runs the new source', async () => {
    const directory = tempDir(`aic-frodo-${mode}-script-import-`);
    await frodo(['script', 'export', '-n', 'Terminate Sessions'], { cwd: directory });
    const [file = ''] = readdirSync(directory);
    const path = join(directory, file);
    const exported = JSON.parse(readFileSync(path, 'utf8')) as { script: Record<string, { script: string[] }> };
    const [id = '', script] = Object.entries(exported.script)[0] ?? [];
    script?.script.push(`// changed by frodo (${mode})`);
    writeFileSync(path, JSON.stringify(exported));
    await frodo(['script', 'import', '-f', path]);
    expect(emulator.tenant.journeys.of('/alpha').scripts.get(id)?.source).toContain(`// changed by frodo (${mode})`);
  }, 90_000);

  it('describes a journey and deletes one', async () => {
    const described = await frodo(['journey', 'describe', '-i', 'TerminateSession']);
    expect(described).toContain('Terminate Sessions');
    expect(described).toMatch(/ScriptedDecisionNode/);
    const deleted = await frodo(['journey', 'delete', '-i', 'LogoutRedirect']);
    expect(deleted).toContain('Deleted LogoutRedirect');
    expect(emulator.tenant.journeys.of('/alpha').trees.has('LogoutRedirect')).toBe(false);
    expect(await frodo(['journey', 'list'])).not.toMatch(/^LogoutRedirect$/m);
  }, 90_000);

  describe.skipIf(!hasShared())('with the how-to’s exports', () => {
    it('imports the four parts with their scripts; Part 3 then runs over /authenticate to its end', async () => {
      for (const name of HOW_TO_ALL) {
        const output = await frodo([
          'journey',
          'import',
          // A part's file holds the journeys it runs too; `-i` names the one to import (with them).
          '-i',
          name,
          '-f',
          sharedPath('reference', 'exports', 'single-logout', `${name}.json`),
        ]);
        expect(output).toContain(`Imported ${name}`);
      }
      const listed = await frodo(['journey', 'list']);
      for (const name of HOW_TO_ALL) expect(listed).toContain(name);

      await stubExternalLogout(emulator);
      const browser = new JarClient(emulator.url);
      const token = await signIn(browser);
      const other = await login(emulator, DEMO);
      const { steps, final } = await runPart3(browser);
      expect(steps.map((step: { header?: string }) => step.header ?? '')).toContain('Sign In');
      expect(final.status, final.text).toBe(200);
      expect(await emulator.tenant.sessions.getByToken(token)).toBeUndefined();
      expect(await emulator.tenant.sessions.getByToken(other)).toBeUndefined();
      expect(await emulator.tenant.sessions.getByToken(final.json.tokenId as string)).toBeDefined();
    }, 180_000);
  });

  it.runIf(mode === 'cloud')(
    'creates an ESV variable and applies it; a script then reads it',
    async () => {
      const created = await frodo(
        ['esv', 'variable', 'create', '-i', 'esv-frodo-greeting', '--value', 'hello from frodo'],
        {
          realm: false,
        },
      );
      expect(created).toContain('Created variable esv-frodo-greeting');
      const read =
        'nodeState.putShared("result", String(systemEnv.getProperty("esv.frodo.greeting"))); outcome = "done";';
      expect((await runScript(emulator, read)).result).toBe('null');
      const applied = await frodo(['esv', 'apply', '--yes'], { realm: false });
      expect(applied).toContain('final status: ready');
      expect((await runScript(emulator, read)).result).toBe('hello from frodo');
    },
    90_000,
  );
});
