/**
 * The three encodings of a script's source in exports (recognised by shape: the emulator's rule, see
 * docs/fidelity.md "Journeys"):
 * - AIC admin-UI export: `JSON.stringify(source)`, a string that is itself a JSON string;
 * - frodo (default): an array of lines;
 * - AM REST and amster: base64.
 * Anything else is taken as the source itself.
 */
const BASE64 = /^(?:[0-9a-zA-Z+/]{4})*(?:[0-9a-zA-Z+/]{2}==|[0-9a-zA-Z+/]{3}=)?$/;

export function decodeScript(value: unknown): string {
  if (Array.isArray(value)) return value.map((line) => String(line)).join('\n');
  if (typeof value !== 'string')
    throw new Error(`a script's source must be a string or an array of lines, not ${typeof value}`);
  const trimmed = value.trim();
  if (trimmed.startsWith('"') && trimmed.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // not a JSON string after all: fall through
    }
  }
  if (trimmed.length > 0 && trimmed.length % 4 === 0 && BASE64.test(trimmed)) {
    const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
    // Base64 of source text decodes to printable text; a short identifier that merely looks like base64 does not.
    if (!decoded.includes('\uFFFD') && /^[\s\S]*$/.test(decoded) && !/[\x00-\x08\x0e-\x1f]/.test(decoded))
      return decoded;
  }
  return value;
}
