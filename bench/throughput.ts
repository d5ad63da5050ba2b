/**
 * HTTP throughput on one core: the emulator, a bare Fastify process serving the same JSON, and a
 * raw `node:http` server writing the emulator's exact answers (servers/raw-limit.ts: the
 * physical limit of those bytes), each pinned to CPU 0 (taskset) while autocannon loads it from
 * this process (keep-alive, 50 connections). Each endpoint's figure is a ratio to the raw limit
 * and to the bare route, measured in the same run.
 *
 *   npm run bench -- throughput          (BENCH_SECONDS=5 by default per measurement)
 *   BENCH_CASES=validate,getSessionInfo npm run bench -- throughput   (only the cases whose names start so)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import autocannon from 'autocannon';
import { throughputChart, type ChartRow } from './chart.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = 50;
/** Comma-separated name prefixes: measure only those cases (a before/after of one change). */
const ONLY = (process.env['BENCH_CASES'] ?? '')
  .split(',')
  .map((prefix) => prefix.trim())
  .filter(Boolean);
const ALPHA = '/am/json/realms/root/realms/alpha';
const OAUTH2 = '/am/oauth2/realms/root/realms/alpha';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

export interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Starts `node <script>` pinned to CPU 0 (when taskset exists) and resolves with its first stdout line. */
export async function startPinned(script: string, args: string[] = []): Promise<{ child: ChildProcess; line: string }> {
  const command = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : process.execPath;
  const commandArgs = command === process.execPath ? [script, ...args] : ['-c', '0', process.execPath, script, ...args];
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const newline = output.indexOf('\n');
      if (newline >= 0) resolve(output.slice(0, newline));
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return { child, line };
}

export async function load(options: {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  seconds?: number;
}): Promise<Load> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'POST',
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
    connections: CONNECTIONS,
    duration: options.seconds ?? SECONDS,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Which baseline an endpoint's target is a ratio of (issue 22: AM's reads against the limit). */
type Target = { of: 'raw' | 'bare'; ratio: number };

const row = (name: string, raw: Load, bare: Load, measured: Load, target: Target) => {
  const ofRaw = measured.requestsPerSecond / raw.requestsPerSecond;
  const ofBare = measured.requestsPerSecond / bare.requestsPerSecond;
  const judged = target.of === 'raw' ? ofRaw : ofBare;
  const bad = measured.non2xx + measured.errors > 0 ? ` (${measured.non2xx} non-2xx, ${measured.errors} errors)` : '';
  return `| ${name} | ${raw.requestsPerSecond.toFixed(0)} | ${bare.requestsPerSecond.toFixed(0)} | ${measured.requestsPerSecond.toFixed(0)}${bad} | **${ofRaw.toFixed(2)}** | **${ofBare.toFixed(2)}** | ≥ ${target.ratio.toFixed(2)} of ${target.of} ${judged >= target.ratio ? '✓' : '✗'} | ${measured.p50} / ${measured.p99} ms |`;
};

/** What the emulator answers to one request, as the raw server replays it (servers/raw-limit.ts). */
async function capture(options: Parameters<typeof load>[0]): Promise<Record<string, unknown>> {
  const response = await fetch(options.url, {
    method: options.method ?? 'POST',
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const body = await response.text();
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    // Node writes these itself, per connection.
    if (['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)) return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const url = new URL(options.url);
  return {
    method: options.method ?? 'POST',
    url: `${url.pathname}${url.search}`,
    status: response.status,
    headers,
    body,
  };
}

export async function run(): Promise<string> {
  const bare = await startPinned(join(HERE, 'servers', 'bare-fastify.js'));
  const emulator = await startPinned(join(HERE, 'servers', 'emulator.js'));
  let raw: Awaited<ReturnType<typeof startPinned>> | undefined;
  try {
    const baseUrl = /listening at (\S+)/.exec(bare.line)?.[1] as string;
    const tenant = JSON.parse(emulator.line) as {
      url: string;
      cookieName: string;
      adminToken: string;
      tokenId: string;
      userId: string;
      accessToken: string;
      clientSecret: string;
    };
    const json = { 'content-type': 'application/json' };
    const sessions = (action: string) => `${ALPHA}/sessions/?_action=${action}`;
    const allCases: {
      name: string;
      target: Target;
      base: Parameters<typeof load>[0];
      measured: Parameters<typeof load>[0];
    }[] = [
      {
        name: 'validate (tokenId in the body)',
        target: { of: 'raw', ratio: 0.8 },
        base: { url: `${baseUrl}${sessions('validate')}`, headers: json, body: '{}' },
        measured: {
          url: `${tenant.url}${sessions('validate')}`,
          headers: { ...json, 'accept-api-version': 'resource=4.0, protocol=1.0' },
          body: JSON.stringify({ tokenId: tenant.tokenId }),
        },
      },
      {
        name: 'getSessionInfo (own token in the cookie-named header)',
        target: { of: 'raw', ratio: 0.8 },
        base: { url: `${baseUrl}${sessions('getSessionInfo')}`, headers: json, body: '{}' },
        measured: {
          url: `${tenant.url}${sessions('getSessionInfo')}`,
          headers: { 'accept-api-version': 'resource=4.0, protocol=1.0', [tenant.cookieName]: tenant.tokenId },
        },
      },
      {
        name: 'zero-page login (a new session each)',
        target: { of: 'bare', ratio: 0.4 },
        base: { url: `${baseUrl}${ALPHA}/authenticate`, headers: json, body: '{}' },
        measured: {
          url: `${tenant.url}${ALPHA}/authenticate`,
          headers: {
            ...json,
            'accept-api-version': 'resource=2.0, protocol=1.0',
            'x-openam-username': 'demo',
            'x-openam-password': 'Ch4ng3-it!',
          },
          body: '{}',
        },
      },
      {
        name: 'logoutByUser (admin bearer)',
        target: { of: 'bare', ratio: 0.4 },
        base: { url: `${baseUrl}${sessions('logoutByUser')}`, headers: json, body: '{}' },
        measured: {
          url: `${tenant.url}${sessions('logoutByUser')}`,
          headers: {
            ...json,
            'accept-api-version': 'resource=5.1, protocol=1.0',
            authorization: `Bearer ${tenant.adminToken}`,
          },
          body: JSON.stringify({ username: tenant.userId }),
        },
      },
      {
        name: 'access_token (client credentials, Basic)',
        target: { of: 'bare', ratio: 0.3 },
        base: { url: `${baseUrl}${OAUTH2}/access_token`, headers: form, body: 'grant_type=client_credentials' },
        measured: {
          url: `${tenant.url}${OAUTH2}/access_token`,
          headers: {
            ...form,
            authorization: `Basic ${Buffer.from(`demoConfidentialClient:${tenant.clientSecret}`).toString('base64')}`,
          },
          body: 'grant_type=client_credentials',
        },
      },
      {
        name: 'userinfo (bearer access token)',
        target: { of: 'bare', ratio: 0.4 },
        base: { url: `${baseUrl}${OAUTH2}/userinfo`, method: 'GET' },
        measured: {
          url: `${tenant.url}${OAUTH2}/userinfo`,
          method: 'GET',
          headers: { authorization: `Bearer ${tenant.accessToken}` },
        },
      },
    ];
    const cases = allCases.filter((item) => ONLY.length === 0 || ONLY.some((prefix) => item.name.startsWith(prefix)));
    if (cases.length === 0)
      throw new Error(`BENCH_CASES matches none of: ${allCases.map((item) => item.name).join('; ')}`);
    // The raw limit replays the emulator's own answers, captured now, one per endpoint.
    const capturedDir = mkdtempSync(join(tmpdir(), 'aic-bench-'));
    const capturedFile = join(capturedDir, 'answers.json');
    const captured = [];
    for (const item of cases)
      captured.push(
        await capture(
          // Its answer is the same for anyone; captured for nobody, demo's session stays for the others.
          item.name.startsWith('logoutByUser')
            ? { ...item.measured, body: JSON.stringify({ username: 'nobody' }) }
            : item.measured,
        ),
      );
    writeFileSync(capturedFile, JSON.stringify(captured));
    raw = await startPinned(join(HERE, 'servers', 'raw-limit.js'), [capturedFile]);
    rmSync(capturedDir, { recursive: true, force: true });
    const rawUrl = /listening at (\S+)/.exec(raw.line)?.[1] as string;
    const atRaw = (options: Parameters<typeof load>[0]) => ({
      ...options,
      url: options.url.replace(tenant.url, rawUrl),
    });
    // Warm the processes up (JIT), briefly.
    await load({ ...(cases[0] as (typeof cases)[0]).base, seconds: 1 });
    await load({ ...atRaw((cases[0] as (typeof cases)[0]).measured), seconds: 1 });
    await load({ ...(cases[0] as (typeof cases)[0]).measured, seconds: 1 });
    const rows: string[] = [];
    const chart: ChartRow[] = [];
    for (const item of cases) {
      const rawLoad = await load(atRaw(item.measured));
      const base = await load(item.base);
      const measured = await load(item.measured);
      rows.push(row(item.name, rawLoad, base, measured, item.target));
      chart.push({ name: item.name, baseline: base.requestsPerSecond, measured: measured.requestsPerSecond });
    }
    // The chart is the whole table's: a partial run (BENCH_CASES) leaves it as it was.
    if (cases.length === allCases.length) {
      const chartFile = join(HERE, '..', '..', 'bench', 'throughput.svg');
      writeFileSync(
        chartFile,
        throughputChart(chart, `Throughput on one core, 50 connections (${new Date().toISOString().slice(0, 10)})`),
      );
    }
    return [
      '### throughput: one core, keep-alive, 50 connections (autocannon)',
      '',
      `Each server process pinned to CPU 0; autocannon in the bench process; ${SECONDS} s per measurement. Two baselines: the raw limit, a \`node:http\` server that parses the request's JSON and writes the emulator's exact answer (its status, its headers, its body, a fresh transaction id), and a bare Fastify route returning the same JSON.`,
      '',
      '| endpoint | raw limit req/s | bare Fastify req/s | emulator req/s | of raw | of bare | target | emulator p50 / p99 |',
      '|---|---:|---:|---:|---:|---:|---|---|',
      ...rows,
      '',
      'Chart: [bench/throughput.svg](throughput.svg) (written by this run).',
    ].join('\n');
  } finally {
    bare.child.kill('SIGTERM');
    emulator.child.kill('SIGTERM');
    raw?.child.kill('SIGTERM');
  }
}
