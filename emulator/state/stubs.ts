/**
 * Stubs for scripts' outbound calls (DESIGN.md control API `POST stubs`): a call a journey's
 * script makes to a host that is not the tenant's own is answered by the first stub whose method
 * and URL match. `url` matches the call's URL exactly (with or without its query string), or, when
 * it ends in `*`, any URL starting with what comes before. `echoRequestBody` merges the JSON the
 * script sent into a JSON `body` (an echo service such as jsonplaceholder's `/posts`).
 */
import { randomUUID } from 'node:crypto';
import { ChangeFeed, type ListChange } from '../core/change-feed.js';

export interface StubSpec {
  method?: string;
  url: string;
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
  times?: number;
  echoRequestBody?: boolean;
}

export interface Stub extends StubSpec {
  readonly id: string;
  remaining: number | undefined;
  hits: number;
}

export class StubError extends Error {}

const KNOWN = new Set(['method', 'url', 'status', 'headers', 'body', 'times', 'echoRequestBody']);

export class StubRegistry {
  private readonly stubs: Stub[] = [];
  /** add, remove, clear, and a match's use; not `put` (a stub decided elsewhere, taken over). */
  readonly changes = new ChangeFeed<ListChange<Stub>>();

  add(input: unknown): Stub {
    const spec = validate(input);
    const stub: Stub = { ...spec, id: randomUUID(), remaining: spec.times, hits: 0 };
    this.stubs.push(stub);
    this.changes.emit({ type: 'added', item: stub });
    return stub;
  }

  /**
   * Stores a stub as it is (its id and counters), replacing the one with the same id in place or
   * adding it last: another instance's stub, on a tenant shared through Redis.
   */
  put(stub: Stub): void {
    const copy = { ...stub };
    const index = this.stubs.findIndex((existing) => existing.id === stub.id);
    if (index >= 0) this.stubs[index] = copy;
    else this.stubs.push(copy);
  }

  remove(id: string): boolean {
    const index = this.stubs.findIndex((stub) => stub.id === id);
    if (index < 0) return false;
    this.stubs.splice(index, 1);
    this.changes.emit({ type: 'removed', id });
    return true;
  }

  clear(): void {
    const ids = this.changes.listening ? this.stubs.map((stub) => stub.id) : [];
    this.stubs.length = 0;
    this.changes.emit({ type: 'cleared', ids });
  }

  list(): Stub[] {
    return this.stubs.map((stub) => ({ ...stub }));
  }

  /** The first stub for this call, with its use counted. */
  match(method: string, url: string): Stub | undefined {
    const withoutQuery = url.split('?')[0] as string;
    for (const stub of this.stubs) {
      if (stub.method && stub.method.toUpperCase() !== method.toUpperCase()) continue;
      const matches = stub.url.endsWith('*')
        ? url.startsWith(stub.url.slice(0, -1))
        : stub.url === url || stub.url === withoutQuery;
      if (!matches) continue;
      stub.hits += 1;
      if (stub.remaining !== undefined) stub.remaining -= 1;
      // Its last use removes it, and `removed` says so.
      if (stub.remaining !== undefined && stub.remaining <= 0) this.remove(stub.id);
      else this.changes.emit({ type: 'used', item: stub });
      return stub;
    }
    return undefined;
  }
}

/** The answer a stub gives to a request body. */
export function stubAnswer(
  stub: StubSpec,
  requestBody: string | null,
): { status: number; headers: Record<string, string | string[]>; body: string } {
  let body = stub.body;
  if (stub.echoRequestBody && requestBody) {
    try {
      const sent: unknown = JSON.parse(requestBody);
      if (sent && typeof sent === 'object' && !Array.isArray(sent))
        body = { ...sent, ...(body && typeof body === 'object' ? body : {}) };
    } catch {
      // not JSON: nothing to echo
    }
  }
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    ...(typeof body === 'object' && body !== null ? { 'content-type': 'application/json' } : {}),
    ...stub.headers,
  };
  return { status: stub.status ?? 200, headers, body: text };
}

function validate(input: unknown): StubSpec {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new StubError('a stub must be a JSON object');
  const spec = input as Record<string, unknown>;
  for (const key of Object.keys(spec))
    if (!KNOWN.has(key)) throw new StubError(`unknown stub field ${JSON.stringify(key)}`);
  if (typeof spec['url'] !== 'string' || spec['url'] === '')
    throw new StubError('url is required: the URL the stub answers (a trailing * matches any continuation)');
  if (!spec['url'].endsWith('*')) {
    try {
      new URL(spec['url']);
    } catch {
      throw new StubError(`url is not an absolute URL: ${spec['url']}`);
    }
  }
  if (spec['method'] !== undefined && (typeof spec['method'] !== 'string' || spec['method'] === ''))
    throw new StubError('method must be a non-empty string');
  const status = spec['status'];
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599))
    throw new StubError('status must be an integer from 100 to 599');
  const times = spec['times'];
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1))
    throw new StubError('times must be a positive integer');
  if (spec['echoRequestBody'] !== undefined && typeof spec['echoRequestBody'] !== 'boolean')
    throw new StubError('echoRequestBody must be a boolean');
  if (spec['headers'] !== undefined) {
    const headers = spec['headers'];
    if (!headers || typeof headers !== 'object' || Array.isArray(headers))
      throw new StubError('headers must be an object');
    for (const [name, value] of Object.entries(headers)) {
      const values = Array.isArray(value) ? value : [value];
      if (
        !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) ||
        !values.every((item) => typeof item === 'string' && !/[\r\n\0]/.test(item))
      ) {
        throw new StubError(`header ${JSON.stringify(name)} must have a token name and string values`);
      }
    }
  }
  return spec as unknown as StubSpec;
}
