/**
 * The pool of script workers (main thread side). A job goes to an idle worker, or waits for one;
 * while it runs, the worker's host calls are answered here. Every job has a deadline (a
 * wall-clock limit for the whole run, host calls and its wait for a worker included): a worker
 * that has not answered shortly after it, that runs out of memory or dies is replaced, and only
 * its own job fails. Other journeys, and every other request, carry on.
 *
 * Workers parked on a host call use no CPU; while one is, the pool may start extra workers (up to
 * `maxWorkers`), so a script that calls back into the tenant, whose journey runs a script in
 * turn, does not stall every other script behind it. Extra workers stop when idle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type {
  HostAnswer,
  HostCallMessage,
  HostHandler,
  ScriptJob,
  ScriptOutcome,
  WorkerAnswer,
  WorkerMessage,
} from './protocol.js';

export interface PoolOptions {
  /** Workers kept running. */
  size: number;
  /** Workers at most, counting those started while others wait on host calls. */
  maxWorkers: number;
  /** QuickJS heap limit of each run, in MiB. */
  memoryMb: number;
  /** How long one host call may wait for its answer, in ms (never past the run's deadline). */
  hostCallTimeoutMs: number;
}

/**
 * The worker runs compiled JavaScript. Under the build (`dist/`) it sits beside this module; when
 * the tests run the TypeScript sources, the build's copy is used (the test setup builds it first).
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const beside = resolve(dirname(here), 'worker.js');
  if (existsSync(beside)) return beside;
  const built = resolve(dirname(here), '..', '..', 'dist', 'emulator', 'sandbox', 'worker.js');
  if (existsSync(built)) return built;
  throw new Error(`the script worker is not built (looked for ${beside} and ${built}): run npm run build`);
}

/**
 * QuickJS's WebAssembly, compiled once for every worker (a module can be handed to a worker as it
 * is), so that a worker started under load boots without compiling it again.
 */
let compiledEngine: object | undefined;
function engineModule(): object {
  if (!compiledEngine) {
    const path = createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
    const { Module } = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } })
      .WebAssembly;
    compiledEngine = new Module(readFileSync(path));
  }
  return compiledEngine;
}

interface Slot {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  busy: Pending | undefined;
  /** The worker has loaded and can run a job at once: until then its boot is not the job's time. */
  ready: boolean;
  /** A host call of its job is being answered: the worker waits, using no CPU. */
  inHostCall: boolean;
  /** The number of the host call being answered (a late answer to an abandoned one must not clear `inHostCall`). */
  hostCallSeq: number;
  /** When it last answered: the idle worker that answered longest ago has its memory put back. */
  idleSince: number;
  /** For a worker beyond `size`: stops it once it has been idle a while. */
  retire: NodeJS.Timeout | undefined;
}

interface Pending {
  id: number;
  job: ScriptJob;
  host: HostHandler;
  resolve: (answer: WorkerAnswer) => void;
  /** Date.now() by which the run must have ended. */
  deadline: number;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
  /** When it began waiting for its worker to boot. */
  bootWaitFrom: number;
}

/**
 * A worker ends a run itself at its deadline (QuickJS's interrupt handler); the watchdog stops
 * the thread only if it has not answered this long after, i.e. when the thread itself is stuck.
 */
const WATCHDOG_GRACE_MS = 1_000;
/** How long a new worker may take to load before the job waiting for it fails. */
const WORKER_BOOT_MS = 30_000;
/**
 * An extra worker stops after this long without a job: long enough that a steady load of scripts
 * calling back into the tenant keeps its workers instead of starting new ones all the time.
 */
const EXTRA_WORKER_IDLE_MS = 10_000;
/** The largest host answer handed to a script (an in-process response body, mostly). */
const MAX_HOST_ANSWER_CHARS = 16 * 1024 * 1024;

export class ScriptPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly file = workerFile();

  constructor(private readonly options: PoolOptions) {}

  /** Runs a job to end by `deadline` (Date.now() time); never rejects: failures come back as `{ok: false}`. */
  run(job: ScriptJob, host: HostHandler, deadline: number): Promise<WorkerAnswer> {
    return new Promise((resolveAnswer) => {
      const pending: Pending = {
        id: this.nextId++,
        job,
        host,
        resolve: resolveAnswer,
        deadline,
        timer: undefined,
        settled: false,
        bootWaitFrom: 0,
      };
      if (this.closed) {
        this.resolve(pending, this.failure(pending, 'internal', 'the emulator is shutting down'));
        return;
      }
      if (deadline <= Date.now()) {
        this.resolve(pending, this.timeout(pending));
        return;
      }
      this.queue.push(pending);
      // A job still waiting for a worker at its deadline fails there and then.
      pending.timer = setTimeout(() => {
        const index = this.queue.indexOf(pending);
        if (index < 0) return;
        this.queue.splice(index, 1);
        this.resolve(pending, this.timeout(pending));
      }, deadline - Date.now());
      pending.timer.unref();
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0))
      this.resolve(pending, this.failure(pending, 'internal', 'the emulator is shutting down'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  /** Workers running now (for tests of the pool's recovery and growth). */
  get workers(): number {
    return this.slots.length;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // After answering, a worker spends a few ms making the next run's fresh context: the idle
      // worker that answered longest ago has made it, so a job sent there starts at once.
      let slot: Slot | undefined;
      for (const candidate of this.slots)
        if (!candidate.busy && (!slot || candidate.idleSince < slot.idleSince)) slot = candidate;
      if (!slot && this.slots.length < this.options.size) {
        slot = this.spawn();
        // The rest of the pool boots now, in the background.
        while (this.slots.length < this.options.size) this.spawn();
      }
      if (!slot && this.slots.length < this.options.maxWorkers && this.slots.some((candidate) => candidate.inHostCall))
        slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift() as Pending;
      clearTimeout(pending.timer);
      clearTimeout(slot.retire);
      slot.busy = pending;
      if (slot.ready) this.start(slot, pending);
      else {
        pending.bootWaitFrom = Date.now();
        this.arm(slot, pending, Date.now() + WORKER_BOOT_MS);
      }
    }
  }

  /** Sends the job to a ready worker and arms the watchdog for its deadline. */
  private start(slot: Slot, pending: Pending): void {
    this.arm(slot, pending, pending.deadline + WATCHDOG_GRACE_MS);
    const { source, scriptName, timeoutMs } = pending.job;
    slot.worker.postMessage({
      type: 'run',
      id: pending.id,
      source,
      scriptName,
      // The job as JSON text: the worker hands it to QuickJS as text anyway.
      job: JSON.stringify(pending.job),
      remainingMs: Math.max(1, pending.deadline - Date.now()),
      timeoutMs,
      hostCallTimeoutMs: this.options.hostCallTimeoutMs,
    });
  }

  private spawn(): Slot {
    const { port1, port2 } = new MessageChannel();
    const flagBuffer = new SharedArrayBuffer(4);
    const worker = new Worker(this.file, {
      workerData: { hostPort: port2, flag: flagBuffer, memoryMb: this.options.memoryMb, wasmModule: engineModule() },
      transferList: [port2],
      // The script's heap is QuickJS's (limited per run); this thread's own V8 heap holds only
      // the job's and the outcome's text. The 4 MiB stack leaves QuickJS's 1 MiB limit room.
      resourceLimits: {
        maxOldGenerationSizeMb: 64 + Math.ceil((this.options.memoryMb * 3) / 2),
        maxYoungGenerationSizeMb: 16,
        stackSizeMb: 4,
      },
      stdout: true,
      stderr: true,
    });
    const slot: Slot = {
      worker,
      port: port1,
      flag: new Int32Array(flagBuffer),
      busy: undefined,
      ready: false,
      inHostCall: false,
      hostCallSeq: 0,
      idleSince: 0,
      retire: undefined,
    };
    worker.unref();
    port1.unref();
    worker.on('message', (message: WorkerMessage | { type: 'ready' }) => {
      const pending = slot.busy;
      if (message.type === 'ready') {
        slot.ready = true;
        // Time spent waiting for a worker to boot is not the job's.
        if (pending) {
          pending.deadline += Date.now() - pending.bootWaitFrom;
          this.start(slot, pending);
        }
        return;
      }
      if (!pending || message.id !== pending.id) return;
      this.finish(slot, message.ok ? parseOutcome(message.id, message.resultJson) : message);
    });
    port1.on('message', (call: HostCallMessage) => this.hostCall(slot, call));
    const failed = (message: string) => {
      const pending = slot.busy;
      this.remove(slot);
      if (pending) this.resolve(pending, this.failure(pending, 'internal', message));
      this.dispatch();
    };
    worker.on('error', (error: NodeJS.ErrnoException) => {
      failed(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the script used more memory than its limit of ${this.options.memoryMb} MiB`
          : `the script worker failed: ${error.message}`,
      );
    });
    worker.on('exit', () => {
      if (this.slots.includes(slot)) failed('the script worker stopped');
    });
    this.slots.push(slot);
    return slot;
  }

  private hostCall(slot: Slot, call: HostCallMessage): void {
    const pending = slot.busy;
    if (!pending) return;
    if (call.op === 'abandon') {
      if (slot.hostCallSeq === call.seq) slot.inHostCall = false;
      return;
    }
    slot.inHostCall = true;
    slot.hostCallSeq = call.seq;
    // A worker now waits without working: a queued job may get an extra worker meanwhile.
    if (this.queue.length > 0) this.dispatch();
    let parsed: unknown;
    try {
      parsed = JSON.parse(call.payload);
    } catch {
      parsed = undefined;
    }
    void Promise.resolve()
      .then(() => pending.host({ op: call.op as Exclude<HostCallMessage['op'], 'abandon'>, payload: parsed }))
      .catch((error: unknown): HostAnswer => ({
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }))
      .then((answer) => {
        if (slot.busy !== pending) return; // the run ended (or its worker was replaced) meanwhile
        if (slot.hostCallSeq === call.seq) slot.inHostCall = false;
        let text = JSON.stringify(answer);
        if (text.length > MAX_HOST_ANSWER_CHARS)
          text = JSON.stringify({
            ok: false,
            error: `java.io.IOException: the answer (${text.length} characters) is larger than the emulator hands to a script (${MAX_HOST_ANSWER_CHARS})`,
          });
        slot.port.postMessage({ seq: call.seq, answer: text });
        Atomics.store(slot.flag, 0, 1);
        Atomics.notify(slot.flag, 0);
      });
  }

  /** Arms the watchdog: past `at`, the worker is stopped and replaced and its job fails. */
  private arm(slot: Slot, pending: Pending, at: number): void {
    clearTimeout(pending.timer);
    pending.timer = setTimeout(
      () => {
        if (slot.busy !== pending) return;
        this.remove(slot);
        void slot.worker.terminate();
        this.resolve(pending, this.timeout(pending));
        this.dispatch();
      },
      Math.max(1, at - Date.now()),
    );
    pending.timer.unref();
  }

  private finish(slot: Slot, answer: WorkerAnswer): void {
    const pending = slot.busy as Pending;
    slot.busy = undefined;
    slot.inHostCall = false;
    slot.idleSince = performance.now();
    this.resolve(pending, answer);
    this.dispatch();
    // Extra workers (beyond `size`) stop once they have had nothing to do for a while.
    if (!slot.busy && this.slots.length > this.options.size) {
      clearTimeout(slot.retire);
      slot.retire = setTimeout(() => {
        if (slot.busy || this.slots.length <= this.options.size || !this.slots.includes(slot)) return;
        this.remove(slot);
        void slot.worker.terminate();
      }, EXTRA_WORKER_IDLE_MS);
      slot.retire.unref();
    }
  }

  private timeout(pending: Pending): WorkerAnswer {
    return this.failure(pending, 'timeout', `the script ran longer than its limit of ${pending.job.timeoutMs} ms`);
  }

  private failure(pending: Pending, kind: 'timeout' | 'internal', message: string): WorkerAnswer {
    return { type: 'result', id: pending.id, ok: false, error: { kind, message } };
  }

  private resolve(pending: Pending, answer: WorkerAnswer): void {
    if (pending.settled) return;
    pending.settled = true;
    clearTimeout(pending.timer);
    pending.resolve(answer);
  }

  private remove(slot: Slot): void {
    clearTimeout(slot.retire);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    slot.busy = undefined;
    slot.inHostCall = false;
    slot.port.close();
  }
}

/** A worker's outcome text as the pool's answer (text the runtime wrote: a failure to parse is ours). */
function parseOutcome(id: number, json: string): WorkerAnswer {
  try {
    // Checked for shape and size by the script runner (outcome-limits.ts) before any use.
    return { type: 'result', id, ok: true, result: JSON.parse(json) as ScriptOutcome };
  } catch (error) {
    return {
      type: 'result',
      id,
      ok: false,
      error: { kind: 'internal', message: `the script runtime answered unreadable text: ${String(error)}` },
    };
  }
}
