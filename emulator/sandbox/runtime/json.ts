import type { Rt, Json, JavaList, JavaMap, JsonValue as JsonValueShape } from './types.js';

/**
 * State as JSON both ways: AM's JsonValue (what the legacy engine's `nodeState.get` returns),
 * `toScript` (JSON state → what a next-gen script gets) and `toJson` (anything a script stores →
 * JSON).
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installJson(rt: Rt): void {
  const { define, rhinoError, JSON: _JSON, Object: _Object, Number: _Number, Array: _Array, Math: _Math } = rt;

  /** What the legacy engine's `nodeState.get` returns: AM's JsonValue, whose string form is JSON. */
  class JsonValue implements JsonValueShape {
    declare readonly _value: Json;
    constructor(value: Json) {
      define(this, '_value', value);
    }
    getObject(): any {
      return toScript(this._value);
    }
    isNull(): boolean {
      return this._value === null || this._value === undefined;
    }
    isString(): boolean {
      return typeof this._value === 'string';
    }
    isNumber(): boolean {
      return typeof this._value === 'number';
    }
    isBoolean(): boolean {
      return typeof this._value === 'boolean';
    }
    isList(): boolean {
      return _Array.isArray(this._value);
    }
    isMap(): boolean {
      const v = this._value;
      return v !== null && typeof v === 'object' && !_Array.isArray(v);
    }
    asString(): string | null {
      const v = this._value;
      if (v === null || v === undefined) return null;
      if (typeof v !== 'string')
        throw rhinoError('JavaException', `org.forgerock.json.JsonValueException: Expecting a java.lang.String`);
      return v;
    }
    asInteger(): number | null {
      const v = this._value;
      if (v === null || v === undefined) return null;
      if (typeof v !== 'number')
        throw rhinoError('JavaException', `org.forgerock.json.JsonValueException: Expecting a java.lang.Integer`);
      return _Math.trunc(v);
    }
    asLong(): number | null {
      return this.asInteger();
    }
    asDouble(): number | null {
      const v = this._value;
      return v === null || v === undefined ? null : _Number(v);
    }
    asBoolean(): boolean | null {
      const v = this._value;
      if (v === null || v === undefined) return null;
      if (typeof v !== 'boolean')
        throw rhinoError('JavaException', `org.forgerock.json.JsonValueException: Expecting a java.lang.Boolean`);
      return v;
    }
    asList(): JavaList | null {
      const v = this._value;
      return v === null || v === undefined
        ? null
        : new rt.JavaList(_Array.isArray(v) ? v.map(toScript) : [toScript(v)]);
    }
    asMap(): JavaMap | null {
      const v = this._value;
      return v === null || v === undefined
        ? null
        : new rt.JavaMap(
            _Object.entries(v).map(([k, x]) => [k, toScript(x)]),
            false,
          );
    }
    get(key: any): JsonValue {
      const v = this._value;
      return new JsonValue(
        v !== null && typeof v === 'object' && _Object.prototype.hasOwnProperty.call(v, key) ? v[key] : null,
      );
    }
    isDefined(key: any): boolean {
      const v = this._value;
      return v !== null && typeof v === 'object' && _Object.prototype.hasOwnProperty.call(v, key);
    }
    toString(): string {
      return _JSON.stringify(this._value ?? null);
    }
  }

  /** JSON state → what a next-gen script gets: strings, numbers, booleans, plain objects and arrays. */
  function toScript(value: unknown): Json {
    return value === undefined ? null : _JSON.parse(_JSON.stringify(value ?? null));
  }

  /** Anything a script stores → JSON: Java-shaped values unwrapped, functions refused. */
  function toJson(value: any, depth = 0): Json {
    if (depth > 64) throw rhinoError('InternalError', 'State value is nested too deeply');
    if (value === undefined || value === null) return null;
    if (value instanceof JsonValue) return value._value ?? null;
    if (value instanceof rt.JavaList) return value._items.map((item: any) => toJson(item, depth + 1));
    if (value instanceof rt.JavaMap)
      return _Object.fromEntries(value._entries.map(([k, v]) => [k, toJson(v, depth + 1)]));
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

  rt.JsonValue = JsonValue;
  rt.toScript = toScript;
  rt.toJson = toJson;
}
