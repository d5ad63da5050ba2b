/**
 * Security answers (KBA) as IDM stores them: each `kbaInfo` entry's `answer` kept as a salted
 * SHA-256 hash in IDM's `$crypto` form, never as text, and checked against an answer given later
 * (AM's KbaVerifyNode: `cryptoService.matches(Answers.normaliseAnswer(given), stored)`).
 *
 * The form, as AM's own test fixture holds it (am-external 8.0.2,
 * idm-integration-nodes/src/test/resources/KbaVerifyNode/idmUserObject.json):
 * `{"$crypto":{"value":{"algorithm":"SHA-256","data":"<base64>"},"type":"salted-hash"}}`, where
 * the data is SHA-256(answer ‖ salt) followed by the 16-byte salt (checked against the fixture's
 * answers, "test" and "bar"). The normalisation (`Answers.normaliseAnswer`, closed source) is
 * taken as trimmed and lower-cased: docs/fidelity.md, "Nodes".
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** The answer as IDM hashes and compares it (inferred: trimmed, lower case). */
export function normaliseKbaAnswer(answer: string): string {
  return answer.trim().toLowerCase();
}

/** A stored answer: IDM's salted-hash `$crypto` object. */
export function hashKbaAnswer(answer: string, salt: Buffer = randomBytes(SALT_BYTES)): Record<string, unknown> {
  const hash = createHash('sha256').update(normaliseKbaAnswer(answer), 'utf8').update(salt).digest();
  return {
    $crypto: {
      value: { algorithm: 'SHA-256', data: Buffer.concat([hash, salt]).toString('base64') },
      type: 'salted-hash',
    },
  };
}

/** Does the answer given match the stored one (a `$crypto` salted hash, or text a seed put there)? */
export function kbaAnswerMatches(given: string, stored: unknown): boolean {
  if (typeof stored === 'string') return normaliseKbaAnswer(stored) === normaliseKbaAnswer(given);
  const data = saltedHashData(stored);
  if (data === undefined) return false;
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length <= HASH_BYTES) return false;
  const expected = bytes.subarray(0, HASH_BYTES);
  const salt = bytes.subarray(HASH_BYTES);
  const actual = createHash('sha256').update(normaliseKbaAnswer(given), 'utf8').update(salt).digest();
  return timingSafeEqual(actual, expected);
}

function saltedHashData(stored: unknown): string | undefined {
  if (!stored || typeof stored !== 'object') return undefined;
  const crypto = (stored as Record<string, unknown>)['$crypto'];
  if (!crypto || typeof crypto !== 'object') return undefined;
  const { type, value } = crypto as Record<string, unknown>;
  if (type !== 'salted-hash' || !value || typeof value !== 'object') return undefined;
  const { algorithm, data } = value as Record<string, unknown>;
  return algorithm === 'SHA-256' && typeof data === 'string' ? data : undefined;
}

/**
 * A `kbaInfo` value as IDM stores it: every entry whose `answer` is text gets it hashed; anything
 * else (hashed answers, a counter property, values of other shapes) is kept as it is.
 */
export function hashKbaInfo(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((entry: unknown) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return entry;
    const answer = (entry as Record<string, unknown>)['answer'];
    return typeof answer === 'string' ? { ...entry, answer: hashKbaAnswer(answer) } : entry;
  });
}
