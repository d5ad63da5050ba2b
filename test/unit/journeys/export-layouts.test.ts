/**
 * Every export layout frodo and amster write: frodo's separate files (scripts in `*.script.js` and
 * `*.script.groovy` files named as `file://...`), its full config export, fr-config-manager's
 * scripts, other config skipped, and trees without `_id` (state/journeys/import/layouts.ts).
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../../emulator/app/lint-report.js';
import { decodeExport } from '../../../emulator/state/journeys/import/formats.js';
import { loadExports } from '../../../emulator/state/journeys/import/load.js';
import { realmOfKey } from '../../../emulator/state/journeys/import/layouts.js';
import { PROJECT_ROOT } from '../../helpers/optional.js';
import { tempDir } from '../../helpers/temp-dir.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'export-layouts');
const FRODO = join(
  PROJECT_ROOT,
  'test',
  'fixtures',
  'journeys-corpus',
  'rockcarver__frodo-cli',
  'test',
  'e2e',
  'exports',
);
const AM_SAMPLES = join(
  PROJECT_ROOT,
  'test/fixtures/journeys-corpus/ForgeRock__am-external/openam-samples/sample-trees/src/main/resources/root',
);

const errors = (problems: { severity: string; message: string }[]) =>
  problems.filter((problem) => problem.severity === 'error').map((problem) => problem.message);

describe("frodo's separate-files layout", () => {
  it('a journey with its scripts in *.script.json + *.script.js files imports lint-clean, each script with its source', () => {
    const path = join(FIXTURES, 'frodo-separate', 'realm', 'root-alpha');
    const { bundle, problems } = loadExports(path);
    expect(errors(problems)).toEqual([]);
    expect([...bundle.trees.keys()]).toEqual(['j00']);
    expect(bundle.realmHint).toBe('/alpha');
    const level = bundle.scripts.get('41c24257-d7fc-4654-8b46-c2666dc5b56d');
    expect(level?.name).toBe('level');
    expect(level?.source).toBe(readFileSync(join(path, 'script', 'level.script.js'), 'utf8'));
    const [entry] = lintPaths([path]);
    expect(entry?.journeys).toEqual(['j00']);
    expect(errors(entry?.problems ?? [])).toEqual([]);
  });

  it('a Groovy script in *.script.groovy keeps its language and source', () => {
    const path = join(FIXTURES, 'frodo-separate', 'realm', 'root-first-second');
    const { bundle, problems } = loadExports(path);
    expect(errors(problems)).toEqual([]);
    const script = bundle.scripts.get('6b3cfd48-62d3-48ff-a96f-fe8f3a22ab30');
    expect(script?.language).toBe('GROOVY');
    expect(script?.source).toBe(
      readFileSync(join(path, 'script', 'Amazon-Profile-Normalization.script.groovy'), 'utf8'),
    );
    // frodo's realm folder names the realm: root-first-second is /first/second.
    expect(bundle.realmHint).toBe('/first/second');
  });

  it("frodo's whole realm folder: no missing scripts; other config skipped with a warning, not refused", () => {
    const [entry] = lintPaths([join(FRODO, 'all-separate', 'cloud', 'realm', 'root-alpha')]);
    const problems = entry?.problems ?? [];
    expect(entry?.journeys.length).toBe(21);
    expect(problems.filter((problem) => /script .* is not imported/.test(problem.message))).toEqual([]);
    expect(problems.filter((problem) => problem.message.startsWith('not a journey export'))).toEqual([]);
    // The corpus keeps the realm's journey and script folders; its other config files look like this:
    const agent = decodeExport({ meta: {}, agent: { 'my-agent': { _id: 'my-agent' } } }, 'my-agent.agent.json');
    expect(agent.problems).toEqual([
      {
        severity: 'warning',
        source: 'my-agent.agent.json',
        message: 'frodo agent export: not part of a journey; skipped',
      },
    ]);
    // In a folder, one warning sums them up.
    const dir = tempDir('aic-layouts-');
    cpSync(join(FIXTURES, 'frodo-separate', 'realm', 'root-alpha'), dir, { recursive: true });
    for (const name of ['one', 'two'])
      writeFileSync(join(dir, `${name}.agent.json`), JSON.stringify({ meta: {}, agent: { [name]: { _id: name } } }));
    writeFileSync(join(dir, 'blue.theme.json'), JSON.stringify({ theme: { blue: { _id: 'blue' } } }));
    const folder = loadExports(dir);
    expect(folder.problems).toEqual([
      {
        severity: 'warning',
        source: dir,
        message: '3 frodo config file(s) that hold no journey skipped: agent (2), theme (1)',
      },
    ]);
    expect([...folder.bundle.trees.keys()]).toEqual(['j00']);
  });

  it('a missing script file is an error naming the file; over the API (no files) the reference is refused', () => {
    const dir = tempDir('aic-layouts-');
    cpSync(join(FIXTURES, 'frodo-separate', 'realm', 'root-alpha'), dir, { recursive: true });
    rmSync(join(dir, 'script', 'mode.script.js'));
    const { problems } = loadExports(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        script: '5bbdaeff-ddee-44b9-b608-8d413d7d65a6',
        message: 'cannot read file://mode.script.js: ENOENT',
      }),
    );
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'script', 'level.script.json'), 'utf8'));
    const decoded = decodeExport(parsed, 'request');
    expect(decoded.problems[0]?.message).toMatch(/separate file \(file:\/\/level\.script\.js\).*import the folder/);
    const escaping = decodeExport({ script: { s: { _id: 's', script: 'file://../../etc/passwd' } } }, 'x', undefined, {
      readExtracted: () => 'never read',
    });
    expect(errors(escaping.problems)[0]).toBe('file://../../etc/passwd is not a file beside the export');
  });
});

describe("frodo's full config export", () => {
  it('reads the trees, scripts and custom node types of alpha, and names the realms it did not read', () => {
    const path = join(FRODO, 'all', 'all.cloud.json');
    const { bundle, problems } = loadExports(path);
    expect(bundle.trees.size).toBe(21);
    expect(bundle.realmHint).toBe('/alpha');
    expect(bundle.scripts.size).toBeGreaterThan(20);
    expect(problems).toContainEqual(
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('not read: root-bravo') }),
    );
    const [entry] = lintPaths([path]);
    expect(entry?.problems.filter((problem) => /script .* is not imported/.test(problem.message))).toEqual([]);
  });

  it('reads the realm the import names: lint --realm bravo reads root-bravo', () => {
    const path = join(FRODO, 'all', 'all.cloud.json');
    const { bundle, problems } = loadExports(path, { realm: 'bravo' });
    expect(bundle.realmHint).toBe('/bravo');
    expect(problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('read root-bravo; not read: root-alpha'),
      }),
    );
    const alpha = loadExports(path).bundle;
    expect([...bundle.trees.keys()].sort()).not.toEqual([...alpha.trees.keys()].sort());
    const [entry] = lintPaths([path], 'bravo');
    expect(entry?.realm).toBe('/bravo');
    expect(entry?.journeys).toEqual([...bundle.trees.keys()]);
  });

  it("realm keys are frodo's: root, root-alpha, root-first-second", () => {
    expect(realmOfKey('root')).toBe('/');
    expect(realmOfKey('root-alpha')).toBe('/alpha');
    expect(realmOfKey('root-first-second')).toBe('/first/second');
  });
});

describe("fr-config-manager's layout", () => {
  it('scripts named as {"file": "scripts-content/..."} are read from the scripts folder', () => {
    const path = join(FRODO, 'fr-config-manager', 'forgeops', 'realms', 'root');
    const { bundle, problems } = loadExports(path);
    expect(errors(problems)).toEqual([]);
    const debug = bundle.scripts.get('9b75654f-2553-4627-9938-b14a5f62ce81');
    expect(debug?.source).toBe(
      readFileSync(join(path, 'scripts', 'scripts-content', 'AUTHENTICATION_TREE_DECISION_NODE', 'Debug.js'), 'utf8'),
    );
  });
});

describe('trees without _id', () => {
  it("an amster AuthTree without _id is named after its entityId, else its file; a trees map's tree after its key", () => {
    const dir = tempDir('aic-layouts-');
    cpSync(AM_SAMPLES, dir, { recursive: true });
    const file = join(dir, 'AuthTree', 'Agent.json');
    const tree = JSON.parse(readFileSync(file, 'utf8')) as {
      metadata: Record<string, unknown>;
      data: Record<string, unknown>;
    };
    delete tree.data['_id'];
    writeFileSync(file, JSON.stringify(tree));
    expect(loadExports(dir).bundle.trees.has('Agent')).toBe(true);
    delete tree.metadata['entityId'];
    writeFileSync(join(dir, 'AuthTree', 'Renamed.json'), JSON.stringify(tree));
    rmSync(file);
    expect(loadExports(dir).bundle.trees.has('Renamed')).toBe(true);

    const bare = { entryNodeId: 'n', nodes: { n: { nodeType: 'MessageNode', connections: {} } } };
    const single = join(dir, 'Bare.journey.json');
    writeFileSync(single, JSON.stringify(bare));
    expect([...loadExports(single).bundle.trees.keys()]).toEqual(['Bare']);
    const keyed = decodeExport({ trees: { Keyed: { tree: bare, nodes: {} } } }, 'request');
    expect(errors(keyed.problems)).toEqual([]);
    expect([...keyed.bundle.trees.keys()]).toEqual(['Keyed']);
  });
});
