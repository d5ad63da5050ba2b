/**
 * Every dependency in package-lock.json against the Node versions we support (issue 15): the
 * `engines.node` range each package declares must allow Node 20 (package.json's own floor), 22 and
 * 24, for the production set (what `npm install aic-emulator` installs) and for the dev set (the
 * tests, the build and the bench run on these versions too; CI runs the suite on 24). And nothing
 * in production builds or ships native code: the script engine is QuickJS compiled to WebAssembly.
 * Dev packages that do ship native code are allowed by name, each with its reason.
 *
 * The lock describes every platform (the esbuild binary of each OS is in it), so the check does not
 * depend on the machine; only the binding.gyp/.node scan reads the installed node_modules.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/optional.js';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  link?: boolean;
  engines?: Record<string, string> | string[];
  hasInstallScript?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};
const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** `node_modules/a/node_modules/@b/c` → `@b/c`. */
const nameOf = (path: string): string => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

const installed = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.link);
const SETS = {
  // `devOptional` packages (dev, and optional in production) have no `dev: true`: they count as production.
  production: installed.filter(([, entry]) => entry.dev !== true),
  dev: installed.filter(([, entry]) => entry.dev === true),
};

/**
 * The Node versions checked, the lowest of each supported line:
 * - 20: package.json's `engines` floor, read from it, so the check follows any change to it.
 * - 22.12.0: the first 22 with require(esm) on by default (22.0–22.11 need
 *   --experimental-require-module), which the production tree needs (see KNOWN_CONFLICTS). 22.0
 *   to 22.10 were not LTS; 22.11.0, the first LTS, was followed by 22.12.0 a month later.
 * - 24.0.0: CI runs the suite on 24.
 */
const NODE_VERSIONS = [semver.minVersion(manifest.engines.node)?.version ?? 'unparsable engines', '22.12.0', '24.0.0'];

/**
 * Declared conflicts we know of and have not fixed (dependencies are not changed by this test).
 * Each is checked to be still exactly so: when the lock or the versions above change, a stale
 * entry fails too, so this list never hides a new conflict.
 */
const KNOWN_CONFLICTS: { package: string; version: string; set: keyof typeof SETS; failsOn: string[]; why: string }[] =
  [
    {
      package: 'node_modules/@typescript-eslint/visitor-keys/node_modules/eslint-visitor-keys',
      version: '5.0.1',
      set: 'dev',
      failsOn: ['22.12.0'],
      why: 'typescript-eslint (npm run lint only) declares ^22.13.0 for Node 22: linting wants 22.13+, the suite does not.',
    },
    {
      package: 'node_modules/watskeburt',
      version: '5.0.3',
      set: 'dev',
      failsOn: ['22.12.0'],
      why: 'dependency-cruiser (npm run lint:deps only) declares ^22.13 for Node 22: linting wants 22.13+, the suite does not.',
    },
    {
      package: 'node_modules/cookie',
      version: '2.0.2',
      set: 'production',
      failsOn: ['20.19.0'],
      why:
        'fastify 5 → light-my-request 6.8 (used by fastify.inject, the tenant’s in-process call for a script’s httpClient to itself) → ' +
        'cookie 2, which is ESM only and declares node >=22. light-my-request require()s it: that works where require(esm) is on by ' +
        'default (20.19+, 22.12+, 24; checked on the running Node below) and failed with ERR_REQUIRE_ESM on 20.18.x, so package.json’s ' +
        'floor is 20.19.0 (README, Requirements): the declared range is stricter than what the package needs on 20.19.',
    },
  ];

function engineRange(entry: LockEntry): string | undefined {
  // Old manifests wrote engines as an array (["node >=0.4"]); none is in the lock today, but read it if one appears.
  if (Array.isArray(entry.engines)) return entry.engines.find((item) => item.startsWith('node '))?.slice(5);
  return entry.engines?.['node'];
}

interface Conflict {
  path: string;
  version: string | undefined;
  range: string;
}

/** The packages of the set whose declared engines.node refuses `node` (or is not a semver range at all). */
function conflicts(set: keyof typeof SETS, node: string): Conflict[] {
  const found: Conflict[] = [];
  for (const [path, entry] of SETS[set]) {
    const range = engineRange(entry);
    if (range === undefined) continue;
    if (semver.validRange(range) === null || !semver.satisfies(node, range))
      found.push({ path, version: entry.version, range });
  }
  return found;
}

describe('the lock file', () => {
  it('is a v3 lock whose production set holds every dependency of package.json, and the dev set every devDependency', () => {
    expect(lock.lockfileVersion).toBe(3);
    const production = new Set(SETS.production.map(([path]) => path));
    const dev = new Set([...production, ...SETS.dev.map(([path]) => path)]);
    for (const name of Object.keys(manifest.dependencies))
      expect(production.has(`node_modules/${name}`), name).toBe(true);
    // A devDependency may also be a production one's dependency (semver is fastify's), so it is in one set or the other.
    for (const name of Object.keys(manifest.devDependencies)) expect(dev.has(`node_modules/${name}`), name).toBe(true);
  });
});

describe.each(Object.keys(SETS) as (keyof typeof SETS)[])('engines.node of the %s dependencies', (set) => {
  it.each(NODE_VERSIONS)('allow Node %s (but for the known conflicts)', (node) => {
    // Exactly the known conflicts at their versions: a new one fails here, and so does one that went away.
    const expected = KNOWN_CONFLICTS.filter((conflict) => conflict.set === set && conflict.failsOn.includes(node)).map(
      (conflict) => ({
        path: conflict.package,
        version: conflict.version,
        range: engineRange(lock.packages[conflict.package] ?? {}),
      }),
    );
    const reasons = KNOWN_CONFLICTS.map(
      (conflict) => `${conflict.package}@${conflict.version} on ${conflict.failsOn.join(', ')}: ${conflict.why}`,
    ).join('\n');
    expect(conflicts(set, node), `known conflicts:\n${reasons}`).toEqual(expected);
  });
});

describe('known conflicts', () => {
  it.each(KNOWN_CONFLICTS.map((conflict) => [`${conflict.package}@${conflict.version}`, conflict] as const))(
    '%s: still in the lock at that version',
    (_name, conflict) => {
      expect(lock.packages[conflict.package]?.version, conflict.why).toBe(conflict.version);
      expect(SETS[conflict.set].some(([path]) => path === conflict.package)).toBe(true);
    },
  );

  it('fastify.inject’s light-my-request (which require()s the ESM-only cookie 2) loads on the Node running this test', () => {
    // On 20.18.x this throws ERR_REQUIRE_ESM, and a script's httpClient call to the tenant itself fails.
    const require = createRequire(join(PROJECT_ROOT, 'node_modules', 'fastify', 'fastify.js'));
    expect(typeof require('light-my-request')).toBe('function');
  });
});

// --- native code -------------------------------------------------------------------------------

/** The installed package's own files (not its nested node_modules) that are native addons or their build files. */
function nativeFiles(path: string): string[] {
  const root = join(PROJECT_ROOT, path);
  if (!existsSync(root)) return []; // another platform's optional package
  const found: string[] = [];
  const walk = (dir: string, relative: string): void => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const name = `${relative}${item.name}`;
      if (item.isDirectory()) {
        if (item.name !== 'node_modules') walk(join(dir, item.name), `${name}/`);
      } else if (item.name === 'binding.gyp' || item.name.endsWith('.node')) {
        found.push(name);
      }
    }
  };
  walk(root, '');
  return found;
}

/** What makes a package native: an install script, a binding.gyp, a prebuilt .node, or a platform restriction (os/cpu/libc). */
function nativeSigns(path: string, entry: LockEntry): string[] {
  const signs: string[] = [];
  if (entry.hasInstallScript) signs.push('install script');
  if (entry.os || entry.cpu || entry.libc) signs.push('platform-specific');
  signs.push(...nativeFiles(path));
  return signs;
}

/**
 * Dev packages with native code, each with its reason. Matched by name (a trailing `*` is a
 * prefix); every entry must still match something.
 */
const DEV_NATIVE_ALLOWED: { name: string; why: string }[] = [
  {
    name: 'esbuild',
    why: 'vite’s bundler (vitest, dev only). Its postinstall (node install.js) only checks the prebuilt binary of its @esbuild/<platform> optional package; nothing is compiled',
  },
  {
    name: '@esbuild/*',
    why: 'esbuild’s prebuilt binary, one optional package per platform; npm installs only the machine’s',
  },
  {
    name: '@rollup/rollup-*',
    why: 'rollup’s (vite’s) prebuilt N-API addon, one optional package per platform; no install script',
  },
  {
    name: '@pact-foundation/pact-core',
    why: 'the contract tests’ Pact engine (dev only): restricted to darwin/linux/win32 on x64/ia32/arm64, where its platform package provides the addon',
  },
  {
    name: '@pact-foundation/pact-core-*',
    why: 'the Pact FFI as a prebuilt N-API addon, one optional package per platform; no install script',
  },
  { name: 'fsevents', why: 'macOS file watching for vite/vitest, optional, prebuilt; not installed elsewhere' },
];

const allowedBy = (name: string) =>
  DEV_NATIVE_ALLOWED.find((allowed) =>
    allowed.name.endsWith('*') ? name.startsWith(allowed.name.slice(0, -1)) : name === allowed.name,
  );

describe('native code', () => {
  it('the production set has none: no install script, binding.gyp, .node file or platform restriction', () => {
    const native = SETS.production
      .map(([path, entry]) => [path, nativeSigns(path, entry)] as const)
      .filter(([, signs]) => signs.length > 0);
    expect(Object.fromEntries(native)).toEqual({});
  });

  it('the script engine is WebAssembly: the QuickJS package ships a .wasm', () => {
    const dir = join(PROJECT_ROOT, 'node_modules', '@jitl', 'quickjs-wasmfile-release-sync', 'dist');
    expect(readdirSync(dir).some((file) => file.endsWith('.wasm'))).toBe(true);
  });

  it('every dev package with native code is on the allow-list, with its reason; every entry is still used', () => {
    const native = SETS.dev
      .map(([path, entry]) => [path, nativeSigns(path, entry)] as const)
      .filter(([, signs]) => signs.length > 0);
    const unexplained = native
      .filter(([path]) => !allowedBy(nameOf(path)))
      .map(([path, signs]) => `${path}: ${signs.join(', ')}`);
    expect(unexplained).toEqual([]);
    const used = new Set(native.map(([path]) => allowedBy(nameOf(path))?.name));
    expect(DEV_NATIVE_ALLOWED.map((allowed) => allowed.name).filter((name) => !used.has(name))).toEqual([]);
    // Of them, only esbuild runs an install script.
    expect(native.filter(([path]) => lock.packages[path]?.hasInstallScript).map(([path]) => path)).toEqual([
      'node_modules/esbuild',
    ]);
  });
});
