import type { Rt, JavaList as JavaListShape, JavaMap as JavaMapShape, CharArray as CharArrayShape } from './types.js';

/**
 * Java-shaped values scripts get and hand back: `java.util.List` and `Map` (what Rhino shows of
 * AM's Java objects), a `char[]`, and Java's `String.valueOf` for printing them.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installJavaValues(rt: Rt): void {
  const { define, rhinoError, String: _String, Number: _Number, Object: _Object } = rt;

  /** Java's `String.valueOf` for what scripts hand to Java: lists and maps print Java-style. */
  function javaString(value: any): string {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number') return _Number.isInteger(value) ? `${value}.0` : _String(value);
    return _String(value);
  }

  class JavaList implements JavaListShape {
    declare readonly _items: any[];
    constructor(items: readonly any[]) {
      define(this, '_items', items.slice());
      this._index();
    }
    private _index(): void {
      const items = this._items;
      for (let i = 0; i < items.length; i += 1)
        _Object.defineProperty(this, _String(i), { get: () => items[i], enumerable: true, configurable: true });
    }
    get(index: number): any {
      const items = this._items;
      if (index < 0 || index >= items.length)
        throw rhinoError(
          'JavaException',
          `java.lang.IndexOutOfBoundsException: Index ${index} out of bounds for length ${items.length}`,
        );
      return items[index];
    }
    size(): number {
      return this._items.length;
    }
    get length(): number {
      return this._items.length;
    }
    isEmpty(): boolean {
      return this._items.length === 0;
    }
    contains(value: any): boolean {
      return this._items.some(
        (item: any) => item === value || (item != null && value != null && _String(item) === _String(value)),
      );
    }
    indexOf(value: any): number {
      return this._items.findIndex((item: any) => item === value);
    }
    add(value: any): boolean {
      this._items.push(value);
      this._index();
      return true;
    }
    toArray(): any[] {
      return this._items.slice();
    }
    iterator(): { hasNext: () => boolean; next: () => any } {
      const items = this._items;
      let i = 0;
      return { hasNext: () => i < items.length, next: () => items[i++] };
    }
    getClass(): never {
      throw rhinoError('InternalError', 'Access to Java class "java.lang.Class" is prohibited.');
    }
    toString(): string {
      return `[${this._items.map(javaString).join(', ')}]`;
    }
  }

  /** Java's TreeMap(CASE_INSENSITIVE_ORDER) when `caseInsensitive`, else a LinkedHashMap. */
  class JavaMap implements JavaMapShape {
    declare readonly _entries: [string, any][];
    declare readonly _ci: boolean;
    constructor(entries: readonly [string, any][], caseInsensitive: boolean) {
      define(this, '_entries', entries.slice());
      define(this, '_ci', caseInsensitive);
    }
    private _find(key: any): number {
      const ci = this._ci;
      const wanted = ci ? _String(key).toLowerCase() : _String(key);
      return this._entries.findIndex(([k]) => (ci ? k.toLowerCase() : k) === wanted);
    }
    get(key: any): any {
      const index = this._find(key);
      return index < 0 ? null : this._entries[index]![1];
    }
    containsKey(key: any): boolean {
      return this._find(key) >= 0;
    }
    put(key: any, value: any): any {
      const index = this._find(key);
      const previous = index < 0 ? null : this._entries[index]![1];
      if (index < 0) this._entries.push([_String(key), value]);
      else this._entries[index]![1] = value;
      return previous;
    }
    remove(key: any): any {
      const index = this._find(key);
      if (index < 0) return null;
      return this._entries.splice(index, 1)[0]![1];
    }
    size(): number {
      return this._entries.length;
    }
    isEmpty(): boolean {
      return this._entries.length === 0;
    }
    keySet(): JavaList {
      return new JavaList(this._entries.map(([k]) => k));
    }
    values(): JavaList {
      return new JavaList(this._entries.map(([, v]) => v));
    }
    entrySet(): JavaList {
      return new JavaList(this._entries.map(([k, v]) => ({ getKey: () => k, getValue: () => v })));
    }
    getClass(): never {
      throw rhinoError('InternalError', 'Access to Java class "java.lang.Class" is prohibited.');
    }
    toString(): string {
      return `{${this._entries.map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}`;
    }
  }

  /** A Java char[] (what PasswordCallback.getPassword returns): `new java.lang.String(chars)` reads it. */
  class CharArray implements CharArrayShape {
    declare readonly _text: string;
    declare readonly length: number;
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

  rt.javaString = javaString;
  rt.JavaList = JavaList;
  rt.JavaMap = JavaMap;
  rt.CharArray = CharArray;
}
