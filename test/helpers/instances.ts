/**
 * Several instances of one tenant sharing Redis, in tests: started in this process
 * (createEmulator) or as `aic-emulator start` processes, and a way to wait until every instance
 * has applied the tenant's latest change (by sequence number, not by time).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type { Emulator, EmulatorOptions } from '../../emulator/index.js';
import { tenantKeys, type RedisClient } from '../../emulator/core/redis-connection.js';
import { startEmulator } from './tenant.js';
import { http, type RawResponse } from './http.js';
import { PROJECT_ROOT } from './optional.js';
import { REDIS_URL } from './redis.js';

/** An instance as the tests address it: a URL (in-process or a child process). */
export interface Instance {
  url: string;
}

export async function startInstance(prefix: string, options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ store: { kind: 'redis', redisUrl: REDIS_URL, keyPrefix: prefix }, ...options });
}

/** Polls `check` until it is true, at most `attempts` times, yielding to I/O in between. */
export async function until(check: () => Promise<boolean> | boolean, what: string, attempts = 2_000): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/** Waits until every instance has applied every change made so far to the tenant. */
export async function settled(client: RedisClient, prefix: string, ...instances: Instance[]): Promise<void> {
  const target = Number(await client.get(`${tenantKeys(prefix).control}seq`));
  for (const instance of instances) {
    await until(
      async () => Number((await http(`${instance.url}/__emulator/state`)).json?.sequence) >= target,
      `${instance.url} to reach change ${target}`,
    );
  }
}

export const CLI = join(PROJECT_ROOT, 'dist', 'emulator', 'app', 'cli.js');

export interface CliInstance extends Instance {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts `aic-emulator start --port 0 <args>` and resolves once it prints its URL. */
export function startCli(args: string[], env: Record<string, string> = {}): Promise<CliInstance> {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', ...args], {
    env: { ...process.env, PORT: '', ...env },
  });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening at (http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes('try')) resolve({ url, child, output: () => output, exit });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exit.then((code) => reject(new Error(`aic-emulator exited (${code}) before listening:\n${output}`)));
  });
}

/** A journey step posted to whichever instance: the body of the previous step, answered. */
export function postStep(instance: Instance, journey: string, body: unknown): Promise<RawResponse> {
  return http(
    `${instance.url}/am/json/realms/root/realms/alpha/authenticate?authIndexType=service&authIndexValue=${journey}`,
    {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' },
      body: body === undefined ? '{}' : JSON.stringify(body),
    },
  );
}

/** Fills callback `index`'s main input in a step body. */
export function answer(
  body: { callbacks: { input: { name: string; value: unknown }[] }[] },
  index: number,
  value: unknown,
): typeof body {
  const input = body.callbacks[index]?.input.find((item) => item.name === `IDToken${index + 1}`);
  if (!input) throw new Error(`no input for callback ${index}`);
  input.value = value;
  return body;
}
