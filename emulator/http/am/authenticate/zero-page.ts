/**
 * Zero-page login headers (am-rest-facts §3.1): `X-OpenAM-Username` and `X-OpenAM-Password`,
 * plain or as RFC 2047 encoded-words (`=?UTF-8?B?<base64>?=`, `=?UTF-8?Q?<quoted>?=`) for
 * non-ASCII values. AM decodes them with MimeUtility.decodeText and keeps the raw value when
 * decoding fails; so do we.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Credentials } from '../../../journeys/authenticator.js';

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

export function decodeRfc2047(value: string): string {
  if (!value.includes('=?')) return value;
  try {
    // Whitespace between adjacent encoded-words is not part of the text (RFC 2047 §6.2).
    const joined = value.replace(/\?=\s+=\?/g, '?==?');
    return joined.replace(ENCODED_WORD, (_match, charset: string, encoding: string, text: string) => {
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQ(text);
      return new TextDecoder(charset.toLowerCase(), { fatal: true }).decode(bytes);
    });
  } catch {
    return value;
  }
}

function decodeQ(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

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
