/**
 * Zero-page login headers (AIC docs, "Log in over REST", UTF-8 usernames and passwords):
 * `X-OpenAM-Username` and `X-OpenAM-Password`, plain or as RFC 2047 encoded-words
 * (`=?UTF-8?B?<base64>?=`, `=?UTF-8?Q?<quoted>?=`) for non-ASCII values. AM decodes them with
 * MimeUtility.decodeText and keeps the raw value when decoding fails; so do we.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Credentials } from '../../../journeys/authenticator.js';
import { decodeRfc2047 } from '../../../core/rfc2047.js';

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Both headers, decoded, or undefined when either is missing or empty (AM ignores empty values). */
export function zeroPageCredentials(headers: IncomingHttpHeaders): Credentials | undefined {
  const username = single(headers['x-openam-username']);
  const password = single(headers['x-openam-password']);
  if (!username || !password) return undefined;
  return { username: decodeRfc2047(username), password: decodeRfc2047(password) };
}
