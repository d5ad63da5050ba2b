/**
 * A client with a cookie jar (tough-cookie), as a browser or an app would hold the tenant cookie:
 * Set-Cookie answers are stored by the jar's rules and sent back on later requests.
 */
import { CookieJar } from 'tough-cookie';
import { http, setCookies, type RawResponse } from './http.js';

export class JarClient {
  readonly jar = new CookieJar();

  constructor(readonly baseUrl: string) {}

  async request(
    path: string,
    options: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<RawResponse> {
    const url = `${this.baseUrl}${path}`;
    const cookie = await this.jar.getCookieString(url);
    const response = await http(url, { ...options, headers: { ...(cookie ? { cookie } : {}), ...options.headers } });
    for (const header of setCookies(response)) await this.jar.setCookie(header, url, { ignoreError: true });
    return response;
  }

  async cookie(name: string): Promise<string | undefined> {
    return (await this.jar.getCookies(this.baseUrl)).find((cookie) => cookie.key === name)?.value;
  }
}

/** Drives a journey with the jar: start, then answer steps with `answers(step)`. */
export async function authenticate(
  client: JarClient,
  path: string,
  answer: (body: any, stepIndex: number) => void,
  maxSteps = 10,
): Promise<{ steps: any[]; final: RawResponse }> {
  const headers = { 'accept-api-version': 'resource=2.0, protocol=1.0', 'content-type': 'application/json' };
  let response = await client.request(path, { method: 'POST', headers, body: '{}' });
  const steps: any[] = [];
  for (let index = 0; response.status === 200 && response.json?.authId && index < maxSteps; index += 1) {
    steps.push(structuredClone(response.json));
    const body = response.json;
    answer(body, index);
    response = await client.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
  }
  return { steps, final: response };
}

/** Sets the input of the callback of a type (the first, or the nth) in a step body. */
export function fill(body: any, type: string, value: unknown, nth = 0): void {
  const callback = body.callbacks.filter((item: { type: string }) => item.type === type)[nth];
  if (!callback)
    throw new Error(
      `the step has no ${type} #${nth}: ${JSON.stringify(body.callbacks.map((c: { type: string }) => c.type))}`,
    );
  callback.input[0].value = value;
}
