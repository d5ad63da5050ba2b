import type { Rt } from './types.js';

/**
 * Next-gen `utils`: base64 and base64url over UTF-8, `crypto` (randomUUID, getRandomValues) drawn
 * from the run's own random bytes, and `types` (strings to byte arrays and back).
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installUtils(rt: Rt): void {
  const { Object: _Object, String: _String, Array: _Array } = rt;
  const randomBytes: number[] = rt.input.random ?? [];
  let randomIndex = 0;
  const nextByte = () => randomBytes[randomIndex++ % 64] ?? 0;

  function base64Encode(text: string): string {
    const bytes = unescape(encodeURIComponent(text));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes.charCodeAt(i) << 16) | ((bytes.charCodeAt(i + 1) || 0) << 8) | (bytes.charCodeAt(i + 2) || 0);
      out +=
        alphabet[(n >> 18) & 63]! +
        alphabet[(n >> 12) & 63]! +
        (i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : '=') +
        (i + 2 < bytes.length ? alphabet[n & 63]! : '=');
    }
    return out;
  }

  function base64Decode(text: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const clean = _String(text).replace(/[^A-Za-z0-9+/]/g, '');
    let bytes = '';
    for (let i = 0; i < clean.length; i += 4) {
      const n =
        (alphabet.indexOf(clean[i]!) << 18) |
        (alphabet.indexOf(clean[i + 1] ?? 'A') << 12) |
        ((alphabet.indexOf(clean[i + 2] ?? 'A') & 63) << 6) |
        (alphabet.indexOf(clean[i + 3] ?? 'A') & 63);
      bytes += _String.fromCharCode((n >> 16) & 255);
      if (i + 2 < clean.length) bytes += _String.fromCharCode((n >> 8) & 255);
      if (i + 3 < clean.length) bytes += _String.fromCharCode(n & 255);
    }
    try {
      return decodeURIComponent(escape(bytes));
    } catch {
      return bytes;
    }
  }

  function makeUtils(): object {
    const url = (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const fromUrl = (s: string) => _String(s).replace(/-/g, '+').replace(/_/g, '/');
    return _Object.freeze({
      base64: _Object.freeze({
        encode: (s: any) => base64Encode(_String(s)),
        decode: (s: any) => base64Decode(_String(s)),
        btoa: (s: any) => base64Encode(_String(s)),
        atob: (s: any) => base64Decode(_String(s)),
      }),
      base64url: _Object.freeze({
        encode: (s: any) => url(base64Encode(_String(s))),
        decode: (s: any) => base64Decode(fromUrl(s)),
      }),
      crypto: _Object.freeze({
        randomUUID: () => {
          const hex = Array.from({ length: 16 }, () => nextByte());
          hex[6] = (hex[6]! & 0x0f) | 0x40;
          hex[8] = (hex[8]! & 0x3f) | 0x80;
          const h = hex.map((b) => b.toString(16).padStart(2, '0')).join('');
          return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
        },
        getRandomValues: (array: any) => {
          for (let i = 0; i < array.length; i += 1) array[i] = nextByte();
          return array;
        },
      }),
      types: _Object.freeze({
        stringToBytes: (s: any) =>
          _String(s)
            .split('')
            .map((c) => c.charCodeAt(0)),
        bytesToString: (b: any) =>
          _Array
            .from(b as number[])
            .map((c: number) => _String.fromCharCode(c))
            .join(''),
      }),
    });
  }

  rt.makeUtils = makeUtils;
}
