/**
 * The request journal: AM requests (and, with journeys, scripts' outbound calls), newest last,
 * bounded by a ring buffer. Secrets never enter it in clear: passwords, session tokens, bearer
 * tokens and cookies are masked as they are recorded.
 */
import { RingBuffer } from './ring-buffer.js';

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

/** Body excerpts are capped so the journal's memory stays bounded too. */
const MAX_BODY_CHARS = 4096;

export class Journal {
  private readonly entries: RingBuffer<JournalEntry>;
  private nextId = 1;

  constructor(
    capacity: number,
    private readonly secrets: () => { cookieName: string; secretValues: string[] },
  ) {
    this.entries = new RingBuffer(capacity);
  }

  /** Starts an entry; the caller completes it with the answer. */
  record(entry: Omit<JournalEntry, 'id' | 'requestHeaders' | 'requestBody'> & { requestHeaders: Record<string, string | string[] | undefined>; requestBody?: string }): JournalEntry {
    const { cookieName, secretValues } = this.secrets();
    const full: JournalEntry = {
      ...entry,
      id: this.nextId++,
      url: maskUrl(entry.url),
      requestHeaders: maskHeaders(entry.requestHeaders, cookieName, secretValues),
      ...(entry.requestBody !== undefined ? { requestBody: maskBody(entry.requestBody, secretValues) } : {}),
    };
    this.entries.push(full);
    return full;
  }

  complete(entry: JournalEntry, status: number, responseBody: string | undefined, durationMs: number): void {
    entry.status = status;
    entry.durationMs = Math.round(durationMs * 1000) / 1000;
    if (responseBody !== undefined) entry.responseBody = maskBody(responseBody, this.secrets().secretValues);
  }

  list(): JournalEntry[] {
    return this.entries.toArray();
  }

  clear(): void {
    this.entries.clear();
  }
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
