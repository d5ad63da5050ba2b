/**
 * Core nodes about the session and the request (am-external 8.0.2, auth-nodes, with their
 * .properties): Set Session Properties, Cookie Presence Decision, Account Active Decision, Timer
 * Start and Timer Stop.
 */
import { own } from '../../state/journeys/model.js';
import { setOwn } from '../../state/journeys/tree-state.js';
import { NodeProcessException, outcome, type NodeType } from './node.js';

/** Session properties AM owns (SetSessionPropertiesNodeValidator refuses them in the config). */
const SYSTEM_SESSION_PROPERTIES = new Set([
  'AMCtxId',
  'AuthLevel',
  'AuthType',
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
  'Role',
  'Service',
  'SessionHandle',
  'SessionTimedOut',
  'TokenRestriction',
  'UserId',
  'UserProfile',
  'UserToken',
  'amlbcookie',
  'authInstant',
  'clientType',
  'cookieSupport',
  'loginURL',
  'successURL',
  'sun.am.UniversalIdentifier',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** A duration in minutes as an export holds it: a whole number above zero. */
function minutes(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Set Session Properties (SetSessionPropertiesNode.java): each of `properties` on the session the
 * journey makes, and `maxSessionTime` / `maxIdleTime` (minutes) for that session.
 */
export const SetSessionPropertiesNode: NodeType = {
  type: 'SetSessionPropertiesNode',
  outcomes: () => ['outcome'],
  check(config) {
    const problems: string[] = [];
    const properties = config['properties'];
    if (properties !== undefined && !isObject(properties)) problems.push('properties must be a map of names to values');
    const entries = isObject(properties) ? Object.entries(properties) : [];
    const maxSession = config['maxSessionTime'];
    const maxIdle = config['maxIdleTime'];
    if (
      entries.length === 0 &&
      (maxSession === undefined || maxSession === null) &&
      (maxIdle === undefined || maxIdle === null)
    )
      problems.push('At least one of the following properties must be set: properties, maxSessionTime, maxIdleTime');
    const system = entries.map(([name]) => name).filter((name) => SYSTEM_SESSION_PROPERTIES.has(name));
    if (system.length > 0)
      problems.push(`Provided properties cannot include system session properties: ${system.join(', ')}`);
    if (entries.some(([, value]) => typeof value !== 'string' || value === ''))
      problems.push('Session property values cannot be empty');
    for (const [key, value] of [
      ['maxSessionTime', maxSession],
      ['maxIdleTime', maxIdle],
    ] as const)
      if (value !== undefined && value !== null && minutes(value) === undefined)
        problems.push(`${key} must be a whole number of minutes above zero`);
    return problems;
  },
  async process(context) {
    const properties = context.config['properties'];
    if (isObject(properties))
      for (const [name, value] of Object.entries(properties))
        if (typeof value === 'string' && value !== '' && !SYSTEM_SESSION_PROPERTIES.has(name))
          setOwn(context.state.sessionProperties, name, value);
    const maxSession = minutes(context.config['maxSessionTime']);
    const maxIdle = minutes(context.config['maxIdleTime']);
    if (maxSession !== undefined) context.state.maxSessionMinutes = maxSession;
    if (maxIdle !== undefined) context.state.maxIdleMinutes = maxIdle;
    return outcome('outcome');
  },
};

/** The request's cookies by name (the first of a name wins, as a servlet container's list). */
function requestCookies(header: unknown): Map<string, string> {
  const cookies = new Map<string, string>();
  const lines = Array.isArray(header) ? header : [header];
  for (const line of lines) {
    if (typeof line !== 'string') continue;
    for (const part of line.split(';')) {
      const index = part.indexOf('=');
      if (index <= 0) continue;
      const name = part.slice(0, index).trim();
      if (name !== '' && !cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
    }
  }
  return cookies;
}

/** Cookie Presence Decision (CookiePresenceDecisionNode.java): `true` when the request carries a cookie named `cookieName`. */
export const CookiePresenceDecisionNode: NodeType = {
  type: 'CookiePresenceDecisionNode',
  outcomes: () => ['true', 'false'],
  check(config) {
    return typeof config['cookieName'] === 'string' && config['cookieName'] !== '' ? [] : ['cookieName is required'];
  },
  async process(context) {
    const name = context.config['cookieName'];
    const present = typeof name === 'string' && requestCookies(context.request.headers.cookie).has(name);
    return outcome(present ? 'true' : 'false');
  },
};

/**
 * Account Active Decision (AccountActiveDecisionNode.java): `true` unless the journey's user is
 * locked (inactive); no user identified or named in shared `username` fails the node.
 */
export const AccountActiveDecisionNode: NodeType = {
  type: 'AccountActiveDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: () => ['username', 'realm'],
  async process(context) {
    const { users } = context.tenant;
    const username = context.nodeState.get('username');
    const user =
      (context.state.identifiedUserId
        ? users.getInRealm(context.realm.path, context.state.identifiedUserId)
        : undefined) ?? (typeof username === 'string' ? users.findByUserName(context.realm.path, username) : undefined);
    if (!user) throw new NodeProcessException('Failed to get the identity object');
    return outcome(user.accountStatus === 'active' ? 'true' : 'false');
  },
};

const START_TIME_PROPERTY = 'TimerNodeStartTime';

function startTimeProperty(config: Readonly<Record<string, unknown>>): string {
  const value = config['startTimeProperty'];
  return typeof value === 'string' && value !== '' ? value : START_TIME_PROPERTY;
}

/** Timer Start (TimerStartNode.java): shared `<startTimeProperty>` ← the tenant clock's time (epoch ms). */
export const TimerStartNode: NodeType = {
  type: 'TimerStartNode',
  outcomes: () => ['outcome'],
  check(config) {
    const value = config['startTimeProperty'];
    return value !== undefined && (typeof value !== 'string' || value === '')
      ? ['startTimeProperty must name a shared state property']
      : [];
  },
  async process(context) {
    context.nodeState.putShared(startTimeProperty(context.config), context.tenant.clock.now());
    return outcome('outcome');
  },
};

/**
 * Timer Stop (TimerStopNode.java): the time since shared `<startTimeProperty>`, on the tenant
 * clock, recorded for `metricKey`. AM records it in its metrics registry; the emulator has none and
 * writes it in the run's log (`<metricKey>: <n> ms`). No start time: nothing is recorded.
 */
export const TimerStopNode: NodeType = {
  type: 'TimerStopNode',
  outcomes: () => ['outcome'],
  inputs: (config) => [startTimeProperty(config)],
  check(config) {
    const problems = TimerStartNode.check?.(config) ?? [];
    if (typeof config['metricKey'] !== 'string' || config['metricKey'] === '') problems.push('metricKey is required');
    return problems;
  },
  async process(context) {
    const start = own(context.state.shared, startTimeProperty(context.config));
    const metric = typeof context.config['metricKey'] === 'string' ? context.config['metricKey'] : '';
    if (typeof start === 'number') context.run.log('info', `${metric}: ${context.tenant.clock.now() - start} ms`);
    return outcome('outcome');
  },
};
