/**
 * RFC 2047 encoded-words (`=?UTF-8?B?<base64>?=`, `=?UTF-8?Q?<quoted>?=`), as AM decodes the
 * zero-page login headers with JavaMail's MimeUtility.decodeText: the raw value is kept when
 * decoding fails.
 */
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** The text of a header value that may hold encoded-words; the value itself when it cannot be decoded. */
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
