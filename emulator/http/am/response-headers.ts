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

export interface AmHeaderOptions {
  kind: AnswerKind;
  transactionId: string;
  version: Version | undefined;
  versionHeaderMissing: boolean;
  /** `users` answers with `protocol=2.0,resource=4.1, resource=4.1` when asked for protocol 2 [real]. */
  echoProtocol?: Version | undefined;
}

/**
 * AM's headers for an answer but its content type, in the order AIC sends them, added to `into`
 * (a fresh object by default): the block made once per variant (kind, version served, version
 * header missing, protocol echoed), with the request's transaction id.
 */
export function amHeaders(
  options: AmHeaderOptions,
  into: Record<string, string | string[] | number> = {},
): Record<string, string | string[] | number> {
  const block = headerBlock(options);
  for (const name in block) into[name] = block[name] as string | string[];
  into['x-forgerock-transactionid'] = options.transactionId;
  return into;
}

/**
 * The few variants an emulator ever answers with, each made once: by kind, then by the version
 * served (one of the resources' own Version objects), then by whether the warning is due. The
 * protocol echo of `users` (rare) is keyed by its text. Bounded all the same.
 */
const BLOCKS_KEPT = 256;
type Block = Readonly<Record<string, string | string[]>>;
type ByVersion = Map<Version | undefined, [Block | undefined, Block | undefined]>;
const blocks = new Map<AnswerKind, ByVersion>();
const echoBlocks = new Map<string, Block>();

function headerBlock(options: AmHeaderOptions): Block {
  const { kind, version, versionHeaderMissing, echoProtocol } = options;
  if (echoProtocol) {
    const key = `${kind} ${version ? formatVersion(version) : '-'} ${versionHeaderMissing ? 'w' : '-'} ${formatVersion(echoProtocol)}`;
    let block = echoBlocks.get(key);
    if (!block) {
      if (echoBlocks.size >= BLOCKS_KEPT) echoBlocks.clear();
      echoBlocks.set(key, (block = makeBlock(options)));
    }
    return block;
  }
  let byVersion = blocks.get(kind);
  if (!byVersion) blocks.set(kind, (byVersion = new Map() as ByVersion));
  let pair = byVersion.get(version);
  if (!pair) {
    if (byVersion.size >= BLOCKS_KEPT) byVersion.clear();
    byVersion.set(version, (pair = [undefined, undefined]));
  }
  const index = versionHeaderMissing ? 1 : 0;
  return (pair[index] ??= makeBlock(options));
}

function makeBlock(options: AmHeaderOptions): Block {
  const { kind, version, versionHeaderMissing, echoProtocol } = options;
  const headers: Record<string, string | string[]> = {
    // Recorded in 2026: DENY on CREST resources, SAMEORIGIN on authenticate [real: the 2026 admin-login recording].
    'x-frame-options': kind === 'authenticate' ? 'SAMEORIGIN' : 'DENY',
    'x-content-type-options': 'nosniff',
    'cache-control': kind === 'serverinfo' ? 'no-store' : 'private',
    expires: '0',
    pragma: 'no-cache',
    // Its place in the order; amHeaders gives each answer its own.
    'x-forgerock-transactionid': '',
    'x-robots-tag': 'none',
  };
  if (kind !== 'authenticate') {
    headers['content-security-policy'] = "default-src 'none';frame-ancestors 'none';sandbox";
    headers['cross-origin-opener-policy'] = 'same-origin';
    headers['cross-origin-resource-policy'] = 'same-origin';
  }
  if (version) {
    const resource = `resource=${formatVersion(version)}`;
    headers['content-api-version'] = echoProtocol
      ? `protocol=${formatVersion(echoProtocol)},${resource}, ${resource}`
      : resource;
  }
  if (versionHeaderMissing) headers['warning'] = [...MISSING_VERSION_WARNINGS];
  return Object.freeze(headers);
}
