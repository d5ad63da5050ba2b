/**
 * The request journal: AM requests and scripts' outbound calls, newest last, bounded by a ring
 * buffer. Secrets never leave it in clear: passwords, session tokens, bearer tokens and cookies
 * are masked when the journal is read. Entries are kept as they came (masking and formatting
 * happen on read, off the request path), with bodies capped so the memory stays bounded too.
 */
import { RingBuffer } from './ring-buffer.js';
import { isoMillis } from '../tenant/clock.js';

/** A journal entry as `GET /__emulator/journal` shows it: masked. */
export interface JournalEntry {
  id: number;
  /** Tenant clock time the request arrived. */
  time: string;
  kind: 'am' | 'outbound';
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status?: number;
  responseBody?: string;
  /** Real milliseconds spent answering. */
  durationMs?: number;
  /** The id of the fault that answered, if one did. */
  fault?: string;
}

/** An entry as recorded: what came in, unmasked, until it is read. */
export interface RecordedEntry {
  readonly id: number;
  readonly timeMs: number;
  readonly kind: 'am' | 'outbound';
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
  readonly requestBody: string | Buffer | undefined;
  status?: number;
  responseBody?: string;
  durationMs?: number;
  fault?: string;
}

/** Body excerpts are capped so the journal's memory stays bounded too. */
const MAX_BODY_CHARS = 4096;
/** What is kept of a body as recorded: enough for the excerpt, whatever the encoding. */
const KEPT_BODY_BYTES = MAX_BODY_CHARS * 4;

export class Journal {
  private readonly entries: RingBuffer<RecordedEntry>;
  private nextId = 1;

  constructor(
    capacity: number,
    private readonly secrets: () => { cookieName: string; secretValues: string[] },
  ) {
    this.entries = new RingBuffer(capacity);
  }

  /** Starts an entry; the caller completes it with the answer. */
  record(entry: { kind: 'am' | 'outbound'; timeMs: number; method: string; url: string; requestHeaders: Record<string, string | string[] | undefined>; requestBody?: string | Buffer }): RecordedEntry {
    const recorded: RecordedEntry = {
      id: this.nextId++,
      timeMs: entry.timeMs,
      kind: entry.kind,
      method: entry.method,
      url: entry.url,
      requestHeaders: entry.requestHeaders,
      requestBody: keep(entry.requestBody),
    };
    this.entries.push(recorded);
    return recorded;
  }

  complete(entry: RecordedEntry, status: number, responseBody: string | undefined, durationMs: number): void {
    entry.status = status;
    entry.durationMs = Math.round(durationMs * 1000) / 1000;
    if (responseBody !== undefined) entry.responseBody = keep(responseBody) as string;
  }

  /** The entries, oldest first, masked. */
  list(): JournalEntry[] {
    const { cookieName, secretValues } = this.secrets();
    return this.entries.toArray().map((entry) => {
      const requestBody = entry.requestBody === undefined ? undefined : typeof entry.requestBody === 'string' ? entry.requestBody : entry.requestBody.toString('utf8');
      return {
        id: entry.id,
        time: isoMillis(entry.timeMs),
        kind: entry.kind,
        method: entry.method,
        url: maskUrl(entry.url),
        requestHeaders: maskHeaders(entry.requestHeaders, cookieName, secretValues),
        ...(requestBody !== undefined && requestBody.length > 0 ? { requestBody: maskBody(requestBody, secretValues) } : {}),
        ...(entry.status !== undefined ? { status: entry.status } : {}),
        ...(entry.responseBody !== undefined ? { responseBody: maskBody(entry.responseBody, secretValues) } : {}),
        ...(entry.durationMs !== undefined ? { durationMs: entry.durationMs } : {}),
        ...(entry.fault !== undefined ? { fault: entry.fault } : {}),
      };
    });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A body as kept: small ones by reference, large ones as a copy of their head (not a view that pins the whole). */
function keep<T extends string | Buffer | undefined>(body: T): T {
  if (body === undefined) return body;
  if (typeof body === 'string') return (body.length > KEPT_BODY_BYTES ? body.slice(0, KEPT_BODY_BYTES) : body) as T;
  return (body.length > KEPT_BODY_BYTES ? Buffer.from(body.subarray(0, KEPT_BODY_BYTES)) : body) as T;
}

export function maskSecret(value: string): string {
  if (value.length <= 8) return '***';
  return `${value.slice(0, 4)}***`;
}

const SECRET_HEADERS = new Set(['authorization', 'x-openam-password', 'proxy-authorization']);

export function maskHeaders(
  headers: Record<string, string | string[] | undefined>,
  cookieName: string,
  secretValues: string[],
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(headers)) {
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    const value = Array.isArray(rawValue) ? rawValue.join(', ') : rawValue;
    if (SECRET_HEADERS.has(name)) {
      result[name] = name === 'authorization' ? value.replace(/^(\S+\s+).*$/, (_m, scheme: string) => `${scheme}***`) : '***';
    } else if (name === cookieName.toLowerCase()) {
      result[name] = maskSecret(value);
    } else if (name === 'cookie') {
      result[name] = value.replace(/([^=;\s]+)=([^;]*)/g, (_m, cookie: string, cookieValue: string) =>
        cookie === 'amlbcookie' ? `${cookie}=${cookieValue}` : `${cookie}=${maskSecret(cookieValue)}`,
      );
    } else {
      result[name] = maskValues(value, secretValues);
    }
  }
  return result;
}

function maskValues(text: string, secretValues: string[]): string {
  let masked = text;
  for (const secret of secretValues) {
    if (secret.length >= 4 && masked.includes(secret)) masked = masked.split(secret).join('***');
  }
  return masked;
}

/** Keys whose values are secrets wherever they appear in a JSON body. */
const SECRET_KEYS = new Set(['tokenid', 'password', 'userpassword', 'authid', 'sessioncookie', 'token']);

/**
 * Masks secrets in a body: in JSON, the values of secret keys and the inputs of password
 * callbacks; in any text, the configured secret values. Then caps the length.
 */
export function maskBody(body: string, secretValues: string[]): string {
  let masked = body;
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(body);
      const maskedJson = JSON.stringify(maskJson(parsed));
      // Keep the text as sent (`1.0` stays `1.0`) unless something in it had to be masked.
      if (maskedJson !== JSON.stringify(parsed)) masked = maskedJson;
    } catch {
      masked = body.replace(/("(?:tokenId|password|authId)"\s*:\s*)"((?:[^"\\]|\\.)*)"/gi, (_m, key: string, value: string) => `${key}"${maskSecret(value)}"`);
    }
  }
  masked = maskValues(masked, secretValues);
  return masked.length > MAX_BODY_CHARS ? `${masked.slice(0, MAX_BODY_CHARS)}...[${masked.length - MAX_BODY_CHARS} more characters]` : masked;
}

function maskJson(value: unknown, depth = 0): unknown {
  if (depth > 64) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => maskJson(item, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const isPasswordCallback = typeof object['type'] === 'string' && /password/i.test(object['type']);
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) {
    if (SECRET_KEYS.has(key.toLowerCase()) && typeof item === 'string') result[key] = maskSecret(item);
    else if (isPasswordCallback && key === 'input' && Array.isArray(item)) {
      result[key] = item.map((input: unknown) =>
        input && typeof input === 'object' && typeof (input as Record<string, unknown>)['value'] === 'string'
          ? { ...(input as object), value: '***' }
          : input,
      );
    } else result[key] = maskJson(item, depth + 1);
  }
  return result;
}

function maskUrl(url: string): string {
  return url.replace(/([?&]tokenId=)([^&]*)/g, (_m, key: string, value: string) => `${key}${maskSecret(value)}`);
}
