import type { Rt } from './types.js';

/**
 * Identities through the host: `idRepository` (legacy: attributes by user; next-gen:
 * `getIdentity`, an identity whose changes `store()` writes) and next-gen `openidm`.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installIdentities(rt: Rt): void {
  const { own, rhinoError, callHost, Object: _Object, String: _String, Array: _Array } = rt;
  const valuesOf = (values: any): any[] =>
    values instanceof rt.JavaList ? values._items : _Array.isArray(values) ? values : [values];

  function makeIdentity(id: any): object {
    const found = id === null || id === undefined ? null : callHost('identity.get', { id: _String(id) });
    const pending: Record<string, any[]> = {};
    const missing = () => rhinoError('JavaException', 'java.lang.NullPointerException: this.amIdentity is null');
    const identity: any = {
      getAttributeValues: (name: any) => {
        if (!found) throw missing();
        const key = _String(name);
        return new rt.JavaList(
          own(pending, key) ? pending[key]! : own(found.attributes, key) ? found.attributes[key] : [],
        );
      },
      setAttribute: (name: any, values: any) => {
        if (!found) throw missing();
        pending[_String(name)] = valuesOf(values).map(_String);
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

  function makeLegacyIdRepository(): object {
    const attribute = (user: any, name: any) => {
      const found = callHost('identity.get', { id: _String(user) });
      return new rt.JavaList(found && own(found.attributes, _String(name)) ? found.attributes[_String(name)] : []);
    };
    const store = (user: any, name: any, values: any[]) => {
      const found = callHost('identity.get', { id: _String(user) });
      if (!found)
        throw rhinoError('JavaException', `com.sun.identity.idm.IdRepoException: User ${_String(user)} not found`);
      callHost('identity.store', { id: found.id, attributes: { [_String(name)]: values.map(_String) } });
    };
    return _Object.freeze({
      getAttribute: attribute,
      setAttribute: (user: any, name: any, values: any) => store(user, name, valuesOf(values)),
      addAttribute: (user: any, name: any, value: any) => store(user, name, [...attribute(user, name)._items, value]),
      getIdentity: (id: any) => makeIdentity(id),
    });
  }

  function makeOpenidm(): object {
    const op =
      (name: string) =>
      (...args: any[]) =>
        rt.toScript(callHost('openidm', { op: name, args: args.map((arg) => rt.toJson(arg)) }));
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

  rt.makeIdentity = makeIdentity;
  rt.makeLegacyIdRepository = makeLegacyIdRepository;
  rt.makeOpenidm = makeOpenidm;
}
