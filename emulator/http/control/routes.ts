/**
 * The control API under `/__emulator/` (DESIGN.md): health, tenant, reset, clock, ESVs, users,
 * sessions, faults, journal. Emulator-only: nothing here changes an AM path's behaviour unless
 * asked to (a fault, a clock move). Errors have AM's shape too: `{code, reason, message}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServices } from '../services.js';
import type { Tenant } from '../../tenant/tenant.js';
import { ClockError } from '../../core/clock.js';
import { EsvError } from '../../state/esvs.js';
import { UserError } from '../../state/user-directory.js';
import { AmError } from '../am/errors.js';
import { MAX_JSON_NESTING, jsonNestingExceeds } from '../am/context.js';
import { isoMillis } from '../../core/clock.js';
import { FaultError } from '../../state/faults.js';
import { StubError } from '../../state/stubs.js';
import { sessionView, userView } from './views.js';
import type { Session } from '../../state/sessions/session.js';
import { lintJourney } from '../../journeys/lint.js';
import { importJourneys } from '../../journeys/import-journeys.js';

export const CONTROL_PREFIX = '/__emulator';

export interface ControlOptions {
  /** Host names the tenant answers to, for `GET tenant`. */
  hosts: () => string[];
}

function body(request: FastifyRequest): unknown {
  const raw = request.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0 || raw.toString('utf8').trim() === '') return undefined;
  const text = raw.toString('utf8');
  // Faults, stubs, users and imports keep what they are given and answer it back later: a value
  // nested deeper than JSON.stringify (or structuredClone) can walk would make those answers a
  // 500 (found by test/integration/fuzz.test.ts). Same bound as the AM routes.
  if (jsonNestingExceeds(text, MAX_JSON_NESTING))
    throw new TooDeep(`The request body is nested deeper than ${MAX_JSON_NESTING} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AmError(400, 'The request body is not valid JSON');
  }
}

/** A body nested deeper than MAX_JSON_NESTING: a 400, except where import reports it as a problem. */
class TooDeep extends AmError {
  constructor(message: string) {
    super(400, message);
  }
}

function objectBody(request: FastifyRequest): Record<string, unknown> {
  const value = body(request);
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AmError(400, 'The request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** A single-valued query parameter: a repeated one is a 400, not an array handed on. */
function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AmError(400, `the query parameter ${name} must be given once`);
  return value;
}

function queryFilters(request: FastifyRequest): Record<string, string | undefined> {
  return {
    realm: queryParam(request, 'realm'),
    username: queryParam(request, 'username'),
    userName: queryParam(request, 'userName'),
  };
}

/** Maps the domain errors of each module to AM-shaped answers. */
function toAmError(error: unknown): AmError {
  if (error instanceof AmError) return error;
  if (error instanceof UserError) return new AmError(error.status, error.message);
  if (
    error instanceof ClockError ||
    error instanceof EsvError ||
    error instanceof FaultError ||
    error instanceof StubError
  )
    return new AmError(400, error.message);
  throw error;
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

function route(handler: Handler): Handler {
  return async (request, reply) => {
    try {
      const result = await handler(request, reply);
      reply.header('cache-control', 'no-store');
      return result;
    } catch (error) {
      const amError = toAmError(error);
      reply.code(amError.status).header('cache-control', 'no-store');
      return amError.toBody();
    }
  };
}

/**
 * Registers the routes on `app`, the control API's own scope (server.ts): its prefix is
 * CONTROL_PREFIX and its guard checks every request first, so the paths here are relative.
 */
export function registerControlRoutes(app: FastifyInstance, services: HttpServices, options: ControlOptions): void {
  const { tenant, lintEnvironment } = services;
  const p = '';

  app.get(
    `${p}/health`,
    route(() => ({ status: 'ok' })),
  );

  app.get(
    `${p}/tenant`,
    route(() => ({
      cookieName: tenant.cookieName,
      realms: tenant.realms
        .list()
        .map((realm) => ({ path: realm.path, name: realm.name, successUrl: realm.successUrl })),
      hosts: options.hosts(),
      adminToken: tenant.config.adminToken,
      esvs: Object.fromEntries(tenant.esvs.entries()),
    })),
  );

  app.post(
    `${p}/reset`,
    route(async () => {
      await tenant.reset();
      return { status: 'ok' };
    }),
  );

  app.get(
    `${p}/clock`,
    route(() => ({ now: isoMillis(tenant.clock.now()) })),
  );
  app.post(
    `${p}/clock`,
    route((request) => {
      const input = objectBody(request);
      const known = new Set(['advanceSeconds', 'set', 'frozen']);
      for (const key of Object.keys(input))
        if (!known.has(key)) throw new AmError(400, `unknown clock field ${JSON.stringify(key)}`);
      const { advanceSeconds, set, frozen } = input;
      if (advanceSeconds !== undefined && set !== undefined)
        throw new AmError(400, 'give advanceSeconds or set, not both');
      if (frozen !== undefined && typeof frozen !== 'boolean') throw new AmError(400, 'frozen must be a boolean');
      if (set !== undefined && typeof set !== 'string') throw new AmError(400, 'set must be an ISO 8601 time');
      if (advanceSeconds === undefined && set === undefined && frozen === undefined) {
        throw new AmError(400, 'give advanceSeconds (a number of seconds) or set (an ISO 8601 time)');
      }
      // Check the move before making any change, so that a refused request changes nothing.
      const target =
        advanceSeconds !== undefined
          ? tenant.clock.checkAdvance(advanceSeconds)
          : set !== undefined
            ? tenant.clock.checkSet(set)
            : undefined;
      if (frozen !== undefined) tenant.clock.freeze(frozen);
      if (target !== undefined) tenant.clock.set(Math.max(target, tenant.clock.now()));
      return { now: isoMillis(tenant.clock.now()) };
    }),
  );

  app.get(
    `${p}/esvs`,
    route(() => ({ result: tenant.esvs.entries().map(([name, value]) => ({ name, value })) })),
  );
  app.put<{ Params: { name: string } }>(
    `${p}/esvs/:name`,
    route((request) => {
      const { name } = request.params as { name: string };
      const input = objectBody(request);
      if (typeof input['value'] !== 'string') throw new AmError(400, 'value must be a string');
      tenant.esvs.set(name, input['value']);
      return { name, value: input['value'] };
    }),
  );

  app.get(
    `${p}/users`,
    route((request) => {
      const realmName = queryParam(request, 'realm');
      const realm = realmName === undefined ? undefined : tenant.realms.resolve(realmName);
      if (realmName !== undefined && !realm) throw new AmError(400, `no realm ${realmName} in this tenant`);
      return { result: tenant.users.list(realm?.path).map(userView) };
    }),
  );
  app.post(
    `${p}/users`,
    route((request, reply) => {
      const user = tenant.users.add(objectBody(request) as never);
      reply.code(201);
      return userView(user);
    }),
  );

  app.get(
    `${p}/sessions`,
    route(async (request) => {
      const sessions = await findSessions(tenant, queryFilters(request));
      return { result: sessions.map((session) => sessionView(session, tenant.users.get(session.userId)?.userName)) };
    }),
  );
  app.post(
    `${p}/sessions`,
    route(async (request, reply) => {
      const input = objectBody(request);
      const realm = tenant.realms.resolve(typeof input['realm'] === 'string' ? input['realm'] : '');
      if (!realm) throw new AmError(400, 'realm must name a realm of this tenant');
      const user =
        typeof input['_id'] === 'string'
          ? tenant.users.getInRealm(realm.path, input['_id'])
          : typeof input['userName'] === 'string'
            ? tenant.users.findByUserName(realm.path, input['userName'])
            : undefined;
      if (!user) throw new AmError(404, 'no such user in that realm: give its _id or userName');
      const session = await tenant.createSession(user, { service: 'Login', successUrl: realm.successUrl });
      reply.code(201);
      return sessionView(session, user.userName);
    }),
  );
  app.delete(
    `${p}/sessions`,
    route(async (request) => {
      const sessions = await findSessions(tenant, queryFilters(request));
      let ended = 0;
      for (const session of sessions) if (await tenant.sessions.delete(session.tokenId)) ended += 1;
      return { ended };
    }),
  );
  app.delete<{ Params: { id: string } }>(
    `${p}/sessions/:id`,
    route(async (request) => {
      const { id } = request.params as { id: string };
      const session = id.startsWith('shandle:')
        ? await tenant.sessions.getByHandle(id)
        : await tenant.sessions.getByToken(id);
      if (!session) throw new AmError(404, 'no live session with that tokenId or sessionHandle');
      await tenant.sessions.delete(session.tokenId);
      return { ended: 1 };
    }),
  );

  app.get(
    `${p}/faults`,
    route(() => ({ result: tenant.faults.list() })),
  );
  app.post(
    `${p}/faults`,
    route((request, reply) => {
      const fault = tenant.faults.add(body(request));
      reply.code(201);
      return { id: fault.id };
    }),
  );
  app.delete(
    `${p}/faults`,
    route(() => {
      tenant.faults.clear();
      return { status: 'ok' };
    }),
  );
  app.delete<{ Params: { id: string } }>(
    `${p}/faults/:id`,
    route((request) => {
      const { id } = request.params as { id: string };
      if (!tenant.faults.remove(id)) throw new AmError(404, `no fault ${id}`);
      return { status: 'ok' };
    }),
  );

  app.post(
    `${p}/import`,
    { bodyLimit: 16 * 1024 * 1024 },
    route((request) => {
      let input: unknown;
      let tooDeep: TooDeep | undefined;
      try {
        input = body(request);
      } catch (error) {
        if (!(error instanceof TooDeep)) throw error;
        tooDeep = error;
      }
      const realm = queryParam(request, 'realm');
      if (realm !== undefined && !tenant.realms.resolve(realm))
        throw new AmError(400, `no realm ${realm} in this tenant`);
      if (tooDeep) {
        // A hostile export is an import problem, answered like any export that is not one.
        const target = tenant.realms.resolve(realm ?? '/alpha');
        return {
          imported: [],
          realm: target?.path ?? '/alpha',
          problems: [{ severity: 'error', source: 'request', message: `not a journey export: ${tooDeep.message}` }],
        };
      }
      if (input === undefined) throw new AmError(400, 'the request body must be a journey export (JSON)');
      const result = importJourneys(
        tenant,
        { export: input, ...(realm !== undefined ? { realm } : {}), source: 'request' },
        lintEnvironment,
      );
      return { imported: result.imported, realm: result.realm, problems: result.problems };
    }),
  );

  app.get(
    `${p}/journeys`,
    route((request) => {
      const realmName = queryParam(request, 'realm');
      const realms = realmName === undefined ? tenant.realms.list() : [tenant.realms.resolve(realmName)];
      if (realms.some((realm) => realm === undefined)) throw new AmError(400, `no realm ${realmName} in this tenant`);
      return {
        result: realms.flatMap((realm) => {
          const journeys = tenant.journeys.of(realm!.path);
          return [...journeys.trees.values()].map((tree) => ({
            name: tree.name,
            realm: realm!.path,
            description: tree.description,
            enabled: tree.enabled,
            nodes: Object.keys(tree.nodes).length,
            problems: lintJourney(journeys, tree.name, new Set(), lintEnvironment),
          }));
        }),
      };
    }),
  );
  app.get<{ Params: { realm: string; name: string } }>(
    `${p}/journeys/:realm/:name`,
    route((request) => {
      const { realm: realmName, name } = request.params as { realm: string; name: string };
      const realm = tenant.realms.resolve(realmName);
      if (!realm) throw new AmError(404, `no realm ${realmName} in this tenant`);
      const journeys = tenant.journeys.of(realm.path);
      const tree = journeys.trees.get(name);
      if (!tree) throw new AmError(404, `no journey ${name} in realm ${realm.path}`);
      const nodeIds = new Set(Object.keys(tree.nodes));
      for (const node of Object.values(tree.nodes)) {
        const config = journeys.nodes.get(node.id)?.config;
        if (node.nodeType === 'PageNode' && Array.isArray(config?.['nodes']))
          for (const child of config['nodes'] as { _id?: string }[]) if (child._id) nodeIds.add(child._id);
      }
      return {
        realm: realm.path,
        tree,
        nodes: Object.fromEntries([...nodeIds].map((id) => [id, journeys.nodes.get(id) ?? null])),
        problems: lintJourney(journeys, name, new Set(), lintEnvironment),
      };
    }),
  );

  app.get(
    `${p}/runs`,
    route(() => ({ result: tenant.runs.list() })),
  );
  app.get<{ Params: { id: string } }>(
    `${p}/runs/:id`,
    route((request) => {
      const run = tenant.runs.get((request.params as { id: string }).id);
      if (!run) throw new AmError(404, 'no such run (runs are kept for a while, then dropped)');
      return run;
    }),
  );

  app.get(
    `${p}/stubs`,
    route(() => ({ result: tenant.stubs.list() })),
  );
  app.post(
    `${p}/stubs`,
    route((request, reply) => {
      const stub = tenant.stubs.add(body(request));
      reply.code(201);
      return { id: stub.id };
    }),
  );
  app.delete(
    `${p}/stubs`,
    route(() => {
      tenant.stubs.clear();
      return { status: 'ok' };
    }),
  );
  app.delete<{ Params: { id: string } }>(
    `${p}/stubs/:id`,
    route((request) => {
      const { id } = request.params as { id: string };
      if (!tenant.stubs.remove(id)) throw new AmError(404, `no stub ${id}`);
      return { status: 'ok' };
    }),
  );

  app.get(
    `${p}/journal`,
    route(() => ({ result: tenant.journal.list() })),
  );
  app.delete(
    `${p}/journal`,
    route(() => {
      tenant.journal.clear();
      return { status: 'ok' };
    }),
  );
}

/** Sessions by realm, by user (`username` = _id, or `userName`), or all; uses the store's indexes. */
async function findSessions(tenant: Tenant, filters: Record<string, string | undefined>): Promise<Session[]> {
  const realm = filters['realm'] === undefined ? undefined : tenant.realms.resolve(filters['realm']);
  if (filters['realm'] !== undefined && !realm) throw new AmError(400, `no realm ${filters['realm']} in this tenant`);
  let userIds: { realm: string; id: string }[] | undefined;
  if (filters['username'] !== undefined) {
    const user = tenant.users.get(filters['username']);
    userIds = user ? [{ realm: user.realm, id: user._id }] : [];
  } else if (filters['userName'] !== undefined) {
    const realms = realm ? [realm] : tenant.realms.list();
    userIds = realms.flatMap((r) => {
      const user = tenant.users.findByUserName(r.path, filters['userName'] as string);
      return user ? [{ realm: user.realm, id: user._id }] : [];
    });
  }
  if (userIds) {
    const lists = await Promise.all(
      userIds.filter((u) => !realm || u.realm === realm.path).map((u) => tenant.sessions.listByUser(u.realm, u.id)),
    );
    return lists.flat();
  }
  return realm ? tenant.sessions.listByRealm(realm.path) : tenant.sessions.listAll();
}
