import type { Rt } from './types.js';

/**
 * The engine's own errors in Rhino's words where a script prints one it caught (`String(e)`,
 * `"" + e`, `e.toString()`, what scripts log): `Error.prototype.toString` of the script's engine
 * says `Cannot read property "x" from null` where QuickJS's message is `cannot read property 'x'
 * of null`, as rhino-messages.ts does for an error the script did not catch. `e.message` keeps
 * QuickJS's text (docs/fidelity.md, "Scripts").
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installRhinoErrors(rt: Rt): void {
  const { Error: _Error, String: _String, Object: _Object } = rt;

  function rhinoText(message: string): string {
    let match = /^cannot read property '([^']*)' of (null|undefined)$/.exec(message);
    if (match) return `Cannot read property "${match[1]}" from ${match[2]}`;
    match = /^cannot read property of (null|undefined)$/.exec(message);
    if (match) return `Cannot read property from ${match[1]}`;
    match = /^'([^']*)' is not defined$/.exec(message);
    if (match) return `"${match[1]}" is not defined.`;
    match = /^cannot set property '([^']*)' of (null|undefined)$/.exec(message);
    if (match) return `Cannot set property "${match[1]}" of ${match[2]}`;
    return message;
  }

  // ECMAScript's Error.prototype.toString, with the message in Rhino's words.
  _Object.defineProperty(_Error.prototype, 'toString', {
    value: function toString(this: any): string {
      if (this === null || (typeof this !== 'object' && typeof this !== 'function'))
        throw new rt.TypeError('Error.prototype.toString called on a value that is not an object');
      const name = this.name === undefined ? 'Error' : _String(this.name);
      const message = this.message === undefined ? '' : rhinoText(_String(this.message));
      return name === '' ? message : message === '' ? name : `${name}: ${message}`;
    },
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
