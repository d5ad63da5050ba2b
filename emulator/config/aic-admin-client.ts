/**
 * The OAuth 2.0 client every AIC tenant has in its root realm for its administrators:
 * `idmAdminClient`, the admin console's and frodo's way to a bearer token for IDM and the ESV API
 * (public, PKCE, code flow, redirecting to the tenant's own `/platform/appAuthHelperRedirect.html`)
 * [real: frodo's recordings of AIC, aic-admin-oauth2-login-pkce.har; src: frodo-lib
 * AuthenticateOps.ts]. Its scopes are AIC's admin scopes without `fr:am:*`, which AIC refuses to
 * it (`invalid_scope`) [real: agiledigital-labs/pingone-aic-manager docs/api/00-auth.md].
 */
import type { OAuth2ClientSeed } from './config-types.js';

export const AIC_ADMIN_CLIENT_ID = 'idmAdminClient';

/** The scopes an AIC tenant offers its administrators (frodo-lib Constants.ts, AVAILABLE_SCOPES less fr:am:*). */
export const AIC_ADMIN_SCOPES: readonly string[] = [
  'openid',
  'fr:idm:*',
  'fr:idc:analytics:*',
  'fr:idc:certificate:*',
  'fr:idc:content-security-policy:*',
  'fr:idc:cookie-domain:*',
  'fr:idc:custom-domain:*',
  'fr:idc:direct-configuration:session:*',
  'fr:idc:esv:*',
  'fr:idc:federation:*',
  'fr:idc:promotion:*',
  'fr:idc:proxy-connect:*',
  'fr:idc:release:*',
  'fr:idc:sso-cookie:*',
  'fr:idc:ws:admin',
  'fr:autoaccess:*',
  'fr:iga:*',
];

export const AIC_ADMIN_CLIENT: OAuth2ClientSeed = {
  realm: '/',
  clientId: AIC_ADMIN_CLIENT_ID,
  clientType: 'Public',
  tokenEndpointAuthMethod: 'none',
  // Relative: the tenant's own host, whichever name the caller used for it.
  redirectionUris: ['/platform/appAuthHelperRedirect.html'],
  postLogoutRedirectUri: ['/platform/appAuthHelperRedirect.html'],
  scopes: [...AIC_ADMIN_SCOPES],
  defaultScopes: ['openid', 'fr:idm:*'],
  // No refresh token in AIC's answer (recorded).
  grantTypes: ['authorization_code'],
};
