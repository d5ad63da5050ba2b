/**
 * `/am/json/realms/.../scripts`: the realm's scripts as AM's scripting REST shows them (frodo-lib
 * ScriptApi.ts and its ScriptOps recordings of AIC):
 * `GET scripts?_queryFilter=true` (or `name eq "X"`) and `GET scripts/<uuid>`, the source in
 * base64. Read only; administrators only (access.ts).
 */
import type { AmAnswer, AmRequest, AmResource } from '../context.js';
import { jsonBody } from '../context.js';
import { collectionRefusal, prepareCrest, projectFields, unsupportedOperation } from '../crest.js';
import { AmError, Errors } from '../errors.js';
import { resourceNotFound } from '../path.js';
import { v } from '../versioning.js';
import { queryPage, requireAdmin } from './access.js';
import { scriptView } from './views.js';

/** `protocol=2.0,resource=1.0` (frodo). */
export const SCRIPT_VERSIONS = [v('1.0')];

export const scriptsResource: AmResource = {
  kind: 'crest',
  async handle(request: AmRequest): Promise<AmAnswer> {
    const [, id, ...deeper] = request.resource;
    if (deeper.length > 0) throw resourceNotFound(request.resource);
    const operation = prepareCrest(request);
    if (operation === 'action') jsonBody(request);
    await requireAdmin(request, SCRIPT_VERSIONS);
    const realmPath = request.realm.path;
    const journeys = request.tenant.journeys.of(realmPath);
    if (id === undefined) {
      if (operation === 'query') {
        const items = [...journeys.scripts.values()]
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1))
          .map(scriptView);
        return { status: 200, body: queryPage(request, items) };
      }
      if (operation === 'action') throw Errors.actionNotImplemented(request.query.get('_action') ?? '');
      throw collectionRefusal(operation) ?? unsupportedOperation();
    }
    if (operation !== 'read') throw unsupportedOperation();
    const script = journeys.scripts.get(id);
    if (!script) throw new AmError(404, `Script with UUID ${id} could not be found in realm ${realmPath}`);
    return { status: 200, body: projectFields(scriptView(script), request.query) };
  },
};
