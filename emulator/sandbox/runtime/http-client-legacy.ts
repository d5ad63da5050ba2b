import type { Rt, HttpResponse, LegacyRequestData } from './types.js';

/**
 * Legacy `httpClient`: `send(request)` with an `org.forgerock.http.protocol.Request` (made here,
 * for java.ts's class) and a promise-like answer shaped as ForgeRock's Response.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installLegacyHttpClient(rt: Rt): void {
  const { rhinoError, JSON: _JSON, Object: _Object, String: _String } = rt;

  /** Legacy `new org.forgerock.http.protocol.Request()`. */
  function legacyRequest(): any {
    const data: LegacyRequestData = { method: 'GET', uri: '', headers: [], body: null };
    const headers = {
      add: (name: any, value: any) => data.headers.push([_String(name), _String(value)]),
      put: (name: any, value: any) => {
        data.headers = data.headers.filter(([n]) => n.toLowerCase() !== _String(name).toLowerCase());
        data.headers.push([_String(name), _String(value)]);
      },
      get: (name: any) => data.headers.find(([n]) => n.toLowerCase() === _String(name).toLowerCase())?.[1] ?? null,
    };
    const entity = {
      setString: (s: any) => {
        data.body = _String(s);
      },
      setJson: (json: any) => {
        data.body = _JSON.stringify(rt.toJson(json));
        if (!data.headers.some(([n]) => n.toLowerCase() === 'content-type'))
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

  function legacyResponse(response: HttpResponse): object {
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
      getHeaders: () => rt.headerMap(response.headers),
    });
  }

  function makeLegacyHttpClient(): object {
    const sendRequest = (req: any) => {
      if (!req || !req._data)
        throw rhinoError('JavaException', 'httpClient.send expects an org.forgerock.http.protocol.Request');
      const data: LegacyRequestData = req._data;
      let settled: any;
      const run = () => (settled ??= legacyResponse(rt.httpRequest(data.method, data.uri, data.headers, data.body)));
      return _Object.freeze({
        get: () => run(),
        getOrThrow: () => run(),
        then: (f: any) => rt.makeResolved(f ? f(run()) : run()),
      });
    };
    const simple = (method: string) => (uri: any, body: any, requestData: any) => {
      const req = legacyRequest().setMethod(method).setUri(uri);
      if (body !== undefined && body !== null && method !== 'GET')
        req.getEntity().setString(typeof body === 'string' ? body : _JSON.stringify(rt.toJson(body)));
      for (const [name, value] of _Object.entries(requestData?.headers ?? {})) req.getHeaders().add(name, value);
      return sendRequest(req).get();
    };
    return _Object.freeze({
      send: sendRequest,
      get: (uri: any, data: any) => simple('GET')(uri, null, data),
      post: simple('POST'),
    });
  }

  rt.legacyRequest = legacyRequest;
  rt.makeLegacyHttpClient = makeLegacyHttpClient;
}
