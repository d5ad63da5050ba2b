/**
 * `/am/json/realms/.../scripts`: the realm's scripts as AM's scripting REST shows them (frodo-lib
 * ScriptApi.ts and its ScriptOps recordings of AIC):
 * `GET scripts?_queryFilter=true` (or `name eq "X"`) and `GET scripts/<uuid>`, the source in
 * base64; `PUT scripts/<uuid>` creates (201) or replaces (200), `DELETE` removes. Administrators
 * only (access.ts).
 */
import type { AmAnswer, AmRequest, AmResource } from '../context.js';
import { jsonBody, jsonObjectBody } from '../context.js';
import { emptyBundle } from '../../../state/journeys/model.js';
import { scriptFromBody } from './bodies.js';
import { collectionRefusal, prepareCrest, projectFields, unsupportedOperation } from '../crest.js';
import { AmError, Errors } from '../errors.js';
import { resourceNotFound } from '../path.js';
import { v } from '../versioning.js';
import { queryPage, refuseRootRealm, requireAdmin } from './access.js';
import { scriptView, scriptWriteView } from './views.js';

/** frodo asks for `protocol=2.0,resource=1.0`, and AIC serves 1.1 [real: frodo's ScriptOps recordings of AIC]. */
export const SCRIPT_VERSIONS = [v('1.1')];

export const scriptsResource: AmResource = {
  kind: 'crest',
  async handle(request: AmRequest): Promise<AmAnswer> {
    const [, id, ...deeper] = request.resource;
    if (deeper.length > 0) throw resourceNotFound(request.resource);
    refuseRootRealm(request);
    const operation = prepareCrest(request);
    if (operation === 'action') jsonBody(request);
    const body = operation === 'create' || operation === 'update' ? (jsonObjectBody(request) ?? {}) : {};
    const author = await requireAdmin(request, SCRIPT_VERSIONS);
    const realmPath = request.realm.path;
    const journeys = request.tenant.journeys.of(realmPath);
    if (id === undefined) {
      if (operation === 'query') {
        const items = [...journeys.scripts.values()]
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1))
          .map(scriptView);
        // Scripts' queries say 0 remaining where trees' say -1 [real: the same recordings].
        return { status: 200, body: queryPage(request, items, 0) };
      }
      if (operation === 'action') throw Errors.actionNotImplemented(request.query.get('_action') ?? '');
      throw collectionRefusal(operation) ?? unsupportedOperation();
    }
    const missing = () => new AmError(404, `Script with UUID ${id} could not be found in realm ${realmPath}`);
    if (operation === 'read') {
      const script = journeys.scripts.get(id);
      if (!script) throw missing();
      return { status: 200, body: projectFields(scriptView(script), request.query) };
    }
    if (operation === 'create' || operation === 'update') {
      const existing = journeys.scripts.get(id);
      const script = scriptFromBody(id, body, existing, author, request.tenant.clock.now());
      for (const other of journeys.scripts.values()) {
        if (other.id !== id && other.name === script.name)
          throw new AmError(409, `Script with name ${script.name} already exist in realm ${realmPath}`);
      }
      const bundle = emptyBundle();
      bundle.scripts.set(id, script);
      request.tenant.journeys.add(realmPath, bundle);
      // A created script is answered with its `_rev`, a replaced one without [real: the same recordings].
      const view = existing ? scriptView(script) : scriptWriteView(script);
      return { status: existing ? 200 : 201, body: projectFields(view, request.query) };
    }
    if (operation === 'delete') {
      if (!request.tenant.journeys.remove(realmPath, 'scripts', id)) throw missing();
      return { status: 200, body: { _id: id } };
    }
    throw unsupportedOperation();
  },
};
