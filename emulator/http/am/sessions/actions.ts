/**
 * The sessions endpoint's actions (AIC docs, "Manage sessions over REST"; AM source:
 * session/action/*ActionHandler.java). Each receives the resolved caller and the request; authentication and
 * authorization have already been checked by the resource (see resource.ts), except where an action's own rule
 * depends on its body.
 */
import type { AmAnswer, AmRequest } from '../context.js';
import type { Caller } from '../caller.js';
import { isAdmin, tokenFromCookieHeader, tokenFromNamedHeader } from '../caller.js';
import { AmError, Errors } from '../errors.js';
import type { Session } from '../../../state/sessions/session.js';
import { sessionProperty } from '../../../state/sessions/session.js';
import { clearedSessionCookies } from '../cookies.js';
import { INVALID_SESSION, refreshView, sessionInfoView, validView } from './views.js';
import { failedWrite, orAnswer, readOrMissing } from '../store-outage.js';

export interface ActionContext {
  request: AmRequest;
  caller: Caller;
  body: Record<string, unknown> | undefined;
}

const ok = (body: unknown): AmAnswer => ({ status: 200, body });

/**
 * The token an action works on: `tokenId` in the body (AIC), else in the query, else the
 * tenant cookie, else the header named after it (AM's SessionResourceV2 lookup order).
 */
export function targetToken(context: ActionContext): string | undefined {
  const { body, request } = context;
  if (body && body['tokenId'] !== undefined && body['tokenId'] !== null) {
    if (typeof body['tokenId'] !== 'string') throw Errors.badRequest('The tokenId field must be a string');
    return body['tokenId'];
  }
  const cookieName = request.tenant.cookieName;
  return (
    request.query.get('tokenId') ??
    tokenFromCookieHeader(request.headers, cookieName) ??
    tokenFromNamedHeader(request.headers, cookieName)
  );
}

/** A target token is required: without one AM answers with its historical cookie message. */
function requireTarget(context: ActionContext): string {
  const token = targetToken(context);
  if (token === undefined || token === '') throw Errors.badRequest('iPlanetDirectoryCookie not set on request');
  return token;
}

async function liveTarget(context: ActionContext): Promise<Session | undefined> {
  return readOrMissing(context.request.tenant.sessions.getByToken(requireTarget(context)));
}

/**
 * Owner-or-admin actions: a non-admin may act only on a session of their own identity
 * (AM's TokenOwnerAuthzModule compares universal ids). A target that is not a live session
 * cannot be shown to be theirs: 403 for them, `{"valid":false}` for an admin.
 */
function ownsOrAdmin(caller: Caller, target: Session | undefined): 'allowed' | 'forbidden' {
  if (isAdmin(caller)) return 'allowed';
  if (caller.kind === 'session' && target && target.universalId === caller.session.universalId) return 'allowed';
  return 'forbidden';
}

export async function getSessionInfo(context: ActionContext, resetIdle: boolean): Promise<AmAnswer> {
  const { tenant } = context.request;
  const target = await liveTarget(context);
  if (ownsOrAdmin(context.caller, target) === 'forbidden') throw Errors.forbidden();
  if (!target) return ok(INVALID_SESSION);
  const session = resetIdle
    ? await readOrMissing(tenant.sessions.touch(target.tokenId, tenant.config.session.latestAccessUpdateSeconds))
    : target;
  if (!session) return ok(INVALID_SESSION);
  return ok(sessionInfoView(session, tenant.config.session.returnedProperties));
}

export async function validate(context: ActionContext): Promise<AmAnswer> {
  const { tenant, query } = context.request;
  const token = requireTarget(context);
  const refresh = query.get('refresh')?.toLowerCase() !== 'false';
  const session = await readOrMissing(
    refresh
      ? tenant.sessions.touch(token, tenant.config.session.latestAccessUpdateSeconds)
      : tenant.sessions.getByToken(token),
  );
  return ok(session ? validView(session) : INVALID_SESSION);
}

export async function refresh(context: ActionContext): Promise<AmAnswer> {
  const { tenant } = context.request;
  const token = requireTarget(context);
  const session = await readOrMissing(tenant.sessions.touch(token, tenant.config.session.latestAccessUpdateSeconds));
  return ok(session ? refreshView(session, tenant.clock.now()) : INVALID_SESSION);
}

export async function logout(context: ActionContext): Promise<AmAnswer> {
  const { tenant, headers } = context.request;
  const token = requireTarget(context);
  // A target AM cannot read is one that has expired (LogoutActionHandler).
  const ended = await readOrMissing(tenant.sessions.delete(token));
  if (!ended) return ok({ result: 'Token has expired' });
  // The browser's own cookie is cleared when it is the session that ended (docs/fidelity.md).
  const cookieToken = tokenFromCookieHeader(headers, tenant.cookieName);
  return {
    status: 200,
    body: { result: 'Successfully logged out' },
    ...(cookieToken === token ? { cookies: clearedSessionCookies(context.request) } : {}),
  };
}

export async function logoutByHandle(context: ActionContext): Promise<AmAnswer> {
  const { tenant } = context.request;
  const handles = context.body?.['sessionHandles'];
  if (!Array.isArray(handles) || !handles.every((handle) => typeof handle === 'string')) {
    throw Errors.badRequest('The "sessionHandles" field is not defined in the request or it\'s not a JSON array');
  }
  const result: Record<string, boolean> = {};
  // Once the store has failed, the other handles are not tried: a request waits on an absent
  // store once, not once per handle.
  let storeAway = false;
  for (const handle of handles) {
    // One store operation (atomic on a shared store). An already-ended or unknown handle counts
    // as logged out (AM's LogoutByHandleActionHandler); one the store could not end, not.
    const ended: boolean = storeAway
      ? false
      : ((await readOrMissing(tenant.sessions.deleteByHandle(handle).then(() => true))) ?? false);
    storeAway ||= !ended;
    Object.defineProperty(result, handle, { value: ended, enumerable: true, writable: true, configurable: true });
  }
  return ok({ result });
}

export async function logoutByUser(context: ActionContext): Promise<AmAnswer> {
  const { tenant, realm } = context.request;
  const { caller } = context;
  const username = context.body?.['username'];
  if (typeof username !== 'string' || username === '') {
    throw Errors.badRequest('The "username" field is not defined in the request or it\'s not a string');
  }
  // A user may end their own sessions (their own token, their own _id); an admin anyone's.
  const self = caller.kind === 'session' && caller.session.userId.toLowerCase() === username.toLowerCase();
  if (!isAdmin(caller) && !self) throw Errors.forbidden();
  await orAnswer(tenant.sessions.deleteByUser(realm.path, username.toLowerCase()), failedWrite);
  return ok({ result: true });
}

export async function getSessionProperties(context: ActionContext): Promise<AmAnswer> {
  const { tenant } = context.request;
  const target = await liveTarget(context);
  if (ownsOrAdmin(context.caller, target) === 'forbidden') throw Errors.forbidden();
  if (!target) throw Errors.badRequest('Bad Request');
  return ok(allowListedProperties(target, tenant.config.session.propertyAllowList));
}

/**
 * Properties AM owns and no REST caller may set (measured on AIC, agiledigital-labs/pingone-aic-manager), plus
 * those OpenAM also protects.
 */
const PROTECTED_PROPERTIES = new Set([
  'AMCtxId',
  'AuthLevel',
  'CharSet',
  'FullLoginURL',
  'Host',
  'HostName',
  'IndexType',
  'Locale',
  'OidcSid',
  'Organization',
  'Principal',
  'Principals',
  'Service',
  'UserId',
  'UserProfile',
  'UserToken',
  'amlbcookie',
  'authInstant',
  'clientType',
  'loginURL',
  'successURL',
  'sun.am.UniversalIdentifier',
  'AuthType',
  'Role',
  'cookieSupport',
  'SessionTimedOut',
  'SessionHandle',
  'TokenRestriction',
]);

export async function updateSessionProperties(context: ActionContext): Promise<AmAnswer> {
  const { tenant } = context.request;
  const target = await liveTarget(context);
  if (ownsOrAdmin(context.caller, target) === 'forbidden') throw Errors.forbidden();
  if (!target) throw Errors.badRequest('Bad Request');
  const allowList = tenant.config.session.propertyAllowList;
  const updates = new Map<string, string>();
  for (const [name, value] of Object.entries(context.body ?? {})) {
    if (name === 'tokenId') continue;
    if (typeof value !== 'string') throw Errors.badRequest('Bad Request');
    if (!allowList.includes(name) || PROTECTED_PROPERTIES.has(name) || name.startsWith('am.protected.'))
      throw Errors.forbidden();
    updates.set(name, value);
  }
  if (updates.size === 0) throw Errors.badRequest('Bad Request');
  const updated = await orAnswer(
    tenant.sessions.setProperties(target.tokenId, Object.fromEntries(updates)),
    failedWrite,
  );
  if (!updated) throw Errors.badRequest('Bad Request');
  return ok(allowListedProperties(updated, allowList));
}

function allowListedProperties(session: Session, allowList: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of allowList) result[name] = sessionProperty(session, name) ?? '';
  return result;
}

export { AmError };
