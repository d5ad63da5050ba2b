/**
 * The pool of script workers (main thread side). A job goes to an idle worker, or waits for one;
 * while it runs, the worker's host calls are answered here. A worker that runs past the limit,
 * runs out of memory or dies is replaced, and only its own job fails: other journeys, and every
 * other request, carry on.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { HostHandler, HostRequest, ScriptJob, WorkerAnswer, WorkerMessage } from './protocol.js';

export interface PoolOptions {
  /** Workers running scripts at the same time. */
  size: number;
  /** Heap limit of each worker, in MiB. */
  memoryMb: number;
}


/**
 * The worker runs compiled JavaScript. Under the build (`dist/`) it sits beside this module; when
 * the tests run the TypeScript sources, the build's copy is used (the test setup builds it first).
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const beside = resolve(dirname(here), 'worker.js');
  if (existsSync(beside)) return beside;
  const built = resolve(dirname(here), '..', '..', '..', 'dist', 'emulator', 'scripting', 'sandbox', 'worker.js');
  if (existsSync(built)) return built;
  throw new Error(`the script worker is not built (looked for ${beside} and ${built}): run npm run build`);
}

interface Slot {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  busy: Pending | undefined;
  /** The worker has loaded and can run a job at once: until then its boot is not the job's time. */
  ready: boolean;
  /** When it last answered: the idle worker that answered longest ago has its next context ready. */
  idleSince: number;
}

interface Pending {
  id: number;
  job: ScriptJob;
  host: HostHandler;
  resolve: (answer: WorkerAnswer) => void;
  /** Wall-clock budget left (ms) for the script's own running time; host calls pause it. */
  budget: number;
  startedAt: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The script limit is enforced here: when a job's own running time (host calls excluded) passes
 * its limit, its worker is terminated and replaced. The grace covers the job's trip to the worker
 * and the runtime's set-up, which are not the script's doing.
 */
const WATCHDOG_GRACE_MS = 50;
/** How long a new worker may take to load before the job waiting for it fails. */
const WORKER_BOOT_MS = 30_000;

export class ScriptPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly file = workerFile();

  constructor(private readonly options: PoolOptions) {}

  /** Runs a job; never rejects: failures come back as `{ok: false}` answers. */
  run(job: ScriptJob, host: HostHandler): Promise<WorkerAnswer> {
    return new Promise((resolveAnswer) => {
      const pending: Pending = { id: this.nextId++, job, host, resolve: resolveAnswer, budget: job.timeoutMs + WATCHDOG_GRACE_MS, startedAt: 0, timer: undefined };
      if (this.closed) {
        resolveAnswer({ type: 'result', id: pending.id, ok: false, error: { kind: 'internal', message: 'the emulator is shutting down' } });
        return;
      }
      this.queue.push(pending);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.resolve({ type: 'result', id: pending.id, ok: false, error: { kind: 'internal', message: 'the emulator is shutting down' } });
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  /** Workers started so far (for tests of the pool's recovery). */
  get workers(): number {
    return this.slots.length;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // After answering, a worker spends ~0.3 ms making the next run's fresh context: the idle
      // worker that answered longest ago has made it, so a job sent there starts at once.
      let slot: Slot | undefined;
      for (const candidate of this.slots) if (!candidate.busy && (!slot || candidate.idleSince < slot.idleSince)) slot = candidate;
      if (!slot && this.slots.length < this.options.size) {
        slot = this.spawn();
        // The rest of the pool boots now, in the background: with two workers, one makes its
        // next fresh context while the other runs, so sequential runs never wait for one.
        while (this.slots.length < this.options.size) this.spawn();
      }
      if (!slot) return;
      const pending = this.queue.shift() as Pending;
      slot.busy = pending;
      this.arm(slot, pending, slot.ready ? undefined : WORKER_BOOT_MS);
      // The job as JSON text: the worker hands it to the script runtime as text anyway, and one
      // string crosses threads faster than a structured clone of the state and request.
      const { cacheKey, source, scriptName } = pending.job;
      slot.worker.postMessage({ type: 'run', id: pending.id, cacheKey, source, scriptName, job: JSON.stringify(pending.job) });
    }
  }

  private spawn(): Slot {
    const { port1, port2 } = new MessageChannel();
    const flagBuffer = new SharedArrayBuffer(4);
    const worker = new Worker(this.file, {
      workerData: { hostPort: port2, flag: flagBuffer },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.floor(this.options.memoryMb / 8)), stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    const slot: Slot = { worker, port: port1, flag: new Int32Array(flagBuffer), busy: undefined, ready: false, idleSince: 0 };
    worker.unref();
    port1.unref();
    worker.on('message', (message: WorkerMessage | { type: 'ready' }) => {
      const pending = slot.busy;
      if (message.type === 'ready') {
        slot.ready = true;
        if (pending) this.arm(slot, pending);
        return;
      }
      if (!pending || message.id !== pending.id) return;
      this.finish(slot, message.ok ? parseOutcome(message.id, message.resultJson) : message);
    });
    port1.on('message', (request: { op: HostRequest['op']; payload: string }) => {
      const pending = slot.busy;
      if (!pending) return;
      this.pause(pending);
      let parsed: unknown;
      try {
        parsed = JSON.parse(request.payload);
      } catch {
        parsed = undefined;
      }
      pending
        .host({ op: request.op, payload: parsed })
        .catch((error: unknown) => ({ ok: false as const, error: error instanceof Error ? error.message : String(error) }))
        .then((answer) => {
          if (slot.busy !== pending) return; // the worker was replaced meanwhile
          this.arm(slot, pending);
          port1.postMessage(JSON.stringify(answer));
          Atomics.store(slot.flag, 0, 1);
          Atomics.notify(slot.flag, 0);
        });
    });
    const failed = (message: string) => {
      const pending = slot.busy;
      this.remove(slot);
      if (pending) this.resolve(pending, { type: 'result', id: pending.id, ok: false, error: { kind: 'internal', message } });
      this.dispatch();
    };
    worker.on('error', (error: NodeJS.ErrnoException) => {
      failed(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the script used more memory than its limit of ${this.options.memoryMb} MiB` : `the script worker failed: ${error.message}`);
    });
    worker.on('exit', () => {
      if (this.slots.includes(slot)) failed('the script worker stopped');
    });
    this.slots.push(slot);
    return slot;
  }

  /**
   * Starts (or resumes) the watchdog for the job's remaining budget, or, while the worker is still
   * booting, for the boot's own allowance (the budget is armed again when the worker is ready).
   */
  private arm(slot: Slot, pending: Pending, bootMs?: number): void {
    pending.startedAt = Date.now();
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => {
      if (slot.busy !== pending) return;
      this.remove(slot);
      void slot.worker.terminate();
      this.resolve(pending, { type: 'result', id: pending.id, ok: false, error: { kind: 'timeout', message: `the script ran longer than its limit of ${pending.job.timeoutMs} ms` } });
      this.dispatch();
    }, bootMs ?? Math.max(1, pending.budget));
    pending.timer.unref();
  }

  /** A host call is in progress: the time it takes is not the script's. */
  private pause(pending: Pending): void {
    clearTimeout(pending.timer);
    pending.budget -= Date.now() - pending.startedAt;
  }

  private finish(slot: Slot, answer: WorkerAnswer): void {
    const pending = slot.busy as Pending;
    slot.busy = undefined;
    slot.idleSince = performance.now();
    this.resolve(pending, answer);
    this.dispatch();
  }

  private resolve(pending: Pending, answer: WorkerAnswer): void {
    clearTimeout(pending.timer);
    pending.resolve(answer);
  }

  private remove(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    slot.busy = undefined;
    slot.port.close();
  }
}

/** A worker's outcome text as the pool's answer (text the runtime wrote: a failure to parse is ours). */
function parseOutcome(id: number, json: string): WorkerAnswer {
  try {
    return { type: 'result', id, ok: true, result: JSON.parse(json) };
  } catch (error) {
    return { type: 'result', id, ok: false, error: { kind: 'internal', message: `the script runtime answered unreadable text: ${String(error)}` } };
  }
}
