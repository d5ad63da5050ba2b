/**
 * A redis-server of a test's own, on loopback, in a temporary folder: the fault tests stop,
 * restart, kill and pause it, which they must never do to the Redis other test files share.
 * Debian's redis-server (CI installs it); without one the tests skip locally and fail in CI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optional } from './optional.js';

/** How a restart keeps data (README, Scaling out: what each setting keeps across a restart). */
export type Persistence = 'none' | 'rdb' | 'aof-everysec' | 'aof-always';

export const hasRedisServer = (): boolean =>
  optional(
    'redis-server',
    spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0,
    'no redis-server on the PATH; install it (apt-get install redis-server) to run the fault suite',
  );

/** A free loopback port (the kernel picks it; released again for redis-server to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function persistenceArgs(persistence: Persistence): string[] {
  switch (persistence) {
    case 'none':
      return ['--save', '', '--appendonly', 'no'];
    case 'rdb':
      // A snapshot only when the server is shut down cleanly (and `save` rules otherwise).
      return ['--save', '3600 1', '--appendonly', 'no'];
    case 'aof-everysec':
      return ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'];
    case 'aof-always':
      return ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
  }
}

export class TestRedisServer {
  private process: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'aic-redis-'));

  private constructor(
    readonly port: number,
    readonly persistence: Persistence,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(persistence: Persistence): Promise<TestRedisServer> {
    const server = new TestRedisServer(await freePort(), persistence);
    await server.start();
    return server;
  }

  /** Starts (again) on the same port and folder: what it kept on disk comes back. */
  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--dbfilename',
        'dump.rdb',
        '--appendfilename',
        'appendonly.aof',
        ...persistenceArgs(this.persistence),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      if (output.length < 20_000) output += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const ready = () => {
        // Printed once the data is loaded and the port is open.
        if (output.includes('Ready to accept connections')) {
          child.stdout?.off('data', ready);
          resolve();
        }
      };
      child.stdout?.on('data', ready);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) at start:\n${output}`)));
    });
  }

  /** A clean stop (SIGTERM: Redis writes what its persistence setting says it writes, then exits). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** A crash: SIGKILL, nothing written at exit. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /**
   * Resolves once Redis has handed the operating system everything it acknowledged: no AOF
   * rewrite running or scheduled (Redis 7 writes the AOF's base file in the background after a
   * start), nothing left in its AOF buffer, no fsync pending. With `appendfsync everysec` Redis
   * may answer writes before it writes them out, for up to 2 s while an fsync is slow (its
   * documentation); a crash in that window loses them. Without AOF there is nothing to wait for.
   */
  async persisted(): Promise<void> {
    const { Redis } = await import('ioredis');
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      for (let attempt = 0; attempt < 400; attempt += 1) {
        const info = await client.info('persistence');
        const field = (name: string) => new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? '0';
        if (
          field('aof_rewrite_in_progress') === '0' &&
          field('aof_rewrite_scheduled') === '0' &&
          field('aof_buffer_length') === '0' &&
          field('aof_pending_bio_fsync') === '0'
        )
          return;
        // Redis's own state, polled: what the test waits on is another process's disk.
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('Redis did not write out its AOF within 10 s');
    } finally {
      client.disconnect();
    }
  }

  /** Freezes the server: the connections stay open and nothing answers. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT');
    child.kill(signal);
    await exited;
    this.process = undefined;
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
