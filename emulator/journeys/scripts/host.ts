/**
 * What a running script asks of the emulator, answered on the main thread: its httpClient calls
 * and its identity reads and writes, as AIC's script bindings behave (PingOne AIC docs, "Script
 * bindings"; AM: ScriptIdentityRepository.java; live measurements published in
 * agiledigital-labs/aic-edit docs/api/12-script-bindings-matrix.md).
 *
 * httpClient: a call to one of the tenant's own hosts (the journey request's Host, the configured
 * hosts, the address it listens on) is served in-process, whatever the scheme, so the how-to's
 * `"https://" + Host + "/am/..."` reaches the emulated tenant. Any other host is answered by a stub
 * (`/__emulator/stubs`), or refused with a clear error unless outbound network was allowed. A real
 * AIC tenant's host never reaches the network, however it is spelt (the safety rail). Every call
 * goes to the journal and to the run's record.
 */
import { STATUS_CODES } from 'node:http';
import { domainToASCII } from 'node:url';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TenantClock } from '../../core/clock.js';
import type { Journal } from '../../state/journal.js';
import type { StubRegistry } from '../../state/stubs.js';
import type { UserDirectory } from '../../state/user-directory.js';
import type { Realm } from '../../state/realms.js';
import type { RunRecorder } from '../../state/journeys/runs.js';
import { stubAnswer } from '../../state/stubs.js';
import { FilterSyntaxError, matchesFilter, parseQueryFilter } from '../../core/query-filter.js';
import { UserError, type User } from '../../state/user-directory.js';
import type {
  HostAnswer,
  HostHandler,
  HostRequest,
  HttpRequestJson,
  HttpResponseJson,
} from '../../sandbox/protocol.js';

/** What a script's host calls use of the tenant (the Tenant satisfies it). */
export interface ScriptHostTenant {
  hosts(): string[];
  readonly allowOutbound: boolean;
  readonly inProcessSecret: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  readonly journal: Journal;
  readonly stubs: StubRegistry;
  readonly users: UserDirectory;
  readonly clock: TenantClock;
}

export interface ScriptHostContext {
  tenant: ScriptHostTenant;
  realm: Realm;
  /** The Host of the `/authenticate` request the script runs for. */
  requestHostname: string;
  run: RunRecorder;
  /** The run making the calls: its calls back into the tenant carry it (NESTED_RUN_HEADER). */
  caller: { depth: number; deadline: number };
}

/**
 * On the tenant's in-process calls (with IN_PROCESS_HEADER's secret), the calling script run's
 * depth and deadline (`<depth>:<Date.now() deadline>`): a script run started by that request is
 * nested in it (script-runner.ts).
 */
export const NESTED_RUN_HEADER = 'x-aic-emulator-script-run';

/**
 * A header on every call a script makes over the network (`allowOutbound`): the control API
 * refuses a request that carries it, whatever its value, so a script cannot reach it as a
 * loopback client under another spelling of the emulator's address. It grants nothing, so it
 * need not be secret.
 */
export const SCRIPT_CALL_HEADER = 'x-aic-emulator-script-call';

/** A header that marks the tenant's own in-process calls, so a `reset` fault can fail them as a dropped connection. */
export const IN_PROCESS_HEADER = 'x-aic-emulator-in-process';

/** Domains of real AIC tenants (DESIGN.md's safety rail): these and every name under them. */
const REAL_TENANT_DOMAINS = ['forgeblocks.com', 'id.forgerock.io'];
/** PingOne's domains: a `pingone` label followed by letters-only labels (`pingone.com`, `auth.pingone.eu`, `pingone.com.au`). */
const LETTERS = /^[a-z]+$/;

/**
 * The name a call to `url` would connect to, as the rail compares names: WHATWG's parse has already
 * lower-cased it, mapped IDNA forms (full-width letters, ideographic full stops, soft hyphens) to
 * ASCII, decoded percent-escapes and set userinfo apart (`http://localhost@x.forgeblocks.com/`
 * goes to x.forgeblocks.com); what DNS still reads as the same name is trailing dots, dropped here.
 */
export function connectionHost(url: URL): string {
  const host = (domainToASCII(url.hostname) || url.hostname).toLowerCase();
  let end = host.length;
  while (end > 0 && host.charCodeAt(end - 1) === 46 /* . */) end -= 1;
  return host.slice(0, end);
}

/** Is `host` (as connectionHost gives it) a real AIC tenant's? */
export function isRealTenantHost(host: string): boolean {
  if (REAL_TENANT_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`))) return true;
  const labels = host.split('.');
  const pingone = labels.lastIndexOf('pingone');
  return pingone >= 0 && pingone < labels.length - 1 && labels.slice(pingone + 1).every((label) => LETTERS.test(label));
}

const OUTBOUND_TIMEOUT_MS = 30_000;

export function scriptHost(context: ScriptHostContext): HostHandler {
  return async (request: HostRequest): Promise<HostAnswer> => {
    switch (request.op) {
      case 'http':
        return http(context, request.payload as HttpRequestJson);
      case 'identity.get':
        return { ok: true, value: identityGet(context, (request.payload as { id: string }).id) };
      case 'identity.store':
        return identityStore(context, request.payload as { id: string; attributes: Record<string, string[]> });
      case 'openidm':
        return openidm(context, request.payload as { op: string; args: unknown[] });
      default:
        return { ok: false, error: `unknown host call ${String(request.op)}` };
    }
  };
}

// ------------------------------------------------------------------------ httpClient

async function http(context: ScriptHostContext, call: HttpRequestJson): Promise<HostAnswer> {
  const { tenant, run } = context;
  const started = performance.now();
  const method = (call.method || 'GET').toUpperCase();
  let url: URL;
  try {
    url = new URL(call.url);
  } catch {
    return { ok: false, error: `java.net.MalformedURLException: no protocol: ${call.url}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, error: `java.net.MalformedURLException: unknown protocol: ${url.protocol.replace(':', '')}` };
  const host = connectionHost(url);
  const own = [...tenant.hosts(), context.requestHostname].some((name) => hostNamed(name) === host);
  const entry = tenant.journal.record({
    kind: 'outbound',
    timeMs: tenant.clock.now(),
    method,
    url: call.url,
    requestHeaders: Object.fromEntries(call.headers),
    ...(call.body !== null ? { requestBody: call.body } : {}),
  });
  const done = (servedBy: 'tenant' | 'stub' | 'network' | 'refused', answer: HostAnswer): HostAnswer => {
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    if (answer.ok) {
      const response = answer.value as HttpResponseJson;
      tenant.journal.complete(entry, response.status, response.body, durationMs);
      run.outbound({ method, url: call.url, status: response.status, servedBy, durationMs });
    } else {
      tenant.journal.complete(entry, 0, undefined, durationMs);
      run.outbound({ method, url: call.url, error: answer.error, servedBy, durationMs });
    }
    return answer;
  };
  const stubbed = () => {
    // A stub for `https://api.example.com/x` answers `https://API.example.com./x` too: the same host.
    const normalised = new URL(url.href);
    normalised.hostname = host;
    const stub =
      tenant.stubs.match(method, url.href) ??
      (normalised.href !== url.href ? tenant.stubs.match(method, normalised.href) : undefined);
    if (!stub) return undefined;
    const answer = stubAnswer(stub, call.body);
    return done('stub', { ok: true, value: toResponse(answer.status, answer.headers, answer.body) });
  };
  const named = url.port ? `${host}:${url.port}` : host;

  // The safety rail, before any branch that could reach the network, allowOutbound or not: a real
  // tenant's host is answered only by what the emulator holds itself (the tenant, when the journey
  // was reached under that name; a stub the user set up for it), or refused.
  if (isRealTenantHost(host)) {
    if (own) return done('tenant', await inProcess(context, method, url, named, call));
    return (
      stubbed() ??
      done('refused', {
        ok: false,
        error: `java.net.ConnectException: the emulator refuses to call ${named}, a real PingOne AIC tenant host (the safety rail); stub it with POST /__emulator/stubs`,
      })
    );
  }
  if (own) return done('tenant', await inProcess(context, method, url, named, call));
  const stub = stubbed();
  if (stub) return stub;
  if (tenant.allowOutbound) return done('network', await network(method, url, call));
  return done('refused', {
    ok: false,
    error: `java.net.ConnectException: the emulator refuses to call ${url.host}: it is not the tenant's own host and no stub answers ${method} ${url.href} (add one with POST /__emulator/stubs, or start with --allow-outbound)`,
  });
}

/** A configured host name, or the Host a journey was requested under, as connectionHost reads it (undefined when it is no host name). */
function hostNamed(name: string): string | undefined {
  try {
    return connectionHost(new URL(`http://${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}`));
  } catch {
    return undefined;
  }
}

function toResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): HttpResponseJson {
  return {
    status,
    statusText: STATUS_CODES[status] ?? '',
    headers: Object.entries(headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value : [String(value)]]),
    body,
  };
}

async function inProcess(
  context: ScriptHostContext,
  method: string,
  url: URL,
  host: string,
  call: HttpRequestJson,
): Promise<HostAnswer> {
  const { tenant, caller } = context;
  // A Map: a header a script names `constructor` or `__proto__` is a header like any other.
  const joined = new Map<string, string>();
  for (const [name, value] of call.headers) {
    const key = name.toLowerCase();
    const before = joined.get(key);
    joined.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  const headers: Record<string, string> = Object.fromEntries(joined);
  headers['host'] = host;
  headers[IN_PROCESS_HEADER] = tenant.inProcessSecret;
  headers[NESTED_RUN_HEADER] = `${caller.depth}:${caller.deadline}`;
  const response = await tenant.inject({
    method,
    url: `${url.pathname}${url.search}`,
    headers,
    ...(call.body !== null ? { payload: call.body } : {}),
  });
  if (response.headers['x-aic-emulator-reset'] === tenant.inProcessSecret) {
    return { ok: false, error: 'java.net.SocketException: Connection reset' };
  }
  return {
    ok: true,
    value: toResponse(
      response.statusCode,
      response.headers as Record<string, string | string[] | undefined>,
      response.body,
    ),
  };
}

async function network(method: string, url: URL, call: HttpRequestJson): Promise<HostAnswer> {
  try {
    const headers: Record<string, string> = {};
    for (const [name, value] of call.headers) if (name.toLowerCase() !== SCRIPT_CALL_HEADER) headers[name] = value;
    headers[SCRIPT_CALL_HEADER] = '1';
    // undici only when a script really goes out to the network (allowOutbound): not at start.
    const { request: undiciRequest } = await import('undici');
    const response = await undiciRequest(url, {
      method: method as 'GET',
      headers,
      ...(call.body !== null ? { body: call.body } : {}),
      headersTimeout: OUTBOUND_TIMEOUT_MS,
      bodyTimeout: OUTBOUND_TIMEOUT_MS,
    });
    const body = await response.body.text();
    return {
      ok: true,
      value: toResponse(response.statusCode, response.headers, body),
    };
  } catch (error) {
    return { ok: false, error: `java.net.ConnectException: ${(error as Error).message}` };
  }
}

// ------------------------------------------------------------------------ identities

/** IDM property names for AM attribute names (the inverse of the AM view's mapping). */
function idmProperty(amName: string): string {
  let match = /^fr-attr-str(\d)$/.exec(amName);
  if (match) return `frUnindexedString${match[1]}`;
  match = /^fr-attr-istr(\d+)$/.exec(amName);
  if (match) return `frIndexedString${match[1]}`;
  if (amName === 'uid') return 'userName';
  if (amName === 'userPassword') return 'password';
  if (amName === 'inetUserStatus') return 'accountStatus';
  return amName;
}

function findUser(context: ScriptHostContext, id: string): User | undefined {
  const { users } = context.tenant;
  return users.getInRealm(context.realm.path, id) ?? users.findByUserName(context.realm.path, id);
}

function identityGet(context: ScriptHostContext, id: string): unknown {
  if (typeof id !== 'string') return null;
  const user = findUser(context, id);
  if (!user) return null;
  const view = context.tenant.users.amView(user);
  const attributes: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(view)) if (Array.isArray(value)) attributes[name] = value.map(String);
  return { id: user._id, name: user._id, universalId: context.tenant.users.universalId(user), attributes };
}

function identityStore(
  context: ScriptHostContext,
  payload: { id: string; attributes: Record<string, string[]> },
): HostAnswer {
  const user = findUser(context, payload.id);
  if (!user) return { ok: false, error: `com.sun.identity.idm.IdRepoException: identity ${payload.id} not found` };
  const changes: Record<string, unknown> = {};
  for (const [amName, values] of Object.entries(payload.attributes ?? {})) {
    const property = idmProperty(amName);
    const list = Array.isArray(values) ? values.map(String) : [];
    if (property === 'accountStatus') changes[property] = list[0]?.toLowerCase() === 'inactive' ? 'inactive' : 'active';
    else changes[property] = list.length === 0 ? null : list.length === 1 ? list[0] : list;
  }
  try {
    context.tenant.users.update(user._id, changes);
    return { ok: true, value: null };
  } catch (error) {
    return { ok: false, error: `com.sun.identity.idm.IdRepoException: ${(error as Error).message}` };
  }
}

// ------------------------------------------------------------------------ openidm

const ADAPTER = 'org.forgerock.openam.scripting.api.identity.ResourceExceptionScriptAdapter';

function parseResource(
  context: ScriptHostContext,
  resource: unknown,
): { collection: 'user' | 'other'; id?: string; relationship?: string } | undefined {
  if (typeof resource !== 'string') return undefined;
  const parts = resource.replace(/^\/+/, '').split('/');
  if (parts[0] !== 'managed' || !parts[1]) return undefined;
  const realmName = context.realm.path === '/' ? '' : context.realm.name;
  const userType = realmName ? `${realmName}_user` : 'user';
  const collection = parts[1] === userType ? 'user' : 'other';
  return { collection, ...(parts[2] ? { id: parts[2] } : {}), ...(parts[3] ? { relationship: parts[3] } : {}) };
}

function project(view: Record<string, unknown>, fields: unknown): Record<string, unknown> {
  const list = Array.isArray(fields)
    ? fields.map(String)
    : typeof fields === 'string' && fields !== ''
      ? fields.split(',')
      : [];
  if (list.length === 0 || list.includes('*')) return view;
  return Object.fromEntries([
    ['_id', view['_id']],
    ...list.filter((field) => Object.hasOwn(view, field)).map((field) => [field, view[field]]),
  ]) as Record<string, unknown>;
}

function queryResult(result: unknown[]) {
  return {
    result,
    resultCount: result.length,
    pagedResultsCookie: null,
    totalPagedResultsPolicy: 'NONE',
    totalPagedResults: -1,
    remainingPagedResults: -1,
  };
}

function openidm(context: ScriptHostContext, call: { op: string; args: unknown[] }): HostAnswer {
  const { users } = context.tenant;
  const [resource, ...rest] = Array.isArray(call.args) ? call.args : [];
  const target = parseResource(context, resource);
  const fail = (message: string): HostAnswer => ({ ok: false, error: `${ADAPTER}: ${message}` });
  if (!target) return fail(`Resource '${String(resource)}' not found`);
  const view = (user: User) => ({ ...users.idmView(user), _rev: String(user.modifiedAt) });
  try {
    switch (call.op) {
      case 'read': {
        if (target.collection !== 'user' || !target.id || target.relationship) return { ok: true, value: null };
        const user = users.getInRealm(context.realm.path, target.id);
        return {
          ok: true,
          value: user
            ? project(view(user), rest[1] ?? (rest[0] as Record<string, unknown> | undefined)?.['_fields'])
            : null,
        };
      }
      case 'query': {
        const params = (rest[0] ?? {}) as Record<string, unknown>;
        const given = ['_queryId', '_queryExpression', '_queryFilter'].filter((key) => params[key] !== undefined);
        if (given.length !== 1) return fail('You must use exactly one of [_queryId, _queryExpression, _queryFilter].');
        if (target.collection !== 'user' || target.relationship) return { ok: true, value: queryResult([]) };
        let filter;
        try {
          const given = params['_queryFilter'];
          filter = parseQueryFilter(typeof given === 'string' ? given : 'true');
        } catch (error) {
          if (error instanceof FilterSyntaxError)
            return fail(
              `The value '${String(params['_queryFilter'])}' for parameter '_queryFilter' could not be parsed as a valid query filter`,
            );
          throw error;
        }
        const matched = users
          .list(context.realm.path)
          .map(view)
          .filter((user) => matchesFilter(filter, user));
        return { ok: true, value: queryResult(matched.map((user) => project(user, rest[1] ?? params['_fields']))) };
      }
      case 'create': {
        if (target.collection !== 'user') return fail('The emulator creates users only');
        const [id, content] = rest as [string | null, Record<string, unknown>];
        const user = users.add({
          ...(content ?? {}),
          realm: context.realm.path,
          ...(typeof id === 'string' && id !== '' ? { _id: id } : {}),
        } as never);
        return { ok: true, value: view(user) };
      }
      case 'update': {
        const user = target.id ? users.getInRealm(context.realm.path, target.id) : undefined;
        if (!user) return fail(`Object ${String(resource)} not found`);
        const value = (rest[1] ?? {}) as Record<string, unknown>;
        const removed = Object.fromEntries(
          Object.keys(users.idmView(user))
            .filter((key) => !(key in value) && !['_id', 'userName', 'accountStatus'].includes(key))
            .map((key) => [key, null]),
        );
        return { ok: true, value: view(users.update(user._id, { ...removed, ...value })) };
      }
      case 'patch': {
        const user = target.id ? users.getInRealm(context.realm.path, target.id) : undefined;
        if (!user) return fail(`Object ${String(resource)} not found`);
        const operations = Array.isArray(rest[1])
          ? (rest[1] as { operation?: string; field?: string; value?: unknown }[])
          : [];
        const changes: Record<string, unknown> = {};
        for (const operation of operations) {
          const field =
            String(operation.field ?? '')
              .replace(/^\//, '')
              .split('/')[0] ?? '';
          if (!field) continue;
          changes[field] = operation.operation === 'remove' ? null : operation.value;
        }
        return { ok: true, value: view(users.update(user._id, changes)) };
      }
      case 'delete': {
        const user = target.id ? users.getInRealm(context.realm.path, target.id) : undefined;
        if (!user) return fail(`Object ${String(resource)} not found`);
        users.remove(user._id);
        return { ok: true, value: view(user) };
      }
      default:
        return fail(`openidm.${call.op} is not supported by the emulator`);
    }
  } catch (error) {
    if (error instanceof UserError) return fail(error.message);
    throw error;
  }
}
