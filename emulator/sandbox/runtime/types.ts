/**
 * The types the runtime's installers share. Types only: the installers import this module with
 * `import type`, so none of it is left in the text that runs inside the engine.
 */

export type Json = any;

/** Shared, transient and secure state, as the job carries them (and finish hands them back). */
export interface RunState {
  shared: Record<string, Json>;
  transient: Record<string, Json>;
  secure: Record<string, Json>;
}

/**
 * What the runtime reads of the job: protocol.ts's ScriptJob (restated here: the runtime's
 * folder imports nothing of the sandbox's) plus the run's random bytes.
 */
export interface RunInput {
  engine: '1.0' | '2.0';
  realm: string;
  scriptName: string;
  state: RunState;
  inputs: string[];
  outputs: string[];
  headers: [string, string[]][];
  parameters: [string, string[]][];
  cookies: [string, string][];
  cookieName: string;
  existingSession: Record<string, string> | null;
  esvs: Record<string, string>;
  callbacks: { type: string; output: { name: string; value: Json }[]; values: [string, Json][] }[];
  loggerName: string;
  /** A Node Designer custom node's property values (the `properties` binding). */
  properties?: Record<string, Json>;
  /** 64 bytes for the crypto bindings, 16 more to seed Math.random, 16 for ThreadLocalSecureRandom. */
  random?: number[];
}

export interface JavaList {
  readonly _items: any[];
  get(index: number): any;
  size(): number;
  readonly length: number;
  isEmpty(): boolean;
  contains(value: unknown): boolean;
  indexOf(value: unknown): number;
  add(value: unknown): boolean;
  toArray(): any[];
  iterator(): { hasNext: () => boolean; next: () => any };
  getClass(): never;
  toString(): string;
}

export interface JavaMap {
  readonly _entries: [string, any][];
  readonly _ci: boolean;
  get(key: unknown): any;
  containsKey(key: unknown): boolean;
  put(key: unknown, value: unknown): any;
  remove(key: unknown): any;
  size(): number;
  isEmpty(): boolean;
  keySet(): JavaList;
  values(): JavaList;
  entrySet(): JavaList;
  getClass(): never;
  toString(): string;
}

/** A Java byte[] (java-classes.ts): indexed signed bytes. */
export interface ByteArray {
  readonly length: number;
}

/** A Java char[] (PasswordCallback.getPassword). */
export interface CharArray {
  readonly _text: string;
  readonly length: number;
  toString(): string;
}

/** AM's JsonValue: what the legacy engine's `nodeState.get` returns. */
export interface JsonValue {
  readonly _value: Json;
  getObject(): any;
  isNull(): boolean;
  isString(): boolean;
  isNumber(): boolean;
  isBoolean(): boolean;
  isList(): boolean;
  isMap(): boolean;
  asString(): string | null;
  asInteger(): number | null;
  asLong(): number | null;
  asDouble(): number | null;
  asBoolean(): boolean | null;
  asList(): JavaList | null;
  asMap(): JavaMap | null;
  get(key: unknown): JsonValue;
  isDefined(key: unknown): boolean;
  toString(): string;
}

/** A callback a script asked for: a callbacksBuilder method (or JDK class) and its arguments. */
export interface ScriptCallback {
  method: string;
  args: Json[];
}

/** What next-gen `action` records (protocol.ts's ActionJson, less what finish adds). */
export interface ActionRecord {
  goTo?: string;
  callbacks: ScriptCallback[];
  sessionProperties: Record<string, string>;
  removedSessionProperties: string[];
  maxSessionTime?: number;
  maxIdleTime?: number;
  errorMessage?: string;
  lockoutMessage?: string;
  header?: string;
  description?: string;
  stage?: string;
  identifiedUser?: string;
}

/** What a legacy `Action.goTo(...)`/`Action.send(...)` builder describes, kept on what `build()` returns. */
export interface LegacyActionDescriptor {
  goTo?: string;
  send?: ScriptCallback[];
  sessionProperties?: Record<string, string>;
  replaceShared?: Json;
  replaceTransient?: Json;
  errorMessage?: string;
  header?: string;
  description?: string;
  stage?: string;
}

/** An HTTP answer as the host call returns it (protocol.ts's HttpResponseJson). */
export interface HttpResponse {
  status: number;
  statusText: string;
  headers: [string, string[]][];
  body: string;
}

/** The request a legacy `org.forgerock.http.protocol.Request` builds. */
export interface LegacyRequestData {
  method: string;
  uri: string;
  headers: [string, string][];
  body: string | null;
}

/** A binding made on the script's first use of it (globals.ts). */
export type Maker = () => any;

/**
 * What the installers share, made first (core.ts) and handed from installer to installer: never a
 * global, so a script can neither reach nor replace any of it. Each installer adds what it makes;
 * the comments name the module.
 */
export interface Rt {
  // core.ts: the job, the global object, and the engine's own intrinsics taken before the script
  // runs (a script may replace or delete the globals, and globals.ts deletes some itself).
  readonly g: any;
  /** Set by startRun at the start of each run (core.ts). */
  input: RunInput;
  legacy: boolean;
  readonly JSON: { parse: (text: string) => any; stringify: (value: unknown) => string };
  readonly Object: ObjectConstructor;
  readonly String: StringConstructor;
  readonly Number: NumberConstructor;
  readonly Array: ArrayConstructor;
  readonly Error: ErrorConstructor;
  readonly TypeError: TypeErrorConstructor;
  readonly Math: Math;
  readonly Proxy: ProxyConstructor;
  readonly WeakSet: WeakSetConstructor;
  readonly Set: SetConstructor;
  define: (target: object, key: string, value: unknown) => void;
  own: (object: object, key: PropertyKey) => boolean;
  /** Errors in Rhino's words, made inside the engine: `InternalError: ...`, `JavaException: ...`. */
  rhinoError: (name: string, message: string) => Error;
  /** A xoshiro128** generator seeded from the run's random bytes at `at` (core.ts). */
  xoshiro128: (at: number, fallback: number) => () => number;
  /** The one way out: a host call, JSON text both ways; a refusal is thrown as a JavaException. */
  callHost: (op: string, payload: unknown) => any;

  // java-values.ts
  javaString: (value: unknown) => string;
  JavaList: new (items: readonly any[]) => JavaList;
  JavaMap: new (entries: readonly [string, any][], caseInsensitive: boolean) => JavaMap;
  CharArray: new (text: string) => CharArray;

  // json.ts
  JsonValue: new (value: Json) => JsonValue;
  toScript: (value: unknown) => Json;
  toJson: (value: unknown, depth?: number) => Json;

  // state.ts
  state: RunState;
  readable: (key: string) => boolean;
  setState: (part: Record<string, Json>, key: string, value: unknown) => void;
  makeNodeState: (wrap: (value: Json) => any) => object;

  // request.ts
  headerMap: (pairs: [string, string[]][]) => JavaMap;
  makeRequestHeaders: () => JavaMap;
  makeRequestParameters: () => JavaMap;
  makeRequestCookies: () => JavaMap;
  makeExistingSession: () => JavaMap;

  // callbacks.ts
  builderCallbacks: ScriptCallback[];
  makeCallbacksBuilder: () => object;
  makeScriptedCallbacks: () => object;
  makeLegacyCallbacks: () => JavaList;

  // action.ts
  action: ActionRecord;
  /** Next-gen: the script called a method of `action` or `callbacksBuilder`. */
  actionUsed: boolean;
  makeActionWrapper: () => object;
  /** What legacy `Action...build()` made: finish takes the script's `action` only if it is one. */
  builtActions: WeakSet<object>;
  legacyActionBuilder: (kind: 'goTo' | 'send', payload: any) => any;

  // http-client.ts, http-client-legacy.ts
  makeResolved: (value: unknown) => object;
  httpRequest: (method: string, url: string, headers: [string, string][], body: string | null) => HttpResponse;
  makeHttpClient: () => object;
  legacyRequest: () => any;
  makeLegacyHttpClient: () => object;

  // java-classes.ts
  ByteArray: new (bytes: readonly number[]) => ByteArray;
  /** Rhino's `Java constructor for "<class>" with arguments "<types>" not found.` */
  noJavaConstructor: (className: string, args: readonly unknown[]) => Error;
  /** Legacy-only classes by their full name. */
  javaClasses: Record<string, object>;

  // java.ts
  javaPackage: (path: string) => any;
  JavaImporter: (...imported: any[]) => any;

  // identities.ts
  makeIdentity: (id: unknown) => object;
  makeLegacyIdRepository: () => object;
  makeOpenidm: () => object;

  // logger.ts
  logs: { level: string; message: string }[];
  makeLogger: () => object;

  // esv.ts
  makeSystemEnv: () => object;
  makeSecrets: () => object;

  // utils.ts
  makeUtils: () => object;

  // globals.ts: the values bound at once, which finish reads back.
  bindings: Record<string, any>;
  // globals.ts (installGlobalObject): a binding on the global object, made now or on first read.
  bindGlobal: (name: string, value: any) => void;
  bindLazily: (name: string, make: Maker) => void;
}
