/**
 * Matchers with the real formats (AIC's docs, "Manage sessions over REST", and AIC traffic recorded
 * by frodo's tests): a contract never pins a value that differs per tenant or per run, only its
 * shape. Each example is a value of the real format, taken from those recordings or the docs'
 * examples.
 */
import { MatchersV3 } from '@pact-foundation/pact';

const { regex, fromProviderState } = MatchersV3;

/**
 * A session token: 27 URL-safe base64 characters, `.*`, the extension blob, `*` (as recorded on AIC
 * in 2022: frodo-lib's PasswordGrant login recordings; the example is from them).
 */
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{27}\\.\\*[A-Za-z0-9+/.=_-]+\\*$';
export const EXAMPLE_TOKEN =
  'ptBVkkHnSFpZF19QxFNinyHNBa0.*AAJTSQACMDIAAlNLABx0SWI2MEVsMzFQQ0RWdDZSdk1sZmlSRE8zOHM9AAR0eXBlAANDVFMAAlMxAAIwMQ..*';
export const token = () => regex(TOKEN_PATTERN, EXAMPLE_TOKEN);

/** A session handle: `shandle:` and a token-like value (PingAM docs, "Manage sessions using REST"). */
export const HANDLE_PATTERN = '^shandle:[A-Za-z0-9_-]{27}\\.\\*[A-Za-z0-9+/.=_-]+\\*$';
export const EXAMPLE_HANDLE = `shandle:${EXAMPLE_TOKEN}`;
export const handle = () => regex(HANDLE_PATTERN, EXAMPLE_HANDLE);

/** An identity's `_id` on AIC: a UUID (`username` in the AIC docs' getSessionInfo example). */
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
export const EXAMPLE_USER_ID = 'b0f30dfb-4e01-457e-a567-c258a74e4fe2';
export const uuid = (example = EXAMPLE_USER_ID) => regex(UUID_PATTERN, example);

/** The audit transaction id AM keeps in the session's `AMCtxId` property: `<uuid>-<counter>`. */
export const AMCTXID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\\d+$';
export const amCtxId = () => regex(AMCTXID_PATTERN, 'b9275f8c-fa83-4455-bdac-d27e8d538a8f-215815');

/** Session times: ISO-8601 UTC to the second, `Z` (the AIC docs' getSessionInfo example). */
export const SECONDS_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$';
export const isoSeconds = (example = '2024-01-12T13:49:25Z') => regex(SECONDS_PATTERN, example);

/** The universal id of an alpha user: `id=<uuid>,ou=user,o=alpha,ou=services,ou=am-config`. */
export const universalId = () =>
  regex(
    '^id=[0-9a-f-]{36},ou=user,o=alpha,ou=services,ou=am-config$',
    `id=${EXAMPLE_USER_ID},ou=user,o=alpha,ou=services,ou=am-config`,
  );

/** The authId of a journey step: a compact JWS (as recorded on AIC; the example is cut from one). */
export const authId = () =>
  regex(
    '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
    'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJvdGsiOiI1YWJ1cHNzMG91ZmJlaTBtNHFkaGxiM2kwYSJ9.03F0nxUPAEjfXkUlmdhqQs_gpWcAlc14QapSKwzI3-0',
  );

/**
 * Values the provider state sets up and the verifier injects (`${name}` expressions): a tokenId,
 * a user's `_id`, an admin bearer token. The example is what the consumer test sends.
 */
export const fromState = (expression: string, example: string) => fromProviderState(expression, example);

/**
 * The contracts name the tenant cookie as AM's classic default does; the provider verification
 * maps it to the tenant's own name (discovered from serverinfo), which differs per tenant.
 */
export const CONTRACT_COOKIE_NAME = 'iPlanetDirectoryPro';

/**
 * The OAuth2 clients the contract uses. The public one is named as in the ForgeRock/Ping SDK
 * tutorials ("Configure the authorization server": `sdkPublicClient`, Public, PKCE, implied
 * consent); the confidential one differs per tenant, and its `Authorization: Basic` header comes
 * from a provider state. A real tenant must have them (contracts/README.md).
 *
 * The redirect URI is a native app's private-use URI scheme redirect, in RFC 8252 §7.1's form
 * (`com.example.app:/oauth2redirect`), not a loopback `http://` one: Pact's verifier follows
 * redirects (pact-js does not expose pact_ffi's `follow_redirects` setting), so the 302 of
 * `authorize` and `endSession` to `http://127.0.0.1/...` would send it to a server that is not
 * there, while a redirect to a scheme without an authority is left alone and the 302 itself is
 * checked. To the client the URI makes no difference: it reads the code from `Location` and never
 * visits it. (AM takes any absolute URI a client registered.)
 */
export const CONTRACT_PUBLIC_CLIENT = 'sdkPublicClient';
export const CONTRACT_REDIRECT_URI = 'com.example.app:/oauth2redirect';
export const CONTRACT_POST_LOGOUT_URI = 'com.example.app:/logout';
/** The scopes the contract's code flow asks for. */
export const CONTRACT_SCOPE = 'openid profile';

/**
 * A compact JWT, signed (3 parts) or encrypted (5 parts): an ID token is one (OpenID Connect Core 1.0,
 * section 2). The example is cut from one.
 */
export const jwt = () =>
  regex(
    '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*)?$',
    'eyJ0eXAiOiJKV1QiLCJraWQiOiJob0tZU0FMdEM3NHlkOUg0K0tBdHhTbkZzcXc9IiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJiMGYzMGRmYiJ9.c2lnbmF0dXJl',
  );

/** A PKCE S256 challenge: base64url of a SHA-256, 43 characters (RFC 7636 §4.2). */
export const pkceChallenge = (example: string) => regex('^[A-Za-z0-9_-]{43}$', example);
