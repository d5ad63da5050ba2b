/**
 * The tenant's OAuth2 clients and grants: `GET oauth2/clients` (secrets left out),
 * `POST oauth2/clients` (add or replace one: the config's client shape), `DELETE
 * oauth2/clients/:clientId?realm=`, and `GET oauth2/grants?realm=&user=` (grants in force, for
 * the console beside the user's sessions).
 */
import { OAUTH2_CLIENT_SCHEMA } from '../../../config/config-schema.js';
import type { OAuth2ClientSeed } from '../../../config/config-types.js';
import type { OAuth2Client } from '../../../state/oauth2/clients.js';
import type { Grant } from '../../../state/oauth2/grants.js';
import { AmError } from '../../am/errors.js';
import { pathParams, singleQueryParams } from '../schema.js';
import { realmParam, type ControlRoutes } from './context.js';

const CLIENT_PARAMS = pathParams('clientId');
const REALM_QUERY = singleQueryParams('realm');
const GRANT_QUERY = singleQueryParams('realm', 'user');

export const oauth2Routes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get<{ Querystring: { realm?: string } }>(
    '/oauth2/clients',
    { schema: { querystring: REALM_QUERY } },
    (request) => {
      const realm = realmParam(tenant, request.query.realm);
      return { result: tenant.oauth2Clients.list(realm?.path).map(clientView) };
    },
  );

  app.post<{ Body: OAuth2ClientSeed }>(
    '/oauth2/clients',
    { schema: { body: OAUTH2_CLIENT_SCHEMA }, config: { jsonBody: 'object' } },
    (request, reply) => {
      const client = tenant.oauth2Clients.add(request.body);
      reply.code(201);
      return clientView(client);
    },
  );

  app.delete<{ Params: { clientId: string }; Querystring: { realm?: string } }>(
    '/oauth2/clients/:clientId',
    { schema: { params: CLIENT_PARAMS, querystring: REALM_QUERY } },
    (request) => {
      const realm = realmParam(tenant, request.query.realm) ?? tenant.realms.resolve('/alpha');
      const { clientId } = request.params;
      if (!realm || !tenant.oauth2Clients.remove(realm.path, clientId))
        throw new AmError(404, `no OAuth2 client ${clientId} in realm ${realm?.path ?? '/alpha'}`);
      return { status: 'ok' };
    },
  );

  app.get<{ Querystring: { realm?: string; user?: string } }>(
    '/oauth2/grants',
    { schema: { querystring: GRANT_QUERY } },
    (request) => {
      const realm = realmParam(tenant, request.query.realm);
      const { user } = request.query;
      const grants = tenant.oauth2Grants
        .list()
        .filter((grant) => !grant.revoked)
        .filter((grant) => !realm || grant.realm === realm.path)
        .filter((grant) => user === undefined || grant.userId === user);
      return { result: grants.map(grantView) };
    },
  );
};

/** A client as the control API shows it: everything but its secret. */
function clientView(client: OAuth2Client): Omit<OAuth2Client, 'clientSecret'> & { hasSecret: boolean } {
  const { clientSecret, ...rest } = client;
  return { ...rest, hasSecret: clientSecret !== undefined };
}

function grantView(grant: Grant) {
  return {
    authGrantId: grant.authGrantId,
    realm: grant.realm,
    clientId: grant.clientId,
    userId: grant.userId ?? null,
    scopes: grant.scopes,
    createdAt: new Date(grant.createdAt).toISOString(),
  };
}
