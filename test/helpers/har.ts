/**
 * Recorded tenant traffic (HAR files under `reference/recordings` in the shared folder: frodo's test recordings of
 * AIC tenants, MIT) and the comparison the parity tests make: same status, same headers where they matter, and
 * bodies of the same shape (same keys, types and value formats) once tenant-specific values are set aside.
 */
import { readFileSync } from 'node:fs';

export interface HarExchange {
  request: { method: string; url: URL; headers: Record<string, string>; body: string | undefined };
  response: { status: number; headers: Record<string, string[]>; body: string };
}

interface RawHar {
  log: {
    entries: {
      request: {
        method: string;
        url: string;
        headers: { name: string; value: string | number }[];
        postData?: { text?: string };
      };
      response: { status: number; headers: { name: string; value: string }[]; content: { text?: string } };
    }[];
  };
}

export function loadHar(path: string): HarExchange[] {
  const har = JSON.parse(readFileSync(path, 'utf8')) as RawHar;
  return har.log.entries.map((entry) => {
    const requestHeaders: Record<string, string> = {};
    for (const header of entry.request.headers) requestHeaders[header.name.toLowerCase()] = String(header.value);
    const responseHeaders: Record<string, string[]> = {};
    for (const header of entry.response.headers) (responseHeaders[header.name.toLowerCase()] ??= []).push(header.value);
    return {
      request: {
        method: entry.request.method,
        url: new URL(entry.request.url),
        headers: requestHeaders,
        body: entry.request.postData?.text,
      },
      response: { status: entry.response.status, headers: responseHeaders, body: entry.response.content.text ?? '' },
    };
  });
}

/** The format of a string value, so that two tenants' values compare equal when they are the same kind of thing. */
export function formatOf(value: string): string {
  if (/^<[^>]+>$/.test(value)) return 'obfuscated';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) return 'iso-seconds';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return 'iso-millis';
  if (/^[A-Za-z0-9_-]{27}\.\*[A-Za-z0-9+/.]+\*$/.test(value)) return 'session-token';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d+$/.test(value)) return 'context-id';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return 'uuid';
  if (/^id=[^,]+,ou=user,/.test(value)) return 'universal-id';
  if (/^[0-9a-f]{15}$/.test(value)) return 'cookie-name';
  if (/^-?\d+$/.test(value)) return 'numeric-string';
  return 'string';
}

/**
 * Differences in shape between a recorded body and ours, as readable paths. An obfuscated
 * recorded value (`<token id>`) matches any string.
 */
export function shapeDifferences(recorded: unknown, actual: unknown, path = '$'): string[] {
  if (recorded === null || actual === null)
    return recorded === actual ? [] : [`${path}: ${describe(recorded)} vs ${describe(actual)}`];
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual)) return [`${path}: array vs ${describe(actual)}`];
    if (recorded.length === 0 || actual.length === 0) return [];
    return shapeDifferences(recorded[0], actual[0], `${path}[0]`);
  }
  if (typeof recorded === 'object') {
    if (typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: object vs ${describe(actual)}`];
    const recordedKeys = Object.keys(recorded).sort();
    const actualKeys = Object.keys(actual).sort();
    const missing = recordedKeys.filter((key) => !actualKeys.includes(key)).map((key) => `${path}.${key}: missing`);
    const extra = actualKeys
      .filter((key) => !recordedKeys.includes(key))
      .map((key) => `${path}.${key}: not in the recording`);
    const nested = recordedKeys
      .filter((key) => actualKeys.includes(key))
      .flatMap((key) =>
        shapeDifferences(
          (recorded as Record<string, unknown>)[key],
          (actual as Record<string, unknown>)[key],
          `${path}.${key}`,
        ),
      );
    return [...missing, ...extra, ...nested];
  }
  if (typeof recorded !== typeof actual) return [`${path}: ${describe(recorded)} vs ${describe(actual)}`];
  if (typeof recorded === 'string') {
    const want = formatOf(recorded);
    const got = formatOf(actual as string);
    if (want !== 'obfuscated' && want !== got)
      return [`${path}: ${want} (${recorded}) vs ${got} (${JSON.stringify(actual)})`];
  }
  return [];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A Set-Cookie header with its value set aside: the name and the attributes, in order. */
export function cookieShape(header: string, cookieName: string): string {
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  const name = (pair ?? '').split('=')[0];
  return [name === cookieName ? '<tenant cookie>' : name, ...attributes].join('; ');
}
