import type { Rt } from './types.js';

/**
 * ESVs: `systemEnv.getProperty` (typed as AIC's `esv.*` names allow) and `secrets`
 * (`getGenericSecret`), both over the job's ESVs.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installEsv(rt: Rt): void {
  const { own, rhinoError, JSON: _JSON, Object: _Object, String: _String, Number: _Number, Math: _Math } = rt;
  const { Error: _Error } = rt;
  const esvs = rt.input.esvs;

  function esv(name: string): string | null {
    if (!name.startsWith('esv.')) return null;
    const key = name.replace(/\./g, '-');
    return own(esvs, key) ? esvs[key]! : null;
  }

  /** `getProperty`'s value as the type asked for; an Error for what does not convert. */
  function typed(value: any, kind: string): any {
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
        return new rt.JavaList(
          _String(value).startsWith('[') ? _JSON.parse(_String(value)) : _String(value).split(','),
        );
      case 'object':
      case 'map':
        return _JSON.parse(_String(value));
      default:
        throw rhinoError('InternalError', `Unsupported return type: ${kind}`);
    }
  }

  function makeSystemEnv(): object {
    return _Object.freeze({
      getProperty: (name: any, fallback?: any, type?: any) => {
        const raw = esv(_String(name));
        const value = raw ?? (fallback === undefined ? null : fallback);
        if (type === undefined || value === null) return value;
        const kind = typeof type === 'string' ? type : _String(type?.name ?? type);
        try {
          return typed(value, kind);
        } catch (error) {
          if ((error as Error).name === 'InternalError') throw error;
          throw rhinoError('InternalError', 'Property resolution failed');
        }
      },
    });
  }

  function makeSecrets(): object {
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

  rt.makeSystemEnv = makeSystemEnv;
  rt.makeSecrets = makeSecrets;
}
