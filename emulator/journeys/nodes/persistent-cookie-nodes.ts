/**
 * Persistent cookies (am-external 8.0.2, auth-nodes: SetPersistentCookieNode.java,
 * PersistentCookieDecisionNode.java, PersistentCookieNodeConfig.java, jwt/PersistentJwtStringSupplier
 * and PersistentJwtClaimsHandler, treehook/CreatePersistentCookieTreeHook and
 * UpdatePersistentCookieTreeHook).
 *
 * Set Persistent Cookie asks for a cookie (default `session-jwt`) when the journey's session is
 * made: a JWT with AM's claims (`jti`, `exp` = now + `maxLife` hours, `nbf`, `iat`,
 * `tokenIdleTimeSeconds` = now + `idleTimeout` hours, `sessionId`, and
 * `org.forgerock.authentication.context` with `openam.rlm`, `openam.usr` (the universal id),
 * `openam.aty` (the journey) and `openam.clientip`). Persistent Cookie Decision reads it back:
 * `true` when it verifies, is not expired or idle past its time on the tenant clock, and is of
 * the realm; the user is identified and the cookie is issued again with a new idle time (AM's
 * update hook). AM encrypts the JWT with its realm key and signs it with the node's HMAC key; the
 * emulator signs it (HS256) with a key of the tenant's and does not encrypt it (docs/fidelity.md).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { PersistentCookieSpec } from '../../state/journeys/tree-state.js';
import type { IssuedCookie } from '../authenticator.js';
import { NodeProcessException, outcome, type NodeContext, type NodeType } from './node.js';

const DEFAULT_NAME = 'session-jwt';
const DEFAULT_HOURS = 5;
const AUTH_CONTEXT = 'org.forgerock.authentication.context';
const IDLE_CLAIM = 'tokenIdleTimeSeconds';

/** AM's session property naming the cookie (PersistentCookieNodeConfig.generateSessionPropertyName). */
export const persistentCookieProperty = (name: string): string => `persistentCookieName_${name}`;

function hours(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_HOURS;
}

function cookieName(config: Readonly<Record<string, unknown>>): string {
  const name = config['persistentCookieName'];
  return typeof name === 'string' && name !== '' ? name : DEFAULT_NAME;
}

function specOf(config: Readonly<Record<string, unknown>>, withMaxLife: boolean): PersistentCookieSpec {
  return {
    name: cookieName(config),
    maxLifeSeconds: Math.round((withMaxLife ? hours(config['maxLife']) : DEFAULT_HOURS) * 3600),
    idleTimeoutSeconds: Math.round(hours(config['idleTimeout']) * 3600),
    secure: config['useSecureCookie'] !== false,
    httpOnly: config['useHttpOnlyCookie'] !== false,
  };
}

function checkConfig(config: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const key of ['idleTimeout', 'maxLife'])
    if (config[key] !== undefined && !(typeof config[key] === 'number' && config[key] > 0))
      problems.push(`${key} must be a number of hours above zero`);
  for (const key of ['useSecureCookie', 'useHttpOnlyCookie', 'enforceClientIp'])
    if (config[key] !== undefined && typeof config[key] !== 'boolean') problems.push(`${key} must be true or false`);
  const name = config['persistentCookieName'];
  if (name !== undefined && (typeof name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)))
    problems.push('persistentCookieName must be a cookie name');
  return problems;
}

function requireKey(context: NodeContext): Uint8Array {
  const key = context.tenant.persistentCookieKey;
  if (!key) throw new NodeProcessException('No signing keys available to sign JWT.');
  return key;
}

/** The JWT of a persistent cookie, as the session is made (CreatePersistentCookieTreeHook). */
export async function issuePersistentCookie(
  key: Uint8Array,
  spec: PersistentCookieSpec,
  claims: { realm: string; universalId: string; service: string; clientIp: string },
  nowMs: number,
): Promise<IssuedCookie> {
  const now = Math.floor(nowMs / 1000);
  const expires = spec.expiresAt ?? nowMs + spec.maxLifeSeconds * 1000;
  const value = await new SignJWT({
    [IDLE_CLAIM]: now + spec.idleTimeoutSeconds,
    sessionId: randomUUID(),
    [AUTH_CONTEXT]: {
      'openam.rlm': claims.realm.toLowerCase(),
      'openam.usr': claims.universalId,
      'openam.aty': claims.service,
      'openam.clientip': claims.clientIp,
    },
  })
    .setProtectedHeader({ typ: 'JWT', alg: 'HS256' })
    .setJti(randomUUID())
    .setExpirationTime(Math.floor(expires / 1000))
    .setNotBefore(now)
    .setIssuedAt(now)
    .sign(key);
  return { name: spec.name, value, expires, secure: spec.secure, httpOnly: spec.httpOnly };
}

/** Set Persistent Cookie: the cookie is set with the session the journey makes. */
export const SetPersistentCookieNode: NodeType = {
  type: 'SetPersistentCookieNode',
  outcomes: () => ['outcome'],
  check: checkConfig,
  async process(context) {
    requireKey(context);
    const spec = specOf(context.config, true);
    context.state.persistentCookie = spec;
    context.state.sessionProperties[persistentCookieProperty(spec.name)] = spec.name;
    return outcome('outcome');
  },
};

function requestCookie(header: unknown, name: string): string | undefined {
  const lines = Array.isArray(header) ? header : [header];
  for (const line of lines) {
    if (typeof line !== 'string') continue;
    for (const part of line.split(';')) {
      const index = part.indexOf('=');
      if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
    }
  }
  return undefined;
}

/** The client's address as the request tells it (the first `X-Forwarded-For` entry), else empty. */
export function clientIpOf(request: { headers: NodeContext['request']['headers'] }): string {
  const forwarded: unknown = request.headers['x-forwarded-for'];
  return typeof forwarded === 'string' ? (forwarded.split(',')[0]?.trim() ?? '') : '';
}

/**
 * Persistent Cookie Decision: `false` without the cookie, or when it does not verify, has expired
 * (`exp`), has been idle past `tokenIdleTimeSeconds`, is of another realm, names no user of the
 * realm, or (with `enforceClientIp`) was issued to another client address; else `true`, shared
 * `username` ← the user's name, the user identified, and the cookie issued again.
 */
export const PersistentCookieDecisionNode: NodeType = {
  type: 'PersistentCookieDecisionNode',
  outcomes: () => ['true', 'false'],
  check: checkConfig,
  async process(context) {
    const key = requireKey(context);
    const spec = specOf(context.config, false);
    const token = requestCookie(context.request.headers.cookie, spec.name);
    if (!token) return outcome('false');
    const now = context.tenant.clock.now();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: new Date(now) }));
    } catch {
      return outcome('false');
    }
    const idle = payload[IDLE_CLAIM];
    const auth = payload[AUTH_CONTEXT];
    if (typeof idle !== 'number' || idle * 1000 <= now || !auth || typeof auth !== 'object') return outcome('false');
    const claims = auth as Record<string, unknown>;
    if (claims['openam.rlm'] !== context.realm.path.toLowerCase()) return outcome('false');
    if (context.config['enforceClientIp'] === true && claims['openam.clientip'] !== clientIpOf(context.request))
      return outcome('false');
    const universalId = claims['openam.usr'];
    const { users } = context.tenant;
    const user =
      typeof universalId === 'string'
        ? users.list(context.realm.path).find((candidate) => users.universalId(candidate) === universalId)
        : undefined;
    if (!user || user.accountStatus !== 'active') return outcome('false');
    context.nodeState.putShared('username', user.userName);
    context.state.identifiedUserId = user._id;
    context.state.sessionProperties[persistentCookieProperty(spec.name)] = spec.name;
    // AM's update hook: the cookie again, with a new idle time and the same expiry.
    const exp = payload.exp;
    context.state.persistentCookie = { ...spec, ...(typeof exp === 'number' ? { expiresAt: exp * 1000 } : {}) };
    return outcome('true');
  },
};
