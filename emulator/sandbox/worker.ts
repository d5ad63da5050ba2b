/**
 * A script worker: runs one script at a time inside QuickJS compiled to WebAssembly, a JavaScript
 * engine with its own heap that shares no object with this thread. That is the isolation
 * boundary: node:vm and worker threads are not one (a V8 context's objects lead to its realm's
 * `Function`, and from there to `process`). Only strings and numbers cross, copied: the job
 * as JSON text in, the host calls' text out and back, the outcome as JSON text out. Errors a
 * script sees are made inside QuickJS, never here.
 *
 * Each run starts from the same saved state of the engine (see Engine below), so nothing a script
 * leaves behind reaches the next; its memory is bounded by the size of the WebAssembly memory.
 *
 * Limits: an interrupt handler ends a run at its deadline (a wall-clock limit for the whole run,
 * host calls included); each host call waits at most its own limit, never past the deadline; the
 * pool's watchdog terminates this thread if it ever stops answering (see pool.ts).
 *
 * Host calls (httpClient, identities) block the script: the main thread answers on a message
 * port, read synchronously with receiveMessageOnPort while this thread waits on a shared flag.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
  type QuickJSContext,
  type QuickJSHandle,
} from 'quickjs-emscripten-core';
import { RUNTIME_SOURCE } from './runtime/index.js';
import { rhinoMessage } from './rhino-messages.js';
import type { WorkerMessage } from './protocol.js';

const {
  hostPort,
  flag: flagBuffer,
  memoryMb,
  wasmModule,
} = workerData as { hostPort: MessagePort; flag: SharedArrayBuffer; memoryMb: number; wasmModule: object };
const flag = new Int32Array(flagBuffer);
const RUNTIME_FILENAME = 'aic-emulator-runtime.js';

/**
 * QuickJS's own stack limit. Its interpreter recurses on this thread's native stack too, so the
 * limit must be reached well before the thread's (pool.ts gives workers 4 MiB): then deep
 * recursion is a script error ("InternalError: stack overflow"), never a crash.
 */
const QUICKJS_STACK_BYTES = 1024 * 1024;
/** The longest outcome text a run may hand back (state, callbacks, logs): beyond it, a node error. */
const MAX_OUTCOME_CHARS = 4 * 1024 * 1024;

/**
 * QuickJS's own memory limit does not hold in this build: without malloc_usable_size it counts
 * each allocation as a few bytes whatever its size (docs/script-isolation.md), so strings and
 * ArrayBuffers of hundreds of MiB pass it. The WebAssembly memory QuickJS lives in is the bound
 * that counts everything; past it, allocations fail inside QuickJS ("InternalError: out of
 * memory"). The headroom is for the engine itself (the parsed runtime, the C stack).
 */
const WASM_PAGE = 64 * 1024;
// (@types/node declares WebAssembly's types, not its values.)
const { Memory } = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer } };
  }
).WebAssembly;
const wasmMemory = new Memory({ initial: 256, maximum: Math.ceil(((memoryMb + 48) * 1024 * 1024) / WASM_PAGE) });
// The release build of QuickJS without asyncify: host calls are synchronous here already.
// Its types describe the CommonJS entry; imported as ESM, the default export is the variant.
const baseVariant = (await import('@jitl/quickjs-wasmfile-release-sync')).default as unknown as QuickJSSyncVariant;
// The pool compiled the WebAssembly once for all its workers (pool.ts).
const quickjs = await newQuickJSWASMModuleFromVariant(
  // The memory caps what the engine may use (above); the module is the pool's compiled copy.
  newVariant(baseVariant, { wasmMemory, wasmModule }),
);

/**
 * The engine: one QuickJS runtime and context with the script runtime parsed, made once, and a
 * copy of the WebAssembly memory they live in, taken then. Each run starts from that copy:
 * restoring it puts back every byte QuickJS had (heap, globals, prototypes, atoms, the
 * allocator's own books), so nothing a script leaves behind reaches the next run, as with a
 * fresh context, for the cost of copying what was in use (parsing the runtime anew would cost
 * ~5 ms a run), and with the job-independent part of the runtime made (~250 µs a run when
 * each run made it). What lives outside the memory is made before the copy and never changes: the
 * host function, the interrupt handler and the limits read through `current`.
 */
interface Engine {
  context: QuickJSContext;
  /** The runtime's installRun, the job-independent part of the runtime made (runtime/index.ts). */
  install: QuickJSHandle;
  host: QuickJSHandle;
  /** Byte ranges of the memory to put back, with their content at the copy. */
  saved: { start: number; bytes: Uint8Array }[];
}

/** The run in progress: what the host function and the interrupt handler act on. */
let current: { limits: RunLimits; interrupted: boolean } | undefined;

function createEngine(): Engine {
  const runtime = quickjs.newRuntime();
  // Kept for the large single allocations it does refuse; the real bound is the memory's size.
  runtime.setMemoryLimit(memoryMb * 1024 * 1024);
  runtime.setMaxStackSize(QUICKJS_STACK_BYTES);
  runtime.setInterruptHandler(() => {
    if (!current || Date.now() < current.limits.deadline) return false;
    current.interrupted = true;
    return true;
  });
  const context = runtime.newContext();
  const result = context.evalCode(RUNTIME_SOURCE, RUNTIME_FILENAME, { type: 'global' });
  if (result.error) throw new Error(`the script runtime did not load: ${describeError(context, result.error).message}`);
  // The one function a script's runtime may call out with: strings in, a string out, and a
  // QuickJS error (made by quickjs-emscripten inside the VM, from a message) for anything else.
  const host = context.newFunction('host', (opHandle, payloadHandle) => {
    if (!current) throw new Error('no run in progress');
    if (context.typeof(opHandle) !== 'string' || context.typeof(payloadHandle) !== 'string')
      throw new Error('host calls take text');
    return context.newString(hostCall(context.getString(opHandle), context.getString(payloadHandle), current.limits));
  });
  // The job-independent part of the runtime, made now so that it is in the saved memory (index.ts).
  const prepared = context.callFunction(result.value, context.undefined, host);
  if (prepared.error)
    throw new Error(`the script runtime did not prepare: ${describeError(context, prepared.error).message}`);
  return { context, install: prepared.value, host, saved: savedRanges() };
}

/**
 * What to put back before each run: the memory as it is now, less its longest stretch of zero
 * pages, which is the C stack QuickJS runs on (below the heap, used from its top): whatever a
 * run leaves on the stack is never read before it is written. Memory a run took beyond the
 * copy is free space to the restored allocator.
 */
function savedRanges(): { start: number; bytes: Uint8Array }[] {
  const memory = new Uint8Array(wasmMemory.buffer);
  const PAGE = 4096;
  // Pages are compared whole, natively (a memcmp): a worker boots with 16 MiB to look through,
  // mostly zero, which a byte-by-byte loop took tens of milliseconds over.
  const bytes = Buffer.from(wasmMemory.buffer);
  const ZERO = Buffer.alloc(PAGE);
  const zeroPage = (at: number) => bytes.compare(ZERO, 0, PAGE, at, at + PAGE) === 0;
  // The memory grows by 64 KiB WebAssembly pages, so it is a whole number of these pages.
  let end = memory.length;
  while (end > 0 && zeroPage(end - PAGE)) end -= PAGE;
  let gapStart = 0;
  let gapEnd = 0;
  for (let at = 0; at < end;) {
    if (!zeroPage(at)) {
      at += PAGE;
      continue;
    }
    const from = at;
    while (at < end && zeroPage(at)) at += PAGE;
    if (at - from > gapEnd - gapStart) [gapStart, gapEnd] = [from, at];
  }
  // A stretch under 1 MiB is not the stack: then everything is put back.
  if (gapEnd - gapStart < 1024 * 1024) return [{ start: 0, bytes: memory.slice(0, end) }];
  return [
    { start: 0, bytes: memory.slice(0, gapStart) },
    { start: gapEnd, bytes: memory.slice(gapEnd, end) },
  ];
}

let engine: Engine | undefined;
/** A run has used the engine since its memory was last put back. */
let dirty = false;

function ready(): Engine {
  engine ??= createEngine();
  if (dirty) {
    const memory = new Uint8Array(wasmMemory.buffer);
    for (const { start, bytes } of engine.saved) memory.set(bytes, start);
    dirty = false;
  }
  return engine;
}

/** Host calls carry a number: an answer that comes after its call gave up is not the next call's. */
let hostCallSeq = 0;

interface RunLimits {
  /** Date.now() past which the run is interrupted. */
  deadline: number;
  hostCallTimeoutMs: number;
}

function hostCall(op: string, payload: string, limits: RunLimits): string {
  const seq = ++hostCallSeq;
  Atomics.store(flag, 0, 0);
  hostPort.postMessage({ seq, op, payload });
  const giveUpAt = Math.min(limits.deadline, Date.now() + limits.hostCallTimeoutMs);
  for (;;) {
    const received = receiveMessageOnPort(hostPort);
    if (received) {
      const answer = received.message as { seq: number; answer: string };
      if (answer.seq === seq) return answer.answer;
      continue; // a late answer to a call that already gave up
    }
    const remaining = giveUpAt - Date.now();
    if (remaining <= 0) {
      hostPort.postMessage({ seq, op: 'abandon', payload: '' });
      return JSON.stringify({ ok: false, error: 'java.net.SocketTimeoutException: the call was not answered in time' });
    }
    Atomics.wait(flag, 0, 0, Math.min(remaining, 1_000));
    Atomics.store(flag, 0, 0);
  }
}

/** Name, message and stack of what a script threw, read inside QuickJS with bounded lengths. */
function describeError(
  context: QuickJSContext,
  error: QuickJSHandle,
): { name: string; message: string; stack: string; isError: boolean } {
  const type = context.typeof(error);
  if (type !== 'object') {
    const text = type === 'string' || type === 'number' || type === 'boolean' ? String(context.dump(error)) : type;
    return { name: '', message: text.slice(0, 4096), stack: '', isError: false };
  }
  const text = (key: string): string | undefined => {
    const handle = context.getProp(error, key);
    try {
      return context.typeof(handle) === 'string' ? context.getString(handle).slice(0, 4096) : undefined;
    } finally {
      handle.dispose();
    }
  };
  const name = text('name');
  const message = text('message');
  return { name: name ?? 'Error', message: message ?? '', stack: text('stack') ?? '', isError: message !== undefined };
}

function lineOf(stack: string, filename: string): { line: number; column: number } | undefined {
  // QuickJS writes frames as "    at <eval> (name:line:column)".
  const marker = `(${filename}:`;
  const at = stack.indexOf(marker);
  if (at < 0) return undefined;
  const match = /^(\d+):(\d+)/.exec(stack.slice(at + marker.length, at + marker.length + 24));
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

interface RunMessage {
  type: 'run';
  id: number;
  source: string;
  scriptName: string;
  job: string;
  /** Milliseconds left of the run's wall-clock limit when the pool sent it. */
  remainingMs: number;
  timeoutMs: number;
  hostCallTimeoutMs: number;
}

function run(message: RunMessage): WorkerMessage {
  const { id, source, scriptName } = message;
  let prepared: Engine;
  try {
    prepared = ready();
  } catch (error) {
    return {
      type: 'result',
      id,
      ok: false,
      error: { kind: 'internal', message: String((error as Error).message ?? error) },
      fatal: true,
    };
  }
  const { context, install } = prepared;
  const run = {
    limits: { deadline: Date.now() + message.remainingMs, hostCallTimeoutMs: message.hostCallTimeoutMs },
    interrupted: false,
  };
  current = run;
  dirty = true;
  const timeout = (): WorkerMessage => ({
    type: 'result',
    id,
    ok: false,
    error: { kind: 'timeout', message: `the script ran longer than its limit of ${message.timeoutMs} ms` },
  });
  // Handles made during a run are not disposed one by one: putting the memory back frees them all.
  try {
    const input = context.newString(message.job);
    const installed = context.callFunction(install, context.undefined, input);
    if (installed.error) {
      const { message: text } = describeError(context, installed.error);
      return {
        type: 'result',
        id,
        ok: false,
        error: { kind: 'internal', message: `the script runtime failed: ${text}` },
      };
    }
    const finish = installed.value;

    const evaluated = context.evalCode(source, scriptName, { type: 'global' });
    if (evaluated.error) {
      if (run.interrupted) return timeout();
      const failure = describeError(context, evaluated.error);
      const position = lineOf(failure.stack, scriptName);
      // What the script logged before it failed is what explains the failure: keep it.
      const logs = logsOf(context, finish);
      const text = failure.isError ? rhinoMessage(failure.name, failure.message, source, position) : failure.message;
      return {
        type: 'result',
        id,
        ok: false,
        error: { kind: 'script', message: text, ...(position ? { line: position.line } : {}) },
        logs,
      };
    }

    const finished = context.callFunction(finish, context.undefined);
    if (finished.error) {
      if (run.interrupted) return timeout();
      const failure = describeError(context, finished.error);
      return {
        type: 'result',
        id,
        ok: false,
        error: {
          kind: 'script',
          message: failure.isError ? rhinoMessage(failure.name, failure.message, source, undefined) : failure.message,
        },
      };
    }
    const outcome = finished.value;
    const length = outcomeLength(context, outcome);
    if (length === undefined)
      return {
        type: 'result',
        id,
        ok: false,
        error: { kind: 'internal', message: 'the script runtime answered something other than text' },
      };
    if (length > MAX_OUTCOME_CHARS) {
      return {
        type: 'result',
        id,
        ok: false,
        error: {
          kind: 'limit',
          message: `the script's result (node state, callbacks and logs: ${length} characters) is larger than the limit of ${MAX_OUTCOME_CHARS}`,
        },
      };
    }
    // Sent as the runtime's JSON text, parsed (and checked) on the main thread.
    return { type: 'result', id, ok: true, resultJson: context.getString(outcome) };
  } catch (error) {
    // Not the script's doing: a failure of the engine or of this thread (for one, the native
    // stack overflowing inside the WebAssembly). The engine's state is then unknown (its C
    // stack pointer among it, which putting the memory back does not reset): the pool replaces
    // this worker.
    return {
      type: 'result',
      id,
      ok: false,
      error: { kind: 'internal', message: `the script engine failed: ${String((error as Error)?.message ?? error)}` },
      fatal: true,
    };
  } finally {
    current = undefined;
  }
}

/** The outcome's length, read inside QuickJS before any of it is copied out. */
function outcomeLength(context: QuickJSContext, outcome: QuickJSHandle): number | undefined {
  if (context.typeof(outcome) !== 'string') return undefined;
  const length = context.getProp(outcome, 'length');
  try {
    return context.getNumber(length);
  } finally {
    length.dispose();
  }
}

/** The logs of a run that failed, through the runtime's finish (bounded by the runtime itself). */
function logsOf(context: QuickJSContext, finish: QuickJSHandle): { level: string; message: string }[] {
  const finished = context.callFunction(finish, context.undefined);
  if (finished.error) return [];
  const length = outcomeLength(context, finished.value);
  if (length === undefined || length > MAX_OUTCOME_CHARS) return [];
  try {
    const parsed = JSON.parse(context.getString(finished.value)) as { logs?: unknown };
    return Array.isArray(parsed.logs) ? (parsed.logs as { level: string; message: string }[]) : [];
  } catch {
    return [];
  }
}

parentPort?.on('message', (message: RunMessage) => {
  if (message.type !== 'run') return;
  const answer = run(message);
  parentPort?.postMessage(answer);
  if ('fatal' in answer && answer.fatal) {
    process.exit(1);
  }
  // After answering, so the memory is put back while the main thread carries on.
  setImmediate(() => {
    try {
      ready();
    } catch {
      // Reported by the next run, as its own failure.
    }
  });
});

try {
  ready();
} catch {
  // Reported by the first run.
}
parentPort?.postMessage({ type: 'ready' });
