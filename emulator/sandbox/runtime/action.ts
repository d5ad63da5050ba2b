import type { Rt, ActionRecord, LegacyActionDescriptor } from './types.js';

/**
 * Actions: next-gen `action` (what it records, finish reads back) and the builder legacy
 * scripts get from `org.forgerock.openam.auth.node.api.Action.goTo(...)`/`.send(...)` (java.ts).
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installAction(rt: Rt): void {
  const { define, rhinoError, Object: _Object, String: _String, Math: _Math } = rt;
  const action: ActionRecord = { callbacks: [], sessionProperties: {}, removedSessionProperties: [] };

  const minutesOf = (minutes: any): number => {
    const value = typeof minutes === 'number' ? minutes : NaN;
    if (!(value >= 1)) throw rhinoError('JavaException', `Cannot convert ${minutes} to java.lang.Integer`);
    return _Math.trunc(value);
  };

  function makeActionWrapper(): object {
    const wrapper: any = {
      goTo: (outcome: any) => {
        if (outcome === null || outcome === undefined)
          throw rhinoError('JavaException', 'java.lang.NullPointerException: outcome must not be null');
        action.goTo = _String(outcome);
        rt.actionUsed = true;
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
        action.maxSessionTime = minutesOf(minutes);
        return wrapper;
      },
      withMaxIdleTime: (minutes: any) => {
        action.maxIdleTime = minutesOf(minutes);
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

  const builtActions = new rt.WeakSet<object>();

  function legacyActionBuilder(kind: 'goTo' | 'send', payload: any): any {
    const descriptor: LegacyActionDescriptor = kind === 'goTo' ? { goTo: _String(payload) } : { send: payload };
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
        descriptor.replaceShared = rt.toJson(json);
        return builder;
      },
      replaceTransientState: (json: any) => {
        descriptor.replaceTransient = rt.toJson(json);
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

  rt.action = action;
  rt.actionUsed = false;
  rt.makeActionWrapper = makeActionWrapper;
  rt.builtActions = builtActions;
  rt.legacyActionBuilder = legacyActionBuilder;
}
