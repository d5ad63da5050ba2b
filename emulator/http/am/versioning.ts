/**
 * `Accept-API-Version` negotiation (AIC docs, "REST API versions":
 * https://developer.pingidentity.com/pingoneaic-api/am-rest/rest-api-versioning.html).
 *
 * - Syntax: `resource=X.Y, protocol=P.Q`, in any order, `protocol` optional.
 * - A route version V serves a requested R when V.major == R.major and V.minor >= R.minor;
 *   among those the highest is served (forgerock-http ResourceApiVersionRouteMatcher).
 * - No `resource=` requested: the latest version is served, and the caller is warned.
 * - No version matches: 404 with an empty body.
 * The version served is always echoed in `Content-API-Version`.
 */
import { AmError, Errors } from './errors.js';

export interface Version {
  readonly major: number;
  readonly minor: number;
}

export interface RequestedVersion {
  /** The requested resource version, absent when the header (or its `resource=` part) is. */
  readonly resource: Version | undefined;
  readonly protocol: Version | undefined;
  /** True when the request carried no `Accept-API-Version` header at all. */
  readonly headerMissing: boolean;
}

/** The two warnings AIC adds when a request has no `Accept-API-Version` [doc-AIC]. */
export const MISSING_VERSION_WARNINGS = [
  '100 OpenAM REST "No Accept-API-Version specified"',
  '100 chf "Accept-API-Version should be included in the request."',
] as const;

const VERSION_PATTERN = /^(\d{1,4})(?:\.(\d{1,4}))?$/;

export function parseVersion(text: string): Version | undefined {
  const match = VERSION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return Object.freeze({ major: Number(match[1]), minor: match[2] === undefined ? 0 : Number(match[2]) });
}

export function formatVersion(version: Version): string {
  return `${version.major}.${version.minor}`;
}

export function v(text: string): Version {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`not a version: ${text}`);
  return parsed;
}

/**
 * Parses the header. A malformed header is a client error, answered 400 as AM answers a
 * header its `AcceptApiVersionHeader` cannot parse (docs/fidelity.md).
 */
export function parseAcceptApiVersion(header: string | string[] | undefined): RequestedVersion {
  if (header === undefined) return NO_HEADER;
  const text = Array.isArray(header) ? header.join(',') : header;
  // Clients send one or two distinct headers over and over: each is parsed once. Refusals are
  // not kept, and the cache is bounded (emptied when full).
  const cached = parsedHeaders.get(text);
  if (cached) return cached;
  const parsed = Object.freeze(parseHeaderText(text));
  if (parsedHeaders.size >= PARSED_HEADERS_KEPT) parsedHeaders.clear();
  parsedHeaders.set(text, parsed);
  return parsed;
}

const NO_HEADER: RequestedVersion = Object.freeze({ resource: undefined, protocol: undefined, headerMissing: true });
const PARSED_HEADERS_KEPT = 256;
const parsedHeaders = new Map<string, RequestedVersion>();

function parseHeaderText(text: string): RequestedVersion {
  let resource: Version | undefined;
  let protocol: Version | undefined;
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) throw malformed(text);
    const name = trimmed.slice(0, eq).trim().toLowerCase();
    const version = parseVersion(trimmed.slice(eq + 1));
    if (!version) throw malformed(trimmed.slice(eq + 1).trim());
    if (name === 'resource') resource = version;
    else if (name === 'protocol') protocol = version;
    else throw malformed(text);
  }
  return { resource, protocol, headerMissing: false };
}

/** CHF's message for a version it cannot parse. */
function malformed(text: string): AmError {
  return Errors.badRequest(`Version string is in an invalid format: ${truncate(text)}`);
}

/**
 * CREST accepts protocol versions up to 2.1: a major above 2 or a minor above 1 is refused
 * (forgerock commons HttpUtils). AIC serves protocol 2.x requests [real: the 2026 serverinfo recording], unlike OpenAM.
 */
export function checkCrestProtocol(protocol: Version | undefined): void {
  if (!protocol) return;
  if (protocol.major > 2) throw Errors.badRequest(`Unsupported major version: ${formatVersion(protocol)}`);
  if (protocol.minor > 1) throw Errors.badRequest(`Unsupported minor version: ${formatVersion(protocol)}`);
}

function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}

/**
 * Picks the version a resource serves for a request, or throws AM's 404-with-empty-body.
 * `available` must be sorted ascending.
 */
export function negotiate(available: readonly Version[], requested: RequestedVersion): Version {
  const wanted = requested.resource;
  if (wanted === undefined) {
    const latest = available[available.length - 1];
    if (!latest) throw Errors.versionNotSupported();
    return latest;
  }
  let chosen: Version | undefined;
  for (const candidate of available) {
    if (candidate.major === wanted.major && candidate.minor >= wanted.minor) chosen = candidate;
  }
  if (!chosen) throw Errors.versionNotSupported();
  return chosen;
}
