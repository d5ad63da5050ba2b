/**
 * `POST /am/json/realms/.../authenticate` (AIC docs, "Log in over REST"): starts or continues a journey and,
 * on success, creates the session and sets the tenant cookie.
 *
 * This route owns the wire: method, version (requests for 2.0 are served 2.1), content type,
 * journey selection (`authIndexType=service&authIndexValue=<name>`, case-sensitive; the realm's
 * default journey otherwise), `noSession`, the success body `{tokenId, successUrl, realm}` and
 * the failure body `401 Login failure` (+ `detail.failureUrl`). What happens inside a journey is
 * the tenant's Authenticator's business.
 */
import type { AmAnswer, AmRequest, AmResource } from '../context.js';
import { jsonBody } from '../context.js';
import { AmError } from '../errors.js';
import { negotiate, v } from '../versioning.js';
import { journeyCookies, lbCookies, sessionCookies } from '../cookies.js';
import { callerForToken, presentedToken } from '../caller.js';
import { zeroPageCredentials } from './zero-page.js';
import type { AuthRequest, AuthResult } from '../../../journeys/authenticator.js';
import { JourneyError } from '../../../journeys/journey-error.js';
import type { Realm } from '../../../state/realms.js';
import { StoreUnavailableError } from '../../../core/store-unavailable.js';
import { failedLogin, orAnswer } from '../store-outage.js';

export const AUTHENTICATE_VERSIONS = [v('2.1')];

const KNOWN_INDEX_TYPES = new Set([
  'service',
  'composite_advice',
  'resource',
  'transaction',
  'user',
  'role',
  'module',
  'level',
]);

export const authenticateResource: AmResource = {
  kind: 'authenticate',
  async handle(request: AmRequest): Promise<AmAnswer> {
    if (request.resource.length > 1) throw new AmError(404, `Resource '${request.resource.join('/')}' not found`);
    if (request.method !== 'POST') {
      // AM's authenticate endpoint implements only POST; others get a 405 whose CREST body says 501.
      throw new AmError(405, 'Not Implemented', { bodyStatus: 501 });
    }
    request.servedVersion = negotiate(AUTHENTICATE_VERSIONS, request.requestedVersion);
    const body = parseBody(request);
    const { tenant, authenticator, realm, query } = request;
    const token = presentedToken(request.headers, tenant.cookieName);
    const caller = token === undefined ? undefined : await callerForToken(tenant, token);
    const authRequest: AuthRequest = {
      headers: request.headers,
      query,
      hostname: request.hostname,
      origin: `${request.secure ? 'https' : 'http'}://${String(request.headers.host ?? request.hostname).toLowerCase()}`,
      existingSession: caller?.kind === 'session' ? caller.session : undefined,
    };
    const suspendedId = query.get('suspendedId');

    let result: AuthResult;
    try {
      result =
        body && body['authId'] !== undefined
          ? await authenticator.resume(realm, body, authRequest)
          : suspendedId !== null
            ? await authenticator.resumeSuspended(realm, suspendedId, authRequest)
            : await authenticator.start({
                realm,
                journey: selectJourney(request, realm),
                credentials: zeroPageCredentials(request.headers),
                request: authRequest,
                noSession: query.get('noSession') === 'true',
                // Case-sensitive, as documented: `ForceAuth=true`.
                forceAuth: query.get('ForceAuth') === 'true',
                goto: query.get('goto') ?? undefined,
                gotoOnFail: query.get('gotoOnFail') ?? undefined,
              });
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw failedLogin();
      throw error instanceof JourneyError ? journeyErrorAnswer(error) : error;
    }
    // The session is written here: a store that does not take it fails the login as AM's does.
    return orAnswer(answer(request, realm, result), failedLogin);
  },
};

/** AM's answer to what the journey engine refused. */
/** The emulator's header on a failed journey's answer: the id of its run (`GET /__emulator/runs/:id`). */
export const RUN_HEADER = 'x-aic-emulator-run';

function journeyErrorAnswer(error: JourneyError): AmError {
  switch (error.kind) {
    case 'cannot-run':
      return new AmError(501, error.message);
    case 'invalid-auth-id':
      return new AmError(400, error.message);
    case 'timed-out':
      // platform-ui and the SDKs restart the journey on errorCode 110.
      return new AmError(401, error.message, { detail: { errorCode: '110' } });
    case 'invalid-callbacks':
      return new AmError(400, `Invalid callbacks: ${error.message}`);
  }
}

function parseBody(request: AmRequest): Record<string, unknown> | undefined {
  const raw = request.body;
  if (!raw || raw.length === 0) return undefined;
  const contentType = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (contentType !== 'application/json' && raw.toString('utf8').trim() !== '') {
    throw new AmError(415, 'Unsupported Media Type');
  }
  const body = jsonBody(request);
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new AmError(400, 'The request could not be processed because the provided content is not a JSON object');
  }
  return body as Record<string, unknown>;
}

function selectJourney(request: AmRequest, realm: Realm): string {
  const { authenticator } = request;
  const type = request.query.get('authIndexType');
  const value = request.query.get('authIndexValue');
  if (type === null || type === '') return authenticator.defaultJourney(realm);
  if (!KNOWN_INDEX_TYPES.has(type)) throw new AmError(400, `Unknown Authentication Index Type, ${type}`);
  if (type !== 'service') {
    throw new AmError(501, `authIndexType=${type} is not supported by the emulator; use authIndexType=service`);
  }
  const journey = value === null || value === '' ? authenticator.defaultJourney(realm) : value;
  if (!authenticator.hasJourney(realm, journey)) throw new AmError(400, 'No Configuration found');
  return journey;
}

async function answer(request: AmRequest, realm: Realm, result: AuthResult): Promise<AmAnswer> {
  const { tenant } = request;
  switch (result.kind) {
    case 'callbacks':
      return { status: 200, body: result.step, cookies: lbCookies(request) };
    case 'failure': {
      const failure = new AmError(
        401,
        'Login failure',
        result.failureUrl ? { detail: { failureUrl: result.failureUrl } } : {},
      );
      // AM's answer as AM gives it, and a header of the emulator's own naming the run, which
      // the sign-in page links to (issue 21: from a failure to its cause).
      if (result.runId === undefined) throw failure;
      return { status: 401, body: failure.toBody(), headers: { [RUN_HEADER]: result.runId } };
    }
    case 'existing':
      // AIC's cookie is HttpOnly, and then a call made with a valid session answers an empty tokenId
      // (AIC docs, "Log in over REST").
      return { status: 200, body: { tokenId: '', successUrl: result.successUrl, realm: realm.path } };
    case 'success': {
      const successUrl = result.successUrl ?? realm.successUrl;
      if (result.noSession || request.query.get('noSession') === 'true') {
        return { status: 200, body: { successUrl, realm: realm.path }, cookies: lbCookies(request) };
      }
      const session = await tenant.createSession(result.user, {
        service: result.journey,
        successUrl,
        ...(result.properties ? { properties: result.properties } : {}),
        ...(result.maxIdleMinutes !== undefined ? { maxIdleMinutes: result.maxIdleMinutes } : {}),
        ...(result.maxSessionMinutes !== undefined ? { maxSessionMinutes: result.maxSessionMinutes } : {}),
      });
      // Signing in again while signed in upgrades the session: the new one replaces the old (docs/fidelity.md).
      if (result.replaces) {
        const old = await tenant.sessions.getByToken(result.replaces);
        if (old && old.userId === result.user._id) await tenant.sessions.delete(old.tokenId);
      }
      return {
        status: 200,
        body: { tokenId: session.tokenId, successUrl, realm: realm.path },
        cookies: [...sessionCookies(request, session.tokenId), ...journeyCookies(request, result.cookies ?? [])],
      };
    }
  }
}
