/** Drives `/authenticate` step by step over HTTP, as a client would (the wire itself is under test). */
import type { Emulator } from '../../emulator/index.js';
import { http, setCookies, type RawResponse } from './http.js';
import { ALPHA } from './tenant.js';

export interface Step {
  response: RawResponse;
  body: any;
  /** Fills the input of callback `index` (0-based) and returns this step for chaining. */
  answer(index: number, value: unknown, suffix?: string): Step;
  next(): Promise<Step>;
}

export function journey(
  emulator: Emulator,
  name: string | undefined,
  options: { realmPath?: string; query?: string; headers?: Record<string, string> } = {},
) {
  const realmPath = options.realmPath ?? ALPHA;
  const query = `${name === undefined ? '' : `authIndexType=service&authIndexValue=${encodeURIComponent(name)}`}${options.query ? `${name === undefined ? '' : '&'}${options.query}` : ''}`;
  const url = `${emulator.url}${realmPath}/authenticate${query ? `?${query}` : ''}`;
  const headers = {
    'accept-api-version': 'resource=2.0, protocol=1.0',
    'content-type': 'application/json',
    ...options.headers,
  };
  const wrap = (response: RawResponse): Step => {
    const body = response.json;
    const step: Step = {
      response,
      body,
      answer(index, value, suffix = '') {
        const callback = body.callbacks[index];
        const input = callback.input.find((item: { name: string }) => item.name === `IDToken${index + 1}${suffix}`);
        input.value = value;
        return step;
      },
      async next() {
        return wrap(await http(url, { method: 'POST', headers, body: JSON.stringify(body) }));
      },
    };
    return step;
  };
  return {
    url,
    async start(body = '{}'): Promise<Step> {
      return wrap(await http(url, { method: 'POST', headers, body }));
    },
  };
}

export const callbackTypes = (step: Step): string[] =>
  (step.body.callbacks ?? []).map((callback: { type: string }) => callback.type);
export const sessionCookieOf = (emulator: Emulator, response: RawResponse): string | undefined =>
  setCookies(response)
    .find((cookie) => cookie.startsWith(`${emulator.cookieName}=`))
    ?.split(';')[0]
    ?.split('=')[1];
