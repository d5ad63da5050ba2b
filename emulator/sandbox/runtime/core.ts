import type { Rt, RunInput } from './types.js';

/**
 * Makes `rt`, what every installer is handed (index.ts): the engine's own intrinsics, taken before
 * any script runs; Rhino's errors; and `callHost`, the one way out. `host` stays in this closure:
 * it is never on the global object nor on `rt`. Made once per engine, before its memory is saved
 * (worker.ts), so every run starts from this same `rt`, fresh; startRun puts the run's job in it.
 *
 * Runs inside the engine, as text (index.ts): it may use only its parameters and the engine's
 * globals, and no import of this module is used in it.
 */
export function createCore(host: (op: string, payload: string) => string): Rt {
  // The functions themselves, not the JSON object: a script may replace `JSON.stringify` on its
  // global, and the runtime must go on writing what it means to write.
  const _JSON = { parse: JSON.parse, stringify: JSON.stringify };
  const _Object = Object;
  const _Error = Error;

  function define(target: object, key: string, value: unknown): void {
    _Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
  }

  function own(object: object, key: PropertyKey): boolean {
    return _Object.prototype.hasOwnProperty.call(object, key);
  }

  /** Errors in Rhino's words: `InternalError: ...`, `JavaException: ...`. */
  function rhinoError(name: string, message: string): Error {
    const error = new _Error(message);
    error.name = name;
    return error;
  }

  const imul = Math.imul;
  /**
   * A xoshiro128** generator seeded from the run's random bytes (node:crypto, script-runner.ts)
   * at `at` (16 bytes; `fallback` numbers the seed words when there are none): 32-bit arithmetic
   * only, one 32-bit number a call. Math.random and ThreadLocalSecureRandom each have their own.
   */
  function xoshiro128(at: number, fallback: number): () => number {
    const seed = rt.input.random ?? [];
    const word = (from: number, base: number) =>
      (((seed[from] ?? base) << 24) |
        ((seed[from + 1] ?? base + 1) << 16) |
        ((seed[from + 2] ?? base + 2) << 8) |
        (seed[from + 3] ?? base + 3)) >>>
      0;
    let s0 = word(at, fallback) || 1;
    let s1 = word(at + 4, fallback) || 2;
    let s2 = word(at + 8, fallback) || 3;
    let s3 = word(at + 12, fallback) || 4;
    return () => {
      const result = imul((imul(s1, 5) << 7) | (imul(s1, 5) >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      return result;
    };
  }

  function callHost(op: string, payload: unknown): any {
    const answer = _JSON.parse(host(op, _JSON.stringify(payload)));
    if (!answer.ok) throw rhinoError('JavaException', answer.error);
    return answer.value;
  }

  // No prototype: what an installer reads of `rt` is never one of Object.prototype's properties,
  // whatever a script adds to it. One literal rather than Object.assign into an empty object:
  // every run makes it, and that would add each property twice.
  const rt = {
    __proto__: null,
    g: globalThis,
    // The run's job, put here by startRun before the run's installers.
    input: undefined as unknown as RunInput,
    legacy: false,
    JSON: _JSON,
    Object: _Object,
    String,
    Number,
    Array,
    Error: _Error,
    TypeError,
    Math,
    Proxy,
    WeakSet,
    Set,
    define,
    own,
    rhinoError,
    xoshiro128,
    callHost,
  };
  // The installers that follow add the rest of Rt.
  return rt as unknown as Rt;
}

/**
 * The start of a run: its job, parsed inside the engine, in `rt`, before the installers that read
 * it (index.ts). The job is JSON text made by the pool; `rt.JSON` is the engine's own parse.
 *
 * Runs inside the engine, as text (index.ts): it may use only its parameters.
 */
export function startRun(rt: Rt, inputJson: string): void {
  const input = rt.JSON.parse(inputJson) as RunInput;
  rt.input = input;
  rt.legacy = input.engine === '1.0';
}
