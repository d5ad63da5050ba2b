/**
 * An OAuth 2.0 error answer (RFC 6749 §5.2): `{error, error_description}`, status 400 unless
 * said otherwise (401 for a client that failed to authenticate, with WWW-Authenticate).
 */
export class OAuth2Error extends Error {
  override name = 'OAuth2Error';

  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${error}: ${description}`);
  }

  /** AM's error map: with the request's `state`, when it had one. */
  toBody(state?: string | null): { error_description: string; error: string; state?: string } {
    return {
      error_description: this.description,
      error: this.error,
      ...(state !== undefined && state !== null ? { state } : {}),
    };
  }
}

/** AM's wording for a code or token that cannot be used (unknown, expired, used, revoked, another client's). */
export const INVALID_GRANT = 'The provided access grant is invalid, expired, or revoked.';
