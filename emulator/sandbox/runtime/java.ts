import type { Rt } from './types.js';

/**
 * Java classes as Rhino shows them (legacy, and a few in next-gen): the package objects `java`,
 * `javax`, `org`, `com` and `Packages`, the classes scripts use from them, and `JavaImporter`.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installJava(rt: Rt): void {
  const { define, own, Object: _Object, String: _String, Number: _Number, Array: _Array, Math: _Math } = rt;
  const { TypeError: _TypeError, Proxy: _Proxy } = rt;

  /** A JDK callback made with `new` in a legacy script: remembered as a builder call. */
  function callbackClass(
    method: string,
    toArgs: (...args: any[]) => any[],
    constants: Record<string, number> = {},
  ): any {
    const JavaCallback = function JavaCallback(this: any, ...args: any[]) {
      define(this, '_callback', { method, args: toArgs(...args).map((arg) => rt.toJson(arg)) });
    };
    for (const name of _Object.keys(constants))
      _Object.defineProperty(JavaCallback, name, { value: constants[name], enumerable: true });
    return JavaCallback;
  }

  /** The JDK's message types (javax.security.auth.callback.TextOutputCallback, ConfirmationCallback). */
  const MESSAGE_TYPES = { INFORMATION: 0, WARNING: 1, ERROR: 2 };
  const CONFIRMATION = {
    ...MESSAGE_TYPES,
    UNSPECIFIED_OPTION: -1,
    YES_NO_OPTION: 0,
    YES_NO_CANCEL_OPTION: 1,
    OK_CANCEL_OPTION: 2,
    YES: 0,
    NO: 1,
    CANCEL: 2,
    OK: 3,
  };

  const classes: Record<string, any> = {
    'org.forgerock.openam.auth.node.api.Action': {
      goTo: (outcome: any) => rt.legacyActionBuilder('goTo', outcome),
      send: (...callbacks: any[]) => {
        const list =
          callbacks.length === 1 && callbacks[0] instanceof rt.JavaList
            ? callbacks[0]._items
            : callbacks.length === 1 && _Array.isArray(callbacks[0])
              ? callbacks[0]
              : callbacks;
        return rt.legacyActionBuilder('send', list.map((callback: any) => callback?._callback).filter(Boolean));
      },
    },
    'javax.security.auth.callback.NameCallback': callbackClass('nameCallback', (prompt, name) =>
      name === undefined ? [prompt] : [prompt, name],
    ),
    'javax.security.auth.callback.PasswordCallback': callbackClass('passwordCallback', (prompt, echo) => [
      prompt,
      echo ?? false,
    ]),
    'javax.security.auth.callback.TextOutputCallback': callbackClass(
      'textOutputCallback',
      (type, message) => [type, message],
      MESSAGE_TYPES,
    ),
    'javax.security.auth.callback.TextInputCallback': callbackClass('textInputCallback', (prompt, text) =>
      text === undefined ? [prompt] : [prompt, text],
    ),
    'javax.security.auth.callback.ConfirmationCallback': callbackClass(
      'confirmationCallback',
      (...args) => args,
      CONFIRMATION,
    ),
    'javax.security.auth.callback.ChoiceCallback': callbackClass('choiceCallback', (prompt, choices, def, multi) => [
      prompt,
      rt.toJson(choices),
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
      return new rt.JavaList([]);
    },
    'java.util.HashSet': function HashSet(this: any) {
      return new rt.JavaList([]);
    },
    'java.lang.String': function JavaString(value: any) {
      if (value instanceof rt.CharArray) return value._text;
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
      return rt.legacyRequest();
    },
  };
  for (const name of _Object.keys(rt.javaClasses)) classes[name] = rt.javaClasses[name];
  // On AIC's allowlist of legacy decision scripts, not on next-gen's (next-gen scripts use the
  // `utils` binding and `callbacksBuilder` instead): docs/fidelity.md, "Scripts".
  const legacyClasses: Record<string, any> = { ...classes };
  legacyClasses['java.util.HashMap'] = function HashMap(this: any) {
    return new rt.JavaMap([], false);
  };
  // Next-gen scripts reach only the JDK classes of AIC's fixed next-gen allowlist (the
  // SCRIPTED_DECISION_NODE context's allowLists): AM's classes, its callbacks and the JDK's are
  // legacy-only there, and a next-gen script sends callbacks with callbacksBuilder.
  const nextGen = [
    'java.util.ArrayList',
    'java.util.HashSet',
    'java.lang.String',
    'java.lang.Integer',
    'java.lang.Boolean',
    'java.lang.Math',
    'java.lang.Long',
    'java.lang.Double',
  ];
  const nextGenClasses: Record<string, any> = {};
  for (const name of _Object.keys(classes)) if (nextGen.includes(name)) nextGenClasses[name] = classes[name];
  // The run's engine decides, when a script looks a class up: this installer runs once, before
  // any run's job is known (index.ts).
  const classesOfRun = () => (rt.legacy ? legacyClasses : nextGenClasses);

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
        const classes = classesOfRun();
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
      for (const [name, value] of _Object.entries(classesOfRun())) {
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

  rt.javaPackage = javaPackage;
  rt.JavaImporter = JavaImporter;
}
