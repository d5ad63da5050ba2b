/**
 * `GET sessions` and `DELETE sessions` (by realm, by user: `username` is the _id, `userName` the
 * name; or all), `POST sessions` `{realm, _id | userName}` (a session without a login),
 * `DELETE sessions/:id` (a tokenId or a sessionHandle).
 */
import type { Tenant } from '../../../tenant/tenant.js';
import type { Session } from '../../../state/sessions/session.js';
import { AmError } from '../../am/errors.js';
import { objectBody, pathParams, singleQueryParams } from '../schema.js';
import { sessionView } from '../views.js';
import { realmParam, type ControlRoutes } from './context.js';

interface SessionFilters {
  realm?: string;
  username?: string;
  userName?: string;
}

const SESSIONS_QUERY = singleQueryParams('realm', 'username', 'userName');
const SESSION_PARAMS = pathParams('id');

export const sessionRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get<{ Querystring: SessionFilters }>(
    '/sessions',
    { schema: { querystring: SESSIONS_QUERY } },
    async (request) => {
      const sessions = await findSessions(tenant, request.query);
      return { result: sessions.map((session) => sessionView(session, tenant.users.get(session.userId)?.userName)) };
    },
  );

  // Fields of the wrong type count as absent: no realm is the root realm, as for `realm=`.
  app.post<{ Body: Record<string, unknown> }>(
    '/sessions',
    { schema: { body: objectBody }, config: { jsonBody: 'object' } },
    async (request, reply) => {
      const input = request.body;
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
    },
  );

  app.delete<{ Querystring: SessionFilters }>(
    '/sessions',
    { schema: { querystring: SESSIONS_QUERY } },
    async (request) => {
      const sessions = await findSessions(tenant, request.query);
      let ended = 0;
      for (const session of sessions) if (await tenant.sessions.delete(session.tokenId)) ended += 1;
      return { ended };
    },
  );

  app.delete<{ Params: { id: string } }>('/sessions/:id', { schema: { params: SESSION_PARAMS } }, async (request) => {
    const { id } = request.params;
    const session = id.startsWith('shandle:')
      ? await tenant.sessions.getByHandle(id)
      : await tenant.sessions.getByToken(id);
    if (!session) throw new AmError(404, 'no live session with that tokenId or sessionHandle');
    await tenant.sessions.delete(session.tokenId);
    return { ended: 1 };
  });
};

/** Sessions by realm, by user (`username` = _id, or `userName`), or all; uses the store's indexes. */
async function findSessions(tenant: Tenant, filters: SessionFilters): Promise<Session[]> {
  const realm = realmParam(tenant, filters.realm);
  let userIds: { realm: string; id: string }[] | undefined;
  if (filters.username !== undefined) {
    const user = tenant.users.get(filters.username);
    userIds = user ? [{ realm: user.realm, id: user._id }] : [];
  } else if (filters.userName !== undefined) {
    const userName = filters.userName;
    userIds = (realm ? [realm] : tenant.realms.list()).flatMap((r) => {
      const user = tenant.users.findByUserName(r.path, userName);
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
