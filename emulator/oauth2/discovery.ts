/**
 * The OpenID Connect discovery document (`.well-known/openid-configuration`) and the JWKS, as AM
 * generates them for a realm. The lists say what AIC advertises; where the emulator does less (it
 * serves the code flow, refresh and client credentials grants), the `grant_types_supported` and
 * `response_types_supported` lists say what it serves, so that a client chooses what works.
 */
import type { SigningKeys } from './keys.js';
import { endpointBaseOf, issuerOf, type OAuth2Site } from './services.js';

const AUTH_METHODS = ['client_secret_post', 'none', 'client_secret_basic'];

export function discoveryDocument(site: OAuth2Site): Record<string, unknown> {
  const base = endpointBaseOf(site);
  return {
    issuer: issuerOf(site),
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/access_token`,
    userinfo_endpoint: `${base}/userinfo`,
    introspection_endpoint: `${base}/introspect`,
    revocation_endpoint: `${base}/token/revoke`,
    end_session_endpoint: `${base}/connect/endSession`,
    jwks_uri: `${base}/connect/jwk_uri`,
    scopes_supported: ['address', 'phone', 'openid', 'profile', 'email', 'am-introspect-all-tokens'],
    response_types_supported: ['code', 'none'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['plain', 'S256'],
    prompt_values_supported: ['none', 'login', 'consent'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    userinfo_signing_alg_values_supported: [],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    require_request_uri_registration: false,
    require_pushed_authorization_requests: false,
    claims_supported: [
      'sub',
      'subname',
      'name',
      'given_name',
      'family_name',
      'email',
      'address',
      'phone_number',
      'zoneinfo',
      'locale',
    ],
    acr_values_supported: [],
    version: '3.0',
  };
}

export function jwksDocument(keys: SigningKeys): { keys: readonly unknown[] } {
  return { keys: keys.jwks.keys };
}
