import type { Rt, Json } from './types.js';

/**
 * Node state: `nodeState` (both engines; `wrap` makes what `get` returns), what the node's
 * `inputs` let a script read, and `setState`, which finish uses to copy legacy state back.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installState(rt: Rt): void {
  const { own, rhinoError, Object: _Object, String: _String, Array: _Array, Set: _Set } = rt;
  const state = rt.input.state;
  const inputs = rt.input.inputs;
  const everything = inputs.includes('*');
  const readable = (key: string) => everything || inputs.includes(key);
  const lookup = (key: string) => {
    if (!readable(key)) return undefined;
    if (own(state.transient, key)) return state.transient[key];
    if (own(state.secure, key)) return state.secure[key];
    if (own(state.shared, key)) return state.shared[key];
    return undefined;
  };
  const setState = (part: Record<string, Json>, key: string, value: unknown) =>
    _Object.defineProperty(part, _String(key), {
      value: rt.toJson(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const CONTAINERS = ['objectAttributes'];

  function merge(part: Record<string, Json>, others: Record<string, Json>[], map: any): void {
    const entries: [string, unknown][] = map instanceof rt.JavaMap ? map._entries : _Object.entries(map ?? {});
    for (const [key, value] of entries) {
      const json = rt.toJson(value);
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

  function makeNodeState(wrap: (value: Json) => any): object {
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
        new rt.JavaList(
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

  rt.state = state;
  rt.readable = readable;
  rt.setState = setState;
  rt.makeNodeState = makeNodeState;
}
