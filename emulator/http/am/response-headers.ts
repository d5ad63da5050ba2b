/**
 * The headers an AIC tenant puts on AM JSON answers (as recorded on AIC, 2022–2026: frodo's test recordings).
 * CREST resources (sessions, users, serverinfo) add a locked-down CSP and cross-origin policies;
 * `/authenticate` does not. Google front-end headers (`via`, `alt-svc`) and HSTS are left out:
 * the emulator serves plain HTTP (docs/fidelity.md).
 */
import { formatVersion, MISSING_VERSION_WARNINGS, type Version } from './versioning.js';

export type AnswerKind = 'crest' | 'serverinfo' | 'authenticate';

export const CREST_CONTENT_TYPE = 'application/json;charset=UTF-8';
export const AUTHENTICATE_CONTENT_TYPE = 'application/json';

export function amHeaders(options: {
  kind: AnswerKind;
  transactionId: string;
  version: Version | undefined;
  versionHeaderMissing: boolean;
  /** `users` answers with `protocol=2.0,resource=4.1, resource=4.1` when asked for protocol 2 [real]. */
  echoProtocol?: Version | undefined;
}): Record<string, string | string[]> {
  const { kind } = options;
  const headers: Record<string, string | string[]> = {
    // Recorded in 2026: DENY on CREST resources, SAMEORIGIN on authenticate [real: the 2026 admin-login recording].
    'x-frame-options': kind === 'authenticate' ? 'SAMEORIGIN' : 'DENY',
    'x-content-type-options': 'nosniff',
    'cache-control': kind === 'serverinfo' ? 'no-store' : 'private',
    expires: '0',
    pragma: 'no-cache',
    'x-forgerock-transactionid': options.transactionId,
    'x-robots-tag': 'none',
  };
  if (kind !== 'authenticate') {
    headers['content-security-policy'] = "default-src 'none';frame-ancestors 'none';sandbox";
    headers['cross-origin-opener-policy'] = 'same-origin';
    headers['cross-origin-resource-policy'] = 'same-origin';
  }
  if (options.version) {
    const resource = `resource=${formatVersion(options.version)}`;
    headers['content-api-version'] = options.echoProtocol
      ? `protocol=${formatVersion(options.echoProtocol)},${resource}, ${resource}`
      : resource;
  }
  if (options.versionHeaderMissing) headers['warning'] = [...MISSING_VERSION_WARNINGS];
  return headers;
}
