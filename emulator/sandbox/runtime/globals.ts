import type { Rt, Maker } from './types.js';

/**
 * The script's global object, for this run: the bindings that depend on its job and its engine
 * (legacy or next-gen). Runs after every installer of the run that makes a binding; the rest of
 * the global object was made once (installGlobalObject, below).
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installGlobals(rt: Rt): void {
  const { input, legacy, Object: _Object } = rt;

  // The state bindings and `action`, which finish() reads back, are made at once; the bindings
  // both engines have are on the global object already (installGlobalObject).
  const bindings: Record<string, any> = {
    nodeState: rt.makeNodeState(legacy ? (value) => new rt.JsonValue(value) : rt.toScript),
    realm: input.realm,
    scriptName: input.scriptName,
    resumedFromSuspend: false,
  };
  const lazy: Record<string, Maker> = {};
  if (input.existingSession) lazy['existingSession'] = rt.makeExistingSession;
  if (legacy) {
    const readableOf = (part: Record<string, unknown>) =>
      new rt.JavaMap(
        _Object.entries(part).filter(([k]) => rt.readable(k)),
        false,
      );
    bindings['sharedState'] = readableOf(rt.state.shared);
    bindings['transientState'] = readableOf(rt.state.transient);
  } else {
    bindings['action'] = rt.makeActionWrapper();
    bindings['cookieName'] = input.cookieName;
    lazy['callbacksBuilder'] = rt.makeCallbacksBuilder;
    lazy['requestCookies'] = rt.makeRequestCookies;
    lazy['openidm'] = rt.makeOpenidm;
    lazy['utils'] = rt.makeUtils;
    // A Node Designer custom node's properties (its type's defaults under the node's values), as
    // plain script values: its scripts use arrays as arrays (`properties.a.map(...)`).
    if (input.properties) bindings['properties'] = input.properties;
  }
  for (const name of _Object.keys(bindings)) rt.bindGlobal(name, bindings[name]);
  for (const name of _Object.keys(lazy)) rt.bindLazily(name, lazy[name]!);
  rt.bindings = bindings;
}

/**
 * The global object as every run starts with it, made once per engine (index.ts, PREPARED): the
 * bindings both engines have, each made on the script's first use of it, by the run's own engine
 * (`rt.legacy`, read then); and none of the engine's globals that Rhino does not have. A script
 * uses few of the bindings, and making them all for each run was most of a short script's cost.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installGlobalObject(rt: Rt): void {
  const { g, Object: _Object } = rt;
  const bindGlobal = (name: string, value: any) =>
    _Object.defineProperty(g, name, { value, writable: true, enumerable: false, configurable: true });
  const bindLazily = (name: string, make: Maker) =>
    // Read: made, and from then on a plain value; assigned first: the script's value, as before.
    _Object.defineProperty(g, name, {
      get: () => {
        const value = make();
        bindGlobal(name, value);
        return value;
      },
      set: (value: any) => bindGlobal(name, value),
      enumerable: false,
      configurable: true,
    });
  rt.bindGlobal = bindGlobal;
  rt.bindLazily = bindLazily;

  // Makers read when the binding is first read, in the run that reads it (its engine, its job).
  const common: Record<string, Maker> = {
    requestHeaders: () => rt.makeRequestHeaders(),
    requestParameters: () => rt.makeRequestParameters(),
    systemEnv: () => rt.makeSystemEnv(),
    httpClient: () => (rt.legacy ? rt.makeLegacyHttpClient() : rt.makeHttpClient()),
    idRepository: () =>
      rt.legacy ? rt.makeLegacyIdRepository() : _Object.freeze({ getIdentity: (id: any) => rt.makeIdentity(id) }),
    logger: () => rt.makeLogger(),
    secrets: () => rt.makeSecrets(),
    callbacks: () => (rt.legacy ? rt.makeLegacyCallbacks() : rt.makeScriptedCallbacks()),
    JavaImporter: () => rt.JavaImporter,
    Packages: () => rt.javaPackage(''),
    java: () => rt.javaPackage('java'),
    javax: () => rt.javaPackage('javax'),
    org: () => rt.javaPackage('org'),
    com: () => rt.javaPackage('com'),
  };
  for (const name of _Object.keys(common)) bindLazily(name, common[name]!);

  // What Rhino does not have; removed from the global object once the runtime holds what it needs
  // (core.ts took its own copies; no installer of a run uses these names).
  for (const name of [
    'Map',
    'Set',
    'WeakMap',
    'WeakSet',
    'WeakRef',
    'FinalizationRegistry',
    'Symbol',
    'Promise',
    'Proxy',
    'Reflect',
    'SharedArrayBuffer',
    'Atomics',
    'WebAssembly',
    'BigInt',
    'BigInt64Array',
    'BigUint64Array',
    'AggregateError',
    'Intl',
    'console',
    'queueMicrotask',
    'structuredClone',
    'setTimeout',
    'setInterval',
    'process',
    'require',
  ]) {
    delete g[name];
  }
}
