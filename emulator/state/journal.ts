/**
 * The request journal: AM requests and scripts' outbound calls, newest last, bounded by a ring
 * buffer. Secrets never leave it in clear: passwords, session tokens, bearer tokens and cookies
 * are masked when the journal is read. Entries are kept as they came (masking and formatting
 * happen on read, off the request path), with bodies capped so the memory stays bounded too.
 */
import { RingBuffer } from '../core/ring-buffer.js';
import { isoMillis } from '../core/clock.js';

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
  record(entry: {
    kind: 'am' | 'outbound';
    timeMs: number;
    method: string;
    url: string;
    requestHeaders: Record<string, string | string[] | undefined>;
    requestBody?: string | Buffer;
  }): RecordedEntry {
    const recorded: RecordedEntry = {
      id: this.nextId++,
      timeMs: entry.timeMs,
      kind: entry.kind,
      method: entry.method,
      url: entry.url,
      requestHeaders: entry.requestHeaders,
      requestBody: this.keepMasked(entry.requestBody),
    };
    this.entries.push(recorded);
    return recorded;
  }

  complete(entry: RecordedEntry, status: number, responseBody: string | undefined, durationMs: number): void {
    entry.status = status;
    entry.durationMs = Math.round(durationMs * 1000) / 1000;
    if (responseBody !== undefined) entry.responseBody = this.keepMasked(responseBody);
  }

  /**
   * A body as kept. One longer than what is kept is masked whole first: its head alone may no
   * longer parse, and a password past the cut in its structure (a callback's input) would then
   * show. The rest are masked when shown (list), with the secrets as they are then.
   */
  private keepMasked<T extends string | Buffer | undefined>(body: T): T {
    if (body === undefined || body.length <= KEPT_BODY_BYTES) return body;
    const text = typeof body === 'string' ? body : body.toString('utf8');
    return keep(maskStructure(text, this.secrets().secretValues)) as T;
  }

  /** The entries, oldest first, masked; with `filter`, those it keeps (it sees them as recorded). */
  list(filter?: (entry: RecordedEntry) => boolean): JournalEntry[] {
    const { cookieName, secretValues } = this.secrets();
    const entries = this.entries.toArray();
    return (filter ? entries.filter(filter) : entries).map((entry) => {
      const requestBody =
        entry.requestBody === undefined
          ? undefined
          : typeof entry.requestBody === 'string'
            ? entry.requestBody
            : entry.requestBody.toString('utf8');
      return {
        id: entry.id,
        time: isoMillis(entry.timeMs),
        kind: entry.kind,
        method: entry.method,
        url: maskUrl(entry.url, secretValues),
        requestHeaders: maskHeaders(entry.requestHeaders, cookieName, secretValues),
        ...(requestBody !== undefined && requestBody.length > 0
          ? { requestBody: maskBody(requestBody, secretValues) }
          : {}),
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

/**
 * A secret as every view shows it: `***`, whatever it is. Passwords, secret ESVs' values and
 * anything stored under a secret-sounding name are never shown in part (issue 21: a password's
 * first four characters were).
 */
export function maskSecret(_value: string): string {
  return '***';
}

/**
 * A session token (a cookie's value, a `tokenId`, an `authId`) as the journal and the runs view
 * show it: its first four characters, which tell one session from another in a list and give
 * nothing away (a token is random and 27 characters long before its `.*`), then `***`.
 * Short values are masked whole.
 */
export function maskToken(value: string, secretValues: readonly string[] = []): string {
  if (value.length <= 8) return '***';
  const head = value.slice(0, 4);
  // A value that holds a secret, or whose head could be a secret's, is a secret.
  if (secretValues.some((secret) => secret.includes(head) || value.includes(secret))) return '***';
  return `${head}***`;
}

const SECRET_HEADERS = new Set(['authorization', 'x-openam-password', 'proxy-authorization']);

/*
 * Every masking pass below is linear in its input, and none runs a regex that can backtrack over
 * what a client sent: a pattern such as /([^=;\s]+)=([^;]*)/g retries its greedy run from every
 * position of a cookie without "=", which made one read of a journal of 20 such 16,000-character
 * cookies take 18 s. Hand-written scanners look at each character a bounded number of times.
 */

/** JavaScript's `\s` (white space and line terminators), for one UTF-16 code unit. */
function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const EQUALS = 61;
const SEMICOLON = 59;

/** A character of a cookie name as the journal reads one: anything but `=`, `;` and white space. */
function isCookieNameChar(code: number): boolean {
  return code !== EQUALS && code !== SEMICOLON && !isSpace(code);
}

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
      result[name] = name === 'authorization' ? maskAuthorization(value) : '***';
    } else if (name === cookieName.toLowerCase()) {
      result[name] = maskToken(value, secretValues);
    } else if (name === 'cookie') {
      result[name] = maskCookies(value, secretValues);
    } else {
      result[name] = maskValues(value, secretValues);
    }
  }
  return result;
}

/**
 * `Bearer ***`: the scheme and the white space after it are kept, the credentials masked, whatever
 * they hold (a script's header may hold a line break). A value without a scheme is masked whole.
 */
function maskAuthorization(value: string): string {
  let schemeEnd = 0;
  while (schemeEnd < value.length && !isSpace(value.charCodeAt(schemeEnd))) schemeEnd += 1;
  let credentials = schemeEnd;
  while (credentials < value.length && isSpace(value.charCodeAt(credentials))) credentials += 1;
  if (schemeEnd === 0 || credentials === schemeEnd) return '***';
  return `${value.slice(0, credentials)}***`;
}

/**
 * Each `name=value` of a Cookie header with its value masked (but `amlbcookie`, a load-balancer
 * hint). Text between the `;` that holds no `name=` is kept as it is.
 */
function maskCookies(header: string, secretValues: readonly string[]): string {
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    const semicolon = header.indexOf(';', start);
    const end = semicolon < 0 ? header.length : semicolon;
    parts.push(maskCookie(header.slice(start, end), secretValues));
    if (semicolon < 0) return parts.join(';');
    start = semicolon + 1;
  }
}

/** One `;`-separated part: its first `=` that follows a name character names the cookie, and what follows it to the end of the part is the value. */
function maskCookie(part: string, secretValues: readonly string[]): string {
  for (let eq = part.indexOf('='); eq >= 0; eq = part.indexOf('=', eq + 1)) {
    if (eq === 0 || !isCookieNameChar(part.charCodeAt(eq - 1))) continue;
    // Back over the name: it stops at the previous `=` or space, so no character is walked twice.
    let nameStart = eq - 1;
    while (nameStart > 0 && isCookieNameChar(part.charCodeAt(nameStart - 1))) nameStart -= 1;
    const name = part.slice(nameStart, eq);
    const value = part.slice(eq + 1);
    return `${part.slice(0, eq + 1)}${name === 'amlbcookie' ? maskValues(value, secretValues) : maskToken(value, secretValues)}`;
  }
  return part;
}

function maskValues(text: string, secretValues: readonly string[]): string {
  let masked = text;
  for (const secret of secretValues) {
    if (secret.length >= 4 && masked.includes(secret)) masked = masked.split(secret).join('***');
  }
  return masked;
}

/**
 * Keys whose values are tokens wherever they appear in a JSON or form body (shown as `abcd***`):
 * AM's session tokens and authIds, and OAuth 2.0's tokens (a token response's, an introspection's
 * or revocation's `token`, an end-session's `id_token_hint`).
 */
const TOKEN_KEYS = new Set([
  'tokenid',
  'authid',
  'sessioncookie',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'id_token_hint',
]);

/** Secrets of OAuth 2.0's forms that say nothing of a secret in their names. */
const SECRET_KEYS = new Set(['code_verifier', 'assertion', 'client_assertion']);

/** A key whose value is a secret wherever it appears in a JSON or form body (masked whole). */
function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.includes('password') || lower.includes('secret') || SECRET_KEYS.has(lower);
}

/**
 * Masks secrets in a body: in JSON, the values of secret keys and the inputs of password
 * callbacks; in a form (`a=b&c=d`), the values of secret keys; in any text, the configured secret
 * values. Then caps the length.
 */
export function maskBody(body: string, secretValues: string[]): string {
  const masked = maskStructure(body, secretValues);
  return masked.length > MAX_BODY_CHARS
    ? `${masked.slice(0, MAX_BODY_CHARS)}...[${masked.length - MAX_BODY_CHARS} more characters]`
    : masked;
}

/** maskBody without the cap. */
function maskStructure(body: string, secretValues: readonly string[]): string {
  let masked = body;
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(body);
      const maskedJson = JSON.stringify(maskJson(parsed, secretValues));
      // Keep the text as sent (`1.0` stays `1.0`) unless something in it had to be masked.
      if (maskedJson !== JSON.stringify(parsed)) masked = maskedJson;
    } catch {
      masked = maskLooseJson(body, secretValues);
    }
  } else if (body.includes('=')) masked = maskForm(body, secretValues);
  return maskValues(masked, secretValues);
}

function maskJson(value: unknown, secretValues: readonly string[], depth = 0): unknown {
  if (depth > 64) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => maskJson(item, secretValues, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const isPasswordCallback = typeof object['type'] === 'string' && /password/i.test(object['type']);
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) {
    if (typeof item === 'string' && isSecretKey(key)) result[key] = maskSecret(item);
    else if (typeof item === 'string' && TOKEN_KEYS.has(key.toLowerCase())) result[key] = maskToken(item, secretValues);
    else if (isPasswordCallback && key === 'input' && Array.isArray(item)) {
      result[key] = item.map((input: unknown) =>
        input && typeof input === 'object' && typeof (input as Record<string, unknown>)['value'] === 'string'
          ? { ...input, value: '***' }
          : input,
      );
    } else result[key] = maskJson(item, secretValues, depth + 1);
  }
  return result;
}

/**
 * A form body (`grant_type=password&username=…&password=…`, an OAuth2 token request's): the
 * values of secret keys (`password`, `client_secret`) masked whole, of token keys (`token`,
 * `refresh_token`) as tokens. One pass: each `&`-separated part is looked at once.
 */
function maskForm(body: string, secretValues: readonly string[]): string {
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    const amp = body.indexOf('&', start);
    const end = amp < 0 ? body.length : amp;
    const part = body.slice(start, end);
    const eq = part.indexOf('=');
    let key = eq < 0 ? '' : part.slice(0, eq);
    try {
      key = decodeURIComponent(key.replace(/\+/g, ' '));
    } catch {
      // A key that does not decode is looked at as it is.
    }
    parts.push(
      eq < 0
        ? part
        : isSecretKey(key)
          ? `${part.slice(0, eq + 1)}***`
          : TOKEN_KEYS.has(key.toLowerCase())
            ? `${part.slice(0, eq + 1)}${maskToken(part.slice(eq + 1), secretValues)}`
            : part,
    );
    if (amp < 0) return parts.join('&');
    start = amp + 1;
  }
}

/** Keys whose string values are masked in a body that is not JSON (cut at the cap, or malformed). */
const LOOSE_SECRET_KEYS = ['tokenid', 'password', 'authid'];
const LOOSE_TOKEN_KEYS = new Set(['tokenid', 'authid']);

/**
 * Masks `"tokenId": "<value>"` (and password, authId; keys in any case) in text that looks like
 * JSON but does not parse, in one pass. A value whose closing quote never comes (a body cut at the
 * journal's cap) is masked to the end: its head is a secret too.
 */
function maskLooseJson(body: string, secretValues: readonly string[]): string {
  const parts: string[] = [];
  let copied = 0;
  for (let quote = body.indexOf('"'); quote >= 0;) {
    const member = secretMemberAt(body, quote);
    if (!member) {
      quote = body.indexOf('"', quote + 1);
      continue;
    }
    const value = body.slice(member.valueStart, member.valueEnd);
    parts.push(
      body.slice(copied, member.valueStart),
      LOOSE_TOKEN_KEYS.has(member.key) ? maskToken(value, secretValues) : maskSecret(value),
    );
    copied = member.valueEnd;
    if (member.valueEnd >= body.length) break;
    quote = body.indexOf('"', member.valueEnd + 1);
  }
  parts.push(body.slice(copied));
  return parts.join('');
}

/** At a `"`: a secret key, `:` and an opening quote, with where its string value starts and ends (the closing quote or the end of the text). */
function secretMemberAt(
  text: string,
  quote: number,
): { key: string; valueStart: number; valueEnd: number } | undefined {
  const key = LOOSE_SECRET_KEYS.find(
    (name) => text.charCodeAt(quote + name.length + 1) === QUOTE && keyAt(text, quote + 1, name),
  );
  if (key === undefined) return undefined;
  let at = quote + key.length + 2;
  while (at < text.length && isSpace(text.charCodeAt(at))) at += 1;
  if (text.charCodeAt(at) !== COLON) return undefined;
  at += 1;
  while (at < text.length && isSpace(text.charCodeAt(at))) at += 1;
  if (text.charCodeAt(at) !== QUOTE) return undefined;
  const valueStart = at + 1;
  // To the closing quote: a string's value is not searched for keys, so each character is read once.
  let end = valueStart;
  for (let code = text.charCodeAt(end); end < text.length && code !== QUOTE; code = text.charCodeAt(end))
    end += code === BACKSLASH ? 2 : 1;
  return { key, valueStart, valueEnd: Math.min(end, text.length) };
}

const QUOTE = 34;
const COLON = 58;
const BACKSLASH = 92;

/** Does `text` hold `lowerName` at `at`, in any case (ASCII letters)? */
function keyAt(text: string, at: number, lowerName: string): boolean {
  for (let i = 0; i < lowerName.length; i += 1) {
    if ((text.charCodeAt(at + i) | 0x20) !== lowerName.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * `tokenId=` query parameters masked as tokens, then the secrets given masked whole. Linear: a
 * literal, then a run that ends at the next `&` and cannot fail.
 */
function maskUrl(url: string, secretValues: readonly string[]): string {
  const masked = url.replace(
    /([?&]tokenId=)([^&]*)/g,
    (_m, key: string, value: string) => `${key}${maskToken(value, secretValues)}`,
  );
  return maskValues(masked, secretValues);
}
