/**
 * The script runtime: the bindings a Scripted Decision or Configuration Provider script sees,
 * built inside the script engine (QuickJS, worker.ts).
 *
 * None of the functions of this folder is called in this module's realm. RUNTIME_SOURCE is their
 * source text composed into one script, which the worker evaluates inside the engine once per
 * worker, and whose value is `prepareRuntime`:
 *
 *     (function () {
 *       function createCore(host) { ... }
 *       function startRun(rt, inputJson) { ... }
 *       function installJavaValues(rt) { ... }
 *       ...
 *       function makeFinish(rt) { ... }
 *       return function prepareRuntime(host) {
 *         const rt = createCore(host);
 *         installJavaValues(rt);            // PREPARED: what does not depend on the job
 *         ...
 *         return function installRun(inputJson) {
 *           startRun(rt, inputJson);
 *           installState(rt);               // PER_RUN: what reads the job
 *           ...
 *           return makeFinish(rt);
 *         };
 *       };
 *     })()
 *
 * The worker calls prepareRuntime once, then copies the engine's memory; every run starts from
 * that copy, so the prepared part costs a run nothing, and calls only installRun.
 *
 * The installers are made once, with the parse. Each may use only its parameters and the
 * engine's own globals: no import of its module is used in its body (the modules import types
 * only), and nothing outside its body is reached, as only its text runs. What they share travels
 * in `rt` (core.ts), a local of prepareRuntime handed from installer to installer, never a global
 * a script could reach or replace; the installers themselves are locals of the outer function,
 * out of a script's reach too. Every object a script can reach is made inside the engine; the
 * only outside object is `host`, kept in core.ts's closure, which takes and returns strings.
 *
 * installRun returns `finish`, which the worker calls after the script ran, for a JSON string of
 * what the script did: its outcome, action, callbacks, state, config and logs.
 */
import { createCore, startRun } from './core.js';
import { installJavaValues } from './java-values.js';
import { installJson } from './json.js';
import { installState } from './state.js';
import { installRequest } from './request.js';
import { installCallbacks } from './callbacks.js';
import { installAction } from './action.js';
import { installJavaClasses, installJavaCallbacks, installJavaUuid, installJavaLang } from './java-classes.js';
import { installJava } from './java.js';
import { installHttpClient } from './http-client.js';
import { installLegacyHttpClient } from './http-client-legacy.js';
import { installIdentities } from './identities.js';
import { installLogger } from './logger.js';
import { installEsv } from './esv.js';
import { installUtils } from './utils.js';
import { installGlobalObject, installGlobals } from './globals.js';
import { installMathRandom } from './random.js';
import { installRhinoErrors } from './errors.js';
import { makeFinish } from './finish.js';
import type { Rt } from './types.js';

/**
 * In the order they run. An installer may call, at install time, only what the ones before it put
 * in `rt` (installGlobals makes the bindings read back at once); what a binding calls later, when
 * the script uses it, is in `rt` by then.
 *
 * PREPARED run once per engine, before the worker saves its memory: what they make (classes,
 * Java shims, clients) is then part of the state every run starts from, fresh, for nothing. They
 * may not read the job at install time (`rt.input`, `rt.legacy`), only when a script calls them.
 * PER_RUN read the job, and run at the start of each run, after startRun.
 */
const PREPARED: readonly ((rt: Rt) => void)[] = [
  installJavaValues,
  installJson,
  installAction,
  installJavaClasses,
  installJavaCallbacks,
  installJavaUuid,
  installJavaLang,
  installJava,
  installHttpClient,
  installLegacyHttpClient,
  installIdentities,
  installLogger,
  installGlobalObject,
];
const PER_RUN: readonly ((rt: Rt) => void)[] = [
  installState,
  installRequest,
  installCallbacks,
  installEsv,
  installUtils,
  installGlobals,
  installMathRandom,
  installRhinoErrors,
];

/** A function's own text, checked to be a plain, self-contained `function` declaration. */
function sourceOf(fn: (...args: never[]) => unknown): string {
  const text = fn.toString();
  // A helper the compiler adds (`__rest`, `__awaiter`...) would live outside the function's text.
  if (!text.startsWith(`function ${fn.name}(`) || /\b__\w+\(/.test(text))
    throw new Error(`the script runtime's ${fn.name} is not self-contained: its text cannot run in the engine`);
  return text;
}

const PARTS = [createCore, startRun, ...PREPARED, ...PER_RUN, makeFinish];
if (new Set(PARTS.map((part) => part.name)).size !== PARTS.length)
  throw new Error("the script runtime's installers must have distinct names");

/**
 * The runtime's text: evaluated, the function `prepareRuntime(host)`, which the worker calls once
 * per engine and which returns `installRun(inputJson)`, called at the start of every run, which
 * returns finish.
 */
export const RUNTIME_SOURCE = [
  '(function () {',
  ...PARTS.map(sourceOf),
  'return function prepareRuntime(host) {',
  `const rt = ${createCore.name}(host);`,
  ...PREPARED.map((install) => `${install.name}(rt);`),
  'return function installRun(inputJson) {',
  `${startRun.name}(rt, inputJson);`,
  ...PER_RUN.map((install) => `${install.name}(rt);`),
  `return ${makeFinish.name}(rt);`,
  '};',
  '};',
  '})()',
].join('\n');
