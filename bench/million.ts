/**
 * A million sessions: the memory they take, whether validate, logoutByUser and the query cost the
 * same with 1,000 or 1,000,000 sessions in the store (over HTTP, ratio big / small), and the
 * latency of requests while the sweeper expires all million at once (p99 against the same
 * requests with nothing to sweep).
 *
 *   npm run bench -- million        (MILLION=1000000 by default; 10 sessions per user)
 */
import { Pool } from 'undici';
import { createEmulator, type Emulator } from '../emulator/index.js';

const BIG = Number(process.env['MILLION'] ?? 1_000_000);
const SMALL = 1_000;
const PER_USER = 10;
const ROUNDS = 1_000;
const ALPHA = '/am/json/realms/root/realms/alpha';

const gc = (globalThis as { gc?: () => void }).gc;
const settle = () => {
  gc?.();
  gc?.();
  return process.memoryUsage();
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] as number;

interface Filled {
  emulator: Emulator;
  ids: string[];
  tokens: string[];
}

async function filled(total: number): Promise<Filled & { userMemory: number; sessionMemory: number }> {
  const emulator = await createEmulator({ config: { users: [] }, clock: { frozen: true } });
  const { tenant } = emulator;
  const before = settle();
  const users = [];
  for (let u = 0; u < total / PER_USER; u += 1)
    users.push(tenant.users.add({ realm: 'alpha', userName: `user-${u}`, password: 'pw' }));
  const withUsers = settle();
  const tokens: string[] = [];
  for (const user of users) {
    for (let i = 0; i < PER_USER; i += 1)
      tokens.push((await tenant.createSession(user, { service: 'Login', successUrl: '/' })).tokenId);
  }
  const withSessions = settle();
  return {
    emulator,
    ids: users.map((user) => user._id),
    tokens,
    userMemory: withUsers.rss - before.rss,
    sessionMemory: withSessions.rss - withUsers.rss,
  };
}

/** Mean µs per call of validate, the query and logoutByUser (then the user's sessions made again, untimed). */
async function perCall({
  emulator,
  ids,
  tokens,
}: Filled): Promise<{ validate: number; query: number; logoutByUser: number }> {
  const pool = new Pool(emulator.url, { connections: 1 });
  const admin = { authorization: `Bearer ${emulator.adminToken}`, 'content-type': 'application/json' };
  const time = { validate: 0, query: 0, logoutByUser: 0 };
  try {
    for (let round = -100; round < ROUNDS; round += 1) {
      const index = Math.abs(round * 7919) % ids.length;
      const id = ids[index] as string;
      let started = performance.now();
      const validate = await pool.request({
        method: 'POST',
        path: `${ALPHA}/sessions/?_action=validate`,
        headers: { 'content-type': 'application/json', 'accept-api-version': 'resource=4.0, protocol=1.0' },
        body: JSON.stringify({ tokenId: tokens[index * PER_USER] }),
      });
      await validate.body.text();
      const validateMs = performance.now() - started;
      started = performance.now();
      const query = await pool.request({
        method: 'GET',
        path: `${ALPHA}/sessions?_queryFilter=${encodeURIComponent(`username eq "${id}" and realm eq "/alpha"`)}`,
        headers: { ...admin, 'accept-api-version': 'resource=4.0, protocol=1.0' },
      });
      const found = ((await query.body.json()) as { resultCount: number }).resultCount;
      const queryMs = performance.now() - started;
      started = performance.now();
      const logout = await pool.request({
        method: 'POST',
        path: `${ALPHA}/sessions/?_action=logoutByUser`,
        headers: { ...admin, 'accept-api-version': 'resource=5.1, protocol=1.0' },
        body: JSON.stringify({ username: id }),
      });
      await logout.body.text();
      const logoutMs = performance.now() - started;
      if (found !== PER_USER) throw new Error(`expected ${PER_USER} sessions of ${id}, found ${found}`);
      const user = emulator.tenant.users.get(id);
      if (user)
        for (let i = 0; i < PER_USER; i += 1)
          tokens[index * PER_USER + i] = (
            await emulator.tenant.createSession(user, { service: 'Login', successUrl: '/' })
          ).tokenId;
      if (round >= 0) {
        time.validate += validateMs;
        time.query += queryMs;
        time.logoutByUser += logoutMs;
      }
    }
  } finally {
    await pool.close();
  }
  return {
    validate: (time.validate / ROUNDS) * 1000,
    query: (time.query / ROUNDS) * 1000,
    logoutByUser: (time.logoutByUser / ROUNDS) * 1000,
  };
}

/** Latencies (ms) of validate requests for a live session, until `done()`, at most `max` of them. */
async function latencies(emulator: Emulator, token: string, done: () => boolean, max: number): Promise<number[]> {
  const pool = new Pool(emulator.url, { connections: 1 });
  const values: number[] = [];
  try {
    while (!done() && values.length < max) {
      const started = performance.now();
      const response = await pool.request({
        method: 'POST',
        path: `${ALPHA}/sessions/?_action=validate`,
        headers: { 'content-type': 'application/json', 'accept-api-version': 'resource=4.0, protocol=1.0' },
        body: JSON.stringify({ tokenId: token }),
      });
      const body = (await response.body.json()) as { valid: boolean };
      values.push(performance.now() - started);
      if (!body.valid) throw new Error('the live session was swept');
    }
  } finally {
    await pool.close();
  }
  return values;
}

export async function run(): Promise<string> {
  const small = await filled(SMALL);
  const smallCost = await perCall(small);
  await small.emulator.close();

  const big = await filled(BIG);
  const bigCost = await perCall(big);
  const { emulator } = big;
  const rssWithAll = settle().rss;

  // The sweep: every session expires at once (idle timeout passed); one fresh session stays.
  const calm = await latencies(emulator, big.tokens[0] as string, () => false, 2_000);
  emulator.advanceClock(31 * 60);
  const user = emulator.tenant.users.get(big.ids[0] as string);
  if (!user) throw new Error('no user');
  const fresh = (await emulator.tenant.createSession(user, { service: 'Login', successUrl: '/' })).tokenId;
  const sweepStarted = performance.now();
  void emulator.tenant.sweepSoon();
  let swept = false;
  const sweepDone = emulator.tenant.whenSwept().then(() => {
    swept = true;
  });
  const during = await latencies(emulator, fresh, () => swept, 1_000_000);
  await sweepDone;
  const sweepMs = performance.now() - sweepStarted;
  const left = await emulator.tenant.sessions.count();
  await emulator.close();

  const row = (name: 'validate' | 'query' | 'logoutByUser') => {
    const ratio = bigCost[name] / smallCost[name];
    return `| ${name} over HTTP | ${smallCost[name].toFixed(1)} µs | ${bigCost[name].toFixed(1)} µs | **${ratio.toFixed(2)}** | ≤ 1.5 ${ratio <= 1.5 ? '✓' : '✗'} |`;
  };
  return [
    `### ${BIG.toLocaleString('en')} sessions`,
    '',
    `${PER_USER} sessions per user; mean of ${ROUNDS} sequential calls each (keep-alive), users picked across the whole store.`,
    '',
    '| operation | 1,000 sessions | ' + BIG.toLocaleString('en') + ' sessions | ratio | target |',
    '|---|---:|---:|---:|---|',
    row('validate'),
    row('query'),
    row('logoutByUser'),
    '',
    `| memory (RSS after GC) | |`,
    '|---|---:|',
    `| ${(BIG / PER_USER).toLocaleString('en')} users | ${mib(big.userMemory)} |`,
    `| ${BIG.toLocaleString('en')} sessions | ${mib(big.sessionMemory)} (${(big.sessionMemory / BIG).toFixed(0)} bytes each; target ≤ 1 GiB ${big.sessionMemory <= 1024 ** 3 ? '✓' : '✗'}) |`,
    `| the whole process | ${mib(rssWithAll)} |`,
    '',
    `Expiring all ${BIG.toLocaleString('en')} at once took ${(sweepMs / 1000).toFixed(1)} s (${left} session left: the fresh one). validate latency meanwhile: p50 ${percentile(during, 0.5).toFixed(2)} ms, p99 **${percentile(during, 0.99).toFixed(2)} ms**, max ${Math.max(...during).toFixed(1)} ms over ${during.length} requests; with nothing to sweep: p50 ${percentile(calm, 0.5).toFixed(2)} ms, p99 ${percentile(calm, 0.99).toFixed(2)} ms.`,
  ].join('\n');
}
