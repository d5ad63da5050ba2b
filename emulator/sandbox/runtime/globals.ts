import type { Rt, Maker } from './types.js';

/**
 * The script's global object: the bindings of its engine (legacy or next-gen), and none of the
 * engine's globals that Rhino does not have. Runs after every installer that makes a binding.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installGlobals(rt: Rt): void {
  const { g, input, legacy, Object: _Object } = rt;

  // Made on the script's first use of them: a script uses few of the bindings, and making them
  // all in a fresh context was most of a short script's cost. The state bindings and `action`,
  // which finish() reads back, are made at once.
  const bindings: Record<string, any> = {
    nodeState: rt.makeNodeState(legacy ? (value) => new rt.JsonValue(value) : rt.toScript),
    realm: input.realm,
    scriptName: input.scriptName,
    resumedFromSuspend: false,
  };
  const lazy: Record<string, Maker> = {
    requestHeaders: rt.makeRequestHeaders,
    requestParameters: rt.makeRequestParameters,
    systemEnv: rt.makeSystemEnv,
    httpClient: legacy ? rt.makeLegacyHttpClient : rt.makeHttpClient,
    idRepository: legacy
      ? rt.makeLegacyIdRepository
      : () => _Object.freeze({ getIdentity: (id: any) => rt.makeIdentity(id) }),
    logger: rt.makeLogger,
    secrets: rt.makeSecrets,
    callbacks: legacy ? rt.makeLegacyCallbacks : rt.makeScriptedCallbacks,
    JavaImporter: () => rt.JavaImporter,
    Packages: () => rt.javaPackage(''),
    java: () => rt.javaPackage('java'),
    javax: () => rt.javaPackage('javax'),
    org: () => rt.javaPackage('org'),
    com: () => rt.javaPackage('com'),
  };
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
  const bind = (name: string, value: any) =>
    _Object.defineProperty(g, name, { value, writable: true, enumerable: false, configurable: true });
  for (const name of _Object.keys(bindings)) {
    // The action binding is read back after the script; legacy scripts assign `action` themselves.
    bind(name, bindings[name]);
  }
  for (const name of _Object.keys(lazy)) {
    const make = lazy[name]!;
    // Read: made, and from then on a plain value; assigned first: the script's value, as before.
    _Object.defineProperty(g, name, {
      get: () => {
        const value = make();
        bind(name, value);
        return value;
      },
      set: (value: any) => bind(name, value),
      enumerable: false,
      configurable: true,
    });
  }
  rt.bindings = bindings;

  // What Rhino does not have; removed from the global object once the runtime holds what it needs
  // (core.ts took its own copies).
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
