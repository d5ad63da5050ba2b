/**
 * AM-shaped identifiers for sessions, in the formats recorded on AIC (frodo-lib's test recordings,
 * 2022) and PingAM's CTS token reference (session handles).
 *
 * A server-side session token on AIC looks like
 * `S4aBkinY3L0Sh2B4jD3vml16N_c.*AAJTSQACMDIAAlNLABx...AAIwMQ..*`: 27 URL-safe base64 characters,
 * `.*`, a base64 "extension" blob (with `=` written as `.`), `*`. The blob encodes the keys
 * SI (server id "02" on AIC), SK (a 28-character storage key), type ("CTS") and S1 (site id
 * "01"), each as a two-byte length and the bytes. Our 27 characters carry 160 bits from the
 * crypto RNG, and so does the storage key: nothing in a token is guessable or sequential.
 */
import { randomFillSync, randomUUID } from 'node:crypto';

/**
 * Random bytes from the crypto RNG, drawn from a refilled pool: one call into the RNG per 4 KiB
 * instead of one per token (issuing a token is on the login path).
 */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomBytes(size: number): Buffer {
  if (poolOffset + size > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  pool.fill(0, poolOffset, poolOffset + size);
  poolOffset += size;
  return bytes;
}

/**
 * One flat string. Concatenation makes V8 rope strings (ConsStrings) that keep every piece alive:
 * a token built with a template literal costs ~345 heap bytes instead of ~135, and a million
 * stored sessions hold three such identifiers each (bench/results.md, "Memory").
 */
function flat(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/** A length-prefixed field of the extension blob: a two-byte length and the bytes, name then value. */
function field(name: string, value: string): number[] {
  const bytes: number[] = [];
  for (const part of [name, value]) {
    bytes.push(part.length >> 8, part.length & 0xff);
    for (let i = 0; i < part.length; i += 1) bytes.push(part.charCodeAt(i));
  }
  return bytes;
}

/**
 * The blob's bytes around the 28-character storage key, which is the only part that varies
 * (SI "02", SK <key>, type, S1 "01").
 */
const STORAGE_KEY_LENGTH = 28;
function blobTemplate(type: string): { bytes: Buffer; keyAt: number } {
  const before = [
    ...field('SI', '02'),
    ...field('SK', '').slice(0, 4),
    STORAGE_KEY_LENGTH >> 8,
    STORAGE_KEY_LENGTH & 0xff,
  ];
  const after = [...field('type', type), ...field('S1', '01')];
  const bytes = Buffer.alloc(before.length + STORAGE_KEY_LENGTH + after.length);
  bytes.set(before, 0);
  bytes.set(after, before.length + STORAGE_KEY_LENGTH);
  return { bytes, keyAt: before.length };
}
const BLOB_TEMPLATES = { CTS: blobTemplate('CTS'), CTS_AUTH: blobTemplate('CTS_AUTH') };

function extensionBlob(type: 'CTS' | 'CTS_AUTH'): string {
  const { bytes, keyAt } = BLOB_TEMPLATES[type];
  bytes.write(randomBytes(20).toString('base64'), keyAt, STORAGE_KEY_LENGTH, 'latin1');
  return bytes.toString('base64').replace(/=/g, '.');
}

/** A new session token in AIC's format. `type` is CTS for authenticated sessions. */
export function newTokenId(type: 'CTS' | 'CTS_AUTH' = 'CTS'): string {
  return flat(`${randomBytes(20).toString('base64url')}.*${extensionBlob(type)}*`);
}

/** A session handle: `shandle:` and an opaque token-like value (PingAM docs, "Manage sessions using REST"). */
export function newSessionHandle(): string {
  return flat(`shandle:${randomBytes(20).toString('base64url')}.*${extensionBlob('CTS')}*`);
}

/** The shape every token we issue has; anything else can be rejected without a lookup. */
export const TOKEN_ID_PATTERN = /^[A-Za-z0-9_-]{27}\.\*[A-Za-z0-9+/.]+\*$/;
export const SESSION_HANDLE_PATTERN = /^shandle:[A-Za-z0-9_-]{27}\.\*[A-Za-z0-9+/.]+\*$/;

/**
 * AMCtxId / sessionUid values: `<uuid>-<decimal counter>`, e.g.
 * `86d527f2-3667-4c8e-bfd8-3bf1b9517d24-302` [real]. One UUID per emulator instance, one
 * counter per issued id, as AM's audit context ids are.
 */
export class ContextIdSequence {
  private readonly prefix = randomUUID();
  private counter = 0;

  constructor(start = 100) {
    this.counter = start;
  }

  next(): string {
    this.counter += 1;
    return flat(`${this.prefix}-${this.counter}`);
  }
}
