/**
 * Property-based fuzzing (fast-check) of every AM route and every control route: random
 * methods, paths, realms (unknown and nested ones too), query strings, headers (versions valid,
 * invalid and garbage, cookies, the header named after the cookie, Authorization, content types
 * and encodings, zero-page headers) and bodies (JSON of any shape, non-JSON, large, deeply
 * nested, invalid UTF-8).
 *
 * Properties, checked on every case:
 * - every answer arrives before its deadline and is AM-shaped: `{code, reason, message}` for an
 *   error (or AM's empty-bodied 404 for a version no route serves), a documented success shape
 *   otherwise; never a 5xx but AM's own 501s (no fault is injected, except by the control-route
 *   fuzz, which sends AM requests only while no fault it added could answer them);
 * - the session store's invariants hold afterwards (MemorySessionStore.checkInvariants);
 * - no session changed that the request could not legitimately change: with no valid
 *   credential nothing changes at all; with credentials, a session changes or ends only when the
 *   request named its token, its handle or its user, or carried a live token of its user;
 * - what the control API accepts (users, stubs) is then used through the AM routes and the
 *   journeys without a 5xx.
 *
 * Bounded: each property runs a fixed number of cases from a fixed seed (FUZZ_SEED overrides it;
 * a failure names the seed to replay), and prints how many cases it tried.
 * Plain example-based cases found by this suite stay below as regression tests.
 */
import { connect } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { MemorySessionStore } from '../../emulator/state/sessions/memory-store.js';
import type { Session } from '../../emulator/state/sessions/session.js';
import { DEMO_ADMIN_PASSWORD, DEMO_PASSWORD } from '../../emulator/config/demo-tenant.js';
import { ALPHA, BJENSEN, DEMO, SCARTER, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';

// ---------------------------------------------------------------------------------------------
// Running properties: seed, counts, deadline
// ---------------------------------------------------------------------------------------------

const DEFAULT_SEED = 20260710;
const SEED = (() => {
  const raw = process.env['FUZZ_SEED'];
  if (raw === undefined || raw.trim() === '') return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not ${JSON.stringify(raw)}`);
  return seed;
})();
/** FUZZ_RUNS multiplies every property's case count (a longer hunt: FUZZ_RUNS=20 FUZZ_SEED=$RANDOM). */
const RUNS_FACTOR = (() => {
  const raw = process.env['FUZZ_RUNS'];
  const factor = raw === undefined || raw.trim() === '' ? 1 : Number(raw);
  if (!(factor > 0)) throw new Error(`FUZZ_RUNS must be a positive number, not ${JSON.stringify(raw)}`);
  return factor;
})();
/** Every request must be answered within this (the emulator never hangs). */
const DEADLINE_MS = 5_000;

/** What the cases of a property met (answers by resource and status), printed with the count. */
type Tally = (label: string) => void;

/**
 * Runs a property from the seed. No shrinking (`endOnFailure`): every case changes the
 * emulator's state, so a shrunk case would not replay the same way; the failing case is reported
 * whole, and the seed replays the run.
 */
async function runProperty<T>(
  name: string,
  numRuns: number,
  arbitrary: fc.Arbitrary<T>,
  check: (input: T, tally: Tally) => Promise<void>,
): Promise<void> {
  let cases = 0;
  const seen = new Map<string, number>();
  const tally: Tally = (label) => seen.set(label, (seen.get(label) ?? 0) + 1);
  const started = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        cases += 1;
        await check(input, tally);
      }),
      { numRuns: Math.max(1, Math.round(numRuns * RUNS_FACTOR)), seed: SEED, endOnFailure: true },
    );
  } catch (error) {
    // fast-check's report (seed, path, counterexample) and the failing check's own message, with
    // long lines cut: a counterexample may hold a megabyte body.
    const clip = (text: string) =>
      text
        .split('\n')
        .map((line) => (line.length > 1500 ? `${line.slice(0, 1500)}… (${line.length} chars)` : line))
        .join('\n');
    const report = error instanceof Error ? error.message : String(error);
    const cause =
      error instanceof Error && error.cause instanceof Error ? `\n\nthe failing case:\n${error.cause.message}` : '';
    throw new Error(
      clip(`[fuzz] ${name} failed with FUZZ_SEED=${SEED} (rerun with that seed to replay)\n${report}${cause}`),
    );
  } finally {
    const met = [...seen]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, n]) => `${label}:${n}`)
      .join(' ');
    console.info(
      `[fuzz] ${name}: ${cases} cases (seed ${SEED}, ${Math.round(performance.now() - started)} ms)${met ? `\n       answers ${met}` : ''}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Sending requests (undici sends paths and header bytes as given, within HTTP's rules)
// ---------------------------------------------------------------------------------------------

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | undefined;
}

interface FuzzAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
  jsonError: boolean;
}

async function send(pool: Pool, request: FuzzRequest): Promise<FuzzAnswer> {
  const response = await pool.request({
    method: request.method,
    path: request.path,
    headers: request.headers,
    ...(request.body !== undefined
      ? { body: typeof request.body === 'string' ? request.body : Buffer.from(request.body) }
      : {}),
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
  const text = await response.body.text();
  let json: unknown;
  let jsonError = false;
  if (text !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      jsonError = true;
    }
  }
  return { status: response.statusCode, headers: response.headers, text, json, jsonError };
}

function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? '(none)'
      : typeof request.body === 'string'
        ? JSON.stringify(
            request.body.length > 300 ? `${request.body.slice(0, 300)}… (${request.body.length} chars)` : request.body,
          )
        : `${request.body.length} bytes`;
  return `${request.method} ${request.path}\nheaders ${JSON.stringify(request.headers).slice(0, 600)}\nbody ${body}`;
}

// ---------------------------------------------------------------------------------------------
// What an answer may look like
// ---------------------------------------------------------------------------------------------

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** AM's error body: `{code, reason, message[, detail]}`, code = status (authenticate's 405 says 501). */
function errorShapeProblem(answer: FuzzAnswer): string | undefined {
  const body = answer.json;
  if (!isObject(body)) return 'the error body is not a JSON object';
  const extra = Object.keys(body).filter((key) => !['code', 'reason', 'message', 'detail'].includes(key));
  if (extra.length > 0) return `the error body has fields ${extra.join(', ')}`;
  if (typeof body['code'] !== 'number' || typeof body['reason'] !== 'string' || typeof body['message'] !== 'string')
    return 'the error body lacks code, reason or message';
  if (body['code'] !== answer.status && !(answer.status === 405 && body['code'] === 501))
    return `the error body says ${String(body['code'])} for HTTP ${answer.status}`;
  if (body['detail'] !== undefined && !isObject(body['detail'])) return 'detail is not an object';
  return undefined;
}

type AmResourceName = 'sessions' | 'authenticate' | 'users' | 'serverinfo' | 'other';

/** The resource a path under /am/json names after its realm pairs (the test's own reading). */
function resourceOf(path: string): AmResourceName {
  const rawPath = path.split('?')[0] as string;
  if (!rawPath.startsWith('/am/json/')) return 'other';
  const elements = rawPath.slice('/am/json/'.length).split('/');
  let index = 0;
  while (elements[index] === 'realms' && index + 1 < elements.length) index += 2;
  const first = elements[index];
  return first === 'sessions' || first === 'authenticate' || first === 'users' || first === 'serverinfo'
    ? first
    : 'other';
}

const strings = (body: Record<string, unknown>, ...keys: string[]) =>
  keys.every((key) => typeof body[key] === 'string');

/** The documented success shapes, by resource (see README and docs/fidelity.md). */
function successShapeProblem(resource: AmResourceName, body: Record<string, unknown>): string | undefined {
  switch (resource) {
    case 'sessions': {
      const shapes = [
        body['valid'] === false && Object.keys(body).length === 1, // validate/getSessionInfo/refresh on no live session
        body['valid'] === true && strings(body, 'sessionUid', 'uid', 'realm'), // validate
        strings(
          body,
          'username',
          'universalId',
          'realm',
          'latestAccessTime',
          'maxIdleExpirationTime',
          'maxSessionExpirationTime',
        ) && isObject(body['properties']), // getSessionInfo
        strings(body, 'uid', 'realm') && typeof body['idletime'] === 'number' && typeof body['maxtime'] === 'number', // refresh
        body['result'] === 'Successfully logged out' || body['result'] === 'Token has expired', // logout
        body['result'] === true, // logoutByUser
        isObject(body['result']) && Object.values(body['result']).every((value) => value === true), // logoutByHandle
        Array.isArray(body['result']) && typeof body['resultCount'] === 'number', // the query
        Object.values(body).every((value) => typeof value === 'string') && 'AMCtxId' in body, // session properties
      ];
      return shapes.some(Boolean) ? undefined : 'not a documented sessions answer';
    }
    case 'authenticate': {
      const shapes = [
        typeof body['authId'] === 'string' && Array.isArray(body['callbacks']),
        strings(body, 'tokenId', 'successUrl', 'realm'),
        strings(body, 'successUrl', 'realm') && !('tokenId' in body),
      ];
      return shapes.some(Boolean) ? undefined : 'not a documented authenticate answer';
    }
    case 'users': {
      const idFromSession = strings(body, 'id', 'realm', 'dn', 'successURL', 'fullLoginURL');
      // users/<id>: AM's view, strings and arrays of strings (maybe projected by _fields).
      const user = Object.values(body).every(
        (value) =>
          typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string')),
      );
      return idFromSession || user ? undefined : 'not a documented users answer';
    }
    case 'serverinfo':
      return 'cookieName' in body || 'version' in body || 'domains' in body || '_id' in body || '_rev' in body
        ? undefined
        : 'not a documented serverinfo answer';
    default:
      return 'a success on a path no resource is mounted at';
  }
}

/** Everything wrong with an AM answer (empty when it is fine). */
function amAnswerProblems(request: FuzzRequest, answer: FuzzAnswer): string[] {
  const problems: string[] = [];
  // 501 is AM's own answer for what it does not implement (methods, operations, index types:
  // docs/fidelity.md), not a failure; any other 5xx is.
  if (answer.status >= 500 && answer.status !== 501) problems.push(`a ${answer.status}`);
  if (answer.status < 200 || answer.status >= 600) problems.push(`status ${answer.status}`);
  if (request.method === 'HEAD') return problems;
  if (answer.text === '') {
    // AM answers a version no route serves with an empty 404 (docs/fidelity.md).
    if (answer.status !== 404) problems.push(`an empty ${answer.status}`);
    return problems;
  }
  if (answer.jsonError) return [...problems, `a body that is not JSON: ${answer.text.slice(0, 120)}`];
  if (!String(answer.headers['content-type'] ?? '').startsWith('application/json'))
    problems.push(`content-type ${String(answer.headers['content-type'])}`);
  if (answer.status >= 400) {
    const problem = errorShapeProblem(answer);
    if (problem) problems.push(problem);
  } else if (!isObject(answer.json)) {
    problems.push('a success body that is not an object');
  } else {
    const problem = successShapeProblem(
      request.path.startsWith('/am/json') ? resourceOf(request.path) : 'other',
      answer.json,
    );
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Control answers: JSON objects, errors in AM's shape, never a 5xx. */
function controlAnswerProblems(request: FuzzRequest, answer: FuzzAnswer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`a ${answer.status}`);
  if (request.method === 'HEAD') return problems;
  if (answer.jsonError || answer.text === '')
    return [...problems, `a body that is not JSON: ${JSON.stringify(answer.text.slice(0, 120))}`];
  if (answer.status >= 400) {
    const problem = errorShapeProblem(answer);
    if (problem) problems.push(problem);
  } else if (!isObject(answer.json)) {
    problems.push('a success body that is not an object');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The store: invariants and snapshots
// ---------------------------------------------------------------------------------------------

function storeOf(emulator: Emulator): MemorySessionStore {
  const store = emulator.tenant.sessions;
  if (!(store instanceof MemorySessionStore)) throw new Error('the fuzz suite checks the in-memory store');
  return store;
}

function invariantProblems(emulator: Emulator): string[] {
  return storeOf(emulator).checkInvariants();
}

/** Every live session, by token, as JSON (what a request could change). */
async function snapshot(emulator: Emulator): Promise<Map<string, string>> {
  const sessions = await emulator.tenant.sessions.listAll();
  return new Map(sessions.map((session) => [session.tokenId, JSON.stringify(session)]));
}

// ---------------------------------------------------------------------------------------------
// Placeholders: generated requests name live sessions by index; they are resolved when sent
// ---------------------------------------------------------------------------------------------

/**
 * Generated text may hold `{{token:n}}`, `{{near:n}}` (a token that is one edit away from a live
 * one), `{{handle:n}}`, `{{user:n}}` (a user's _id), `{{userName:n}}`, `{{admin}}` (the admin
 * bearer token), `{{nearAdmin}}`, `{{password}}` (the demo users' password), `{{cookie}}` (the
 * tenant cookie's name) and `{{cookieUpper}}`. Properties without valid credentials never generate the credential
 * ones (token, admin, password).
 */
interface Pools {
  sessions: Session[];
  users: { _id: string; userName: string }[];
  cookieName: string;
  adminToken: string;
}

function nearMiss(token: string, n: number): string {
  switch (n % 5) {
    case 0:
      return `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    case 1:
      return token.slice(0, -1);
    case 2:
      return token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase();
    case 3:
      return `${token} `.trimStart() + 'x';
    default:
      return token.split('.')[0] as string;
  }
}

function resolve(text: string, pools: Pools): string {
  // Placeholders percent-encoded into a query string are resolved too.
  text = text.replace(
    /%7B%7B(\w+)(%3A\d+)?%7D%7D/gi,
    (_match, kind: string, n: string | undefined) => `{{${kind}${n ? `:${n.slice(3)}` : ''}}}`,
  );
  if (!text.includes('{{')) return text;
  const pick = <T>(list: T[], n: string): T | undefined =>
    list.length === 0 ? undefined : list[Number(n) % list.length];
  return text.replace(
    /\{\{(token|near|handle|user|userName|admin|nearAdmin|password|cookieUpper|cookie)(?::(\d+))?\}\}/g,
    (_match, kind: string, n = '0') => {
      switch (kind) {
        case 'token':
          return pick(pools.sessions, n)?.tokenId ?? 'no-session';
        case 'near':
          return nearMiss(pick(pools.sessions, n)?.tokenId ?? 'no-session', Number(n));
        case 'handle':
          return pick(pools.sessions, n)?.handle ?? 'shandle:none';
        case 'user':
          return pick(pools.users, n)?._id ?? 'no-user';
        case 'userName':
          return pick(pools.users, n)?.userName ?? 'no-user';
        case 'admin':
          return pools.adminToken;
        case 'nearAdmin':
          return nearMiss(pools.adminToken, Number(n));
        case 'password':
          return DEMO_PASSWORD;
        case 'cookieUpper':
          return pools.cookieName.toUpperCase();
        default:
          return pools.cookieName;
      }
    },
  );
}

function resolveRequest(request: FuzzRequest, pools: Pools): FuzzRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    headers[resolve(name, pools).toLowerCase()] = resolve(value, pools);
  return {
    method: request.method,
    path: resolve(request.path, pools),
    headers,
    body: typeof request.body === 'string' ? resolve(request.body, pools) : request.body,
  };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Characters undici lets through in a path or header value, biased to the interesting ones. */
const headerChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code)) },
);
const headerText = (maxLength = 40) => fc.string({ unit: headerChar, maxLength });
const pathChar = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(..."abcxyzAZ019-._~*:@!$&'()+,;=".split('')) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('%20', '%2F', '%2e', '%00', '%ff', '%E0%A4%A', '%', '%%', '%C3%A9', '%F0%9F%98%80'),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code)) },
);
const pathSegment = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'sessions',
      'authenticate',
      'users',
      'serverinfo',
      '*',
      'version',
      'cookieDomains',
      'realms',
      'root',
      'alpha',
      '..',
      '.',
      '',
      'ALPHA',
      'Sessions',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('{{user:0}}', '{{user:1}}', '{{userName:2}}', '{{handle:0}}', '{{near:0}}') },
  { weight: 3, arbitrary: fc.string({ unit: pathChar, maxLength: 12 }) },
);

const realmPrefix = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '',
      '/realms/root',
      '/realms/root/realms/alpha',
      '/realms/alpha',
      '/realms/root/realms/root',
      '/realms/nope',
      '/realms/root/realms/nope',
      '/realms/root/realms/alpha/realms/nested',
      '/realms/alpha/realms/beta/realms/gamma',
      '/realms',
      '/realms/root/realms',
      '/realms/%E0%A4%A',
      '/realms/%2Falpha',
      '/realms/ALPHA',
      '/realms/root/realms/alpha/',
      '//realms/alpha',
      '/realms/root/realms/%61lpha',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.array(pathSegment, { maxLength: 3 }).map((names) => names.map((name) => `/realms/${name}`).join('')),
  },
);

const resourcePath = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'sessions',
      'sessions/',
      'authenticate',
      'users',
      'users/',
      'serverinfo/*',
      'serverinfo/version',
      'serverinfo/cookieDomains',
      'serverinfo',
      'serverinfo/',
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('sessions', 'users', 'serverinfo', 'authenticate'), pathSegment)
      .map(([resource, id]) => `${resource}/${id}`),
  },
  { weight: 1, arbitrary: fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('/')) },
);

const amPath = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.tuple(realmPrefix, resourcePath).map(([realm, resource]) => `/am/json${realm}/${resource}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/am/json',
      '/am/json/',
      '/am',
      '/am/jsonx/sessions',
      '/am/json//sessions',
      '/am/json/realms/root/realms/alpha//sessions',
    ),
  },
);

const ACTIONS = [
  'validate',
  'getSessionInfo',
  'getSessionInfoAndResetIdleTime',
  'refresh',
  'logout',
  'logoutByUser',
  'logoutByHandle',
  'getSessionProperties',
  'updateSessionProperties',
  'idFromSession',
];
const actionName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ACTIONS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('VALIDATE', 'Logout', 'create', 'nope', '', 'getsessioninfo', 'LOGOUTBYUSER'),
  },
  { weight: 1, arbitrary: headerText(12) },
);

const filterToken = fc.constantFrom(
  'username',
  'realm',
  '/username',
  '/realm',
  'mail',
  'eq',
  'co',
  'sw',
  'pr',
  'and',
  'or',
  '!',
  '(',
  ')',
  'true',
  'false',
  '"/alpha"',
  '"/"',
  '"alpha"',
  '"/alpha/nested"',
  '"{{user:0}}"',
  '"{{user:1}}"',
  '"x\\"y"',
  '"',
  '123',
);
const queryFilter = fc.oneof(
  { weight: 3, arbitrary: fc.array(filterToken, { maxLength: 9 }).map((tokens) => tokens.join(' ')) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'username eq "{{user:0}}" and realm eq "/alpha"',
      'realm eq "/alpha"',
      '(realm eq "/")',
      'realm eq "/nope"',
      '/realm eq "/alpha" and /username eq "{{user:2}}"',
    ),
  },
  { weight: 1, arbitrary: headerText(30) },
);

const queryValue = (key: string): fc.Arbitrary<string> => {
  switch (key) {
    case '_action':
      return actionName;
    case '_queryFilter':
      return queryFilter;
    case 'realm':
      return fc.constantFrom('/', '/alpha', 'alpha', '/nope', 'root', '/alpha/', '%2Falpha', '', '/alpha/nested');
    case 'tokenId':
      return fc.constantFrom('{{near:0}}', '{{near:1}}', '{{handle:0}}', 'garbage', '', '{{token:0}}', '{{token:1}}');
    case 'authIndexType':
      return fc.constantFrom('service', 'composite_advice', 'module', 'bogus', '', 'SERVICE');
    case 'authIndexValue':
      return fc.constantFrom(
        'Login',
        'ProgressiveProfile',
        'TerminateSession',
        'CaptureSession',
        'LogoutRedirect',
        'TerminateExternalSession',
        'login',
        'Nope',
        '',
      );
    case 'goto':
    case 'gotoOnFail':
      return fc.constantFrom(
        '/enduser',
        'https://evil.example.com/',
        'http://127.0.0.1/x',
        'javascript:alert(1)',
        '//evil',
        '',
      );
    default:
      return headerText(16);
  }
};
const queryKey = fc.constantFrom(
  '_action',
  '_action',
  '_queryFilter',
  '_queryId',
  '_fields',
  '_prettyPrint',
  '_pageSize',
  '_sortKeys',
  '_bogus',
  '_ACTION',
  'realm',
  'tokenId',
  'refresh',
  'authIndexType',
  'authIndexValue',
  'noSession',
  'ForceAuth',
  'goto',
  'gotoOnFail',
  'x',
);
/** How a value goes on the wire: encoded, raw (what undici allows), or with broken escapes. */
const encodeQuery = (value: string, how: number): string => {
  if (how === 0) return encodeURIComponent(value);
  if (how === 1) return value.replace(/[\s#\u0000-\u001f\u007f]/g, '+');
  return `${encodeURIComponent(value)}%${how === 2 ? 'zz' : 'E0%A4'}`;
};
const queryString = fc
  .array(
    fc
      .tuple(queryKey, fc.nat({ max: 2 }))
      .chain(([key, how]) =>
        queryValue(key).map((value) => `${key}=${encodeQuery(value, how === 2 && value === '' ? 0 : how)}`),
      ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.join('&')}`));

const method = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
  },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'SEARCH', 'MKCOL', 'LOCK', 'PURGE', 'QUERY', 'FOO') },
);

const versionHeader = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'resource=2.0, protocol=1.0',
      'resource=4.0, protocol=1.0',
      'resource=2.1',
      'resource=3.1, protocol=1.0',
      'resource=5.1, protocol=2.1',
      'protocol=1.0,resource=2.0',
      'resource=1.2',
      'resource=4.1',
      'protocol=2.0',
      'RESOURCE=3.0',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'resource=1.0',
      'resource=9.9',
      'resource=x.y',
      'resource=',
      '',
      ',,,',
      'resource=2.0;protocol=1.0',
      'resource=99999.99999',
      'resource=2.0, protocol=3.0',
      'resource=2.0, protocol=1.5',
      'resource=2.0, other=1.0',
      '=',
      'resource=2..0',
    ),
  },
  { weight: 1, arbitrary: headerText(30) },
);

/** Session-token-ish values; `withCredentials` adds live tokens. */
const tokenValue = (withCredentials: boolean) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.nat({ max: 20 }).map((n) => `{{near:${n}}}`) },
    { weight: 1, arbitrary: fc.nat({ max: 5 }).map((n) => `{{handle:${n}}}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '""', '"{{near:3}}"', 'LOGOUT', '*', 'null', 'AQIC5w', '\u00ff\u00fe'),
    },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'ABCabc012-_.*'.split('')), maxLength: 60 }) },
    ...(withCredentials ? [{ weight: 6, arbitrary: fc.nat({ max: 20 }).map((n) => `{{token:${n}}}`) }] : []),
  );

const cookieHeader = (withCredentials: boolean) =>
  fc.oneof(
    { weight: 3, arbitrary: tokenValue(withCredentials).map((token) => `{{cookie}}=${token}`) },
    { weight: 1, arbitrary: tokenValue(withCredentials).map((token) => `a=b; {{cookie}}=${token}; amlbcookie=01`) },
    { weight: 1, arbitrary: tokenValue(withCredentials).map((token) => `{{cookieUpper}}=${token}`) },
    { weight: 1, arbitrary: fc.constantFrom(';;==;=x; a', '{{cookie}}', '{{cookie}}=', '=', 'iPlanetDirectoryPro=x') },
    { weight: 1, arbitrary: headerText(60) },
  );

const authorizationHeader = (withCredentials: boolean) =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'Bearer {{nearAdmin}}',
        'Bearer {{nearAdmin:1}}',
        'Bearer {{nearAdmin:2}}',
        'Bearer',
        'Bearer ',
        'Basic ZGVtbzpDaDRuZzMtaXQh',
        'bearer x y',
        'Bearer {{near:0}}',
      ),
    },
    { weight: 1, arbitrary: headerText(50).map((text) => `Bearer ${text}`) },
    { weight: 1, arbitrary: headerText(50) },
    ...(withCredentials
      ? [{ weight: 3, arbitrary: fc.constantFrom('Bearer {{admin}}', 'bearer {{admin}}', 'Bearer   {{admin}}  ') }]
      : []),
  );

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
  'application/xml',
  '',
  ';',
  'application/json;;;',
  '*/*',
);

const userNameValue = fc.oneof(
  fc.constantFrom(
    'demo',
    'DEMO',
    'bjensen',
    'scarter',
    'tenant-admin@example.com',
    'nobody',
    '',
    '=?UTF-8?B?ZGVtbw==?=',
    '=?UTF-8?Q?d=65mo?=',
    '=?bogus?B?@@@?=',
    '=?UTF-8?B?/w==?=',
  ),
  headerText(20),
);
const wrongPassword = fc
  // `=?UTF-8?B?Q2g0bmczLWl0?=` is RFC 2047 for `Ch4ng3-it`, one character short.
  .oneof(fc.constantFrom('wrong', '', 'ch4ng3-it!', 'Ch4ng3-it', '=?UTF-8?B?Q2g0bmczLWl0?='), headerText(20))
  .filter((password) => password !== DEMO_PASSWORD && password !== DEMO_ADMIN_PASSWORD);

const headerName = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), minLength: 1, maxLength: 16 })
  .filter((name) => !RESERVED_HEADERS.has(name));
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
]);

function headers(withCredentials: boolean): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        'accept-api-version': versionHeader,
        cookie: cookieHeader(withCredentials),
        '{{cookie}}': tokenValue(withCredentials),
        authorization: authorizationHeader(withCredentials),
        'content-type': contentType,
        'content-encoding': fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'x-garbage', 'gzip, gzip'),
        'x-openam-username': userNameValue,
        'x-openam-password': withCredentials ? fc.oneof(wrongPassword, fc.constant('{{password}}')) : wrongPassword,
        'x-requested-with': fc.constantFrom('XMLHttpRequest', 'x'),
        'x-http-method-override': fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'POST', 'FOO', ''),
        'if-match': fc.constantFrom('*', '"1"'),
        'if-none-match': fc.constantFrom('*', '"1"'),
        'x-forgerock-transactionid': headerText(30),
        accept: fc.constantFrom('application/json', 'text/html', '*/*', ''),
      },
      { requiredKeys: [] },
    )
    .chain((base) => fc.dictionary(headerName, headerText(30), { maxKeys: 2 }).map((extra) => ({ ...extra, ...base })));
}

/** JSON shaped like what the AM routes read, with values of every type. */
function amJsonBody(withCredentials: boolean): fc.Arbitrary<unknown> {
  const any = fc.jsonValue({ maxDepth: 3 });
  const token = fc.oneof(tokenValue(withCredentials), any);
  const handles = fc.array(
    fc.oneof(
      fc.nat({ max: 20 }).map((n) => `{{handle:${n}}}`),
      fc.string({ maxLength: 10 }),
      any,
    ),
    { maxLength: 4 },
  );
  return fc.oneof(
    { weight: withCredentials ? 6 : 3, arbitrary: fc.record({ tokenId: token }, { requiredKeys: [] }) },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          username: fc.oneof(
            fc.nat({ max: 10 }).map((n) => `{{user:${n}}}`),
            fc.constantFrom('{{USER}}', ''),
            any,
          ),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 2, arbitrary: fc.record({ sessionHandles: fc.oneof(handles, any) }, { requiredKeys: [] }) },
    {
      weight: 1,
      arbitrary: fc.record({ tokenId: token, AMCtxId: any, custom: any, 'am.protected.x': any }, { requiredKeys: [] }),
    },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          authId: fc.oneof(fc.constantFrom('eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.e30.x', 'a.b.c', ''), any),
          callbacks: any,
        },
        { requiredKeys: ['authId'] },
      ),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    {
      weight: 1,
      arbitrary: fc.dictionary(
        fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'tokenId'),
        any,
      ),
    },
  );
}

/** Bodies: absent, empty, JSON, JSON-ish text, bytes, large, deeply nested. */
function body(json: fc.Arbitrary<unknown>): fc.Arbitrary<string | Uint8Array | undefined> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t', '{}', 'null', '[]', '""', '0') },
    { weight: 8, arbitrary: json.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: json.map((value) => JSON.stringify(value).slice(0, -1)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
        Uint8Array.from([
          0x7b, 0x22, 0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x49, 0x64, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d,
        ]),
        Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
        Uint8Array.from([0x1f, 0x8b, 0x08, 0x00]),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1_000, max: 120_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1_000, max: 60_000 })
        .map((depth) => `${'{"tokenId":'.repeat(depth)}1${'}'.repeat(depth)}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(200_000, 1024 * 1024 - 20, 1024 * 1024 + 1, 1_500_000)
        .map((size) => `{"tokenId":"${'a'.repeat(size)}"}`),
    },
  );
}

/** Anything goes: every part drawn independently (most such requests fail early, and must fail well). */
function randomAmRequest(withCredentials: boolean): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    method,
    path: fc.tuple(amPath, queryString).map(([path, query]) => `${path}${query}`),
    headers: headers(withCredentials),
    body: body(amJsonBody(withCredentials)),
  });
}

/** A request taken apart, so that perturbations can change one part of a well-formed one. */
interface Parts {
  method: string;
  realm: string;
  resource: string;
  query: string[];
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

const assemble = (parts: Parts): FuzzRequest => ({
  method: parts.method,
  path: `/am/json${parts.realm}/${parts.resource}${parts.query.length > 0 ? `?${parts.query.join('&')}` : ''}`,
  headers: parts.headers,
  body: parts.body,
});

const goodRealm = fc.constantFrom(
  '',
  '/realms/root',
  '/realms/root/realms/alpha',
  '/realms/root/realms/alpha',
  '/realms/alpha',
);
const sessionsVersion = fc.constantFrom(
  'resource=2.0, protocol=1.0',
  'resource=4.0, protocol=1.0',
  'resource=3.1',
  'resource=5.1, protocol=1.0',
  'resource=2.1, protocol=1.0',
  'resource=4.0, protocol=2.1',
);

/** The credentials a request carries: each of cookie, named header and bearer, or none. */
function credentials(withCredentials: boolean): fc.Arbitrary<Record<string, string>> {
  return fc.record(
    {
      cookie: cookieHeader(withCredentials),
      '{{cookie}}': tokenValue(withCredentials),
      authorization: authorizationHeader(withCredentials),
      'x-requested-with': fc.constant('XMLHttpRequest'),
    },
    { requiredKeys: [] },
  );
}

/** Well-formed requests for each route, as clients send them. */
function wellFormed(withCredentials: boolean): fc.Arbitrary<Parts> {
  const json = (value: fc.Arbitrary<unknown>) => value.map((item): string | undefined => JSON.stringify(item));
  const sessionsAction = fc
    .record({
      realm: goodRealm,
      slash: fc.boolean(),
      action: actionName,
      version: sessionsVersion,
      auth: credentials(withCredentials),
      body: fc.oneof(
        { weight: 6, arbitrary: json(amJsonBody(withCredentials)) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      refresh: fc.boolean(),
    })
    .map(({ realm, slash, action, version, auth, body: content, refresh }): Parts => ({
      method: 'POST',
      realm,
      resource: slash ? 'sessions/' : 'sessions',
      query: [`_action=${encodeURIComponent(action)}`, ...(refresh ? ['refresh=false'] : [])],
      headers: { 'accept-api-version': version, 'content-type': 'application/json', ...auth },
      body: content,
    }));
  const sessionsQuery = fc
    .record({
      realm: goodRealm,
      filter: queryFilter,
      fields: fc.constantFrom(undefined, 'username', '/realm,sessionHandle', '_rev'),
      pretty: fc.boolean(),
      version: sessionsVersion,
      auth: credentials(withCredentials),
    })
    .map(({ realm, filter, fields, pretty, version, auth }): Parts => ({
      method: 'GET',
      realm,
      resource: 'sessions',
      query: [
        `_queryFilter=${encodeURIComponent(filter)}`,
        ...(fields ? [`_fields=${encodeURIComponent(fields)}`] : []),
        ...(pretty ? ['_prettyPrint=true'] : []),
      ],
      headers: { 'accept-api-version': version, ...auth },
      body: undefined,
    }));
  const zeroPage = fc.record(
    {
      'x-openam-username': userNameValue,
      'x-openam-password': withCredentials
        ? fc.oneof(wrongPassword, fc.constantFrom('{{password}}', '=?UTF-8?B?Q2g0bmczLWl0IQ==?='))
        : wrongPassword,
    },
    { requiredKeys: ['x-openam-username', 'x-openam-password'] },
  );
  const authenticate = fc
    .record({
      realm: goodRealm,
      query: fc.array(
        fc
          .constantFrom('authIndexType', 'authIndexValue', 'noSession', 'ForceAuth', 'goto', 'gotoOnFail')
          .chain((key) => queryValue(key).map((value) => `${key}=${encodeURIComponent(value || 'true')}`)),
        { maxLength: 3 },
      ),
      zero: fc.option(zeroPage, { freq: 2 }),
      auth: credentials(withCredentials),
      body: fc.oneof(fc.constant('{}'), fc.constant(undefined), json(amJsonBody(withCredentials))),
    })
    .map(({ realm, query, zero, auth, body: content }): Parts => ({
      method: 'POST',
      realm,
      resource: 'authenticate',
      query,
      headers: {
        'accept-api-version': 'resource=2.0, protocol=1.0',
        'content-type': 'application/json',
        ...(zero ?? {}),
        ...auth,
      },
      body: content,
    }));
  const users = fc
    .record({
      realm: goodRealm,
      read: fc.boolean(),
      id: fc.constantFrom('{{user:0}}', '{{user:1}}', '{{user:2}}', '{{USER:0}}', 'nobody', '{{userName:0}}'),
      fields: fc.constantFrom(undefined, 'username', 'cn,mail', '/roles'),
      version: fc.constantFrom(
        'resource=2.0, protocol=1.0',
        'resource=3.0',
        'resource=4.0, protocol=2.1',
        'resource=1.2',
      ),
      auth: credentials(withCredentials),
    })
    .map(({ realm, read, id, fields, version, auth }): Parts => ({
      method: read ? 'GET' : 'POST',
      realm,
      resource: read ? `users/${id}` : 'users',
      query: read ? (fields ? [`_fields=${encodeURIComponent(fields)}`] : []) : ['_action=idFromSession'],
      headers: { 'accept-api-version': version, 'content-type': 'application/json', ...auth },
      body: read ? undefined : '{}',
    }));
  const serverinfo = fc
    .record({
      realm: goodRealm,
      which: fc.constantFrom('*', 'version', 'cookieDomains'),
      version: fc.constantFrom('resource=1.1', 'resource=2.0', 'resource=1.0', undefined),
      auth: credentials(withCredentials),
    })
    .map(({ realm, which, version, auth }): Parts => ({
      method: 'GET',
      realm,
      resource: `serverinfo/${which}`,
      query: [],
      headers: { ...(version ? { 'accept-api-version': version } : {}), ...auth },
      body: undefined,
    }));
  return fc.oneof(
    { weight: 5, arbitrary: sessionsAction },
    { weight: 2, arbitrary: sessionsQuery },
    { weight: 3, arbitrary: authenticate },
    { weight: 2, arbitrary: users },
    { weight: 1, arbitrary: serverinfo },
  );
}

/** One change that makes a well-formed request a little (or very) wrong. */
type Perturbation = (parts: Parts) => Parts;
function perturbation(withCredentials: boolean): fc.Arbitrary<Perturbation> {
  return fc.oneof(
    method.map((value): Perturbation => (parts) => ({ ...parts, method: value })),
    versionHeader.map((value): Perturbation => (parts) => ({
      ...parts,
      headers: { ...parts.headers, 'accept-api-version': value },
    })),
    fc.constant<Perturbation>((parts) => {
      const { 'accept-api-version': _dropped, ...rest } = parts.headers;
      return { ...parts, headers: rest };
    }),
    contentType.map((value): Perturbation => (parts) => ({
      ...parts,
      headers: { ...parts.headers, 'content-type': value },
    })),
    fc.constantFrom('gzip', 'br', 'deflate', 'x-garbage').map((value): Perturbation => (parts) => ({
      ...parts,
      headers: { ...parts.headers, 'content-encoding': value },
    })),
    realmPrefix.map((value): Perturbation => (parts) => ({ ...parts, realm: value })),
    pathSegment.map((value): Perturbation => (parts) => ({
      ...parts,
      resource: `${parts.resource.replace(/\/$/, '')}/${value}`,
    })),
    fc.tuple(queryKey, fc.nat({ max: 2 })).chain(([key, how]) =>
      queryValue(key).map((value): Perturbation => (parts) => ({
        ...parts,
        query: [...parts.query, `${key}=${encodeQuery(value, how === 2 && value === '' ? 0 : how)}`],
      })),
    ),
    body(amJsonBody(withCredentials)).map((value): Perturbation => (parts) => ({ ...parts, body: value })),
    headers(withCredentials).map((value): Perturbation => (parts) => ({
      ...parts,
      headers: { ...parts.headers, ...value },
    })),
    fc
      .dictionary(headerName, headerText(30), { minKeys: 1, maxKeys: 2 })
      .map((value): Perturbation => (parts) => ({ ...parts, headers: { ...value, ...parts.headers } })),
  );
}

function amRequest(withCredentials: boolean): fc.Arbitrary<FuzzRequest> {
  const nearlyRight = fc
    .tuple(
      wellFormed(withCredentials),
      fc.oneof(
        { weight: 2, arbitrary: fc.constant([]) },
        { weight: 3, arbitrary: fc.array(perturbation(withCredentials), { minLength: 1, maxLength: 3 }) },
      ),
    )
    .map(([parts, changes]) => assemble(changes.reduce((current, change) => change(current), parts)));
  return fc.oneof({ weight: 4, arbitrary: nearlyRight }, { weight: 1, arbitrary: randomAmRequest(withCredentials) });
}

// ---------------------------------------------------------------------------------------------
// The emulators and their session pools
// ---------------------------------------------------------------------------------------------

const USERS = [DEMO, BJENSEN, SCARTER];

async function topUp(emulator: Emulator, minimum: number): Promise<Session[]> {
  const { tenant } = emulator;
  let sessions = await tenant.sessions.listAll();
  let index = sessions.length;
  while (sessions.length < minimum) {
    const seed = USERS[index % USERS.length] as (typeof USERS)[number];
    const user =
      index % 7 === 6 ? tenant.users.findByUserName('/', 'tenant-admin@example.com') : tenant.users.get(seed._id);
    if (!user) throw new Error('demo user missing');
    await tenant.createSession(user, { service: 'Login', successUrl: '/enduser/?realm=/alpha' });
    sessions = await tenant.sessions.listAll();
    index += 1;
  }
  return sessions;
}

function poolsOf(emulator: Emulator, sessions: Session[]): Pools {
  return {
    sessions,
    users: emulator.tenant.users.list().map((user) => ({ _id: user._id, userName: user.userName })),
    cookieName: emulator.cookieName,
    adminToken: emulator.adminToken,
  };
}

const after_ended = (before: Map<string, string>, after: Map<string, string>) =>
  [...before.keys()].some((token) => !after.has(token));

function fail(request: FuzzRequest, answer: FuzzAnswer | undefined, problems: string[]): never {
  throw new Error(
    `${problems.join('; ')}\n${describeRequest(request)}${answer ? `\nanswer ${answer.status} ${answer.text.slice(0, 400)}` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

describe('fuzz: AM routes', () => {
  let emulator: Emulator;
  let pool: Pool;

  beforeAll(async () => {
    emulator = await startEmulator();
    pool = new Pool(emulator.url, { connections: 2 });
  });
  afterAll(async () => {
    await pool.close();
    await emulator.close();
  });

  it('without valid credentials: AM-shaped answers, no 5xx, no hang; no session changes; invariants hold', async () => {
    const sessions = await topUp(emulator, 9);
    const pools = poolsOf(emulator, sessions);
    const before = await snapshot(emulator);
    await runProperty('AM routes without credentials', 500, amRequest(false), async (generated, tally) => {
      const request = resolveRequest(generated, pools);
      const answer = await send(pool, request).catch((error: Error) =>
        fail(request, undefined, [`no answer: ${error.message}`]),
      );
      tally(`${resourceOf(request.path)}/${answer.status}`);
      const problems = amAnswerProblems(request, answer);
      problems.push(...invariantProblems(emulator));
      const after = await snapshot(emulator);
      for (const [token, json] of before)
        if (after.get(token) !== json)
          problems.push(`session ${token.slice(0, 8)}… ${after.has(token) ? 'changed' : 'ended'}`);
      for (const token of after.keys())
        if (!before.has(token)) problems.push(`a session was created: ${token.slice(0, 8)}…`);
      if (problems.length > 0) fail(request, answer, problems);
    });
  });

  it('with credentials: AM-shaped answers, no 5xx, no hang; only named sessions change; invariants hold', async () => {
    await runProperty('AM routes with credentials', 400, amRequest(true), async (generated, tally) => {
      const sessions = await topUp(emulator, 9);
      const request = resolveRequest(generated, poolsOf(emulator, sessions));
      const before = await snapshot(emulator);
      const answer = await send(pool, request).catch((error: Error) =>
        fail(request, undefined, [`no answer: ${error.message}`]),
      );
      tally(`${resourceOf(request.path)}/${answer.status}`);
      if (after_ended(before, await snapshot(emulator))) tally('ended-sessions');
      const problems = amAnswerProblems(request, answer);
      problems.push(...invariantProblems(emulator));
      const after = await snapshot(emulator);
      const wire =
        `${request.path} ${JSON.stringify(request.headers)} ${typeof request.body === 'string' ? request.body : ''}`.toLowerCase();
      // A request may act on a session it names (token, handle, user id), and on every session of a
      // user whose live token it carries: users may end their own sessions (logoutByUser, the
      // TerminateSession journey), "owner" meaning the same identity (docs/fidelity.md).
      const actingFor = new Set(
        sessions.filter((session) => wire.includes(session.tokenId.toLowerCase())).map((session) => session.userId),
      );
      for (const session of sessions) {
        if (after.get(session.tokenId) === before.get(session.tokenId)) continue;
        const named =
          actingFor.has(session.userId) ||
          [session.tokenId, session.handle, session.userId].some((id) => wire.includes(id.toLowerCase()));
        if (!named)
          problems.push(
            `session ${session.tokenId.slice(0, 8)}… of ${session.userId} ${after.has(session.tokenId) ? 'changed' : 'ended'} though the request did not name it`,
          );
      }
      if (problems.length > 0) fail(request, answer, problems);
    });
  });

  it('journey continuations: mutated steps of a real Login journey are answered AM-shaped; a session only for the right password', async () => {
    const before = await snapshot(emulator);
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const value = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('demo', 'bjensen', 'DEMO', 'nobody', '', DEMO_PASSWORD, 'wrong') },
      { weight: 2, arbitrary: anyJson },
      {
        weight: 1,
        arbitrary: fc.constantFrom({ toString: 1 }, { valueOf: 'x' }, [DEMO_PASSWORD], 'x'.repeat(100_000)),
      },
    );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('answer' as const), name: value, password: value }),
      fc.record({
        kind: fc.constant('authId' as const),
        authId: fc.oneof(anyJson, fc.constantFrom('tamper', 'truncate', 'drop', 'header')),
      }),
      fc.record({
        kind: fc.constant('callbacks' as const),
        callbacks: fc.oneof(anyJson, fc.constantFrom('swap', 'extra', 'fewer', 'renameInputs', 'types')),
      }),
      fc.record({ kind: fc.constant('replay' as const) }),
    );
    const step = fc.record({
      mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      version: fc.oneof(
        { weight: 4, arbitrary: fc.constant('resource=2.0, protocol=1.0') },
        { weight: 1, arbitrary: versionHeader },
      ),
      contentType: fc.oneof(
        { weight: 4, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: contentType },
      ),
      query: fc.constantFrom(
        '',
        '?authIndexType=service&authIndexValue=Login',
        '?authIndexType=service&authIndexValue=ProgressiveProfile',
        '?noSession=true',
        '?ForceAuth=true',
      ),
      realm: fc.constantFrom(
        ALPHA,
        ALPHA,
        ALPHA,
        ALPHA,
        ALPHA,
        '/am/json/realms/alpha',
        '/am/json/realms/root',
        '/am/json/realms/root/realms/alpha/realms/nested',
      ),
    });
    const headersFor = (version: string, type: string) => ({ 'accept-api-version': version, 'content-type': type });
    await runProperty('authenticate continuations', 250, step, async (input, tally) => {
      const url = `${ALPHA}/authenticate`;
      const started = await send(pool, {
        method: 'POST',
        path: url,
        headers: headersFor('resource=2.0, protocol=1.0', 'application/json'),
        body: '{}',
      });
      expect(started.status).toBe(200);
      const original = started.json as {
        authId: string;
        callbacks: { type: string; input: { name: string; value: unknown }[] }[];
      };
      let stepBody: any = structuredClone(original);
      let replay = false;
      // Answer the page correctly, then apply the mutations.
      stepBody.callbacks[0].input[0].value = 'demo';
      stepBody.callbacks[1].input[0].value = DEMO_PASSWORD;
      for (const change of input.mutations) {
        if (change.kind === 'answer') {
          if (Array.isArray(stepBody?.callbacks) && stepBody.callbacks[0]?.input?.[0])
            stepBody.callbacks[0].input[0].value = change.name;
          if (Array.isArray(stepBody?.callbacks) && stepBody.callbacks[1]?.input?.[0])
            stepBody.callbacks[1].input[0].value = change.password;
        } else if (change.kind === 'authId') {
          const authId: string = original.authId;
          stepBody = isObject(stepBody) ? stepBody : {};
          if (change.authId === 'tamper')
            stepBody.authId = `${authId.slice(0, -2)}${authId.endsWith('AA') ? 'BB' : 'AA'}`;
          else if (change.authId === 'truncate') stepBody.authId = authId.slice(0, authId.length >> 1);
          else if (change.authId === 'drop') delete stepBody.authId;
          else if (change.authId === 'header')
            stepBody.authId = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${authId.split('.')[1]}.`;
          else stepBody.authId = change.authId;
        } else if (change.kind === 'callbacks') {
          stepBody = isObject(stepBody) ? stepBody : { authId: original.authId };
          const callbacks = Array.isArray(stepBody.callbacks) ? stepBody.callbacks : [];
          if (change.callbacks === 'swap') stepBody.callbacks = [...callbacks].reverse();
          else if (change.callbacks === 'extra') stepBody.callbacks = [...callbacks, callbacks[0] ?? {}];
          else if (change.callbacks === 'fewer') stepBody.callbacks = callbacks.slice(1);
          else if (change.callbacks === 'renameInputs')
            for (const callback of callbacks)
              for (const item of callback?.input ?? []) item.name = `IDToken9${String(item.name)}`;
          else if (change.callbacks === 'types')
            for (const callback of callbacks)
              if (isObject(callback)) callback['type'] = 'HiddenValueCallback';
              else stepBody.callbacks = change.callbacks;
        } else {
          replay = true;
        }
      }
      // Who the final body names, read as the journey reads it: the Name and Password callbacks, in order.
      const callbacks = isObject(stepBody) && Array.isArray(stepBody.callbacks) ? stepBody.callbacks : [];
      const inputOf = (callback: any, type: string) =>
        isObject(callback) && callback['type'] === type && Array.isArray(callback['input'])
          ? callback['input'][0]?.value
          : undefined;
      // Values are read as the journey's nodes read them: strings as they are, anything else through
      // String() (so ["Ch4ng3-it!"] reads as the password; AM itself would refuse a non-string).
      const readAs = (value: unknown): string | undefined => {
        if (typeof value === 'string' || value === undefined || value === null) return value ?? undefined;
        try {
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the emulator's own String() reading, mirrored
          return String(value);
        } catch {
          return undefined;
        }
      };
      const named = callbacks.length === 2 ? readAs(inputOf(callbacks[0], 'NameCallback')) : undefined;
      const rightPassword =
        callbacks.length === 2 && readAs(inputOf(callbacks[1], 'PasswordCallback')) === DEMO_PASSWORD;
      const request: FuzzRequest = {
        method: 'POST',
        path: `${input.realm}/authenticate${input.query}`,
        headers: headersFor(input.version, input.contentType),
        body: JSON.stringify(stepBody),
      };
      const answers = [
        await send(pool, request).catch((error: Error) => fail(request, undefined, [`no answer: ${error.message}`])),
      ];
      if (replay)
        answers.push(
          await send(pool, request).catch((error: Error) =>
            fail(request, undefined, [`no answer to the replay: ${error.message}`]),
          ),
        );
      const problems: string[] = [];
      for (const answer of answers) {
        problems.push(...amAnswerProblems(request, answer));
        tally(
          `${answer.status}${typeof (answer.json as { tokenId?: unknown } | undefined)?.tokenId === 'string' ? '+session' : ''}`,
        );
      }
      if (
        replay &&
        answers[1]?.status === 200 &&
        typeof (answers[1].json as { tokenId?: unknown })?.tokenId === 'string'
      )
        problems.push('a replayed step signed in again');
      for (const answer of answers) {
        const tokenId = (answer.json as { tokenId?: unknown } | undefined)?.tokenId;
        if (answer.status !== 200 || typeof tokenId !== 'string' || tokenId === '') continue;
        const session = await emulator.tenant.sessions.getByToken(tokenId);
        const user = typeof named === 'string' ? emulator.tenant.users.findByUserName('/alpha', named) : undefined;
        if (!rightPassword) problems.push('a session for a wrong password');
        else if (!session || !user || session.userId !== user._id)
          problems.push(`the session is not ${String(named)}'s`);
        if (session) await emulator.tenant.sessions.delete(session.tokenId);
      }
      problems.push(...invariantProblems(emulator));
      const after = await snapshot(emulator);
      for (const [token, json] of before)
        if (after.get(token) !== json) problems.push(`session ${token.slice(0, 8)}… changed or ended`);
      if (problems.length > 0) fail(request, answers[0], problems);
    });
  });

  it('raw bytes: requests no client library would send get an AM-shaped answer or a closed connection, never a hang', async () => {
    const byte = (min: number, max: number) => fc.integer({ min, max }).map((code) => String.fromCharCode(code));
    const raw = fc.record({
      method: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE') },
        { weight: 1, arbitrary: fc.string({ unit: byte(0x21, 0x7e), minLength: 1, maxLength: 8 }) },
      ),
      path: fc
        .tuple(
          amPath,
          fc.oneof(
            { weight: 2, arbitrary: fc.constant('') },
            { weight: 1, arbitrary: fc.string({ unit: byte(0x21, 0xff), maxLength: 20 }) },
          ),
        )
        .map(([path, extra]) => `${path}${extra}`),
      version: fc.oneof(
        { weight: 4, arbitrary: fc.constant('HTTP/1.1') },
        { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'http/1.1', '') },
      ),
      headers: fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('Accept-API-Version', 'Cookie', 'Content-Type', 'Authorization', 'X-OpenAM-Username'),
            fc.string({ unit: byte(0x21, 0x7e), maxLength: 10 }),
          ),
          fc.oneof(
            { weight: 3, arbitrary: fc.string({ unit: byte(0x20, 0x7e), maxLength: 30 }) },
            { weight: 1, arbitrary: fc.string({ unit: byte(0x00, 0xff), maxLength: 30 }) },
          ),
        ),
        { maxLength: 4 },
      ),
      body: fc.string({ unit: byte(0x00, 0xff), maxLength: 40 }),
      chunked: fc.boolean(),
    });
    await runProperty('raw requests', 200, raw, async (input, tally) => {
      const headerLines = input.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
      const framing = input.chunked
        ? `Transfer-Encoding: chunked\r\n`
        : `Content-Length: ${Buffer.byteLength(input.body, 'latin1')}\r\n`;
      const payload = input.chunked ? `${input.body.length.toString(16)}\r\n${input.body}\r\n0\r\n\r\n` : input.body;
      const bytes = Buffer.from(
        `${input.method} ${input.path} ${input.version}\r\nHost: 127.0.0.1\r\n${headerLines}${framing}\r\n${payload}`,
        'latin1',
      );
      const answer = await rawExchange(emulator.url, bytes);
      tally(String(answer.status));
      const problems: string[] = [];
      if (answer.timedOut) problems.push('no answer before the deadline');
      if (answer.status >= 500 && answer.status !== 501) problems.push(`a ${answer.status}`);
      if (answer.status !== 0 && input.method !== 'HEAD') {
        // The first answer only: bytes after the first request's end are read as a second request.
        const split = answer.text.indexOf('\r\n\r\n');
        const head = answer.text.slice(0, split);
        const length = /content-length: (\d+)/i.exec(head)?.[1];
        let bodyText = answer.text.slice(split + 4);
        if (length !== undefined) bodyText = bodyText.slice(0, Number(length));
        else if (/transfer-encoding: chunked/i.test(head)) bodyText = dechunk(bodyText);
        if (bodyText !== '') {
          try {
            const json = JSON.parse(bodyText);
            if (answer.status >= 400) {
              const problem = errorShapeProblem({
                status: answer.status,
                headers: {},
                text: bodyText,
                json,
                jsonError: false,
              });
              if (problem) problems.push(problem);
            }
          } catch {
            problems.push(`a body that is not JSON: ${bodyText.slice(0, 100)}`);
          }
        } else if (answer.status >= 400 && answer.status !== 404) problems.push(`an empty ${answer.status}`);
      }
      problems.push(...invariantProblems(emulator));
      if (problems.length > 0)
        throw new Error(
          `${problems.join('; ')}\nsent ${JSON.stringify(bytes.toString('latin1').slice(0, 400))}\nanswer ${JSON.stringify(answer.text.slice(0, 400))}`,
        );
    });
  });

  it('still serves the sessions that were there, and still answers', async () => {
    expect((await http(`${emulator.url}/__emulator/health`)).json).toEqual({ status: 'ok' });
    expect(invariantProblems(emulator)).toEqual([]);
  });
});

describe('fuzz: control routes', () => {
  let emulator: Emulator;
  let pool: Pool;

  beforeAll(async () => {
    emulator = await startEmulator();
    pool = new Pool(emulator.url, { connections: 2 });
  });
  afterAll(async () => {
    await pool.close();
    await emulator.close();
  });

  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const someString = fc.oneof(fc.string({ maxLength: 16 }), anyJson);
  /** Nested deeper than JSON.stringify and structuredClone can follow (about 4,000 levels here), shallow enough for JSON.parse. */
  const deep = fc.integer({ min: 2_000, max: 30_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
  const json = (value: fc.Arbitrary<unknown>) => value.map((item) => JSON.stringify(item));
  /** A JSON object text with one field holding a deeply nested value. */
  const withDeep = (fields: string, key: string) =>
    deep.map((text) => `{${fields}${fields ? ',' : ''}"${key}":${text}}`);

  /** Mostly a valid value, sometimes JSON of any kind. */
  const mostly = <T>(valid: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: anyJson });
  /** Objects with the fields a route reads: the required ones usually there, the others sometimes. */
  const fields = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T, required: (keyof T)[]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.record(model, { requiredKeys: required as never[] }) },
      { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) },
    );

  /** Values that trip up String() and friends: objects whose toString or valueOf is not a function. */
  const tricky = fc.constantFrom<unknown>(
    { toString: 1 },
    [{ toString: 1 }],
    [[{ valueOf: {} }]],
    { valueOf: 'x', toString: [] },
    ['a', { toString: null }],
    [null, true, 1.5],
  );
  const userBody = fields(
    {
      realm: mostly(fc.constantFrom('alpha', '/alpha', '/', 'root', 'nope')),
      userName: mostly(
        fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('demo', 'DEMO', 'new-user', ' ')),
      ),
      password: mostly(fc.string()),
      _id: mostly(fc.oneof(fc.uuid(), fc.constantFrom('{{user:0}}', 'not-a-uuid'))),
      accountStatus: mostly(fc.constantFrom('active', 'inactive')),
      admin: mostly(fc.boolean()),
      givenName: fc.oneof(anyJson, tricky),
      mail: fc.oneof(anyJson, tricky),
      frUnindexedString2: fc.oneof(fc.string({ maxLength: 10 }), anyJson, tricky),
      preferences: fc.oneof(anyJson, tricky),
      constructor: anyJson,
    },
    ['realm', 'userName', 'password'],
  );
  const advance = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 * 3600 }) },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: anyJson },
  );
  const setTime = mostly(
    fc.constantFrom(
      '2026-07-10T02:00:00Z',
      '2026-07-11T00:00:00.000Z',
      '9999-12-31T23:59:59Z',
      '+275760-09-13T00:00:00.000Z',
      '2100-01-01',
      'now',
      '',
    ),
  );
  const clockBody = fc.oneof(
    fields({ advanceSeconds: advance, frozen: mostly(fc.boolean()) }, ['advanceSeconds']),
    fields({ set: setTime, frozen: mostly(fc.boolean()) }, ['set']),
    fc.record({ advanceSeconds: advance, set: setTime, frozen: mostly(fc.boolean()) }, { requiredKeys: [] }),
  );
  const faultBody = fields(
    {
      method: mostly(fc.constantFrom('GET', 'POST', 'get')),
      path: mostly(fc.constantFrom('/nowhere', '/nope/deeper')),
      action: mostly(fc.constantFrom('validate', 'logout')),
      status: mostly(
        fc.oneof(
          { weight: 5, arbitrary: fc.integer({ min: 100, max: 599 }) },
          { weight: 1, arbitrary: fc.integer({ min: -10, max: 1000 }) },
        ),
      ),
      headers: mostly(fc.dictionary(headerName, headerText(20), { maxKeys: 2 })),
      body: anyJson,
      delayMs: mostly(
        fc.oneof(
          { weight: 5, arbitrary: fc.integer({ min: 0, max: 20 }) },
          { weight: 1, arbitrary: fc.integer({ min: -1, max: 200_000 }) },
        ),
      ),
      reset: mostly(fc.boolean()),
      times: mostly(fc.integer({ min: -1, max: 5 })),
      probability: mostly(fc.double({ min: -1, max: 2, noNaN: true })),
      seed: mostly(fc.integer()),
    },
    ['path', 'status'],
  );
  const stubBody = fields(
    {
      method: mostly(fc.constantFrom('GET', 'POST')),
      url: mostly(
        fc.constantFrom(
          'https://api.example.com/x',
          'https://api.example.com/*',
          '*',
          'not a url',
          'https://tenant.forgeblocks.com/x',
          'ftp://x/',
          'https://sso.example.com/api/logout',
          'https://sso.example.com/*',
        ),
      ),
      status: mostly(
        fc.oneof(
          { weight: 5, arbitrary: fc.integer({ min: 100, max: 599 }) },
          { weight: 1, arbitrary: fc.integer({ min: -10, max: 1000 }) },
        ),
      ),
      headers: mostly(fc.dictionary(headerName, headerText(20), { maxKeys: 2 })),
      body: anyJson,
      times: mostly(fc.integer({ min: -1, max: 5 })),
      echoRequestBody: mostly(fc.boolean()),
    },
    ['url'],
  );
  const exportBody = fc.oneof(
    anyJson,
    fc.record(
      {
        trees: anyJson,
        nodes: anyJson,
        scripts: anyJson,
        tree: anyJson,
        meta: anyJson,
        innerNodes: anyJson,
        innerTreesOnly: anyJson,
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        tree: fc.record(
          {
            _id: mostly(fc.constantFrom('Fuzzed', 'Login', '')),
            entryNodeId: someString,
            nodes: anyJson,
            enabled: anyJson,
          },
          { requiredKeys: ['_id'] },
        ),
        nodes: fc.dictionary(fc.string({ maxLength: 6 }), anyJson, { maxKeys: 3 }),
        scripts: anyJson,
      },
      { requiredKeys: ['tree'] },
    ),
  );
  const sessionBody = fields(
    {
      realm: mostly(fc.constantFrom('alpha', '/', 'nope')),
      userName: mostly(fc.constantFrom('demo', 'bjensen', 'nobody', 'tenant-admin@example.com')),
      _id: mostly(fc.constantFrom('{{user:0}}', '{{user:1}}')),
    },
    ['realm'],
  );

  /** A route of the control API, with the bodies it reads (as text, deep ones included). */
  const routes: [method: string[], path: fc.Arbitrary<string>, body: fc.Arbitrary<string | undefined>][] = [
    [
      ['GET'],
      fc.constantFrom(
        'health',
        'tenant',
        'clock',
        'esvs',
        'users',
        'users?realm=alpha',
        'users?realm=nope',
        'users?realm=a&realm=b',
        'faults',
        'stubs',
        'journal',
        'runs',
        'runs/nope',
        'journeys',
        'journeys?realm=alpha',
        'journeys?realm=nope',
        'journeys/alpha/Login',
        'journeys/alpha/Nope',
        'journeys/nope/Login',
        'journeys/%E0%A4%A/x',
      ),
      fc.constant(undefined),
    ],
    [
      ['GET', 'DELETE'],
      fc.constantFrom(
        'sessions',
        'sessions?realm=alpha',
        'sessions?realm=/',
        'sessions?username={{user:0}}',
        'sessions?userName=demo&realm=/alpha',
        'sessions?realm=nope',
        'sessions?userName=a&userName=b',
        'sessions/{{token:0}}',
        'sessions/{{handle:1}}',
        'sessions/nope',
      ),
      fc.constant(undefined),
    ],
    [['POST'], fc.constant('reset'), fc.constant(undefined)],
    [
      ['POST'],
      fc.constant('clock'),
      fc.oneof({ weight: 6, arbitrary: json(clockBody) }, { weight: 1, arbitrary: withDeep('', 'advanceSeconds') }),
    ],
    [
      ['PUT'],
      fc.constantFrom('esvs/esv-test', 'esvs/esv-cookie', 'esvs/NOT_AN_ESV', 'esvs/esv-%E0'),
      fc.oneof(
        { weight: 6, arbitrary: json(fc.record({ value: someString }, { requiredKeys: [] })) },
        { weight: 1, arbitrary: withDeep('', 'value') },
      ),
    ],
    [
      ['POST'],
      fc.constant('users'),
      fc.oneof(
        { weight: 6, arbitrary: json(userBody) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(deep, fc.nat())
            .map(([text, n]) => `{"realm":"alpha","userName":"deep-${n}","password":"pw","attribute":${text}}`),
        },
      ),
    ],
    [['POST'], fc.constant('sessions'), json(sessionBody)],
    [
      ['POST'],
      fc.constant('faults'),
      fc.oneof(
        { weight: 6, arbitrary: json(faultBody) },
        { weight: 1, arbitrary: withDeep('"status":200,"path":"/nowhere"', 'body') },
        { weight: 1, arbitrary: withDeep('"path":"/nowhere"', 'headers') },
      ),
    ],
    [['DELETE'], fc.constantFrom('faults', 'faults/nope', 'stubs', 'stubs/nope', 'journal'), fc.constant(undefined)],
    [
      ['POST'],
      fc.constant('stubs'),
      fc.oneof(
        { weight: 6, arbitrary: json(stubBody) },
        { weight: 1, arbitrary: withDeep('"url":"https://api.example.com/deep"', 'body') },
      ),
    ],
    [
      ['POST'],
      fc.constantFrom('import', 'import?realm=alpha', 'import?realm=nope'),
      fc.oneof(
        { weight: 6, arbitrary: json(exportBody) },
        { weight: 1, arbitrary: deep },
        { weight: 1, arbitrary: withDeep('', 'trees') },
      ),
    ],
  ];
  const routeRequest = fc.constantFrom(...routes).chain(([methods, path, text]) =>
    fc.record({
      method: fc.constantFrom(...methods),
      path: path.map((item) => `/__emulator/${item}`),
      body: fc.oneof({ weight: 8, arbitrary: text }, { weight: 1, arbitrary: body(anyJson) }),
    }),
  );
  const randomRequest = fc.record({
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE') },
      { weight: 1, arbitrary: fc.constantFrom('PATCH', 'HEAD', 'OPTIONS', 'FOO') },
    ),
    path: fc.array(pathSegment, { minLength: 0, maxLength: 3 }).map((segments) => `/__emulator/${segments.join('/')}`),
    body: body(anyJson),
  });
  const controlHeaders = fc.record(
    {
      'content-type': contentType,
      origin: fc.constantFrom('null', 'https://evil.example.com', 'http://127.0.0.1', '::garbage'),
      'sec-fetch-site': fc.constantFrom('cross-site', 'same-origin', 'none'),
      authorization: fc.constantFrom('Bearer x', 'Bearer'),
      'x-aic-emulator-token': headerText(20),
    },
    { requiredKeys: [] },
  );
  const controlRequest = fc
    .tuple(
      fc.oneof({ weight: 4, arbitrary: routeRequest }, { weight: 1, arbitrary: randomRequest }),
      fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: controlHeaders }),
    )
    .map(([request, extra]): FuzzRequest => ({
      ...request,
      headers: { 'content-type': 'application/json', ...extra },
    }));

  it('every control route answers JSON objects (AM-shaped errors), never a 5xx or a hang; invariants hold', async () => {
    // A case is a short sequence, so that what one request stores the next one reads back.
    await runProperty(
      'control routes',
      300,
      fc.array(controlRequest, { minLength: 1, maxLength: 4 }),
      async (sequence, tally) => {
        for (const generated of sequence) {
          const sessions = await topUp(emulator, 4);
          const request = resolveRequest(generated, poolsOf(emulator, sessions));
          const answer = await send(pool, request).catch((error: Error) =>
            fail(request, undefined, [`no answer: ${error.message}`]),
          );
          const route = (request.path.split('?')[0] as string).split('/')[2] ?? '';
          tally(`${request.method} ${CONTROL_ROUTES.has(route) ? route : '?'}/${answer.status}`);
          const problems = controlAnswerProblems(request, answer);
          await emulator.tenant.whenSwept();
          problems.push(...invariantProblems(emulator));
          // Unless a fault could answer them, AM requests must still be served well: what the control
          // API accepted (a user, a stub) is then used through the AM routes and the journeys.
          if (
            emulator.tenant.faults
              .list()
              .every((fault) => typeof fault.path === 'string' && fault.path.startsWith('/no'))
          ) {
            const check = await send(pool, {
              method: 'POST',
              path: `${ALPHA}/sessions?_action=validate`,
              headers: { 'accept-api-version': 'resource=4.0', 'content-type': 'application/json' },
              body: JSON.stringify({ tokenId: sessions[0]?.tokenId }),
            });
            if (check.status !== 200)
              problems.push(`validate answered ${check.status} afterwards: ${check.text.slice(0, 200)}`);
            const created =
              answer.status === 201 && request.path === '/__emulator/users'
                ? (answer.json as { _id: string; userName: string; realm: string })
                : undefined;
            const stubbed = answer.status === 201 && request.path === '/__emulator/stubs';
            if (created || stubbed) {
              for (const [label, use, followUp] of await useThroughAm(pool, emulator, created)) {
                tally(`then ${label}/${followUp.status}`);
                const found = amAnswerProblems(use, followUp);
                if (found.length > 0)
                  problems.push(
                    `then ${label}: ${found.join('; ')} (${followUp.status} ${followUp.text.slice(0, 200)})`,
                  );
              }
            }
          }
          if (problems.length > 0) fail(request, answer, problems);
        }
        if (emulator.tenant.faults.list().length > 20) emulator.tenant.faults.clear();
      },
    );
    expect((await http(`${emulator.url}/__emulator/health`)).json).toEqual({ status: 'ok' });
  });
});

describe('regressions found by the fuzz suite', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const control = (method: string, path: string, text?: string) =>
    http(`${emulator.url}/__emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(text !== undefined ? { body: text } : {}),
    });

  it('control bodies nested deeper than 1000 levels are a 400, so faults, stubs and users can always be read back', async () => {
    // Before: V8 parsed them, the routes kept them, and GET faults / GET stubs (JSON.stringify) and
    // POST users (structuredClone) overflowed the stack: 500s, and every AM request a kept fault
    // matched answered 500 too.
    const deep = nested(5_000);
    const refused = [
      await control('POST', 'faults', `{"status":200,"path":"/nowhere","body":${deep}}`),
      await control('POST', 'stubs', `{"url":"https://api.example.com/deep","body":${deep}}`),
      await control('POST', 'users', `{"realm":"alpha","userName":"deep","password":"pw","attribute":${deep}}`),
    ];
    for (const answer of refused) {
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json).toEqual({
        code: 400,
        reason: 'Bad Request',
        message: 'The request body is nested deeper than 1000 levels',
      });
    }
    // An import reports it as a problem of the export, as it reports any export it cannot read.
    const imported = await control(
      'POST',
      'import',
      `{"trees":{"Deep":{"tree":{"_id":"Deep","nodes":{}},"nodes":{"n":{"config":${deep}}}}}}`,
    );
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toEqual({
      imported: [],
      realm: '/alpha',
      problems: [
        {
          severity: 'error',
          source: 'request',
          message: 'not a journey export: The request body is nested deeper than 1000 levels',
        },
      ],
    });
    expect((await control('GET', 'journeys/alpha/Deep')).status).toBe(404);
    for (const path of ['faults', 'stubs', 'users']) expect((await control('GET', path)).status).toBe(200);
    // 1000 levels are still accepted, and answered back.
    const added = await control('POST', 'faults', `{"status":200,"path":"/nowhere","body":{"a":${nested(998)}}}`);
    expect(added.status, added.text).toBe(201);
    expect((await control('GET', 'faults')).status).toBe(200);
    await control('DELETE', 'faults');
  });

  it('AM bodies nested deeper than 1000 levels are invalid JSON (as Jackson refuses them); 1000 levels are read', async () => {
    const validate = (text: string) =>
      http(`${emulator.url}${ALPHA}/sessions/?_action=validate`, {
        method: 'POST',
        headers: { 'accept-api-version': 'resource=4.0', 'content-type': 'application/json' },
        body: text,
      });
    const tooDeep = await validate(`{"tokenId":"x","a":${nested(1_000)}}`);
    expect(tooDeep.json).toEqual({
      code: 400,
      reason: 'Bad Request',
      message: 'The request could not be processed because the provided content is not valid JSON',
    });
    const deepest = await validate(`{"tokenId":"x","a":${nested(999)}}`);
    expect(deepest.json).toEqual({ valid: false });
    // Brackets inside strings do not count.
    expect((await validate(`{"tokenId":"${'['.repeat(5_000)}"}`)).json).toEqual({ valid: false });
  });

  it('a user whose attributes hold objects String() cannot convert is read through AM without a 500', async () => {
    // Before: the AM view turned multi-valued attributes into strings with String(), which throws
    // on {"toString":1}; GET users/<id> answered 500 for such a user.
    const created = await control(
      'POST',
      'users',
      JSON.stringify({
        realm: 'alpha',
        userName: 'tricky',
        password: 'pw',
        mail: [{ toString: 1 }, 'b'],
        frUnindexedString2: [[{ valueOf: {} }]],
      }),
    );
    expect(created.status, created.text).toBe(201);
    const read = await http(`${emulator.url}${ALPHA}/users/${created.json._id}`, {
      headers: { authorization: `Bearer ${emulator.adminToken}`, 'accept-api-version': 'resource=4.0, protocol=1.0' },
    });
    expect(read.status, read.text).toBe(200);
    expect(read.json.mail).toEqual(['{"toString":1}', 'b']);
    expect(read.json['fr-attr-str2']).toEqual(['[{"valueOf":{}}]']);
  });

  it('the sweeper purging expired sessions keeps the store consistent (orphaned queue entries counted right)', async () => {
    // Before: each purge counted an orphaned queue entry for the entry it had just popped, so the
    // count drifted upwards and the queue was rebuilt mid-sweep for no reason.
    const store = storeOf(emulator);
    const user = emulator.tenant.users.get(DEMO._id);
    if (!user) throw new Error('demo user missing');
    for (let i = 0; i < 20; i += 1)
      await emulator.tenant.createSession(user, { service: 'Login', successUrl: '/enduser/' });
    const survivor = await emulator.tenant.createSession(user, { service: 'Login', successUrl: '/enduser/' });
    await store.delete((await store.listByUser('/alpha', DEMO._id))[0]!.tokenId); // one orphaned entry
    emulator.advanceClock(20 * 60);
    await store.touch(survivor.tokenId, 0);
    emulator.advanceClock(11 * 60);
    await emulator.tenant.whenSwept();
    await store.purgeExpired(1_000);
    expect(store.checkInvariants()).toEqual([]);
    expect((await store.listAll()).map((session) => session.tokenId)).toEqual([survivor.tokenId]);
    expect(store.queuedEntries).toBe(1);
  });
});

/**
 * Uses a user the control API just created (or, with none, demo after a stub was added) through
 * the AM routes: an admin read, a zero-page login, idFromSession, and the TerminateExternalSession
 * journey, whose script reads the user's attributes and calls the stubbed external service.
 */
async function useThroughAm(
  pool: Pool,
  emulator: Emulator,
  created: { _id: string; userName: string; realm: string } | undefined,
): Promise<[string, FuzzRequest, FuzzAnswer][]> {
  const results: [string, FuzzRequest, FuzzAnswer][] = [];
  const realmPath = created?.realm === '/' ? '/am/json/realms/root' : ALPHA;
  const run = async (label: string, request: FuzzRequest) => {
    const answer = await send(pool, request);
    results.push([label, request, answer]);
    return answer;
  };
  if (created) {
    await run('read user', {
      method: 'GET',
      path: `${realmPath}/users/${created._id}`,
      headers: { authorization: `Bearer ${emulator.adminToken}`, 'accept-api-version': 'resource=4.0, protocol=2.1' },
    });
  }
  const user = created ? emulator.tenant.users.get(created._id) : emulator.tenant.users.get(DEMO._id);
  if (!user) return results;
  const login = await run('login', {
    method: 'POST',
    path: `${realmPath}/authenticate`,
    headers: {
      'accept-api-version': 'resource=2.0, protocol=1.0',
      'content-type': 'application/json',
      'x-openam-username':
        encodeURIComponent(user.userName).length === user.userName.length
          ? user.userName
          : `=?UTF-8?B?${Buffer.from(user.userName).toString('base64')}?=`,
      'x-openam-password': `=?UTF-8?B?${Buffer.from(user.password).toString('base64')}?=`,
    },
    body: '{}',
  });
  const token = (login.json as { tokenId?: unknown } | undefined)?.tokenId;
  if (typeof token !== 'string' || token === '') return results;
  await run('idFromSession', {
    method: 'POST',
    path: `${realmPath}/users?_action=idFromSession`,
    headers: { 'accept-api-version': 'resource=4.0', 'content-type': 'application/json', [emulator.cookieName]: token },
    body: '{}',
  });
  await run('TerminateExternalSession', {
    method: 'POST',
    path: `${realmPath}/authenticate?authIndexType=service&authIndexValue=TerminateExternalSession`,
    headers: {
      'accept-api-version': 'resource=2.0, protocol=1.0',
      'content-type': 'application/json',
      cookie: `${emulator.cookieName}=${token}`,
    },
    body: '{}',
  });
  return results;
}

const CONTROL_ROUTES = new Set([
  'health',
  'tenant',
  'reset',
  'clock',
  'esvs',
  'users',
  'sessions',
  'faults',
  'import',
  'journeys',
  'runs',
  'stubs',
  'journal',
]);

/** Writes bytes, reads until the server closes or the deadline passes. */
function rawExchange(url: string, bytes: Buffer): Promise<{ status: number; text: string; timedOut: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, DEADLINE_MS);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolvePromise({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text, timedOut });
    });
  });
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}
