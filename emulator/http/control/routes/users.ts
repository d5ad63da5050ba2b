/** `GET users[?realm=]` (never a password) and `POST users` (the directory checks the user). */
import type { UserSeed } from '../../../config/config-types.js';
import { objectBody, singleQueryParams } from '../schema.js';
import { userView } from '../views.js';
import { realmParam, type ControlRoutes } from './context.js';

const USERS_QUERY = singleQueryParams('realm');

export const userRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get<{ Querystring: { realm?: string } }>('/users', { schema: { querystring: USERS_QUERY } }, (request) => {
    const realm = realmParam(tenant, request.query.realm);
    return { result: tenant.users.list(realm?.path).map(userView) };
  });

  // The body is only known to be an object: the directory checks it is a user (UserError).
  app.post<{ Body: UserSeed }>(
    '/users',
    { schema: { body: objectBody }, config: { jsonBody: 'object' } },
    (request, reply) => {
      const user = tenant.users.add(request.body);
      reply.code(201);
      return userView(user);
    },
  );
};
