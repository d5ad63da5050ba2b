/**
 * The transport: one undici dispatcher (keep-alive connections reused across calls, so a test
 * suite or an app does not pay a TCP handshake per AM call) and one tough-cookie jar (the tenant
 * cookie a login sets is stored and sent back by the jar's rules: domain, path, Secure, expiry,
 * exactly as a browser would, so the client sees what a browser app sees).
 *
 * Every exchange has a deadline (`timeoutMs`) and may be cancelled by the caller's AbortSignal;
 * failures without an answer become {@link AmTimeoutError}, {@link AmAbortError} or
 * {@link AmNetworkError}. Answers of any status are returned; deciding what is an error is the
 * caller's business (terminateAllSessions, for one, must see a non-200 rather than an exception).
 */
import { randomUUID } from 'node:crypto';
import { Agent, request, type Dispatcher } from 'undici';
import { CookieJar } from 'tough-cookie';
import { AmAbortError, AmNetworkError, AmTimeoutError, type RequestSummary } from './errors.js';

/** Options for the undici Agent the client creates when it is not given a dispatcher. */
export type AgentOptions = Agent.Options;

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Keep-alive defaults: idle sockets are kept 10 s by default (undici's 4 s is short for test suites that pause between calls). */
const DEFAULT_AGENT_OPTIONS: AgentOptions = {
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
  connectTimeout: 10_000,
};

export interface TransportOptions {
  /** Origin (and optional path prefix) of the tenant, e.g. `https://openam-x.forgeblocks.com`. */
  baseUrl: string;
  jar?: CookieJar | undefined;
  /** A dispatcher to use instead of the client's own Agent (a MockAgent in tests, a ProxyAgent...). */
  dispatcher?: Dispatcher | undefined;
  agent?: AgentOptions | undefined;
  timeoutMs?: number | undefined;
}

export interface Exchange {
  method: 'GET' | 'POST';
  /** Path and query, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** Send the jar's cookies for this URL. Answers' Set-Cookie are stored either way. */
  sendCookies: boolean;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  transactionId: string | undefined;
  request: RequestSummary;
}

/** undici's own timeouts: no answer within the dispatcher's limits. */
const UNDICI_TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export class Transport {
  readonly jar: CookieJar;
  readonly baseUrl: string;
  private readonly dispatcher: Dispatcher;
  /** Only a dispatcher the client made is closed by it; one passed in belongs to the caller. */
  private readonly ownsDispatcher: boolean;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.jar = options.jar ?? new CookieJar();
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({ ...DEFAULT_AGENT_OPTIONS, ...options.agent });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  async exchange(exchange: Exchange): Promise<Answer> {
    const url = this.url(exchange.path);
    const summary: RequestSummary = { method: exchange.method, path: exchange.path };
    const headers: Record<string, string> = { ...exchange.headers };
    if (exchange.sendCookies) {
      const cookie = await this.jar.getCookieString(url);
      if (cookie !== '') headers['cookie'] = cookie;
    }
    const timeoutMs = exchange.timeoutMs ?? this.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = exchange.signal ? AbortSignal.any([deadline, exchange.signal]) : deadline;
    try {
      const response = await request(url, {
        dispatcher: this.dispatcher,
        method: exchange.method,
        headers,
        ...(exchange.body !== undefined ? { body: exchange.body } : {}),
        signal,
      });
      // The body is read under the same signal: a stalled body also runs into the deadline.
      const text = await response.body.text();
      const responseHeaders = response.headers as Record<string, string | string[] | undefined>;
      await this.storeCookies(url, responseHeaders['set-cookie']);
      const transactionId = responseHeaders['x-forgerock-transactionid'];
      return {
        status: response.statusCode,
        headers: responseHeaders,
        text,
        transactionId: Array.isArray(transactionId) ? transactionId[0] : transactionId,
        request: summary,
      };
    } catch (error) {
      throw classify(error, summary, { deadline, timeoutMs, callerSignal: exchange.signal });
    }
  }

  /** Stores what the answer set, by the jar's rules; a cookie the jar refuses (wrong domain) is skipped, as a browser skips it. */
  private async storeCookies(url: string, setCookie: string | string[] | undefined): Promise<void> {
    if (setCookie === undefined) return;
    for (const header of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      await this.jar.setCookie(header, url, { ignoreError: true });
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

/** A fresh `X-ForgeRock-TransactionId`, so that a failing call can be found in the tenant's logs. */
export function newTransactionId(): string {
  return `aic-client-${randomUUID()}`;
}

function classify(
  error: unknown,
  summary: RequestSummary,
  context: { deadline: AbortSignal; timeoutMs: number; callerSignal: AbortSignal | undefined },
): Error {
  const what = `${summary.method} ${summary.path}`;
  if (context.deadline.aborted) {
    return new AmTimeoutError(`${what}: no answer within ${context.timeoutMs} ms`, summary, error, context.timeoutMs);
  }
  if (context.callerSignal?.aborted) return new AmAbortError(`${what}: aborted by the caller`, summary, error);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && UNDICI_TIMEOUT_CODES.has(code)) {
    return new AmTimeoutError(`${what}: ${message}`, summary, error, undefined);
  }
  return new AmNetworkError(`${what}: ${message}${typeof code === 'string' ? ` (${code})` : ''}`, summary, error);
}
