import type { Rt, HttpResponse } from './types.js';

/**
 * Next-gen `httpClient`: `send(uri, options)` with AIC's options (method, headers, token, form,
 * body) and a promise-like answer whose `get()`/`then()` make the call, once, through the host.
 * Also what the legacy client shares with it: the host call and the resolved promise.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installHttpClient(rt: Rt): void {
  const { rhinoError, JSON: _JSON, Object: _Object, String: _String, Number: _Number, Array: _Array } = rt;

  /** The JSON AIC's httpClient sends for an object body: numbers as doubles, undefined as null, Java values as text. */
  function httpJson(value: any, depth = 0): string {
    if (depth > 64) throw rhinoError('InternalError', 'request body nested too deeply');
    if (value === undefined || value === null) return 'null';
    if (value instanceof rt.JavaList || value instanceof rt.JavaMap || value instanceof rt.JsonValue)
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

  function request(method: string, url: string, headers: [string, string][], body: string | null): HttpResponse {
    const response = rt.callHost('http', { method, url, headers, body });
    return response;
  }

  function nextGenResponse(response: HttpResponse): object {
    return _Object.freeze({
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
      statusText: response.statusText,
      headers: rt.headerMap(response.headers),
      text: () => response.body,
      json: () => _JSON.parse(response.body),
      formData: () =>
        new rt.JavaMap(
          response.body
            .split('&')
            .filter(Boolean)
            .map((pair: string) => pair.split('=').map(decodeURIComponent) as [string, string]),
          false,
        ),
    });
  }

  /** The request's headers: a directly set Authorization header is ignored on AIC; `token` sets it. */
  function headersOf(opts: any): [string, string][] {
    const headers: [string, string][] = [];
    for (const [name, value] of _Object.entries(opts.headers ?? {})) {
      if (name.toLowerCase() === 'authorization') continue;
      const values = value instanceof rt.JavaList ? value._items : _Array.isArray(value) ? value : [value];
      for (const item of values) headers.push([name, _String(item)]);
    }
    if (opts.token !== undefined && opts.token !== null)
      headers.push(['Authorization', `Bearer ${_String(opts.token)}`]);
    return headers;
  }

  function makeHttpClient(): object {
    const send = (uri: any, options: any) => {
      const opts = options ?? {};
      const method = _String(opts.method ?? 'GET').toUpperCase();
      const headers = headersOf(opts);
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

  function makeResolved(value: any): object {
    return _Object.freeze({ get: () => value, then: (f: any) => makeResolved(f ? f(value) : value) });
  }

  rt.httpRequest = request;
  rt.makeResolved = makeResolved;
  rt.makeHttpClient = makeHttpClient;
}
