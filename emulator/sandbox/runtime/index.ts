/**
 * The script runtime: the bindings a Scripted Decision or Configuration Provider script sees,
 * built inside the script engine (QuickJS, worker.ts).
 *
 * None of the functions of this folder is called in this module's realm. RUNTIME_SOURCE is their
 * source text composed into one script, which the worker evaluates inside the engine once per
 * worker (before it copies the engine's memory), and whose value is `installRuntime`, the
 * function it calls at the start of every run:
 *
 *     (function () {
 *       function createCore(host, inputJson) { ... }
 *       function installJavaValues(rt) { ... }
 *       ...
 *       function makeFinish(rt) { ... }
 *       return function installRuntime(host, inputJson) {
 *         const rt = createCore(host, inputJson);
 *         installJavaValues(rt);
 *         ...
 *         return makeFinish(rt);
 *       };
 *     })()
 *
 * The installers are made once, with the parse; a run only calls them. Each may use only its
 * parameters and the engine's own globals: no import of its module is used in its body (the
 * modules import types only), and nothing outside its body is reached, as only its text runs.
 * What they share travels in `rt` (core.ts), a local of installRuntime handed from installer to
 * installer, never a global a script could reach or replace; the installers themselves are
 * locals of the outer function, out of a script's reach too. Every object a script can reach is
 * made inside the engine; the only outside object is `host`, kept in core.ts's closure, which
 * takes and returns strings.
 *
 * installRuntime returns `finish`, which the worker calls after the script ran, for a JSON string
 * of what the script did: its outcome, action, callbacks, state, config and logs.
 */
import { createCore } from './core.js';
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
import { installGlobals } from './globals.js';
import { installMathRandom } from './random.js';
import { installRhinoErrors } from './errors.js';
import { makeFinish } from './finish.js';
import type { Rt } from './types.js';

/**
 * In the order they run. An installer may call, at install time, only what the ones before it put
 * in `rt` (installGlobals makes the bindings read back at once); what a binding calls later, when
 * the script uses it, is in `rt` by then.
 */
const INSTALLERS: readonly ((rt: Rt) => void)[] = [
  installJavaValues,
  installJson,
  installState,
  installRequest,
  installCallbacks,
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

const PARTS = [createCore, ...INSTALLERS, makeFinish];
if (new Set(PARTS.map((part) => part.name)).size !== PARTS.length)
  throw new Error("the script runtime's installers must have distinct names");

/** The runtime's text: evaluated, the function `installRuntime(host, inputJson)`, which returns finish. */
export const RUNTIME_SOURCE = [
  '(function () {',
  ...PARTS.map(sourceOf),
  'return function installRuntime(host, inputJson) {',
  `const rt = ${createCore.name}(host, inputJson);`,
  ...INSTALLERS.map((install) => `${install.name}(rt);`),
  `return ${makeFinish.name}(rt);`,
  '};',
  '})()',
].join('\n');
