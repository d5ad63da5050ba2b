import type { Rt } from './types.js';

/**
 * Request data: `requestHeaders`, `requestParameters` (case-insensitive maps of lists, as AM's),
 * `requestCookies` and `existingSession`; `headerMap` serves httpClient's responses too.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installRequest(rt: Rt): void {
  const { input, Object: _Object } = rt;
  const headerMap = (pairs: [string, string[]][]) =>
    new rt.JavaMap(
      pairs.map(([name, values]) => [name, new rt.JavaList(values)]),
      true,
    );
  rt.headerMap = headerMap;
  rt.makeRequestHeaders = () => headerMap(input.headers);
  rt.makeRequestParameters = () => headerMap(input.parameters);
  rt.makeRequestCookies = () => new rt.JavaMap(input.cookies, false);
  rt.makeExistingSession = () => new rt.JavaMap(_Object.entries(input.existingSession ?? {}), false);
}
