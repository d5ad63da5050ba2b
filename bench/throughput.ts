/**
 * HTTP throughput on one core: the emulator and a bare Fastify process serving the same JSON, each
 * pinned to CPU 0 (taskset) while autocannon loads it from this process (keep-alive, 50
 * connections). Each endpoint's figure is a ratio to the bare route measured in the same run.
 *
 *   npm run bench -- throughput          (BENCH_SECONDS=5 by default per measurement)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { throughputChart, type ChartRow } from './chart.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = 50;
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

const row = (name: string, base: Load, measured: Load, target: number) => {
  const ratio = measured.requestsPerSecond / base.requestsPerSecond;
  const bad = measured.non2xx + measured.errors > 0 ? ` (${measured.non2xx} non-2xx, ${measured.errors} errors)` : '';
  return `| ${name} | ${base.requestsPerSecond.toFixed(0)} | ${measured.requestsPerSecond.toFixed(0)}${bad} | **${ratio.toFixed(2)}** | ≥ ${target.toFixed(2)} ${ratio >= target ? '✓' : '✗'} | ${measured.p50} / ${measured.p99} ms |`;
};

export async function run(): Promise<string> {
  const bare = await startPinned(join(HERE, 'servers', 'bare-fastify.js'));
  const emulator = await startPinned(join(HERE, 'servers', 'emulator.js'));
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
    const cases: {
      name: string;
      target: number;
      base: Parameters<typeof load>[0];
      measured: Parameters<typeof load>[0];
    }[] = [
      {
        name: 'validate (tokenId in the body)',
        target: 0.6,
        base: { url: `${baseUrl}${sessions('validate')}`, headers: json, body: '{}' },
        measured: {
          url: `${tenant.url}${sessions('validate')}`,
          headers: { ...json, 'accept-api-version': 'resource=4.0, protocol=1.0' },
          body: JSON.stringify({ tokenId: tenant.tokenId }),
        },
      },
      {
        name: 'getSessionInfo (own token in the cookie-named header)',
        target: 0.6,
        base: { url: `${baseUrl}${sessions('getSessionInfo')}`, headers: json, body: '{}' },
        measured: {
          url: `${tenant.url}${sessions('getSessionInfo')}`,
          headers: { 'accept-api-version': 'resource=4.0, protocol=1.0', [tenant.cookieName]: tenant.tokenId },
        },
      },
      {
        name: 'zero-page login (a new session each)',
        target: 0.4,
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
        target: 0.3,
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
        target: 0.3,
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
        target: 0.4,
        base: { url: `${baseUrl}${OAUTH2}/userinfo`, method: 'GET' },
        measured: {
          url: `${tenant.url}${OAUTH2}/userinfo`,
          method: 'GET',
          headers: { authorization: `Bearer ${tenant.accessToken}` },
        },
      },
    ];
    // Warm both processes up (JIT), briefly.
    await load({ ...(cases[0] as (typeof cases)[0]).base, seconds: 1 });
    await load({ ...(cases[0] as (typeof cases)[0]).measured, seconds: 1 });
    const rows: string[] = [];
    const chart: ChartRow[] = [];
    for (const item of cases) {
      const base = await load(item.base);
      const measured = await load(item.measured);
      rows.push(row(item.name, base, measured, item.target));
      chart.push({ name: item.name, baseline: base.requestsPerSecond, measured: measured.requestsPerSecond });
    }
    const chartFile = join(HERE, '..', '..', 'bench', 'throughput.svg');
    writeFileSync(
      chartFile,
      throughputChart(chart, `Throughput on one core, 50 connections (${new Date().toISOString().slice(0, 10)})`),
    );
    return [
      '### throughput: one core, keep-alive, 50 connections (autocannon)',
      '',
      `Each server process pinned to CPU 0; autocannon in the bench process; ${SECONDS} s per measurement. The baseline is a bare Fastify route returning the same JSON.`,
      '',
      '| endpoint | bare Fastify req/s | emulator req/s | ratio | target | emulator p50 / p99 |',
      '|---|---:|---:|---:|---|---|',
      ...rows,
      '',
      'Chart: [bench/throughput.svg](throughput.svg) (written by this run).',
    ].join('\n');
  } finally {
    bare.child.kill('SIGTERM');
    emulator.child.kill('SIGTERM');
  }
}
