/**
 * Social identity providers in the config (`socialIdentityProviders`): AM's Social Identity
 * Provider Service (`realm-config/services/SocialIdentityProviders`), one entry per provider and
 * realm, in the shape frodo exports it (`<name>.idp.json`: `{_id, _type: {_id: "oidcConfig"}, clientId,
 * authorizationEndpoint, tokenEndpoint, userInfoEndpoint, redirectURI, scopes, pkceMethod,
 * clientAuthenticationMethod, uiConfig, transform, ...}`). The Select Identity Provider and Social
 * Provider Handler nodes read them (journeys/nodes/social-nodes.ts).
 *
 * ```json
 * "socialIdentityProviders": { "alpha": { "google": { "_type": { "_id": "googleConfig" }, "clientId": "..." } } }
 * ```
 */

/** One provider, as AM's service holds it (attributes the emulator does not use are kept as given). */
export interface SocialIdentityProviderConfig {
  /** The provider's name (the key it is listed under, when absent). */
  _id?: string;
  /** The client type: `oidcConfig`, `oauth2Config`, `googleConfig`, `microsoftConfig`, `appleConfig`... */
  _type?: { _id: string; name?: string; collection?: boolean };
  /** Default true. */
  enabled?: boolean;
  clientId: string;
  /** AM stores it (write-only on AM's REST); here in clear, for the code exchange. */
  clientSecret?: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userInfoEndpoint?: string;
  /** Where the provider sends the browser back (the login page, which resumes the journey). */
  redirectURI: string;
  scopes?: string[];
  /** Default `" "`. */
  scopeDelimiter?: string;
  /** The profile attribute that identifies the user at the provider (OAuth2 providers; OIDC uses `sub`). */
  authenticationIdKey?: string;
  /** `S256` (AIC's default), `PLAIN` or `NONE`. */
  pkceMethod?: string;
  /** `CLIENT_SECRET_POST` (default) or `CLIENT_SECRET_BASIC`. */
  clientAuthenticationMethod?: string;
  /** OIDC: the issuer an ID token must name. */
  issuer?: string;
  acrValues?: string[];
  /** The normalization script (SOCIAL_IDP_PROFILE_TRANSFORMATION) by id. */
  transform?: string;
  uiConfig?: Record<string, unknown>;
  [attribute: string]: unknown;
}

/** Realm (`alpha`, `/alpha`, `root`, `/`) → provider name → provider. */
export type SocialIdentityProvidersConfig = Record<string, Record<string, SocialIdentityProviderConfig>>;

const text = { type: 'string', minLength: 1, maxLength: 2048 } as const;

export const SOCIAL_IDENTITY_PROVIDERS_SCHEMA = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['clientId', 'authorizationEndpoint', 'tokenEndpoint', 'redirectURI'],
      properties: {
        _id: text,
        _type: { type: 'object', required: ['_id'], properties: { _id: text } },
        enabled: { type: 'boolean' },
        clientId: text,
        clientSecret: { type: 'string', maxLength: 2048 },
        authorizationEndpoint: text,
        tokenEndpoint: text,
        userInfoEndpoint: { type: 'string', maxLength: 2048 },
        redirectURI: text,
        scopes: { type: 'array', items: { type: 'string' } },
        scopeDelimiter: { type: 'string' },
        authenticationIdKey: { type: 'string' },
        pkceMethod: { type: 'string', enum: ['S256', 'PLAIN', 'NONE'] },
        clientAuthenticationMethod: { type: 'string' },
        issuer: { type: 'string' },
        acrValues: { type: 'array', items: { type: 'string' } },
        transform: { type: 'string' },
        uiConfig: { type: 'object' },
      },
    },
  },
} as const;
