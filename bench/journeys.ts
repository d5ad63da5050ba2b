/**
 * What scripts and journeys cost, measured over HTTP against an emulator in this process:
 *
 * - a Scripted Decision node's overhead: a journey of one scripted node (`outcome = "true"`)
 *   against the same journey with a Set Success URL node in its place; the difference is the
 *   worker round trip and the bindings;
 * - a script's in-process httpClient call back into the tenant: the scripted journey with and
 *   without one `httpClient.send(<serverinfo>).get()`;
 * - complete Single Logout runs per second (zero-page sign-in, then the demo TerminateSession
 *   journey: logoutByUser from its script, the Login page answered, a new session), against
 *   zero-page sign-ins per second in the same run.
 *
 *   npm run bench -- journeys
 */
import { Pool } from 'undici';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { END, treeExport } from '../emulator/config/demo-journeys/build.js';
import { DEMO_PASSWORD } from '../emulator/config/demo-tenant.js';

const ALPHA = '/am/json/realms/root/realms/alpha';
const JSON_HEADERS = { 'content-type': 'application/json', 'accept-api-version': 'resource=2.1, protocol=1.0' };
const BATCHES = 15;
const PER_BATCH = 100;
/** Concurrent users for the journeys-per-second figures (distinct users, so runs do not end each other's sessions). */
const CONCURRENCY = 8;
const RUNS_PER_USER = 40;

let probes = 0;
/**
 * A journey of a Zero Page Login node (the signed-in user, so that Success has someone to sign
 * in) then the probed node, leading to Success. Node and script ids are unique across an export.
 */
function probe(
  name: string,
  node: { type: string; config: Record<string, unknown>; outcomes: string[] },
  source?: string,
): Record<string, unknown> {
  probes += 1;
  const zeroPageId = `a0000000-0000-4000-8000-${String(probes).padStart(12, '0')}`;
  const nodeId = `b0000000-0000-4000-8000-${String(probes).padStart(12, '0')}`;
  const scriptId = `c0000000-0000-4000-8000-${String(probes).padStart(12, '0')}`;
  return treeExport({
    name,
    description: 'bench probe',
    entry: zeroPageId,
    nodes: [
      {
        id: zeroPageId,
        type: 'ZeroPageLoginNode',
        name: 'Zero Page Login',
        x: 1,
        y: 1,
        connections: { true: nodeId, false: END.failure },
        config: {},
      },
      {
        id: nodeId,
        type: node.type,
        name: node.type,
        x: 200,
        y: 1,
        connections: Object.fromEntries(node.outcomes.map((outcome) => [outcome, END.success])),
        config: source === undefined ? node.config : { ...node.config, script: scriptId },
      },
    ],
    ...(source === undefined
      ? {}
      : {
          scripts: [
            {
              id: scriptId,
              name: `${name} script`,
              description: '',
              source,
              context: 'SCRIPTED_DECISION_NODE',
              evaluatorVersion: '2.0' as const,
            },
          ],
        }),
  });
}

const SCRIPTED = {
  type: 'ScriptedDecisionNode',
  config: { outcomes: ['true'], inputs: ['*'], outputs: ['*'] },
  outcomes: ['true'],
};
export const JOURNEYS = {
  trees: {
    BenchPlain: probe('BenchPlain', {
      type: 'SetSuccessUrlNode',
      config: { successUrl: '/enduser/' },
      outcomes: ['outcome'],
    }),
    BenchScripted: probe('BenchScripted', SCRIPTED, 'outcome = "true";'),
    BenchHttpClient: probe(
      'BenchHttpClient',
      SCRIPTED,
      'var r = httpClient.send("http://" + requestHeaders.get("host").get(0) + "/am/json/serverinfo/*", { headers: { "Accept-API-Version": "resource=1.1" } }).get();\n' +
        'outcome = r.status === 200 ? "true" : "false";',
    ),
  },
};

async function post(
  pool: Pool,
  path: string,
  headers: Record<string, string>,
  body = '{}',
): Promise<{ status: number; json: any; setCookie: string[] }> {
  const response = await pool.request({ method: 'POST', path, headers: { ...JSON_HEADERS, ...headers }, body });
  const json = await response.body.json();
  const raw = response.headers['set-cookie'];
  return { status: response.statusCode, json, setCookie: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw] };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Median µs per journey run (one request each, noSession) for each journey, batches interleaved so drift hits all alike. */
async function perRun(pool: Pool, names: string[]): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let batch = -2; batch < BATCHES; batch += 1) {
    for (const name of names) {
      const started = performance.now();
      for (let i = 0; i < PER_BATCH; i += 1) {
        const { status, json } = await post(
          pool,
          `${ALPHA}/authenticate?authIndexType=service&authIndexValue=${name}&noSession=true`,
          zeroPage('demo'),
        );
        if (status !== 200 || json.successUrl === undefined)
          throw new Error(`${name} did not succeed: ${status} ${JSON.stringify(json)}`);
      }
      // The first two rounds warm up the JIT, the worker pool and the compiled-script cache.
      if (batch >= 0) (samples[name] as number[]).push(((performance.now() - started) / PER_BATCH) * 1000);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name] as number[])]));
}

const zeroPage = (user: string) => ({ 'x-openam-username': user, 'x-openam-password': DEMO_PASSWORD });

async function signIn(pool: Pool, user: string): Promise<string> {
  const { status, json } = await post(
    pool,
    `${ALPHA}/authenticate?authIndexType=service&authIndexValue=Login`,
    zeroPage(user),
  );
  if (status !== 200 || typeof json.tokenId !== 'string')
    throw new Error(`sign-in of ${user} failed: ${status} ${JSON.stringify(json)}`);
  return json.tokenId as string;
}

/** One Single Logout run: sign in, then TerminateSession with that session's cookie, answering its Login page. */
async function singleLogout(pool: Pool, cookieName: string, user: string): Promise<void> {
  const token = await signIn(pool, user);
  const path = `${ALPHA}/authenticate?authIndexType=service&authIndexValue=TerminateSession`;
  const cookie = { cookie: `${cookieName}=${token}` };
  const step = await post(pool, path, cookie);
  if (step.status !== 200 || !Array.isArray(step.json.callbacks))
    throw new Error(`TerminateSession did not reach the Login page: ${step.status} ${JSON.stringify(step.json)}`);
  for (const callback of step.json.callbacks) {
    if (callback.type === 'NameCallback') callback.input[0].value = user;
    if (callback.type === 'PasswordCallback') callback.input[0].value = DEMO_PASSWORD;
  }
  const done = await post(pool, path, cookie, JSON.stringify(step.json));
  if (done.status !== 200 || typeof done.json.tokenId !== 'string')
    throw new Error(`TerminateSession did not sign in again: ${done.status} ${JSON.stringify(done.json)}`);
}

/** Runs per second with CONCURRENCY users each doing RUNS_PER_USER runs of `run`. */
async function perSecond(users: string[], run: (user: string) => Promise<void>): Promise<number> {
  const started = performance.now();
  await Promise.all(
    users.map(async (user) => {
      for (let i = 0; i < RUNS_PER_USER; i += 1) await run(user);
    }),
  );
  return (users.length * RUNS_PER_USER) / ((performance.now() - started) / 1000);
}

async function addUsers(emulator: Emulator): Promise<string[]> {
  const users = Array.from({ length: CONCURRENCY }, (_, i) => `bench-user-${i}`);
  for (const userName of users) {
    const response = await fetch(`${emulator.url}/__emulator/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        realm: 'alpha',
        userName,
        password: DEMO_PASSWORD,
        givenName: 'Bench',
        sn: userName,
        mail: `${userName}@example.com`,
        preferences: { updates: true, marketing: true },
      }),
    });
    if (response.status !== 201)
      throw new Error(`could not add ${userName}: ${response.status} ${await response.text()}`);
  }
  return users;
}

/** Visit durations by node type, from the run records the tenant kept (the console's runs view). */
function nodeTypeCosts(emulator: Emulator): { runs: number; rows: string[] } {
  const byType = new Map<string, number[]>();
  const runs = emulator.tenant.runs.list();
  for (const record of runs)
    for (const visit of record.visits) {
      const durations = byType.get(visit.nodeType) ?? [];
      durations.push(visit.durationMs * 1000);
      byType.set(visit.nodeType, durations);
    }
  const at = (sorted: number[], share: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
  const rows = [...byType]
    .map(([type, durations]) => ({ type, durations: durations.sort((a, b) => a - b) }))
    .sort((a, b) => at(b.durations, 0.5) - at(a.durations, 0.5))
    .map(
      ({ type, durations }) =>
        `| ${type} | ${durations.length} | ${at(durations, 0.5).toFixed(0)} | ${at(durations, 0.9).toFixed(0)} |`,
    );
  return { runs: runs.length, rows };
}

export async function run(): Promise<string> {
  const emulator = await createEmulator({ port: 0, logger: false, journeys: [JOURNEYS] });
  const pool = new Pool(emulator.url, { connections: CONCURRENCY });
  try {
    const times = await perRun(pool, ['BenchPlain', 'BenchScripted', 'BenchHttpClient']);
    const plain = times.BenchPlain as number;
    const scripted = times.BenchScripted as number;
    const withCall = times.BenchHttpClient as number;

    const users = await addUsers(emulator);
    // Warm-up at the concurrency measured: scripts waiting on host calls make the pool start
    // extra workers (up to scriptLimits.maxWorkers), each ~100 ms of CPU to boot, which then stay
    // while busy. Measured after it, the figure is the steady state's; the boots are reported apart.
    const booted = process.cpuUsage();
    await perSecond(users, (user) => singleLogout(pool, emulator.cookieName, user));
    const warmUpCpu = process.cpuUsage(booted);
    const signIns = await perSecond(users, async (user) => void (await signIn(pool, user)));
    await emulator.reset();
    await addUsers(emulator);
    const measuredCpu = process.cpuUsage();
    const singleLogouts = await perSecond(users, (user) => singleLogout(pool, emulator.cookieName, user));
    const cpu = process.cpuUsage(measuredCpu);
    const runs = users.length * RUNS_PER_USER;
    const cpuPerRun = (cpu.user + cpu.system) / 1000 / runs;
    const warmUpPerRun = (warmUpCpu.user + warmUpCpu.system) / 1000 / runs;
    const perNodeType = nodeTypeCosts(emulator);

    return [
      '### journeys: scripted node overhead and Single Logout runs',
      '',
      `Sequential requests, median of ${BATCHES} batches of ${PER_BATCH}; one journey run per request (a Zero Page Login node, then the node measured; noSession=true).`,
      '',
      '| journey | µs per run | overhead against the plain journey |',
      '|---|---:|---:|',
      `| one Set Success URL node (baseline) | ${plain.toFixed(0)} | — |`,
      `| one Scripted Decision node (\`outcome = "true"\`) | ${scripted.toFixed(0)} | ${(scripted - plain).toFixed(0)} µs (${(scripted / plain).toFixed(2)}×) |`,
      `| the same script plus one in-process httpClient call to serverinfo | ${withCall.toFixed(0)} | httpClient call: ${(withCall - scripted).toFixed(0)} µs |`,
      '',
      `${CONCURRENCY} concurrent users, ${RUNS_PER_USER} runs each:`,
      '',
      '| flow | runs per second | ratio to zero-page sign-ins |',
      '|---|---:|---:|',
      `| zero-page sign-in to Login (baseline, 1 request) | ${signIns.toFixed(0)} | 1.00 |`,
      `| Single Logout: sign in, TerminateSession (script logoutByUser over httpClient), Login page, new session (3 requests) | ${singleLogouts.toFixed(0)} | ${(singleLogouts / signIns).toFixed(2)} |`,
      '',
      `Measured after a warm-up of the same ${runs} runs at the same concurrency, which started the pool's extra workers. CPU per Single Logout run (all threads): ${cpuPerRun.toFixed(1)} ms measured, ${warmUpPerRun.toFixed(1)} ms in the warm-up (worker boots included).`,
      '',
      `Cost per node type in those runs (the last ${perNodeType.runs} runs the tenant kept, Login and TerminateSession, 8 users at once): each visit's own duration as its run records it, from the node's start to its outcome, its state diff for the runs view excluded. A Page Node and an Inner Tree Evaluator include the nodes they run.`,
      '',
      '| node type | visits | median µs | p90 µs |',
      '|---|---:|---:|---:|',
      ...perNodeType.rows,
    ].join('\n');
  } finally {
    await pool.close();
    await emulator.close();
  }
}
