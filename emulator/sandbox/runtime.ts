/**
 * The script runtime: the bindings a Scripted Decision or Configuration Provider script sees,
 * built inside the script's own V8 context (journey-facts §2).
 *
 * `installRuntime` is not called in this module's realm: the worker takes its source text
 * (`installRuntime.toString()`) and evaluates it inside each fresh vm context. So it must not use
 * anything from outside its own body (no imports, no module-level names), and every object a
 * script can reach is made inside the context. The only outside object it holds is `host`, a
 * function kept in a closure (never on the global object) that takes and returns strings, so no
 * object of the worker's realm (its `Function`, its `process`) is ever reachable from a script.
 *
 * It returns `finish`, which the worker calls after the script ran, for a JSON string of what the
 * script did: its outcome, action, callbacks, state, config and logs.
 */

export function installRuntime(host: (op: string, payload: string) => string, inputJson: string): () => string {
  const g: any = globalThis;
  const input: any = JSON.parse(inputJson);
  const legacy = input.engine === '1.0';
  // The functions themselves, not the JSON object: a script may replace `JSON.stringify` on its
  // global, and the runtime must go on writing what it means to write.
  const _JSON = { parse: JSON.parse, stringify: JSON.stringify };
  const _Object = Object;
  const _String = String;
  const _Number = Number;
  const _Array = Array;
  const _Error = Error;
  const _TypeError = TypeError;
  const _Math = Math;
  const _Proxy = Proxy;
  const _WeakSet = WeakSet;
  const _Set = Set;
  const define = (target: any, key: string, value: any) =>
    _Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
  const logs: { level: string; message: string }[] = [];
  /** What a run may log: enough for any real script, bounded for a hostile one (and within the
   * runs view's 2000-character line, so the truncation note shows). */
  const MAX_LOG_LINES = 1000;
  const MAX_LOG_CHARS = 1900;

  /** Errors in Rhino's words: `InternalError: ...`, `JavaException: ...`. */
  function rhinoError(name: string, message: string): Error {
    const error = new _Error(message);
    error.name = name;
    return error;
  }

  function callHost(op: string, payload: unknown): any {
    const answer = _JSON.parse(host(op, _JSON.stringify(payload)));
    if (!answer.ok) throw rhinoError('JavaException', answer.error);
    return answer.value;
  }

  // ---------------------------------------------------------------- Java-shaped values

  /** Java's `String.valueOf` for what scripts hand to Java: lists and maps print Java-style. */
  function javaString(value: any): string {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number') return _Number.isInteger(value) ? `${value}.0` : _String(value);
    return _String(value);
  }

  class JavaList {
    constructor(items: any[]) {
      define(this, '_items', items.slice());
      this._index();
    }
    private _index(): void {
      const items = (this as any)._items as any[];
      for (let i = 0; i < items.length; i += 1)
        _Object.defineProperty(this, _String(i), { get: () => items[i], enumerable: true, configurable: true });
    }
    get(index: number): any {
      const items = (this as any)._items as any[];
      if (index < 0 || index >= items.length)
        throw rhinoError(
          'JavaException',
          `java.lang.IndexOutOfBoundsException: Index ${index} out of bounds for length ${items.length}`,
        );
      return items[index];
    }
    size(): number {
      return (this as any)._items.length;
    }
    get length(): number {
      return (this as any)._items.length;
    }
    isEmpty(): boolean {
      return (this as any)._items.length === 0;
    }
    contains(value: any): boolean {
      return (this as any)._items.some(
        (item: any) => item === value || (item != null && value != null && _String(item) === _String(value)),
      );
    }
    indexOf(value: any): number {
      return (this as any)._items.findIndex((item: any) => item === value);
    }
    add(value: any): boolean {
      (this as any)._items.push(value);
      this._index();
      return true;
    }
    toArray(): any[] {
      return (this as any)._items.slice();
    }
    iterator(): any {
      const items = (this as any)._items as any[];
      let i = 0;
      return { hasNext: () => i < items.length, next: () => items[i++] };
    }
    getClass(): never {
      throw rhinoError('InternalError', 'Access to Java class "java.lang.Class" is prohibited.');
    }
    toString(): string {
      return `[${(this as any)._items.map(javaString).join(', ')}]`;
    }
  }

  /** Java's TreeMap(CASE_INSENSITIVE_ORDER) when `caseInsensitive`, else a LinkedHashMap. */
  class JavaMap {
    constructor(entries: [string, any][], caseInsensitive: boolean) {
      define(this, '_entries', entries.slice());
      define(this, '_ci', caseInsensitive);
    }
    private _find(key: any): number {
      const ci = (this as any)._ci;
      const wanted = ci ? _String(key).toLowerCase() : _String(key);
      return (this as any)._entries.findIndex(([k]: [string]) => (ci ? k.toLowerCase() : k) === wanted);
    }
    get(key: any): any {
      const index = this._find(key);
      return index < 0 ? null : (this as any)._entries[index][1];
    }
    containsKey(key: any): boolean {
      return this._find(key) >= 0;
    }
    put(key: any, value: any): any {
      const index = this._find(key);
      const previous = index < 0 ? null : (this as any)._entries[index][1];
      if (index < 0) (this as any)._entries.push([_String(key), value]);
      else (this as any)._entries[index][1] = value;
      return previous;
    }
    remove(key: any): any {
      const index = this._find(key);
      if (index < 0) return null;
      return (this as any)._entries.splice(index, 1)[0][1];
    }
    size(): number {
      return (this as any)._entries.length;
    }
    isEmpty(): boolean {
      return (this as any)._entries.length === 0;
    }
    keySet(): JavaList {
      return new JavaList((this as any)._entries.map(([k]: [string]) => k));
    }
    values(): JavaList {
      return new JavaList((this as any)._entries.map(([, v]: [string, any]) => v));
    }
    entrySet(): JavaList {
      return new JavaList(
        (this as any)._entries.map(([k, v]: [string, any]) => ({ getKey: () => k, getValue: () => v })),
      );
    }
    getClass(): never {
      throw rhinoError('InternalError', 'Access to Java class "java.lang.Class" is prohibited.');
    }
    toString(): string {
      return `{${(this as any)._entries.map(([k, v]: [string, any]) => `${k}=${javaString(v)}`).join(', ')}}`;
    }
  }

  /** What the legacy engine's `nodeState.get` returns: AM's JsonValue, whose string form is JSON. */
  class JsonValue {
    constructor(value: any) {
      define(this, '_value', value);
    }
    getObject(): any {
      return toScript((this as any)._value);
    }
    isNull(): boolean {
      return (this as any)._value === null || (this as any)._value === undefined;
    }
    isString(): boolean {
      return typeof (this as any)._value === 'string';
    }
    isNumber(): boolean {
      return typeof (this as any)._value === 'number';
    }
    isBoolean(): boolean {
      return typeof (this as any)._value === 'boolean';
    }
    isList(): boolean {
      return _Array.isArray((this as any)._value);
    }
    isMap(): boolean {
      const v = (this as any)._value;
      return v !== null && typeof v === 'object' && !_Array.isArray(v);
    }
    asString(): string | null {
      const v = (this as any)._value;
      if (v === null || v === undefined) return null;
      if (typeof v !== 'string')
        throw rhinoError('JavaException', `org.forgerock.json.JsonValueException: Expecting a java.lang.String`);
      return v;
    }
    asInteger(): number | null {
      const v = (this as any)._value;
      if (v === null || v === undefined) return null;
      if (typeof v !== 'number')
        throw rhinoError('JavaException', `org.forgerock.json.JsonValueException: Expecting a java.lang.Integer`);
      return _Math.trunc(v);
    }
    asLong(): number | null {
      return this.asInteger();
    }
    asDouble(): number | null {
      const v = (this as any)._value;
      return v === null || v === undefined ? null : _Number(v);
    }
    asBoolean(): boolean | null {
      const v = (this as any)._value;
      if (v === null || v === undefined) return null;
      if (typeof v !== 'boolean')
        throw rhinoError('JavaException', `org.forgerock.json.JsonValueException: Expecting a java.lang.Boolean`);
      return v;
    }
    asList(): JavaList | null {
      const v = (this as any)._value;
      return v === null || v === undefined ? null : new JavaList(_Array.isArray(v) ? v.map(toScript) : [toScript(v)]);
    }
    asMap(): JavaMap | null {
      const v = (this as any)._value;
      return v === null || v === undefined
        ? null
        : new JavaMap(
            _Object.entries(v).map(([k, x]) => [k, toScript(x)]),
            false,
          );
    }
    get(key: any): JsonValue {
      const v = (this as any)._value;
      return new JsonValue(
        v !== null && typeof v === 'object' && _Object.prototype.hasOwnProperty.call(v, key) ? v[key] : null,
      );
    }
    isDefined(key: any): boolean {
      const v = (this as any)._value;
      return v !== null && typeof v === 'object' && _Object.prototype.hasOwnProperty.call(v, key);
    }
    toString(): string {
      return _JSON.stringify((this as any)._value ?? null);
    }
  }

  /** JSON state → what a next-gen script gets: strings, numbers, booleans, plain objects and arrays. */
  function toScript(value: any): any {
    return value === undefined ? null : _JSON.parse(_JSON.stringify(value ?? null));
  }

  /** Anything a script stores → JSON: Java-shaped values unwrapped, functions refused. */
  function toJson(value: any, depth = 0): any {
    if (depth > 64) throw rhinoError('InternalError', 'State value is nested too deeply');
    if (value === undefined || value === null) return null;
    if (value instanceof JsonValue) return (value as any)._value ?? null;
    if (value instanceof JavaList) return (value as any)._items.map((item: any) => toJson(item, depth + 1));
    if (value instanceof JavaMap)
      return _Object.fromEntries((value as any)._entries.map(([k, v]: [string, any]) => [k, toJson(v, depth + 1)]));
    if (typeof value === 'function') throw rhinoError('InternalError', 'A function cannot be stored in state');
    if (typeof value === 'number') return _Number.isFinite(value) ? value : null;
    if (typeof value !== 'object') return value;
    if (_Array.isArray(value)) return value.map((item) => toJson(item, depth + 1));
    const result: any = {};
    for (const [k, v] of _Object.entries(value))
      _Object.defineProperty(result, k, {
        value: toJson(v, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return result;
  }

  // ---------------------------------------------------------------- state

  const state = input.state as { shared: any; transient: any; secure: any };
  const everything = (input.inputs as string[]).includes('*');
  const readable = (key: string) => everything || (input.inputs as string[]).includes(key);
  const own = (object: any, key: string) => _Object.prototype.hasOwnProperty.call(object, key);
  const lookup = (key: string) => {
    if (!readable(key)) return undefined;
    if (own(state.transient, key)) return state.transient[key];
    if (own(state.secure, key)) return state.secure[key];
    if (own(state.shared, key)) return state.shared[key];
    return undefined;
  };
  const setState = (part: any, key: string, value: any) =>
    _Object.defineProperty(part, _String(key), {
      value: toJson(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const CONTAINERS = ['objectAttributes'];

  function merge(part: any, others: any[], map: any): void {
    const entries = map instanceof JavaMap ? (map as any)._entries : _Object.entries(map ?? {});
    for (const [key, value] of entries) {
      const json = toJson(value);
      if (json !== null && typeof json === 'object' && !_Array.isArray(json) && !CONTAINERS.includes(key)) {
        throw rhinoError(
          'JavaException',
          'java.lang.IllegalArgumentException: State must not contain nested objects unless they are inside registered state containers: objectAttributes',
        );
      }
      setState(part, key, json);
      for (const other of others) delete other[key];
    }
  }

  function makeNodeState(wrap: (value: any) => any): any {
    const nodeState: any = {
      get: (key: string) => {
        const value = lookup(_String(key));
        return value === undefined ? null : wrap(value);
      },
      getObject: (key: string) => {
        const parts = [state.shared, state.secure, state.transient].map((part) =>
          readable(key) && own(part, key) ? part[key] : undefined,
        );
        const defined = parts.filter((part) => part !== undefined);
        if (defined.length === 0) return null;
        const last = defined[defined.length - 1];
        if (last !== null && typeof last === 'object' && !_Array.isArray(last)) {
          const mergedValue = _Object.freeze(
            _Object.assign({}, ...defined.filter((part) => part !== null && typeof part === 'object')),
          );
          return wrap(mergedValue);
        }
        return wrap(last);
      },
      isDefined: (key: string) => lookup(_String(key)) !== undefined,
      keys: () =>
        new JavaList(
          [
            ...new _Set([
              ..._Object.keys(state.shared),
              ..._Object.keys(state.secure),
              ..._Object.keys(state.transient),
            ]),
          ].filter(readable),
        ),
      putShared: (key: string, value: any) => {
        setState(state.shared, key, value);
        return nodeState;
      },
      putTransient: (key: string, value: any) => {
        setState(state.transient, key, value);
        return nodeState;
      },
      mergeShared: (map: any) => {
        merge(state.shared, [state.transient, state.secure], map);
        return nodeState;
      },
      mergeTransient: (map: any) => {
        merge(state.transient, [state.shared, state.secure], map);
        return nodeState;
      },
      remove: (key: string) => {
        delete state.shared[key];
        delete state.transient[key];
        delete state.secure[key];
      },
    };
    return _Object.freeze(nodeState);
  }

  // ---------------------------------------------------------------- request data

  const headerMap = (pairs: [string, string[]][]) =>
    new JavaMap(
      pairs.map(([name, values]) => [name, new JavaList(values)]),
      true,
    );

  // ---------------------------------------------------------------- callbacks

  /** What the main thread turns into AM callbacks: a builder method and its arguments. */
  const builderCallbacks: { method: string; args: any[] }[] = [];

  function makeCallbacksBuilder(): any {
    const methods = [
      'nameCallback',
      'passwordCallback',
      'textOutputCallback',
      'scriptTextOutputCallback',
      'confirmationCallback',
      'choiceCallback',
      'hiddenValueCallback',
      'textInputCallback',
      'redirectCallback',
      'metadataCallback',
      'pollingWaitCallback',
      'suspendedTextOutputCallback',
      'stringAttributeInputCallback',
      'numberAttributeInputCallback',
      'booleanAttributeInputCallback',
      'validatedUsernameCallback',
      'validatedPasswordCallback',
      'termsAndConditionsCallback',
    ];
    const builder: any = {};
    for (const method of methods) {
      builder[method] = (...args: any[]) => {
        builderCallbacks.push({ method, args: args.map((arg) => toJson(arg)) });
        actionUsed = true;
      };
    }
    return _Object.freeze(builder);
  }

  const submitted = (
    input.callbacks as { type: string; output: { name: string; value: any }[]; values: [string, any][] }[]
  ).map((callback) => ({
    type: callback.type,
    output: callback.output,
    value: (suffix = '') => {
      const entry = callback.values.find(([s]) => s === suffix);
      return entry ? entry[1] : null;
    },
    outputValue: (name: string) => callback.output.find((o) => o.name === name)?.value ?? null,
  }));
  const ofType = (...types: string[]) => submitted.filter((callback) => types.includes(callback.type));
  const asIndex = (value: any) =>
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+$/.test(value.trim())
        ? _Number(value.trim())
        : 0;

  /** Next-gen `callbacks`: typed getters over what the client answered. */
  function makeScriptedCallbacks(): any {
    return _Object.freeze({
      isEmpty: () => submitted.length === 0,
      getNameCallbacks: () => new JavaList(ofType('NameCallback').map((c) => _String(c.value() ?? ''))),
      getPasswordCallbacks: () => new JavaList(ofType('PasswordCallback').map((c) => _String(c.value() ?? ''))),
      getTextInputCallbacks: () => new JavaList(ofType('TextInputCallback').map((c) => _String(c.value() ?? ''))),
      getConfirmationCallbacks: () => new JavaList(ofType('ConfirmationCallback').map((c) => asIndex(c.value()))),
      getChoiceCallbacks: () => new JavaList(ofType('ChoiceCallback').map((c) => [asIndex(c.value())])),
      getHiddenValueCallbacks: () =>
        new JavaMap(
          ofType('HiddenValueCallback').map((c) => [_String(c.outputValue('id')), c.value()]),
          false,
        ),
      getStringAttributeInputCallbacks: () =>
        new JavaList(ofType('StringAttributeInputCallback').map((c) => c.value())),
      getNumberAttributeInputCallbacks: () =>
        new JavaList(ofType('NumberAttributeInputCallback').map((c) => c.value())),
      getBooleanAttributeInputCallbacks: () =>
        new JavaList(ofType('BooleanAttributeInputCallback').map((c) => c.value() === true || c.value() === 'true')),
      getValidatedUsernameCallbacks: () =>
        new JavaList(
          ofType('ValidatedCreateUsernameCallback').map((c) => ({
            value: c.value(),
            validateOnly: c.value('validateOnly') === true,
          })),
        ),
      getValidatedPasswordCallbacks: () =>
        new JavaList(
          ofType('ValidatedCreatePasswordCallback').map((c) => ({
            value: c.value(),
            validateOnly: c.value('validateOnly') === true,
          })),
        ),
      getTermsAndConditionsCallbacks: () =>
        new JavaList(ofType('TermsAndConditionsCallback').map((c) => c.value() === true || c.value() === 'true')),
    });
  }

  /** Legacy `callbacks`: a Java list of the JDK callback objects, answered. */
  function makeLegacyCallbacks(): JavaList {
    return new JavaList(
      submitted.map((c) => {
        switch (c.type) {
          case 'NameCallback':
            return { getName: () => c.value(), getPrompt: () => c.outputValue('prompt') };
          case 'PasswordCallback':
            return {
              getPassword: () => new CharArray(_String(c.value() ?? '')),
              getPrompt: () => c.outputValue('prompt'),
            };
          case 'TextInputCallback':
            return { getText: () => c.value(), getPrompt: () => c.outputValue('prompt') };
          case 'ConfirmationCallback':
            return {
              getSelectedIndex: () => asIndex(c.value()),
              getOptions: () => new JavaList(c.outputValue('options') ?? []),
            };
          case 'ChoiceCallback':
            return {
              getSelectedIndexes: () => [asIndex(c.value())],
              getChoices: () => new JavaList(c.outputValue('choices') ?? []),
            };
          case 'HiddenValueCallback':
            return { getValue: () => c.value(), getId: () => c.outputValue('id') };
          case 'TextOutputCallback':
            return {
              getMessage: () => c.outputValue('message'),
              getMessageType: () => _Number(c.outputValue('messageType')),
            };
          default:
            return { getType: () => c.type, getValue: () => c.value() };
        }
      }),
    );
  }

  /** A Java char[] (what PasswordCallback.getPassword returns): `new java.lang.String(chars)` reads it. */
  class CharArray {
    constructor(text: string) {
      define(this, '_text', text);
      const chars = text.split('');
      for (let i = 0; i < chars.length; i += 1)
        _Object.defineProperty(this, _String(i), { value: chars[i], enumerable: true });
      define(this, 'length', chars.length);
    }
    toString(): string {
      return '[C@6d06d69c';
    }
  }

  // ---------------------------------------------------------------- action

  let actionUsed = false;
  const action: any = { callbacks: [], sessionProperties: {}, removedSessionProperties: [] };

  function makeActionWrapper(): any {
    const wrapper: any = {
      goTo: (outcome: any) => {
        if (outcome === null || outcome === undefined)
          throw rhinoError('JavaException', 'java.lang.NullPointerException: outcome must not be null');
        action.goTo = _String(outcome);
        actionUsed = true;
        return wrapper;
      },
      putSessionProperty: (key: any, value: any) => {
        action.sessionProperties[_String(key)] = _String(value);
        return wrapper;
      },
      removeSessionProperty: (key: any) => {
        action.removedSessionProperties.push(_String(key));
        return wrapper;
      },
      withMaxSessionTime: (minutes: any) => {
        const value = typeof minutes === 'number' ? minutes : NaN;
        if (!(value >= 1)) throw rhinoError('JavaException', `Cannot convert ${minutes} to java.lang.Integer`);
        action.maxSessionTime = _Math.trunc(value);
        return wrapper;
      },
      withMaxIdleTime: (minutes: any) => {
        const value = typeof minutes === 'number' ? minutes : NaN;
        if (!(value >= 1)) throw rhinoError('JavaException', `Cannot convert ${minutes} to java.lang.Integer`);
        action.maxIdleTime = _Math.trunc(value);
        return wrapper;
      },
      withErrorMessage: (message: any) => {
        action.errorMessage = _String(message);
        return wrapper;
      },
      withLockoutMessage: (message: any) => {
        action.lockoutMessage = _String(message);
        return wrapper;
      },
      withIdentifiedUser: (name: any) => {
        action.identifiedUser = _String(name);
        return wrapper;
      },
      withIdentifiedAgent: () => wrapper,
      withStage: (stage: any) => {
        action.stage = _String(stage);
        return wrapper;
      },
      withHeader: (header: any) => {
        action.header = _String(header);
        return wrapper;
      },
      withDescription: (description: any) => {
        action.description = _String(description);
        return wrapper;
      },
    };
    return _Object.freeze(wrapper);
  }

  // ---------------------------------------------------------------- Java classes (legacy, and a few in next-gen)

  const builtActions = new _WeakSet<object>();

  function legacyActionBuilder(kind: 'goTo' | 'send', payload: any): any {
    const descriptor: any = kind === 'goTo' ? { goTo: _String(payload) } : { send: payload };
    const builder: any = {
      build: () => {
        const built = { toString: () => `Action(${kind})` };
        define(built, '_descriptor', descriptor);
        builtActions.add(_Object.freeze(built));
        return built;
      },
      putSessionProperty: (k: any, v: any) => {
        (descriptor.sessionProperties ??= {})[_String(k)] = _String(v);
        return builder;
      },
      replaceSharedState: (json: any) => {
        descriptor.replaceShared = toJson(json);
        return builder;
      },
      replaceTransientState: (json: any) => {
        descriptor.replaceTransient = toJson(json);
        return builder;
      },
      withErrorMessage: (m: any) => {
        descriptor.errorMessage = _String(m);
        return builder;
      },
      withHeader: (h: any) => {
        descriptor.header = _String(h);
        return builder;
      },
      withDescription: (d: any) => {
        descriptor.description = _String(d);
        return builder;
      },
      withStage: (s: any) => {
        descriptor.stage = _String(s);
        return builder;
      },
    };
    return builder;
  }

  /** A JDK callback made with `new` in a legacy script: remembered as a builder call. */
  function callbackClass(method: string, toArgs: (...args: any[]) => any[]): any {
    return function JavaCallback(this: any, ...args: any[]) {
      define(this, '_callback', { method, args: toArgs(...args).map((arg) => toJson(arg)) });
    };
  }

  const classes: Record<string, any> = {
    'org.forgerock.openam.auth.node.api.Action': {
      goTo: (outcome: any) => legacyActionBuilder('goTo', outcome),
      send: (...callbacks: any[]) => {
        const list =
          callbacks.length === 1 && callbacks[0] instanceof JavaList
            ? (callbacks[0] as any)._items
            : callbacks.length === 1 && _Array.isArray(callbacks[0])
              ? callbacks[0]
              : callbacks;
        return legacyActionBuilder('send', list.map((callback: any) => callback?._callback).filter(Boolean));
      },
    },
    'javax.security.auth.callback.NameCallback': callbackClass('nameCallback', (prompt, name) =>
      name === undefined ? [prompt] : [prompt, name],
    ),
    'javax.security.auth.callback.PasswordCallback': callbackClass('passwordCallback', (prompt, echo) => [
      prompt,
      echo ?? false,
    ]),
    'javax.security.auth.callback.TextOutputCallback': callbackClass('textOutputCallback', (type, message) => [
      type,
      message,
    ]),
    'javax.security.auth.callback.TextInputCallback': callbackClass('textInputCallback', (prompt, text) =>
      text === undefined ? [prompt] : [prompt, text],
    ),
    'javax.security.auth.callback.ConfirmationCallback': callbackClass('confirmationCallback', (...args) => args),
    'javax.security.auth.callback.ChoiceCallback': callbackClass('choiceCallback', (prompt, choices, def, multi) => [
      prompt,
      toJson(choices),
      def,
      multi ?? false,
    ]),
    'com.sun.identity.authentication.callbacks.HiddenValueCallback': callbackClass(
      'hiddenValueCallback',
      (id, value) => [id, value ?? ''],
    ),
    'com.sun.identity.authentication.callbacks.ScriptTextOutputCallback': callbackClass(
      'scriptTextOutputCallback',
      (message) => [message],
    ),
    'org.forgerock.openam.authentication.callbacks.PollingWaitCallback': callbackClass(
      'pollingWaitCallback',
      (...args) => args,
    ),
    'java.util.ArrayList': function ArrayList(this: any) {
      return new JavaList([]);
    },
    'java.util.HashSet': function HashSet(this: any) {
      return new JavaList([]);
    },
    'java.lang.String': function JavaString(value: any) {
      if (value instanceof CharArray) return (value as any)._text;
      return _String(value ?? '');
    },
    'java.lang.Integer': {
      valueOf: (v: any) => _Math.trunc(_Number(v)),
      parseInt: (v: any) => _Math.trunc(_Number(v)),
    },
    'java.lang.Boolean': {
      valueOf: (v: any) => _String(v) === 'true',
      parseBoolean: (v: any) => _String(v).toLowerCase() === 'true',
    },
    'org.forgerock.http.protocol.Request': function Request(this: any) {
      return legacyRequest();
    },
  };
  if (legacy)
    classes['java.util.HashMap'] = function HashMap(this: any) {
      return new JavaMap([], false);
    };

  /** Rhino's package objects: `java.util.ArrayList`, `org.forgerock...Action`; unknown names stay packages. */
  function javaPackage(path: string): any {
    const target = function () {
      throw new _TypeError(`[JavaPackage ${path}] is not a function`);
    };
    return new _Proxy(target, {
      get(_t, name) {
        if (typeof name !== 'string') return undefined;
        if (name === 'toString') return () => `[JavaPackage ${path}]`;
        const full = path ? `${path}.${name}` : name;
        return own(classes, full) ? classes[full] : javaPackage(full);
      },
      construct() {
        throw new _TypeError(`[JavaPackage ${path}] is not a function`);
      },
      apply() {
        throw new _TypeError(`[JavaPackage ${path}] is not a function`);
      },
    });
  }

  function JavaImporter(...imported: any[]): any {
    const scope: any = {};
    for (const entry of imported) {
      for (const [name, value] of _Object.entries(classes)) {
        if (
          value === entry ||
          (typeof entry === 'function' && _String(entry) === `[JavaPackage ${name.slice(0, name.lastIndexOf('.'))}]`)
        ) {
          scope[name.slice(name.lastIndexOf('.') + 1)] = value;
        }
      }
    }
    return scope;
  }

  // ---------------------------------------------------------------- httpClient

  /** The JSON AIC's httpClient sends for an object body: numbers as doubles, undefined as null, Java values as text. */
  function httpJson(value: any, depth = 0): string {
    if (depth > 64) throw rhinoError('InternalError', 'request body nested too deeply');
    if (value === undefined || value === null) return 'null';
    if (value instanceof JavaList || value instanceof JavaMap || value instanceof JsonValue)
      return _JSON.stringify(_String(value));
    if (typeof value === 'number')
      return _Number.isFinite(value) ? (_Number.isInteger(value) ? `${value}.0` : _String(value)) : 'null';
    if (typeof value === 'string' || typeof value === 'boolean') return _JSON.stringify(value);
    if (_Array.isArray(value)) return `[${value.map((item) => httpJson(item, depth + 1)).join(',')}]`;
    if (typeof value === 'object')
      return `{${_Object
        .entries(value)
        .map(([k, v]) => `${_JSON.stringify(k)}:${httpJson(v, depth + 1)}`)
        .join(',')}}`;
    return 'null';
  }

  function request(method: string, url: string, headers: [string, string][], body: string | null): any {
    const response = callHost('http', { method, url, headers, body });
    return response;
  }

  function nextGenResponse(response: any): any {
    return _Object.freeze({
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
      statusText: response.statusText,
      headers: headerMap(response.headers),
      text: () => response.body,
      json: () => _JSON.parse(response.body),
      formData: () =>
        new JavaMap(
          response.body
            .split('&')
            .filter(Boolean)
            .map((pair: string) => pair.split('=').map(decodeURIComponent) as [string, string]),
          false,
        ),
    });
  }

  function makeHttpClient(): any {
    const send = (uri: any, options: any) => {
      const opts = options ?? {};
      const method = _String(opts.method ?? 'GET').toUpperCase();
      const headers: [string, string][] = [];
      for (const [name, value] of _Object.entries(opts.headers ?? {})) {
        // A directly set Authorization header is ignored on AIC; `token` sets it.
        if (name.toLowerCase() === 'authorization') continue;
        const values = value instanceof JavaList ? (value as any)._items : _Array.isArray(value) ? value : [value];
        for (const item of values) headers.push([name, _String(item)]);
      }
      if (opts.token !== undefined && opts.token !== null)
        headers.push(['Authorization', `Bearer ${_String(opts.token)}`]);
      let body: string | null = null;
      if (opts.form !== undefined && opts.form !== null) {
        body = _Object
          .entries(opts.form)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(_String(v))}`)
          .join('&');
        if (!headers.some(([name]) => name.toLowerCase() === 'content-type'))
          headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
      } else if (opts.body !== undefined && opts.body !== null) {
        body = typeof opts.body === 'string' ? opts.body : httpJson(opts.body);
      }
      let settled: any;
      const run = () => (settled ??= nextGenResponse(request(method, _String(uri), headers, body)));
      const promise: any = {
        get: () => run(),
        then: (onFulfilled: any, onRejected: any) => {
          try {
            const value = run();
            return makeResolved(onFulfilled ? onFulfilled(value) : value);
          } catch (error) {
            if (onRejected) return makeResolved(onRejected(error));
            throw error;
          }
        },
      };
      return _Object.freeze(promise);
    };
    return _Object.freeze({ send });
  }

  function makeResolved(value: any): any {
    return _Object.freeze({ get: () => value, then: (f: any) => makeResolved(f ? f(value) : value) });
  }

  /** Legacy `new org.forgerock.http.protocol.Request()`. */
  function legacyRequest(): any {
    const data: any = { method: 'GET', uri: '', headers: [] as [string, string][], body: null as string | null };
    const headers = {
      add: (name: any, value: any) => data.headers.push([_String(name), _String(value)]),
      put: (name: any, value: any) => {
        data.headers = data.headers.filter(([n]: [string]) => n.toLowerCase() !== _String(name).toLowerCase());
        data.headers.push([_String(name), _String(value)]);
      },
      get: (name: any) =>
        data.headers.find(([n]: [string]) => n.toLowerCase() === _String(name).toLowerCase())?.[1] ?? null,
    };
    const entity = {
      setString: (s: any) => {
        data.body = _String(s);
      },
      setJson: (json: any) => {
        data.body = _JSON.stringify(toJson(json));
        if (!data.headers.some(([n]: [string]) => n.toLowerCase() === 'content-type'))
          data.headers.push(['Content-Type', 'application/json; charset=UTF-8']);
      },
      getString: () => data.body ?? '',
    };
    const requestObject: any = {
      setMethod: (m: any) => {
        data.method = _String(m).toUpperCase();
        return requestObject;
      },
      getMethod: () => data.method,
      setUri: (u: any) => {
        data.uri = _String(u);
        return requestObject;
      },
      getUri: () => data.uri,
      getHeaders: () => headers,
      getEntity: () => entity,
      _data: data,
    };
    return requestObject;
  }

  function legacyResponse(response: any): any {
    const entity = {
      getString: () => response.body,
      getJson: () => _JSON.parse(response.body),
      toString: () => response.body,
    };
    return _Object.freeze({
      getStatus: () => ({
        getCode: () => response.status,
        getReasonPhrase: () => response.statusText,
        isSuccessful: () => response.status >= 200 && response.status < 300,
        toString: () => `${response.status} ${response.statusText}`,
      }),
      getEntity: () => entity,
      getHeaders: () => headerMap(response.headers),
    });
  }

  function makeLegacyHttpClient(): any {
    const sendRequest = (req: any) => {
      if (!req || !req._data)
        throw rhinoError('JavaException', 'httpClient.send expects an org.forgerock.http.protocol.Request');
      const data = req._data;
      let settled: any;
      const run = () => (settled ??= legacyResponse(request(data.method, data.uri, data.headers, data.body)));
      return _Object.freeze({
        get: () => run(),
        getOrThrow: () => run(),
        then: (f: any) => makeResolved(f ? f(run()) : run()),
      });
    };
    const simple = (method: string) => (uri: any, body: any, requestData: any) => {
      const req = legacyRequest().setMethod(method).setUri(uri);
      if (body !== undefined && body !== null && method !== 'GET')
        req.getEntity().setString(typeof body === 'string' ? body : _JSON.stringify(toJson(body)));
      for (const [name, value] of _Object.entries(requestData?.headers ?? {})) req.getHeaders().add(name, value);
      return sendRequest(req).get();
    };
    return _Object.freeze({
      send: sendRequest,
      get: (uri: any, data: any) => simple('GET')(uri, null, data),
      post: simple('POST'),
    });
  }

  // ---------------------------------------------------------------- identities

  function makeIdentity(id: any): any {
    const found = id === null || id === undefined ? null : callHost('identity.get', { id: _String(id) });
    const pending: Record<string, any[]> = {};
    const missing = () => rhinoError('JavaException', 'java.lang.NullPointerException: this.amIdentity is null');
    const identity: any = {
      getAttributeValues: (name: any) => {
        if (!found) throw missing();
        const key = _String(name);
        return new JavaList(
          own(pending, key) ? pending[key]! : own(found.attributes, key) ? found.attributes[key] : [],
        );
      },
      setAttribute: (name: any, values: any) => {
        if (!found) throw missing();
        pending[_String(name)] = (
          values instanceof JavaList ? (values as any)._items : _Array.isArray(values) ? values : [values]
        ).map(_String);
      },
      addAttribute: (name: any, value: any) => {
        if (!found) throw missing();
        const key = _String(name);
        const current = own(pending, key)
          ? pending[key]!
          : own(found.attributes, key)
            ? found.attributes[key].slice()
            : [];
        current.push(_String(value));
        pending[key] = current;
      },
      store: () => {
        if (!found) throw missing();
        callHost('identity.store', { id: found.id, attributes: pending });
      },
      getName: () => (found ? found.name : _String(id)),
      getUniversalId: () => (found ? found.universalId : null),
      exists: () => found !== null,
    };
    return _Object.freeze(identity);
  }

  function makeLegacyIdRepository(): any {
    const attribute = (user: any, name: any) => {
      const found = callHost('identity.get', { id: _String(user) });
      return new JavaList(found && own(found.attributes, _String(name)) ? found.attributes[_String(name)] : []);
    };
    const store = (user: any, name: any, values: any[]) => {
      const found = callHost('identity.get', { id: _String(user) });
      if (!found)
        throw rhinoError('JavaException', `com.sun.identity.idm.IdRepoException: User ${_String(user)} not found`);
      callHost('identity.store', { id: found.id, attributes: { [_String(name)]: values.map(_String) } });
    };
    return _Object.freeze({
      getAttribute: attribute,
      setAttribute: (user: any, name: any, values: any) =>
        store(
          user,
          name,
          values instanceof JavaList ? (values as any)._items : _Array.isArray(values) ? values : [values],
        ),
      addAttribute: (user: any, name: any, value: any) =>
        store(user, name, [...(attribute(user, name) as any)._items, value]),
      getIdentity: (id: any) => makeIdentity(id),
    });
  }

  function makeOpenidm(): any {
    const op =
      (name: string) =>
      (...args: any[]) =>
        toScript(callHost('openidm', { op: name, args: args.map((arg) => toJson(arg)) }));
    return _Object.freeze({
      read: op('read'),
      query: op('query'),
      create: op('create'),
      update: op('update'),
      patch: op('patch'),
      delete: op('delete'),
      action: op('action'),
    });
  }

  // ---------------------------------------------------------------- logger, systemEnv, secrets, utils

  function format(template: any, args: any[]): string {
    let index = 0;
    const text = _String(template).replace(/\{\}/g, () => (index < args.length ? _String(args[index++]) : '{}'));
    return text;
  }

  function record(level: string, args: any[]): void {
    if (logs.length >= MAX_LOG_LINES) return;
    const [first, ...rest] = args;
    const message = format(
      first instanceof _Error ? `${first.name}: ${first.message}` : first,
      rest.length === 1 && _Array.isArray(rest[0]) ? rest[0] : rest,
    );
    logs.push({
      level,
      message:
        message.length > MAX_LOG_CHARS ? `${message.slice(0, MAX_LOG_CHARS)}… (${message.length} characters)` : message,
    });
  }

  function makeLogger(): any {
    if (legacy) {
      return _Object.freeze({
        message: (...args: any[]) => record('message', args),
        warning: (...args: any[]) => record('warning', args),
        error: (...args: any[]) => record('error', args),
        messageEnabled: () => true,
        warningEnabled: () => true,
        errorEnabled: () => true,
      });
    }
    return _Object.freeze({
      trace: () => undefined,
      debug: (...args: any[]) => record('debug', args),
      info: (...args: any[]) => record('info', args),
      warn: (...args: any[]) => record('warn', args),
      error: (...args: any[]) => record('error', args),
      isTraceEnabled: () => false,
      isDebugEnabled: () => true,
      isInfoEnabled: () => true,
      isWarnEnabled: () => true,
      isErrorEnabled: () => true,
      getName: () => input.loggerName,
    });
  }

  function esv(name: string): string | null {
    if (!name.startsWith('esv.')) return null;
    const key = name.replace(/\./g, '-');
    return own(input.esvs, key) ? input.esvs[key] : null;
  }

  function makeSystemEnv(): any {
    return _Object.freeze({
      getProperty: (name: any, fallback?: any, type?: any) => {
        const raw = esv(_String(name));
        const value = raw ?? (fallback === undefined ? null : fallback);
        if (type === undefined || value === null) return value;
        const kind = typeof type === 'string' ? type : _String(type?.name ?? type);
        try {
          switch (kind) {
            case 'string':
            case 'java.lang.String':
              return _String(value);
            case 'number':
            case 'integer': {
              const n = _Number(value);
              if (_Number.isNaN(n)) throw new _Error('NaN');
              return kind === 'integer' ? _Math.trunc(n) : n;
            }
            case 'boolean':
              return _String(value).toLowerCase() === 'true';
            case 'array':
            case 'list':
              return new JavaList(
                _String(value).startsWith('[') ? _JSON.parse(_String(value)) : _String(value).split(','),
              );
            case 'object':
            case 'map':
              return _JSON.parse(_String(value));
            default:
              throw rhinoError('InternalError', `Unsupported return type: ${kind}`);
          }
        } catch (error) {
          if ((error as Error).name === 'InternalError') throw error;
          throw rhinoError('InternalError', 'Property resolution failed');
        }
      },
    });
  }

  function makeSecrets(): any {
    const find = (id: any) => {
      const name = _String(id);
      const value =
        esv(name.startsWith('esv.') ? name : `esv.${name}`) ?? esv(name.replace(/^scripted\.node\./, 'esv.'));
      if (value === null)
        throw rhinoError(
          'JavaException',
          `org.forgerock.openam.scripting.api.secrets.ScriptedSecretsException: Secret id ${name} not accessible`,
        );
      return value;
    };
    const secret = (value: string) =>
      _Object.freeze({ getAsUtf8: () => value, getAsBytes: () => value.split('').map((c) => c.charCodeAt(0)) });
    return _Object.freeze({ getGenericSecret: (id: any) => secret(find(id)) });
  }

  const randomBytes: number[] = input.random ?? [];
  let randomIndex = 0;
  const nextByte = () => randomBytes[randomIndex++ % 64] ?? 0;

  function base64Encode(text: string): string {
    const bytes = unescape(encodeURIComponent(text));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes.charCodeAt(i) << 16) | ((bytes.charCodeAt(i + 1) || 0) << 8) | (bytes.charCodeAt(i + 2) || 0);
      out +=
        alphabet[(n >> 18) & 63]! +
        alphabet[(n >> 12) & 63]! +
        (i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : '=') +
        (i + 2 < bytes.length ? alphabet[n & 63]! : '=');
    }
    return out;
  }

  function base64Decode(text: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const clean = _String(text).replace(/[^A-Za-z0-9+/]/g, '');
    let bytes = '';
    for (let i = 0; i < clean.length; i += 4) {
      const n =
        (alphabet.indexOf(clean[i]!) << 18) |
        (alphabet.indexOf(clean[i + 1] ?? 'A') << 12) |
        ((alphabet.indexOf(clean[i + 2] ?? 'A') & 63) << 6) |
        (alphabet.indexOf(clean[i + 3] ?? 'A') & 63);
      bytes += _String.fromCharCode((n >> 16) & 255);
      if (i + 2 < clean.length) bytes += _String.fromCharCode((n >> 8) & 255);
      if (i + 3 < clean.length) bytes += _String.fromCharCode(n & 255);
    }
    try {
      return decodeURIComponent(escape(bytes));
    } catch {
      return bytes;
    }
  }

  function makeUtils(): any {
    const url = (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const fromUrl = (s: string) => _String(s).replace(/-/g, '+').replace(/_/g, '/');
    return _Object.freeze({
      base64: _Object.freeze({
        encode: (s: any) => base64Encode(_String(s)),
        decode: (s: any) => base64Decode(_String(s)),
        btoa: (s: any) => base64Encode(_String(s)),
        atob: (s: any) => base64Decode(_String(s)),
      }),
      base64url: _Object.freeze({
        encode: (s: any) => url(base64Encode(_String(s))),
        decode: (s: any) => base64Decode(fromUrl(s)),
      }),
      crypto: _Object.freeze({
        randomUUID: () => {
          const hex = Array.from({ length: 16 }, () => nextByte());
          hex[6] = (hex[6]! & 0x0f) | 0x40;
          hex[8] = (hex[8]! & 0x3f) | 0x80;
          const h = hex.map((b) => b.toString(16).padStart(2, '0')).join('');
          return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
        },
        getRandomValues: (array: any) => {
          for (let i = 0; i < array.length; i += 1) array[i] = nextByte();
          return array;
        },
      }),
      types: _Object.freeze({
        stringToBytes: (s: any) =>
          _String(s)
            .split('')
            .map((c) => c.charCodeAt(0)),
        bytesToString: (b: any) =>
          _Array
            .from(b as number[])
            .map((c: number) => _String.fromCharCode(c))
            .join(''),
      }),
    });
  }

  // ---------------------------------------------------------------- the global object

  // Made on the script's first use of them: a script uses few of the bindings, and making them
  // all in a fresh context was most of a short script's cost. The state bindings and `action`,
  // which finish() reads back, are made at once.
  const bindings: Record<string, any> = {
    nodeState: makeNodeState(legacy ? (value) => new JsonValue(value) : toScript),
    realm: input.realm,
    scriptName: input.scriptName,
    resumedFromSuspend: false,
  };
  const lazy: Record<string, () => any> = {
    requestHeaders: () => headerMap(input.headers),
    requestParameters: () => headerMap(input.parameters),
    systemEnv: () => makeSystemEnv(),
    httpClient: () => (legacy ? makeLegacyHttpClient() : makeHttpClient()),
    idRepository: () =>
      legacy ? makeLegacyIdRepository() : _Object.freeze({ getIdentity: (id: any) => makeIdentity(id) }),
    logger: () => makeLogger(),
    secrets: () => makeSecrets(),
    callbacks: () => (legacy ? makeLegacyCallbacks() : makeScriptedCallbacks()),
    JavaImporter: () => JavaImporter,
    Packages: () => javaPackage(''),
    java: () => javaPackage('java'),
    javax: () => javaPackage('javax'),
    org: () => javaPackage('org'),
    com: () => javaPackage('com'),
  };
  if (input.existingSession) lazy['existingSession'] = () => new JavaMap(_Object.entries(input.existingSession), false);
  if (legacy) {
    bindings['sharedState'] = new JavaMap(
      _Object.entries(state.shared).filter(([k]) => readable(k)),
      false,
    );
    bindings['transientState'] = new JavaMap(
      _Object.entries(state.transient).filter(([k]) => readable(k)),
      false,
    );
  } else {
    bindings['action'] = makeActionWrapper();
    bindings['cookieName'] = input.cookieName;
    lazy['callbacksBuilder'] = () => makeCallbacksBuilder();
    lazy['requestCookies'] = () => new JavaMap(input.cookies, false);
    lazy['openidm'] = () => makeOpenidm();
    lazy['utils'] = () => makeUtils();
  }
  const bind = (name: string, value: any) =>
    _Object.defineProperty(g, name, { value, writable: true, enumerable: false, configurable: true });
  for (const name of _Object.keys(bindings)) {
    // The action binding is read back after the script; legacy scripts assign `action` themselves.
    bind(name, bindings[name]);
  }
  for (const name of _Object.keys(lazy)) {
    const make = lazy[name] as () => any;
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

  // Every run starts from the same saved engine state (worker.ts), its Math.random generator's
  // included: seeded here from the run's own random bytes, or each run would draw the same numbers.
  {
    const seed = (input.random ?? []) as number[];
    const word = (at: number) =>
      (((seed[at] ?? 1) << 24) | ((seed[at + 1] ?? 2) << 16) | ((seed[at + 2] ?? 3) << 8) | (seed[at + 3] ?? 4)) >>> 0;
    let s0 = word(64) || 1;
    let s1 = word(68) || 2;
    let s2 = word(72) || 3;
    let s3 = word(76) || 4;
    // xoshiro128**: 32-bit arithmetic only, 53 random bits per number as Math.random gives.
    const next = () => {
      const result = _Math.imul((_Math.imul(s1, 5) << 7) | (_Math.imul(s1, 5) >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      return result;
    };
    define(_Math, 'random', function random() {
      return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
    });
  }

  // What Rhino does not have (journey-facts §2.12); removed once the runtime holds what it needs.
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

  const nextGenAction = legacy ? undefined : bindings['action'];

  return function finish(): string {
    let outcomeValue: any = g.outcome;
    let legacyAction: any = null;
    const scriptAction = g.action;
    if (legacy && scriptAction && builtActions.has(scriptAction)) legacyAction = scriptAction._descriptor;
    if (outcomeValue instanceof JsonValue) outcomeValue = (outcomeValue as any)._value;
    const outcomeType = outcomeValue === null ? 'null' : typeof outcomeValue;
    const missingOutputs: string[] = [];
    if (legacy) {
      // Legacy scripts work on copies of shared and transient state; they are copied back.
      const outputs = input.outputs as string[];
      const all = outputs.includes('*');
      const shared = bindings['sharedState']._entries as [string, any][];
      const transient = bindings['transientState']._entries as [string, any][];
      for (const [key, value] of shared) if (all || outputs.includes(key)) setState(state.shared, key, value);
      for (const [key, value] of transient) if (all || outputs.includes(key)) setState(state.transient, key, value);
      if (!all)
        for (const name of outputs)
          if (!shared.some(([k]) => k === name) && !transient.some(([k]) => k === name)) missingOutputs.push(name);
    }
    let resultAction: any = null;
    if (legacyAction) {
      resultAction = {
        ...(legacyAction.goTo !== undefined ? { goTo: legacyAction.goTo } : {}),
        callbacks: [],
        legacyCallbacks: legacyAction.send ?? [],
        sessionProperties: legacyAction.sessionProperties ?? {},
        removedSessionProperties: [],
        ...(legacyAction.errorMessage ? { errorMessage: legacyAction.errorMessage } : {}),
        ...(legacyAction.header ? { header: legacyAction.header } : {}),
        ...(legacyAction.description ? { description: legacyAction.description } : {}),
        ...(legacyAction.stage ? { stage: legacyAction.stage } : {}),
      };
      if (legacyAction.replaceShared) state.shared = legacyAction.replaceShared;
      if (legacyAction.replaceTransient) state.transient = legacyAction.replaceTransient;
    } else if (!legacy && actionUsed && nextGenAction) {
      resultAction = { ...action, legacyCallbacks: [] };
    } else if (!legacy) {
      resultAction = { ...action, legacyCallbacks: [], unused: true };
    }
    let configValue: any = g.config;
    const configType = configValue === null ? 'null' : configValue instanceof JavaMap ? 'map' : typeof configValue;
    if (configValue instanceof JavaMap) configValue = toJson(configValue);
    let jsonOutcome: any;
    try {
      jsonOutcome = outcomeType === 'object' || outcomeType === 'function' ? _String(outcomeValue) : outcomeValue;
    } catch {
      jsonOutcome = null;
    }
    return _JSON.stringify({
      outcome: { set: outcomeValue !== undefined, type: outcomeType, value: jsonOutcome ?? null },
      action: resultAction,
      builderCallbacks,
      state,
      missingOutputs,
      config: {
        set: configValue !== undefined,
        type: configType,
        value: configType === 'object' || configType === 'map' ? toJson(configValue) : null,
      },
      logs,
    });
  };
}
