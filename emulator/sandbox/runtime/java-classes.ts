import type { Rt, ByteArray as ByteArrayShape } from './types.js';

/**
 * Java classes on AIC's allowlist for legacy decision scripts (the `AUTHENTICATION_TREE_DECISION_NODE`
 * context's `engineConfiguration.whiteList`, as frodo-cli exports it from a real AIC tenant, kept in
 * test/fixtures/journeys-corpus) that real scripts use and that need more than a callback record:
 * a Java `byte[]`, ForgeRock's `Base64` and `Base64url` (forgerock-commons, org.forgerock.util.encode)
 * and AM's `ThreadLocalSecureRandom`. The callbacks and `Action` are in java.ts, which takes these.
 *
 * Rhino's words where a script calls them wrongly: a method with arguments none of its Java
 * overloads takes is `Can't find method <class>.<name>(<argument types>).`, a constructor
 * `Java constructor for "<class>" with arguments "<types>" not found.` (Rhino 1.7.14's messages
 * msg.java.no_such_method and msg.no.java.ctor, thrown as InternalError).
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installJavaClasses(rt: Rt): void {
  const { define, rhinoError, Object: _Object, String: _String, Number: _Number, Array: _Array, Math: _Math } = rt;

  /** A Java `byte[]` as Rhino shows it: indexed signed bytes, a fixed length, `[B@...` as a string. */
  class ByteArray implements ByteArrayShape {
    declare readonly length: number;
    constructor(bytes: readonly number[]) {
      const self = this as any;
      for (let i = 0; i < bytes.length; i += 1) self[i] = (bytes[i]! << 24) >> 24;
      define(this, 'length', bytes.length);
      _Object.defineProperty(this, 'length', { writable: false });
    }
    toString(): string {
      return '[B@1b2c3d4e';
    }
  }

  /** Rhino's name for an argument's type in its "Can't find method" message (NativeJavaMethod.scriptSignature). */
  function typeName(value: unknown): string {
    if (value === null) return 'null';
    if (value === undefined) return 'undefined';
    if (typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number') return typeof value;
    if (value instanceof ByteArray) return 'byte[]';
    if (value instanceof rt.JavaList) return 'java.util.ArrayList';
    if (value instanceof rt.JavaMap) return 'java.util.LinkedHashMap';
    return typeof value === 'function' ? 'function' : 'object';
  }
  const signature = (args: readonly unknown[]) => args.map(typeName).join(',');

  function noMethod(className: string, method: string, args: readonly unknown[]): Error {
    return rhinoError('InternalError', `Can't find method ${className}.${method}(${signature(args)}).`);
  }
  function noConstructor(className: string, args: readonly unknown[]): Error {
    return rhinoError(
      'InternalError',
      `Java constructor for "${className}" with arguments "${signature(args)}" not found.`,
    );
  }

  /** What Rhino converts to a Java `byte[]`: a byte[] itself, or a JavaScript array of numbers; else undefined. */
  function bytesOf(value: unknown): number[] | undefined {
    if (value instanceof ByteArray) {
      const out: number[] = [];
      for (let i = 0; i < value.length; i += 1) out.push(_Number((value as any)[i]) & 0xff);
      return out;
    }
    if (_Array.isArray(value) && value.every((item) => typeof item === 'number'))
      return value.map((item: number) => _Math.trunc(item) & 0xff);
    return undefined;
  }

  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

  /** forgerock-commons Base64.encode(byte[]): RFC 2045 alphabet, padded, no line breaks. */
  function base64(bytes: readonly number[]): string {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
      out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
      out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
      out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
    }
    return out;
  }

  /**
   * forgerock-commons Base64.decode(String) (MiGBase64): characters outside the alphabet and `=`
   * are skipped; when the others do not come in fours the text is corrupt and the answer is null.
   */
  function unbase64(text: string): number[] | null {
    const legal = text.split('').filter((c) => c === '=' || ALPHABET.includes(c));
    if (legal.length % 4 !== 0) return null;
    const digits = legal.filter((c) => c !== '=').map((c) => ALPHABET.indexOf(c));
    const out: number[] = [];
    for (let i = 0; i + 1 < digits.length; i += 4) {
      const n = (digits[i]! << 18) | (digits[i + 1]! << 12) | ((digits[i + 2] ?? 0) << 6) | (digits[i + 3] ?? 0);
      out.push((n >> 16) & 0xff);
      if (i + 2 < digits.length) out.push((n >> 8) & 0xff);
      if (i + 3 < digits.length) out.push(n & 0xff);
    }
    return out;
  }

  /** A static Java class: its methods, `[JavaClass name]` as a string. */
  function javaClass(name: string, members: Record<string, unknown>): object {
    const cls: any = {};
    for (const key of _Object.keys(members)) define(cls, key, members[key]);
    define(cls, 'toString', () => `[JavaClass ${name}]`);
    return _Object.freeze(cls);
  }

  const BASE64 = 'org.forgerock.util.encode.Base64';
  const BASE64URL = 'org.forgerock.util.encode.Base64url';
  const base64Class = javaClass(BASE64, {
    encode: (...args: any[]) => {
      const bytes = args.length === 1 ? bytesOf(args[0]) : undefined;
      if (args.length === 3 && bytesOf(args[0]) && typeof args[1] === 'number' && typeof args[2] === 'number')
        return base64(bytesOf(args[0])!.slice(args[1], args[1] + args[2]));
      if (!bytes && args[0] !== null) throw noMethod(BASE64, 'encode', args);
      return base64(bytes ?? []);
    },
    decode: (...args: any[]) => {
      if (args.length !== 1 || (typeof args[0] !== 'string' && args[0] !== null && !bytesOf(args[0])))
        throw noMethod(BASE64, 'decode', args);
      const text = typeof args[0] === 'string' ? args[0] : _String.fromCharCode(...(bytesOf(args[0]) ?? []));
      const bytes = unbase64(text);
      return bytes === null ? null : new ByteArray(bytes);
    },
  });
  const base64urlClass = javaClass(BASE64URL, {
    encode: (...args: any[]) => {
      const bytes = args.length === 1 ? bytesOf(args[0]) : undefined;
      if (!bytes && !(args.length === 1 && args[0] === null)) throw noMethod(BASE64URL, 'encode', args);
      return base64(bytes ?? [])
        .split('+')
        .join('-')
        .split('/')
        .join('_')
        .split('=')
        .join('');
    },
    decode: (...args: any[]) => {
      if (args.length !== 1 || (typeof args[0] !== 'string' && args[0] !== null))
        throw noMethod(BASE64URL, 'decode', args);
      if (args[0] === null) throw rhinoError('JavaException', 'java.lang.NullPointerException');
      let text = args[0].split('-').join('+').split('_').join('/');
      while (text.length % 4 !== 0) text += '=';
      const bytes = unbase64(text);
      return bytes === null ? null : new ByteArray(bytes);
    },
  });

  // ThreadLocalSecureRandom: bytes drawn from the run's own random bytes (node:crypto, 16 of them
  // for this class, script-runner.ts) through xoshiro128**, a generator apart from Math.random's.
  // Seeded at its first draw of a run: this installer runs before any run's job is known (index.ts).
  let generator: (() => number) | undefined;
  const next32 = () => (generator ??= rt.xoshiro128(80, 5))();
  /** A byte[] is at most what a script can sensibly ask for: the run's memory limit holds anyway. */
  const MAX_BYTES = 1 << 20;
  const RANDOM = 'org.forgerock.openam.shared.security.ThreadLocalSecureRandom';
  function randomMembers(className: string): Record<string, unknown> {
    return {
      nextBytes: (...args: any[]) => {
        if (args.length === 1 && typeof args[0] === 'number') {
          const size = _Math.trunc(args[0]);
          if (size < 0) throw rhinoError('JavaException', `java.lang.NegativeArraySizeException: ${size}`);
          if (size > MAX_BYTES) throw rhinoError('JavaException', 'java.lang.OutOfMemoryError: Java heap space');
          const drawn: number[] = [];
          for (let i = 0; i < size; i += 1) drawn.push(next32() & 0xff);
          return new ByteArray(drawn);
        }
        if (args.length === 1 && args[0] instanceof ByteArray) {
          for (let i = 0; i < args[0].length; i += 1) (args[0] as any)[i] = ((next32() & 0xff) << 24) >> 24;
          return undefined;
        }
        throw noMethod(className, 'nextBytes', args);
      },
      nextInt: (...args: any[]) => {
        if (args.length === 0) return next32() | 0;
        if (args.length === 1 && typeof args[0] === 'number') {
          const bound = _Math.trunc(args[0]);
          if (bound <= 0)
            throw rhinoError('JavaException', 'java.lang.IllegalArgumentException: bound must be positive');
          return _Math.floor((next32() / 4294967296) * bound);
        }
        throw noMethod(className, 'nextInt', args);
      },
      nextLong: () => (next32() | 0) * 4294967296 + next32(),
      nextBoolean: () => (next32() & 1) === 1,
      nextDouble: () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992,
      nextFloat: () => (next32() >>> 8) / 16777216,
    };
  }
  const secureRandom = javaClass('java.security.SecureRandom', randomMembers('java.security.SecureRandom'));
  const randomClass = javaClass(RANDOM, { ...randomMembers(RANDOM), getCurrent: () => secureRandom });

  rt.ByteArray = ByteArray;
  rt.noJavaConstructor = noConstructor;
  rt.javaClasses = {
    [BASE64]: base64Class,
    [BASE64URL]: base64urlClass,
    [RANDOM]: randomClass,
  };
}

/**
 * AM's RedirectCallback (com.sun.identity.authentication.spi), on the same allowlist: legacy
 * `new RedirectCallback(...)` sent with `Action.send`, rendered as AM renders it (script-callbacks.ts).
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installJavaCallbacks(rt: Rt): void {
  const { define, Object: _Object } = rt;

  const REDIRECT = 'com.sun.identity.authentication.spi.RedirectCallback';
  /**
   * AM's RedirectCallback (com.sun.identity.authentication.spi): constructors (), (url, data,
   * method) and (url, data, method, statusParameter, redirectBackUrlCookie), its setters and
   * getters, and trackingCookie. What Action.send takes is read when it is sent, setters included.
   */
  function RedirectCallback(this: any, ...args: any[]) {
    if (args.length !== 0 && args.length !== 3 && args.length !== 5) throw rt.noJavaConstructor(REDIRECT, args);
    const fields: any = {
      redirectUrl: args[0] ?? null,
      redirectData: args[1] ?? null,
      method: args[2] ?? null,
      statusParameter: args[3] ?? null,
      redirectBackUrlCookie: args[4] ?? null,
      status: null,
      trackingCookie: false,
    };
    const accessors: [string, string, string][] = [
      ['setRedirectUrl', 'getRedirectUrl', 'redirectUrl'],
      ['setRedirectData', 'getRedirectData', 'redirectData'],
      ['setMethod', 'getMethod', 'method'],
      ['setStatus', 'getStatus', 'status'],
      ['setStatusParameter', 'getStatusParameter', 'statusParameter'],
      ['setRedirectBackUrlCookieName', 'getRedirectBackUrlCookieName', 'redirectBackUrlCookie'],
    ];
    for (const [set, get, field] of accessors) {
      define(this, set, (value: any) => {
        fields[field] = value ?? null;
      });
      define(this, get, () => fields[field]);
    }
    define(this, 'setTrackingCookie', (value: any) => {
      fields.trackingCookie = value === true;
    });
    define(this, 'getTrackingCookie', () => fields.trackingCookie);
    define(this, 'toString', () => `${REDIRECT}@5f2e1a7b`);
    _Object.defineProperty(this, '_callback', {
      get: () => ({
        method: 'redirectCallback',
        args: [
          fields.redirectUrl,
          fields.redirectData,
          fields.method,
          fields.statusParameter,
          fields.redirectBackUrlCookie,
          fields.trackingCookie,
        ].map((arg) => rt.toJson(arg)),
      }),
      enumerable: false,
    });
  }
  _Object.defineProperty(RedirectCallback, 'SUCCESS', { value: 'SUCCESS', enumerable: true });
  _Object.defineProperty(RedirectCallback, 'FAILED', { value: 'FAILED', enumerable: true });

  rt.javaClasses[REDIRECT] = RedirectCallback;
}

/**
 * `java.util.UUID`, on the same allowlist: `randomUUID()` (version 4, from ThreadLocalSecureRandom's
 * bytes), `fromString(text)`, and the object's `toString()`, `equals()`, `version()`.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installJavaUuid(rt: Rt): void {
  const { define, rhinoError, Object: _Object, String: _String, Number: _Number } = rt;
  const CLASS = 'java.util.UUID';
  const random: any = rt.javaClasses['org.forgerock.openam.shared.security.ThreadLocalSecureRandom'];

  function uuid(text: string): object {
    const value: any = {};
    define(value, 'toString', () => text);
    define(value, 'equals', (other: any) => other !== null && other !== undefined && _String(other) === text);
    define(value, 'hashCode', () => text.length);
    define(value, 'version', () => _Number.parseInt(text.charAt(14), 16));
    return _Object.freeze(value);
  }
  const hex = (byte: number) => (byte & 0xff).toString(16).padStart(2, '0');

  const UUID: any = {};
  define(UUID, 'randomUUID', () => {
    const bytes = random.nextBytes(16);
    const b: number[] = [];
    for (let i = 0; i < 16; i += 1) b.push(bytes[i] & 0xff);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.map(hex).join('');
    return uuid(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
  });
  define(UUID, 'fromString', (...args: any[]) => {
    if (args.length !== 1 || typeof args[0] !== 'string')
      throw rhinoError(
        'InternalError',
        `Can't find method ${CLASS}.fromString(${args.map((a) => (a === null ? 'null' : typeof a)).join(',')}).`,
      );
    const text = args[0];
    if (!/^[0-9a-fA-F]{1,8}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,12}$/.test(text))
      throw rhinoError('JavaException', `java.lang.IllegalArgumentException: Invalid UUID string: ${text}`);
    const widths = [8, 4, 4, 4, 12];
    return uuid(
      text
        .split('-')
        .map((part, i) => part.toLowerCase().padStart(widths[i]!, '0'))
        .join('-'),
    );
  });
  define(UUID, 'toString', () => `[JavaClass ${CLASS}]`);
  rt.javaClasses[CLASS] = _Object.freeze(UUID);
}

/**
 * `java.lang.Math`, `Long` and `Double`, on both engines' allowlists: their static methods over
 * the engine's numbers (Rhino hands a script Java's numbers as JavaScript numbers, a long included,
 * so past 2^53 a long loses precision as it does there).
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installJavaLang(rt: Rt): void {
  const { define, rhinoError, Object: _Object, String: _String, Number: _Number, Math: _Math } = rt;
  function javaClass(name: string, members: Record<string, unknown>): object {
    const cls: any = {};
    for (const key of _Object.keys(members)) define(cls, key, members[key]);
    define(cls, 'toString', () => `[JavaClass ${name}]`);
    return _Object.freeze(cls);
  }
  const parse = (integral: boolean) => (text: any) => {
    const value = _String(text).trim();
    const ok = integral ? /^[+-]?\d+$/.test(value) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(value);
    if (!ok) throw rhinoError('JavaException', `java.lang.NumberFormatException: For input string: "${_String(text)}"`);
    return integral ? _Number(value) : _Number.parseFloat(value);
  };
  const m = _Math;
  rt.javaClasses['java.lang.Math'] = javaClass('java.lang.Math', {
    PI: m.PI,
    E: m.E,
    abs: m.abs,
    ceil: m.ceil,
    floor: m.floor,
    round: (x: number) => m.floor(x + 0.5),
    rint: (x: number) => (m.abs(x % 1) === 0.5 ? 2 * m.round(x / 2) : m.round(x)),
    max: m.max,
    min: m.min,
    pow: m.pow,
    sqrt: m.sqrt,
    cbrt: m.cbrt,
    exp: m.exp,
    log: m.log,
    log10: m.log10,
    signum: m.sign,
    // Looked up at each call: Math.random is seeded per run (random.ts), after this installer ran.
    random: () => m.random(),
    floorDiv: (a: number, b: number) => m.floor(a / b),
    floorMod: (a: number, b: number) => a - m.floor(a / b) * b,
  });
  rt.javaClasses['java.lang.Long'] = javaClass('java.lang.Long', {
    MAX_VALUE: 9223372036854775807,
    MIN_VALUE: -9223372036854775808,
    parseLong: parse(true),
    valueOf: parse(true),
  });
  rt.javaClasses['java.lang.Double'] = javaClass('java.lang.Double', {
    MAX_VALUE: _Number.MAX_VALUE,
    MIN_VALUE: _Number.MIN_VALUE,
    NaN: _Number.NaN,
    parseDouble: parse(false),
    valueOf: parse(false),
    isNaN: (x: any) => _Number.isNaN(_Number(x)),
  });
}
