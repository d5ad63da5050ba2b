#!/usr/bin/env node
/**
 * The packaging test (`npm run test:package`): what `npm publish` would ship, installed the way a
 * user installs it, used the way the README says.
 *
 *   1. `npm pack` the project into a temporary folder (this runs `prepack`, the build);
 *   2. `npm install <tarball>` into an empty project (`npm init -y`): only the package's production
 *      dependencies come with it, so nothing below can lean on a devDependency; npm warns about
 *      nothing of the package's own;
 *   3. the installed files: no install-time script (`prepare`, `preinstall`, `install`,
 *      `postinstall`: the package ships built), bin and exports targets, the workshop pages and the
 *      script worker, no tests, every source map's sources inlined or present (`.js.map` and
 *      `.d.ts.map`), every relative link of the shipped Markdown (the README, docs/) to a file in the
 *      package, every build output with its source, and every package a built module imports a
 *      dependency (not a devDependency) or a Node built-in;
 *   4. `npx aic-emulator start --port 0` with a journey export imported: the banner, the health
 *      check, a page of the workshop, a zero-page login, the imported scripted journey (QuickJS's
 *      .wasm loaded from the installed package), then SIGTERM to the emulator and exit code 0;
 *   5. `npx aic-emulator lint` on a clean export (exit 0) and on one with a script Rhino would
 *      refuse (exit 1, the error named);
 *   6. an ESM consumer (.mjs) importing `aic-emulator` and `aic-emulator/client`: a login through
 *      AmClient, the OAuth2 code flow with its session, and the demo tenant's TerminateSession
 *      journey, whose scripts run in QuickJS;
 *   7. `typescript@5.9` and `@types/node@20` added to that project (only now: steps 4–6 ran without
 *      them) and `tsc --noEmit` on a strict NodeNext consumer using the typed API.
 *
 * Each step has a deadline; the whole check takes ~20–30 s on a 2-core machine. It prints a line
 * per step and ends with `N passed, M failed` (and `, K not run` when the set-up failed); the exit
 * code is 1 unless every step passed. The temporary folder is removed at the end unless
 * AIC_PACKAGE_KEEP=1. Needs the npm registry (the tarball's dependencies, TypeScript) and a POSIX
 * system; on Linux the emulator's pid under npx is found in /proc, so that its own exit code is
 * checked.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KEEP = process.env['AIC_PACKAGE_KEEP'] === '1';
/** The demo users' password on loopback, as the README documents it. */
const DEMO_PASSWORD = 'Ch4ng3-it!';
/** The whole run's deadline: a step's own deadline should fire long before. */
const OVERALL_MS = 240_000;

const manifest = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8'));

// ---------------------------------------------------------------------------------------------
// Processes: each in its own process group, so that a deadline can end it with its children.

/** Process groups started here and not yet ended. */
const running = new Set();

/**
 * The environment of the commands run here: ours without what `npm run` adds (npm_package_*,
 * npm_lifecycle_*, npm_config_local_prefix...), so that npm in the temporary project sees that
 * project, not this one.
 */
function childEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^npm_(package_|lifecycle_|config_local_prefix$|command$|execpath$|node_execpath$)/i.test(key) ||
      key === 'INIT_CWD' ||
      key === 'NODE_PATH'
    )
      continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

function killGroup(child, signal = 'SIGKILL') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Starts a command; `done` settles with { code, signal, stdout, stderr } when it exits. */
function start(command, args, { cwd, env } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: env ?? childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk) => (out.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (out.stderr += chunk));
  const done = new Promise((resolvePromise, reject) => {
    child.on('error', (error) => {
      running.delete(child);
      reject(new Error(`${command} could not be started: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      resolvePromise({ code, signal, ...out });
    });
  });
  return { child, out, done };
}

const tail = (text, lines = 15) =>
  text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `      | ${line}`)
    .join('\n');

/** Runs a command to its end within `timeoutMs`; a non-zero exit is an error unless `allowFailure`. */
async function run(command, args, { cwd, env, timeoutMs, allowFailure = false }) {
  const started = start(command, args, { cwd, env });
  started.done.catch(() => {});
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => {
      killGroup(started.child);
      reject(
        new Error(
          `\`${command} ${args.join(' ')}\` did not finish within ${timeoutMs / 1000} s\n${tail(started.out.stdout + started.out.stderr)}`,
        ),
      );
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([started.done, deadline]);
    if (!allowFailure && result.code !== 0) {
      throw new Error(
        `\`${command} ${args.join(' ')}\` exited with ${result.code ?? result.signal}\n${tail(result.stdout + result.stderr)}`,
      );
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Steps

const results = [];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function step(name, timeoutMs, body, { skip } = {}) {
  const number = results.length + 1;
  if (skip) {
    results.push({ name, status: 'skip', reason: skip });
    console.log(`skip ${number} ${name}: ${skip}`);
    return;
  }
  const t0 = performance.now();
  let timer;
  try {
    const work = body();
    // After a deadline the step's work may still fail (its processes are killed): nobody waits for it.
    work.catch(() => {});
    const detail = await Promise.race([
      work,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the step did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    results.push({ name, status: 'pass' });
    console.log(`ok   ${number} ${name} (${seconds(t0)})${detail ? `: ${detail}` : ''}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    results.push({ name, status: 'fail', reason });
    console.log(`FAIL ${number} ${name} (${seconds(t0)}): ${reason}`);
  } finally {
    clearTimeout(timer);
    // Whatever the step started and left running (a deadline, a failed check) ends with it.
    for (const child of running) killGroup(child);
  }
}

const seconds = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** GET/POST with a deadline, answering { status, headers, text, json }. */
async function request(url, { method = 'GET', headers = {}, body } = {}) {
  const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

function walk(dir, base = dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(path, base));
    else files.push(relative(base, path).split(sep).join('/'));
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// The journey exports of the lint and start steps: one Scripted Decision node whose script
// records that it ran and goes to Failure.

const PROBE = 'PackageProbe';
const SUCCESS = '70e691a5-1e33-4ac3-a356-e7b6d60d92e0';
const FAILURE = 'e301438c-0bd0-429c-ab0c-66126501069a';
const NODE_ID = 'a0000000-0000-4000-8000-000000000001';
const SCRIPT_ID = 'b0000000-0000-4000-8000-000000000001';

function probeExport(source) {
  return {
    meta: { exportTool: 'aic-emulator package check' },
    tree: {
      _id: PROBE,
      identityResource: 'managed/alpha_user',
      entryNodeId: NODE_ID,
      nodes: {
        [NODE_ID]: {
          displayName: 'Probe',
          nodeType: 'ScriptedDecisionNode',
          x: 100,
          y: 100,
          connections: { true: SUCCESS, false: FAILURE },
        },
      },
      staticNodes: { startNode: { x: 0, y: 0 }, [SUCCESS]: { x: 300, y: 50 }, [FAILURE]: { x: 300, y: 150 } },
      enabled: true,
    },
    nodes: {
      [NODE_ID]: {
        _id: NODE_ID,
        _type: { _id: 'ScriptedDecisionNode', name: 'Scripted Decision', collection: true },
        script: SCRIPT_ID,
        outcomes: ['true', 'false'],
        inputs: ['*'],
        outputs: ['*'],
      },
    },
    innerNodes: {},
    scripts: {
      [SCRIPT_ID]: {
        _id: SCRIPT_ID,
        name: 'Package Probe',
        language: 'JAVASCRIPT',
        context: 'AUTHENTICATION_TREE_DECISION_NODE',
        evaluatorVersion: '2.0',
        script: source,
      },
    },
  };
}
const PROBE_SCRIPT = "nodeState.putShared('probe', 'ran in ' + typeof action); action.goTo('false');";

// ---------------------------------------------------------------------------------------------
// The consumers of steps 6 and 7.

const CONSUMER_MJS = `// Written by test/package/check-package.mjs: a user's ESM code against the installed package.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createEmulator, DEMO_PASSWORD } from 'aic-emulator';
import { AmClient, AmError, isInvalidSession } from 'aic-emulator/client';

process.on('uncaughtException', (error) => {
  console.error('consumer failed: ' + (error instanceof Error ? error.message.split('\\n')[0] : String(error)));
  console.error(error);
  process.exit(1);
});

const here = fileURLToPath(new URL('.', import.meta.url));
const entry = fileURLToPath(import.meta.resolve('aic-emulator'));
assert.ok(entry.startsWith(here + 'node_modules/aic-emulator/'), 'aic-emulator resolves to ' + entry);
const wasm = createRequire(entry).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
assert.ok(wasm.startsWith(here + 'node_modules/'), 'the QuickJS .wasm resolves to ' + wasm);

const emulator = await createEmulator();
const clients = [];
const client = (options = {}) => {
  const made = new AmClient({ baseUrl: emulator.url, ...options });
  clients.push(made);
  return made;
};
try {
  const browser = client();
  const success = await browser.login({ username: 'demo', password: DEMO_PASSWORD });
  assert.equal(success.type, 'success');
  assert.match(success.tokenId, /\\S{20,}/);
  const me = await browser.idFromSession();
  const user = emulator.tenant.users.list().find((candidate) => candidate.userName === 'demo');
  assert.equal(me.id, user?._id, 'idFromSession names the demo user');
  const oauth = browser.oauth2({ clientId: 'sdkPublicClient', redirectUri: 'http://127.0.0.1/callback' });
  const tokens = await oauth.authorizationCode({ scope: 'openid' });
  assert.equal((await oauth.userInfo(tokens.access_token)).sub, me.id, 'the OAuth2 code flow with the session of login()');

  await assert.rejects(client().login({ username: 'demo', password: 'wrong' }), (error) => error instanceof AmError && error.status === 401);

  // The demo tenant's TerminateSession journey: its Scripted Decision nodes run in QuickJS, end
  // every session of the signed-in user, then show the Login page.
  const other = await client().login({ username: 'demo', password: DEMO_PASSWORD });
  const step = await browser.startJourney('TerminateSession');
  assert.equal(step.type, 'step', 'TerminateSession ends on the Login page');
  step.callback('NameCallback');
  const admin = client({ adminToken: emulator.adminToken });
  for (const token of [success.tokenId, other.tokenId]) {
    assert.ok(isInvalidSession(await admin.getSessionInfo(token, { credentials: { admin: true } })), 'TerminateSession ended every session of demo');
  }
  const run = (await emulator.runs.list({ journey: 'TerminateSession' })).at(-1);
  const outcomes = run.visits.filter((visit) => visit.outcome).map((visit) => visit.displayName + ': ' + visit.outcome);
  assert.ok(outcomes.includes('Terminate Sessions: Success'), 'the scripts ran: ' + outcomes.join(', '));
  console.log('login ' + success.type + ', TerminateSession: ' + outcomes.join(', '));
} finally {
  await Promise.all(clients.map((made) => made.close()));
  await emulator.close();
}
`;

const CONSUMER_MTS = `// Written by test/package/check-package.mjs: a user's TypeScript against the installed package.
import { createEmulator, DEMO_PASSWORD, type ControlUser, type Emulator, type EmulatorOptions, type RunRecord } from 'aic-emulator';
import { AmClient, AmError, isInvalidSession, type JourneyResult, type JourneySuccess, type SessionInfo } from 'aic-emulator/client';
import { AmOAuth2Error, createPkce, type AmOAuth2, type Introspection, type TokenResponse } from 'aic-emulator/client';

const options: EmulatorOptions = { port: 0 };
const emulator: Emulator = await createEmulator(options);
const client = new AmClient({ baseUrl: emulator.url, realm: '/alpha' });
const success: JourneySuccess = await client.login({ username: 'demo', password: DEMO_PASSWORD });
const tokenId: string | undefined = success.tokenId;
const step: JourneyResult = await client.startJourney('Login');
if (step.type === 'step') step.callback('NameCallback').setValue('demo');
const info = await client.getSessionInfo(tokenId);
if (!isInvalidSession(info)) {
  const live: SessionInfo = info;
  console.log(live.maxIdleExpirationTime);
}
try {
  await client.login({ username: 'demo', password: 'wrong' });
} catch (error) {
  if (error instanceof AmError) console.log(error.status satisfies number);
}

// OAuth 2.0 with the session of login(): the public client's code flow, a confidential client's introspection.
const oauth: AmOAuth2 = client.oauth2({ clientId: 'sdkPublicClient', redirectUri: 'http://127.0.0.1/callback' });
const tokens: TokenResponse = await oauth.authorizationCode({ scope: 'openid profile', pkce: createPkce() });
const api = client.oauth2({ clientId: 'demoConfidentialClient', clientSecret: 'demo-client-s3cret-Ch4ng3-it' });
const introspection: Introspection = await api.introspect(tokens.access_token);
if (introspection.active) console.log(introspection.client_id);
try {
  await oauth.refresh('not-a-refresh-token');
} catch (error) {
  if (error instanceof AmOAuth2Error) console.log(error.status, error.error, error.error_description satisfies string | undefined);
}

// The control API as typed helpers.
const users: ControlUser[] = await emulator.users.list({ realm: 'alpha' });
const faultId: string = await emulator.faults.add({ action: 'logoutByUser', status: 500, times: 1 });
const runs: RunRecord[] = await emulator.runs.list({ journey: 'Login', status: 'success' });
console.log(users.length, faultId, runs.at(-1)?.visits.map((visit) => visit.outcome));

// The types are real, not \`any\`: each of these must be an error.
// @ts-expect-error: an AmClient needs a baseUrl
new AmClient({ realm: '/alpha' });
// @ts-expect-error: a tokenId is a string
const wrong: number = success.tokenId;
// @ts-expect-error: an Emulator has no listen()
emulator.listen();
// @ts-expect-error: the clock moves by a number of seconds
await emulator.clock.advance('31m');
// @ts-expect-error: expires_in is a number of seconds
const expiry: string = tokens.expires_in;
console.log(wrong, expiry);

await client.close();
await emulator.close();
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noEmit: true,
    // The package's declarations are checked too, as in a project that does not skip them.
    skipLibCheck: false,
  },
  files: ['consumer.mts'],
};

// ---------------------------------------------------------------------------------------------

/** The temporary folder: the tarball and the consumer project. */
let root;

async function main() {
  const base = realpathSync(tmpdir());
  for (let dir = base; ; dir = dirname(dir)) {
    // A node_modules above the temporary project would make its imports resolve there.
    if (existsSync(join(dir, 'node_modules')))
      throw new Error(`${join(dir, 'node_modules')} is above the temporary folder: set TMPDIR elsewhere`);
    if (dirname(dir) === dir) break;
  }
  root = mkdtempSync(join(base, 'aic-package-'));
  const consumer = join(root, 'consumer');
  mkdirSync(consumer);
  const installed = join(consumer, 'node_modules', manifest.name);
  const npmVersion = (await run('npm', ['--version'], { cwd: root, timeoutMs: 20_000 })).stdout.trim();
  console.log(
    `package check: ${manifest.name}@${manifest.version} from ${PROJECT} (node ${process.version}, npm ${npmVersion})`,
  );
  console.log(`  temporary folder ${root}${KEEP ? ' (kept: AIC_PACKAGE_KEEP=1)' : ''}`);

  let tarball;
  try {
    await step('npm pack (prepack: the build)', 120_000, async () => {
      const { stdout } = await run('npm', ['pack', '--pack-destination', root, '--json'], {
        cwd: PROJECT,
        timeoutMs: 115_000,
      });
      const [packed] = JSON.parse(stdout);
      tarball = join(root, packed.filename);
      check(existsSync(tarball), `npm pack reported ${packed.filename}, which is not in ${root}`);
      return `${packed.filename}, ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB (${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked)`;
    });

    await step(
      'npm install <tarball> into an empty project',
      120_000,
      async () => {
        await run('npm', ['init', '-y'], { cwd: consumer, timeoutMs: 30_000 });
        const { stdout, stderr } = await run('npm', ['install', '--no-audit', '--no-fund', tarball], {
          cwd: consumer,
          timeoutMs: 115_000,
        });
        check(existsSync(join(installed, 'package.json')), `${installed} is not there after the install`);
        const added = /added \d+ packages?/.exec(stdout + stderr)?.[0];
        // npm's warnings about the package itself (an install script it would run or refuse, its
        // engines, its manifest) are failures; others (a dependency's deprecation) are reported.
        const own = (stderr.match(/^npm warn .*$/gm) ?? []).filter((line) => line.includes(manifest.name));
        check(
          own.length === 0,
          `npm warned about the package itself:\n${own.map((line) => `      | ${line}`).join('\n')}`,
        );
        const warnings = (stderr.match(/^npm warn .*$/gm) ?? []).filter((line) => !/install-scripts/.test(line));
        return `${added ?? 'installed'}${warnings.length > 0 ? `; npm warned:\n${warnings.map((line) => `      | ${line}`).join('\n')}` : ''}`;
      },
      { skip: tarball ? undefined : 'no tarball' },
    );

    const skip = existsSync(join(installed, 'package.json')) ? undefined : 'the package is not installed';

    await step('package contents', 30_000, async () => contents(installed), { skip });

    await step('npx aic-emulator start --port 0', 45_000, async () => cliStart(consumer), { skip });

    await step('npx aic-emulator lint', 30_000, async () => cliLint(consumer), { skip });

    await step(
      'ESM consumer: createEmulator + AmClient, a scripted journey',
      45_000,
      async () => {
        writeFileSync(join(consumer, 'consumer.mjs'), CONSUMER_MJS);
        const { code, signal, stdout, stderr } = await run(process.execPath, ['consumer.mjs'], {
          cwd: consumer,
          timeoutMs: 40_000,
          allowFailure: true,
        });
        const failure = /^consumer failed: .*$/m.exec(stderr)?.[0];
        check(code === 0, `${failure ?? `node consumer.mjs exited with ${code ?? signal}`}\n${tail(stdout + stderr)}`);
        return stdout.trim().split('\n').at(-1);
      },
      { skip },
    );

    await step(
      'tsc --noEmit on a strict NodeNext consumer (typescript@5.9, @types/node@20)',
      120_000,
      async () => {
        await run('npm', ['install', '--no-audit', '--no-fund', '--save-dev', 'typescript@5.9', '@types/node@20'], {
          cwd: consumer,
          timeoutMs: 90_000,
        });
        writeFileSync(join(consumer, 'consumer.mts'), CONSUMER_MTS);
        writeFileSync(join(consumer, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
        const tsc = join(consumer, 'node_modules', 'typescript', 'bin', 'tsc');
        const version = (
          await run(process.execPath, [tsc, '--version'], { cwd: consumer, timeoutMs: 20_000 })
        ).stdout.trim();
        const { code, stdout, stderr } = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
          cwd: consumer,
          timeoutMs: 60_000,
          allowFailure: true,
        });
        check(code === 0, `tsc found errors in consumer.mts:\n${tail(stdout + stderr, 30)}`);
        return `${version}, no errors`;
      },
      { skip },
    );
  } finally {
    for (const child of running) killGroup(child);
    if (KEEP) console.log(`  kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

/** The installed package's files. */
function contents(dir) {
  const installedManifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = walk(dir).filter((file) => !file.startsWith('node_modules/'));
  const has = (file) => files.includes(file.replace(/^\.\//, ''));
  const problems = [];

  // Nothing runs at install: the package ships built (prepack builds it). npm runs these scripts
  // of an installed package, and `install` implicitly (node-gyp) when binding.gyp is there.
  for (const script of ['preinstall', 'install', 'postinstall', 'prepare'])
    if (installedManifest.scripts?.[script] !== undefined)
      problems.push(`package.json has a ${script} script, run at install: ${installedManifest.scripts[script]}`);
  if (has('binding.gyp')) problems.push('binding.gyp is in the package: npm would run node-gyp at install');

  // What package.json points at.
  const targets = [...Object.values(installedManifest.bin ?? {})];
  for (const entry of Object.values(installedManifest.exports ?? {}))
    targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
  for (const target of targets)
    if (!has(target)) problems.push(`package.json names ${target}, which is not in the package`);
  for (const bin of Object.values(installedManifest.bin ?? {})) {
    if (has(bin) && !readFileSync(join(dir, bin), 'utf8').startsWith('#!/usr/bin/env node'))
      problems.push(`the bin ${bin} does not start with #!/usr/bin/env node`);
  }

  // Files the emulator reads at run time rather than imports.
  const runtime = [
    'dist/emulator/sandbox/worker.js',
    ...readdirSync(join(PROJECT, 'emulator', 'http', 'ui', 'static')).map(
      (name) => `dist/emulator/http/ui/static/${name}`,
    ),
  ];
  for (const file of runtime) if (!has(file)) problems.push(`${file} (read at run time) is not in the package`);

  // Nothing of the tests (the benchmarks' results, a document the README links, are named in `files`).
  const named = new Set(installedManifest.files ?? []);
  for (const file of files)
    if (/(^|\/)(test|tests|contracts|bench)\/|\.test\.[cm]?[jt]s$/.test(file) && !named.has(file))
      problems.push(`${file} is a test or bench file`);

  // Each build output has its source (else it is left over from a deleted module), and each
  // source map's sources are in the package.
  const built = files.filter(
    (file) => file.startsWith('dist/') && file.endsWith('.js') && !file.startsWith('dist/emulator/http/ui/static/'),
  );
  for (const file of built) {
    const source = file.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    if (!existsSync(join(PROJECT, source)))
      problems.push(`${file} has no source ${source} in the project: a left-over build output (rebuild from clean)`);
  }
  let mapped = 0;
  // Every source map (.js.map, .d.ts.map): declaration maps cannot inline their sources, so theirs
  // must be files of the package.
  for (const file of files.filter((name) => name.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const [index, source] of (map.sources ?? []).entries()) {
      mapped += 1;
      if (typeof map.sourcesContent?.[index] === 'string') continue;
      const target = relative(dir, resolve(dir, dirname(file), map.sourceRoot ?? '', source))
        .split(sep)
        .join('/');
      if (!has(target))
        problems.push(`${file} maps to ${target}, which is neither in the package nor inlined (sourcesContent)`);
    }
  }

  // The shipped Markdown's relative links (and images) lead to files of the package, as a reader
  // of node_modules/aic-emulator/README.md (or a registry page) follows them.
  let links = 0;
  for (const file of files.filter((name) => name.endsWith('.md'))) {
    const hrefs = [];
    marked.walkTokens(marked.lexer(readFileSync(join(dir, file), 'utf8')), (token) => {
      if (token.type === 'link' || token.type === 'image') hrefs.push(token.href);
    });
    for (const href of hrefs) {
      if (/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(href)) continue;
      links += 1;
      const path = decodeURIComponent(href.replace(/[?#].*$/, ''));
      const target = relative(dir, resolve(dir, dirname(file), path))
        .split(sep)
        .join('/');
      const present = has(target) || files.some((name) => name.startsWith(`${target}/`));
      if (!present || target.startsWith('..')) problems.push(`${file} links to ${href}, which is not in the package`);
    }
  }

  // Every package a built module names is a dependency or a Node built-in. (The steps below run
  // the main paths; this covers the imports they do not reach.)
  const dependencies = new Set(Object.keys(installedManifest.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  const specifier =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\)\s*\(\s*|\.resolve\s*\(\s*)(['"])([^'"\s]+)\1/g;
  const imported = new Set();
  for (const file of files.filter(
    (name) => /^dist\/.*\.(js|d\.ts)$/.test(name) && !name.startsWith('dist/emulator/http/ui/static/'),
  )) {
    for (const match of readFileSync(join(dir, file), 'utf8').matchAll(specifier)) {
      const name = match[2];
      if (name.startsWith('.') || name.startsWith('/') || name.startsWith('node:') || builtins.has(name)) continue;
      if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/.*)?$/.test(name)) continue;
      const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
      if (pkg === installedManifest.name) continue;
      imported.add(pkg);
      if (!dependencies.has(pkg))
        problems.push(
          `${file} imports ${name}, and ${pkg} is not a dependency${installedManifest.devDependencies?.[pkg] ? ' (it is a devDependency)' : ''}`,
        );
    }
  }

  const unique = [...new Set(problems)];
  const shown = unique.slice(0, 12).map((problem) => `      - ${problem}`);
  if (unique.length > shown.length) shown.push(`      - ... and ${unique.length - shown.length} more`);
  check(unique.length === 0, `${unique.length} problem(s), the first: ${unique[0]}\n${shown.join('\n')}`);
  return `${files.length} files; no install script; bin and exports present; ${runtime.length} run-time files; ${mapped} mapped sources at hand; ${links} relative links resolve; imports ${[...imported].sort().join(', ')}`;
}

/** `npx aic-emulator start --port 0 --import <export>`: up, answering, and a clean stop. */
async function cliStart(cwd) {
  const exportFile = join(cwd, 'probe.journey.json');
  writeFileSync(exportFile, `${JSON.stringify(probeExport(PROBE_SCRIPT), null, 2)}\n`);
  const server = start('npx', ['aic-emulator', 'start', '--port', '0', '--import', exportFile], { cwd });
  let closed;
  server.done.then(
    (result) => (closed = result),
    () => {},
  );

  // The banner.
  const firstLine = /aic-emulator: tenant listening at (http:\/\/127\.0\.0\.1:(\d+))\n/;
  const t0 = Date.now();
  while (!(firstLine.test(server.out.stdout) && /\n {2}journeys\n(?: {4}.*\n)+/.test(server.out.stdout))) {
    if (closed)
      throw new Error(
        `it exited with ${closed.code ?? closed.signal} before printing its banner\n${tail(closed.stdout + closed.stderr)}`,
      );
    if (Date.now() - t0 > 20_000)
      throw new Error(`no banner within 20 s\n${tail(server.out.stdout + server.out.stderr)}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
  const banner = server.out.stdout;
  const [, url, port] = firstLine.exec(banner);
  check(Number(port) > 0, `it listens on port ${port}`);
  for (const expected of [
    /^ {2}realms +\/, \/alpha$/m,
    /^ {2}store +memory$/m,
    new RegExp(`^ {2}demo users +\\(password ${DEMO_PASSWORD.replace(/[!]/g, '\\$&')}\\)$`, 'm'),
    /^ {4}\/alpha +demo +_id /m,
    new RegExp(`^ {4}/alpha +.*\\b${PROBE}\\b`, 'm'),
  ]) {
    check(expected.test(banner), `the banner has no line matching ${expected}:\n${tail(banner, 30)}`);
  }

  // The process under npx (Linux: found in /proc): this project's bin.
  const pid = existsSync('/proc/self/stat') ? emulatorPid(server.child.pid) : undefined;
  if (pid !== undefined) {
    const script = realpathSync(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1] ?? '');
    check(
      script === join(cwd, 'node_modules', manifest.name, manifest.bin['aic-emulator']),
      `npx ran ${script}, not the installed package's bin`,
    );
  }

  const health = await request(`${url}/__emulator/health`);
  check(
    health.status === 200 && health.json?.status === 'ok',
    `GET /__emulator/health answered ${health.status} ${health.text}`,
  );

  const page = await request(`${url}/am/XUI/`);
  check(
    page.status === 200 && /^text\/html/.test(page.headers.get('content-type') ?? '') && /<html/i.test(page.text),
    `GET /am/XUI/ (the workshop login page) answered ${page.status} ${page.text.slice(0, 200)}`,
  );

  const login = await request(`${url}/am/json/realms/root/realms/alpha/authenticate`, {
    method: 'POST',
    headers: {
      'x-openam-username': 'demo',
      'x-openam-password': DEMO_PASSWORD,
      'accept-api-version': 'resource=2.0, protocol=1.0',
      'content-type': 'application/json',
    },
    body: '{}',
  });
  check(
    login.status === 200 && typeof login.json?.tokenId === 'string' && login.json.tokenId.length > 0,
    `the zero-page login answered ${login.status} ${login.text}`,
  );

  // The imported journey's script runs (QuickJS, from the installed package) and goes to Failure.
  const probe = await request(
    `${url}/am/json/realms/root/realms/alpha/authenticate?authIndexType=service&authIndexValue=${PROBE}`,
    {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' },
      body: '{}',
    },
  );
  const runs = await request(`${url}/__emulator/runs`);
  const runRecord = runs.json?.result?.filter((entry) => entry.journey === PROBE).at(-1);
  const shared = runRecord?.visits?.[0]?.shared?.find((change) => change.key === 'probe')?.after;
  check(
    probe.status === 401 && shared === 'ran in object',
    `the imported scripted journey answered ${probe.status} ${probe.text}; its run: ${runRecord ? `${runRecord.status}${runRecord.error ? `, ${runRecord.error.split('\n')[0]}` : ''}, shared probe = ${JSON.stringify(shared)}` : 'none recorded'}`,
  );

  // SIGTERM to the emulator, not to npx: npm runs the bin through sh, which does not pass it on.
  // Without /proc, to the whole process group: then npx ends by the signal, and the emulator's
  // exit code is not seen.
  if (pid !== undefined) process.kill(pid, 'SIGTERM');
  else process.kill(-server.child.pid, 'SIGTERM');
  let timer;
  const result = await Promise.race([server.done, new Promise((wake) => (timer = setTimeout(wake, 15_000)))]).finally(
    () => clearTimeout(timer),
  );
  check(result !== undefined, `still running 15 s after SIGTERM\n${tail(server.out.stdout + server.out.stderr)}`);
  check(
    /aic-emulator: SIGTERM, finishing in-flight requests and stopping/.test(result.stdout),
    `no stopping line after SIGTERM\n${tail(result.stdout + result.stderr)}`,
  );
  if (pid === undefined)
    return `${url}: banner, health, /am/XUI/, zero-page login, scripted ${PROBE}; SIGTERM → stopped (exit code not seen without /proc)`;
  check(
    result.code === 0,
    `it exited with ${result.code ?? result.signal} after SIGTERM\n${tail(result.stdout + result.stderr)}`,
  );
  return `${url}: banner, health, /am/XUI/, zero-page login, scripted ${PROBE}; SIGTERM → exit 0`;
}

/** The emulator's node process under `npx` (npx → sh → node), found in /proc. */
function emulatorPid(npxPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const queue = [npxPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    for (const child of children.get(pid) ?? []) {
      try {
        const argv = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
        if (argv.includes('start') && /aic-emulator|cli\.js/.test(argv[1] ?? '') && statSync(argv[1]).isFile())
          return child;
      } catch {
        // gone meanwhile
      }
      queue.push(child);
    }
  }
  throw new Error(`no aic-emulator process under npx (pid ${npxPid}) in /proc`);
}

/** `npx aic-emulator lint`: a clean export passes, a broken one fails with its error named. */
async function cliLint(cwd) {
  const clean = join(cwd, 'clean.journey.json');
  const broken = join(cwd, 'broken.journey.json');
  writeFileSync(clean, `${JSON.stringify(probeExport(PROBE_SCRIPT), null, 2)}\n`);
  writeFileSync(broken, `${JSON.stringify(probeExport("action.goTo('false'"), null, 2)}\n`);

  const good = await run('npx', ['aic-emulator', 'lint', clean], { cwd, timeoutMs: 20_000, allowFailure: true });
  check(
    good.code === 0,
    `lint of a clean export exited with ${good.code ?? good.signal}\n${tail(good.stdout + good.stderr)}`,
  );
  check(
    good.stdout.includes(`${clean}: 1 journey(s) [${PROBE}] in /alpha, 0 error(s), 0 warning(s)`),
    `lint of a clean export printed:\n${tail(good.stdout + good.stderr)}`,
  );

  const bad = await run('npx', ['aic-emulator', 'lint', broken], { cwd, timeoutMs: 20_000, allowFailure: true });
  check(
    bad.code === 1,
    `lint of an export with a syntax error exited with ${bad.code ?? bad.signal}, not 1\n${tail(bad.stdout + bad.stderr)}`,
  );
  check(
    bad.stdout.includes('1 error(s)') &&
      /error +PackageProbe \/ Probe .*Rhino would not parse this script/.test(bad.stdout),
    `lint of an export with a syntax error printed:\n${tail(bad.stdout + bad.stderr)}`,
  );
  return 'a clean export: exit 0, 0 error(s); a script syntax error: exit 1, the error named';
}

// ---------------------------------------------------------------------------------------------

const overall = setTimeout(() => {
  console.log(`FAIL the package check did not finish within ${OVERALL_MS / 1000} s`);
  for (const child of running) killGroup(child);
  if (root && !KEEP) rmSync(root, { recursive: true, force: true });
  const passedCount = results.filter((result) => result.status === 'pass').length;
  console.log(`${passedCount} passed, ${results.length - passedCount + 1} failed`);
  process.exit(1);
}, OVERALL_MS);
overall.unref();

const t0 = performance.now();
try {
  await main();
} catch (error) {
  results.push({ name: 'set-up', status: 'fail', reason: error instanceof Error ? error.message : String(error) });
  console.log(`FAIL set-up: ${error instanceof Error ? error.message : String(error)}`);
}
const count = (status) => results.filter((result) => result.status === status).length;
for (const result of results.filter((entry) => entry.status !== 'pass'))
  console.log(`${result.status === 'skip' ? 'not run' : 'failed'}: ${result.name}: ${result.reason.split('\n')[0]}`);
console.log(`package check took ${seconds(t0)}`);
console.log(`${count('pass')} passed, ${count('fail')} failed${count('skip') > 0 ? `, ${count('skip')} not run` : ''}`);
process.exitCode = count('pass') === results.length ? 0 : 1;
