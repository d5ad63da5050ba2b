/**
 * A script worker: runs one script at a time in a fresh vm context (worker_threads give it its
 * own heap, with a memory limit, so a runaway script harms only its worker). Host calls
 * (httpClient, identities) block the script on a shared flag while the main thread answers on a
 * message port; the answer is read synchronously with receiveMessageOnPort.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import vm from 'node:vm';
import { installRuntime } from './runtime.js';
import type { ScriptJob, WorkerMessage } from './protocol.js';

const { hostPort, flag: flagBuffer } = workerData as { hostPort: MessagePort; flag: SharedArrayBuffer };
const flag = new Int32Array(flagBuffer);
const runtime = new vm.Script(`(${installRuntime.toString()})`, { filename: 'aic-emulator-runtime.js' });

/** Compiled scripts, by source hash: compiling once per worker, not once per run. */
const compiled = new Map<string, vm.Script>();
const MAX_COMPILED = 500;
/** A host call waits this long for the main thread before it fails like a network timeout. */
const HOST_CALL_TIMEOUT_MS = 60_000;

function hostCall(op: string, payload: string): string {
  Atomics.store(flag, 0, 0);
  hostPort.postMessage({ op, payload });
  const deadline = Date.now() + HOST_CALL_TIMEOUT_MS;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return JSON.stringify({ ok: false, error: 'java.net.SocketTimeoutException: the call was not answered in time' });
    Atomics.wait(flag, 0, 0, Math.min(remaining, 1_000));
    const answer = receiveMessageOnPort(hostPort);
    if (answer) return answer.message as string;
  }
}

/** V8's error messages in Rhino's words, where scripts and their authors meet them most. */
export function rhinoMessage(error: unknown): string {
  // Errors come from the script's own realm: instanceof the worker's Error would be false.
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return String(error);
  const { name, message } = error as Error;
  let match = /^Cannot read properties of (null|undefined) \(reading '([^']*)'\)$/.exec(message);
  if (match) return `TypeError: Cannot read property "${match[2]}" from ${match[1]}`;
  match = /^(\S+) is not defined$/.exec(message);
  if (match) return `ReferenceError: "${match[1]}" is not defined.`;
  match = /^([\w$.]+) is not a function$/.exec(message);
  if (match) return `TypeError: Cannot find function ${match[1]!.split('.').pop()}.`;
  match = /^Cannot set properties of (null|undefined) \(setting '([^']*)'\)$/.exec(message);
  if (match) return `TypeError: Cannot set property "${match[2]}" of ${match[1]}`;
  if (name === 'Error' && message !== '' && !message.includes(':')) return `Error: ${message}`;
  return `${name}: ${message}`;
}

function lineOf(error: unknown, filename: string): number | undefined {
  const stack = (error as Error)?.stack ?? '';
  const match = new RegExp(`${filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(stack);
  return match ? Number(match[1]) : undefined;
}

/**
 * A fresh context for every run (nothing a script leaves behind reaches the next), made while
 * the worker is idle: creating one costs more than a short script's whole run.
 */
let spare: vm.Context | undefined;

function newContext(): vm.Context {
  // The sandbox object has no prototype: a plain `{}` would hand scripts the worker realm's Object
  // (through `this.constructor`), and with it the worker's Function and `process`.
  return vm.createContext(Object.create(null), { codeGeneration: { strings: true, wasm: false }, microtaskMode: 'afterEvaluate' });
}

function takeContext(): vm.Context {
  const context = spare ?? newContext();
  spare = undefined;
  return context;
}

function prepareSpare(): void {
  spare ??= newContext();
}

/** What the pool sends: the job as JSON text, with what the worker itself needs beside it. */
interface RunMessage {
  type: 'run';
  id: number;
  cacheKey: string;
  source: string;
  scriptName: string;
  job: string;
}

function run(id: number, job: Pick<ScriptJob, 'cacheKey' | 'source' | 'scriptName'>, jobJson: string): WorkerMessage {
  const filename = `${job.scriptName}`;
  let script = compiled.get(job.cacheKey);
  if (!script) {
    try {
      script = new vm.Script(job.source, { filename });
    } catch (error) {
      return { type: 'result', id, ok: false, error: { kind: 'script', message: rhinoMessage(error) } };
    }
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(job.cacheKey, script);
  }
  const context = takeContext();
  let finish: () => string;
  try {
    const install = runtime.runInContext(context) as (host: typeof hostCall, input: string) => () => string;
    finish = install(hostCall, jobJson);
  } catch (error) {
    return { type: 'result', id, ok: false, error: { kind: 'internal', message: `the script runtime failed: ${String(error)}` } };
  }
  try {
    // No vm `timeout`: it starts a watchdog thread per run and counts host calls as the script's
    // time. The pool's watchdog enforces the limit instead, on the script's own time.
    script.runInContext(context, { displayErrors: false, breakOnSigint: false });
  } catch (error) {
    const line = lineOf(error, filename);
    // What the script logged before it failed is what explains the failure: keep it.
    let logs: { level: string; message: string }[] = [];
    try {
      logs = (JSON.parse(finish()) as { logs: typeof logs }).logs;
    } catch {
      logs = [];
    }
    return { type: 'result', id, ok: false, error: { kind: 'script', message: rhinoMessage(error), ...(line !== undefined ? { line } : {}) }, logs };
  }
  try {
    // Sent as the runtime's JSON text, parsed on the main thread: one string crosses threads
    // faster than a structured clone of the outcome.
    return { type: 'result', id, ok: true, resultJson: finish() };
  } catch (error) {
    return { type: 'result', id, ok: false, error: { kind: 'script', message: rhinoMessage(error) } };
  }
}

parentPort?.on('message', (message: RunMessage) => {
  if (message.type !== 'run') return;
  parentPort?.postMessage(run(message.id, message, message.job));
  // After answering, so the next context is made while the main thread carries on.
  setImmediate(prepareSpare);
});

prepareSpare();
parentPort?.postMessage({ type: 'ready' });
