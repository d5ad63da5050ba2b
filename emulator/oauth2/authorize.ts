/**
 * `authorize`: the authorization code flow, as AM checks a request (AuthorizeRequestValidator's
 * order: client, redirect URI, response type, scope, PKCE, then the user's session).
 *
 * Errors found before the redirect URI is known good are shown to the browser (AM's "OAuth2 Error
 * Page", status 400); later ones go back to the client, at its redirect URI, with `error`,
 * `error_description` and `state`. No session: the browser is sent to the login page with a
 * `goto` back to this request, or, with `prompt=none`, back to the client with
 * `interaction_required`. Consent is implied (AIC's `clientsCanSkipConsent` with implied-consent
 * clients, as the SDK tutorials set them up).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Session } from '../state/sessions/session.js';
import { redirectUriMatches, registeredUris, type OAuth2Client } from '../state/oauth2/clients.js';
import { OAuth2Error } from './oauth2-error.js';
import { issuerOf, type OAuth2Services, type OAuth2Site } from './services.js';

export type ResponseMode = 'query' | 'fragment' | 'form_post';

export type AuthorizeOutcome =
  /** Back to the client: `params` at `redirectUri`, as `mode` says. */
  | { kind: 'redirect'; redirectUri: string; mode: ResponseMode; params: [string, string][] }
  /** To the login page, which comes back to `goto` once the user has a session. */
  | { kind: 'login'; realm: string; goto: string; journey: string | undefined }
  /** Shown to the browser: the request cannot be answered at any redirect URI. */
  | { kind: 'error-page'; error: OAuth2Error };

export interface AuthorizeRequest {
  readonly site: OAuth2Site;
  readonly params: URLSearchParams;
  /** The whole URL of this request, for the login page's `goto`. */
  readonly url: string;
  /** The caller's valid AM session in this realm, if any. */
  readonly session: Session | undefined;
}

export async function authorize(services: OAuth2Services, request: AuthorizeRequest): Promise<AuthorizeOutcome> {
  const { params, site } = request;
  const clientId = params.get('client_id');
  if (!clientId) return page('invalid_request', 'Missing parameter, client_id');
  if (!params.get('response_type')) return page('invalid_request', 'Missing parameter, response_type');
  const client = services.clients.get(site.realm.path, clientId);
  if (!client) return page('invalid_client', 'Client authentication failed');
  const redirectUri = resolveRedirectUri(client, site.origin, params.get('redirect_uri'));
  if (redirectUri instanceof OAuth2Error) return { kind: 'error-page', error: redirectUri };
  const repeated = repeatedName(params);
  if (repeated !== undefined)
    return page('invalid_request', `Invalid Request, duplicate request parameter found : ${repeated}`);

  const mode = responseMode(params.get('response_mode'));
  const state = params.get('state');
  const back = (error: string, description: string): AuthorizeOutcome => ({
    kind: 'redirect',
    redirectUri,
    mode,
    params: [
      ['error_description', description],
      ['error', error],
      ...(state !== null ? ([['state', state]] as [string, string][]) : []),
    ],
  });

  // `none` (AM's NoneResponseTypeHandler) asks only whether the user is signed in: no code.
  const responseType = params.get('response_type');
  if (responseType !== 'code' && responseType !== 'none')
    return back('unsupported_response_type', 'Response type is not supported.');
  if (!client.grantTypes.includes('authorization_code'))
    return back('unsupported_response_type', 'Client does not support this response type.');
  const scopes = requestedScopes(client, params.get('scope'));
  if (scopes instanceof OAuth2Error) return back(scopes.error, scopes.description);
  const pkce = codeChallenge(params, services.settings.codeVerifierEnforced);
  if (pkce instanceof OAuth2Error) return back(pkce.error, pkce.description);
  const prompt = (params.get('prompt') ?? '').split(' ').filter(Boolean);
  if (prompt.some((value) => !['none', 'login', 'consent'].includes(value)))
    return back('bad_request', `Invalid prompt parameter "${params.get('prompt') ?? ''}"`);

  if (!request.session || prompt.includes('login')) {
    if (prompt.includes('none'))
      return back('interaction_required', 'The request requires some interaction that is not allowed.');
    // After the login, the same request comes back: without `prompt=login`, or it would loop.
    const goto = new URL(request.url);
    goto.searchParams.delete('prompt');
    return { kind: 'login', realm: site.realm.path, goto: goto.href, journey: params.get('acr_values') ?? undefined };
  }

  const session = request.session;
  const issuer: [string, string][] = [
    ['iss', issuerOf(site)],
    ['client_id', client.clientId],
  ];
  if (responseType === 'none')
    return {
      kind: 'redirect',
      redirectUri,
      mode,
      params: [...(state !== null ? ([['state', state]] as [string, string][]) : []), ...issuer],
    };
  const code = services.grants.issueCode({
    realm: site.realm.path,
    clientId: client.clientId,
    redirectUri,
    scopes,
    userId: session.userId,
    authGrantId: randomGrantId(),
    sessionTokenId: session.tokenId,
    nonce: params.get('nonce') ?? undefined,
    codeChallenge: pkce?.challenge,
    codeChallengeMethod: pkce?.method,
    authTime: session.creationTime,
    expiresAt: services.clock.now() + services.settings.codeLifetime * 1000,
  });
  return {
    kind: 'redirect',
    redirectUri,
    mode,
    params: [['code', code.code], ...(state !== null ? ([['state', state]] as [string, string][]) : []), ...issuer],
  };
}

/** The first parameter named twice (AM's DuplicateRequestParameterValidator refuses it). */
function repeatedName(params: URLSearchParams): string | undefined {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function page(error: string, description: string): AuthorizeOutcome {
  return { kind: 'error-page', error: new OAuth2Error(error, description) };
}

const MISMATCH = 'The redirection URI provided does not match a pre-registered value.';

function resolveRedirectUri(client: OAuth2Client, origin: string, requested: string | null): string | OAuth2Error {
  const registered = registeredUris(client.redirectionUris, origin);
  if (requested === null || requested === '') {
    // With one registered URI, the request may leave it out (RFC 6749 §3.1.2.3).
    if (registered.length === 1) return registered[0] as string;
    return new OAuth2Error('invalid_request', 'Missing parameter: redirect_uri');
  }
  if (requested.includes('#') || !/^[a-z][a-z0-9+.-]*:/i.test(requested))
    return new OAuth2Error('redirect_uri_mismatch', MISMATCH);
  return redirectUriMatches(requested, registered, client.loopbackInterfaceRedirection)
    ? requested
    : new OAuth2Error('redirect_uri_mismatch', MISMATCH);
}

function responseMode(value: string | null): ResponseMode {
  return value === 'fragment' || value === 'form_post' ? value : 'query';
}

/** The scopes asked for (else the client's defaults), each one the client may have. */
export function requestedScopes(client: OAuth2Client, scope: string | null): string[] | OAuth2Error {
  const asked = (scope ?? '').split(' ').filter(Boolean);
  const scopes = asked.length > 0 ? [...new Set(asked)] : [...client.defaultScopes];
  if (scopes.length === 0)
    return new OAuth2Error('invalid_scope', 'No scope requested and no default scope configured');
  const unknown = scopes.filter((name) => !client.scopes.includes(name));
  if (unknown.length > 0) return new OAuth2Error('invalid_scope', `Unknown/invalid scope(s): [${unknown.join(', ')}]`);
  return scopes;
}

function codeChallenge(
  params: URLSearchParams,
  enforced: boolean,
): { challenge: string; method: 'S256' | 'plain' } | undefined | OAuth2Error {
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method') ?? 'plain';
  if (!challenge)
    return enforced ? new OAuth2Error('invalid_request', "Missing parameter, 'code_challenge'") : undefined;
  if (method !== 'S256' && method !== 'plain')
    return new OAuth2Error('invalid_request', 'Invalid value for code_challenge_method');
  return { challenge, method };
}

/** Does the verifier answer the challenge (RFC 7636 §4.6)? */
export function verifierMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  const computed = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return computed.length === challenge.length && computed === challenge;
}

function randomGrantId(): string {
  return randomBytes(20).toString('base64url');
}
