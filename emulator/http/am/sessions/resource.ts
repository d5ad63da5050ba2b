/**
 * `/am/json/realms/.../sessions`: AM's session management endpoint (AIC docs, "Manage sessions over REST":
 * https://developer.pingidentity.com/pingoneaic-api/am-sessions/managing-sessions-REST.html).
 *
 * The order of checks is AM's filter chain: the body is parsed, then the caller must be
 * authenticated (except for `validate`), then the API version is negotiated, then the caller is
 * authorized, then the action runs. So an anonymous request with a bad version gets 401, and a
 * non-admin asking for an unknown action gets 403, not 501.
 */
import type { AmAnswer, AmRequest, AmResource } from '../context.js';
import { jsonObjectBody } from '../context.js';
import { callerForToken, isAdmin, resolveCaller, type Caller } from '../caller.js';
import { collectionRefusal, prepareCrest, unsupportedOperation, type CrestOperation } from '../crest.js';
import { AmError, Errors } from '../errors.js';
import { resourceNotFound } from '../path.js';
import { negotiate, v } from '../versioning.js';
import * as actions from './actions.js';
import type { ActionContext } from './actions.js';
import { querySessions } from './query.js';

/**
 * Resource versions a request may name. AIC's docs use 2.0/2.1, 3.0/3.1, 4.0 and 5.1, and a
 * request for 4.0 is served 4.0 [real], so there is no 4.1. Every action is served on every
 * version (docs/fidelity.md).
 */
export const SESSION_VERSIONS = ['2.0', '2.1', '3.0', '3.1', '4.0', '5.0', '5.1'].map(v);

type Rule = 'anyone' | 'owner' | 'self' | 'admin';

interface ActionDefinition {
  /** Who besides an admin may call it; `owner` and `self` are checked by the action against its target. */
  rule: Rule;
  run(context: ActionContext): Promise<AmAnswer>;
}

/** Looked up case-insensitively, as AM's action map is. */
const ACTIONS = new Map<string, ActionDefinition>(
  Object.entries({
    getsessioninfo: { rule: 'owner', run: (c) => actions.getSessionInfo(c, false) },
    getsessioninfoandresetidletime: { rule: 'owner', run: (c) => actions.getSessionInfo(c, true) },
    validate: { rule: 'anyone', run: actions.validate },
    refresh: { rule: 'admin', run: actions.refresh },
    logout: { rule: 'anyone', run: actions.logout },
    logoutbyhandle: { rule: 'admin', run: actions.logoutByHandle },
    logoutbyuser: { rule: 'self', run: actions.logoutByUser },
    getsessionproperties: { rule: 'owner', run: actions.getSessionProperties },
    updatesessionproperties: { rule: 'owner', run: actions.updateSessionProperties },
  } satisfies Record<string, ActionDefinition>),
);

/** AIC lets a caller with no credential read a session whose token it sends in the body [real]. */
const BODY_TOKEN_AUTHENTICATES = new Set(['getsessioninfo', 'getsessioninfoandresetidletime']);

export const sessionsResource: AmResource = {
  kind: 'crest',
  async handle(request: AmRequest): Promise<AmAnswer> {
    const [, instanceId, ...deeper] = request.resource;
    if (deeper.length > 0) throw resourceNotFound(request.resource);
    const operation = prepareCrest(request);
    const action = request.query.get('_action') ?? '';
    const body = operation === 'action' ? jsonObjectBody(request) : undefined;

    let caller = await resolveCaller(request);
    if (
      caller.kind === 'anonymous' &&
      operation === 'action' &&
      BODY_TOKEN_AUTHENTICATES.has(action.toLowerCase()) &&
      typeof body?.['tokenId'] === 'string'
    ) {
      caller = await callerForToken(request.tenant, body['tokenId']);
    }
    // AM exempts exactly "validate" from authentication (a case-sensitive match).
    const exempt = operation === 'action' && instanceId === undefined && action === 'validate';
    if (!exempt && caller.kind === 'anonymous') throw Errors.accessDenied();

    request.servedVersion = negotiate(SESSION_VERSIONS, request.requestedVersion);

    if (instanceId !== undefined) return refuseOperation(caller, undefined);
    if (operation === 'query') {
      if (!isAdmin(caller)) throw Errors.forbidden();
      return querySessions(request);
    }
    if (operation !== 'action') return refuseOperation(caller, operation);

    const definition = ACTIONS.get(action.toLowerCase());
    if (!isAdmin(caller) && (!definition || definition.rule === 'admin')) throw Errors.forbidden();
    if (!definition) throw Errors.actionNotImplemented(action);
    return definition.run({ request, caller, body });
  },
};

/**
 * Everything but actions and the query: 403 for non-admins (authorization runs first); for an
 * admin, CREST's 400 for read/update/delete/patch on the collection URL, else the provider's 501.
 */
function refuseOperation(caller: Caller, collectionOperation: CrestOperation | undefined): never {
  if (!isAdmin(caller)) throw Errors.forbidden();
  throw (collectionOperation && collectionRefusal(collectionOperation)) ?? unsupportedOperation();
}

export { AmError };
