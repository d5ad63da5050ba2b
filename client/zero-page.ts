/**
 * Zero-page login headers (AIC docs, "Log in over REST", UTF-8 usernames and passwords):
 * `X-OpenAM-Username` and `X-OpenAM-Password`.
 * HTTP header values are Latin-1 at best, so AM reads RFC 2047 encoded words for anything else;
 * a password with `é` or `€` has to go as `=?UTF-8?B?<base64>?=` or it cannot be sent at all.
 */
const PLAIN = /^[\x20-\x7e]*$/;

export function encodeZeroPageHeader(value: string): string {
  return PLAIN.test(value) && !value.startsWith('=?')
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}
