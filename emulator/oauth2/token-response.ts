/** What the token endpoint answers on success (RFC 6749 §5.1, AIC's key order). */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: string;
  id_token?: string;
  token_type: 'Bearer';
  expires_in: number;
}
