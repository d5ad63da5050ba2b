/**
 * `/am/json/realms/.../users` (platform-ui's LoginMixin; AM source: IdentityResourceV2):
 * `POST users?_action=idFromSession` (who am I, from the caller's own session) and `GET users/<id>` (the identity
 * as AM sees it).
 */
import type { AmAnswer, AmRequest, AmResource } from '../context.js';
import { jsonBody } from '../context.js';
import { isAdmin, resolveCaller, type Caller } from '../caller.js';
import { collectionRefusal, prepareCrest, projectFields, unsupportedOperation } from '../crest.js';
import { AmError, Errors } from '../errors.js';
import { resourceNotFound } from '../path.js';
import { negotiate, v } from '../versioning.js';

/**
 * `protocol=1.0,resource=2.0` is served 2.1 (platform-ui), `resource=3.0` 3.0, and
 * `resource=4.0` 4.1 [real: frodo-lib's UserOps recording].
 */
export const USER_VERSIONS = [v('1.2'), v('2.1'), v('3.0'), v('4.1')];

export const usersResource: AmResource = {
  kind: 'crest',
  async handle(request: AmRequest): Promise<AmAnswer> {
    const [, id, ...deeper] = request.resource;
    if (deeper.length > 0) throw resourceNotFound(request.resource);
    const operation = prepareCrest(request);
    if (operation === 'action') jsonBody(request); // a malformed body is a 400 even where it is ignored
    const caller = await resolveCaller(request);
    if (caller.kind === 'anonymous') throw Errors.accessDenied();
    request.servedVersion = negotiate(USER_VERSIONS, request.requestedVersion);

    if (id === undefined && operation === 'action') {
      const action = request.query.get('_action') ?? '';
      if (action.toLowerCase() === 'idfromsession') return idFromSession(caller);
      throw unsupportedOperation();
    }
    if (id !== undefined && operation === 'read') return readUser(request, caller, id);
    if (id === undefined && operation === 'query') {
      // AIC answers AM user queries so; identities are queried through IDM there.
      throw new AmError(403, 'This operation is not available in PingOne Advanced Identity Cloud.');
    }
    if (id === undefined) throw collectionRefusal(operation) ?? unsupportedOperation();
    throw unsupportedOperation();
  },
};

function idFromSession(caller: Caller): AmAnswer {
  if (caller.kind !== 'session') throw new AmError(403, 'SSO Token cannot be retrieved.');
  const { session } = caller;
  const realmParam = encodeURIComponent(session.realm);
  return {
    status: 200,
    body: {
      id: session.userId,
      realm: session.realm,
      dn: session.universalId,
      successURL: session.successUrl,
      fullLoginURL: `/am/XUI/?realm=${realmParam}&authIndexType=service&authIndexValue=${encodeURIComponent(session.service)}`,
    },
  };
}

/**
 * A user reads themselves, an admin anyone. AM asks the identity store with the caller's own
 * token, so a refusal comes back in the store's words.
 */
function readUser(request: AmRequest, caller: Caller, id: string): AmAnswer {
  const { tenant, realm } = request;
  const self =
    caller.kind === 'session' && caller.session.userId === id.toLowerCase() && caller.session.realm === realm.path;
  if (!isAdmin(caller) && !self) {
    const who = caller.kind === 'session' ? caller.session.universalId : 'id=amadmin,ou=user,ou=am-config';
    throw new AmError(403, `Permission to perform the read operation denied to ${who}`);
  }
  const user = tenant.users.getInRealm(realm.path, id);
  if (!user) throw new AmError(404, 'Resource cannot be found.');
  const { _id, _rev, ...content } = tenant.users.amView(user);
  // Reading your own profile adds the UI roles that choose your landing page.
  if (self) content['roles'] = user.admin ? ['ui-global-admin', 'ui-realm-admin'] : ['ui-self-service-user'];
  // CREST writes `_id` and `_rev` only for protocol 2 and later.
  const protocol2 = (request.requestedVersion.protocol?.major ?? 1) >= 2;
  const body = projectFields(protocol2 ? { _id, _rev, ...content } : content, request.query);
  return { status: 200, body, headers: { etag: `"${String(_rev)}"` } };
}
