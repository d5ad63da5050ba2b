/**
 * `/am/json/global-config/realms`: the tenant's realms as AM's global config REST lists them to
 * deployment tools (frodo-lib RealmApi.ts, `protocol=2.0,resource=1.0`), on AIC only the realms
 * below root: `{"_id":"L2FscGhh","_rev":"…","parentPath":"/","active":true,"name":"alpha","aliases":[]}`,
 * `_id` the base64url of the realm path [real: aic-global-realms-feature-cors.har #6, #7].
 * AIC's realms are fixed: creating, replacing or deleting one, and reading the root realm, are
 * refused at its edge (docs/fidelity.md). Administrators only (access.ts).
 */
import type { AmAnswer, AmRequest, AmResource } from '../context.js';
import type { Realm } from '../../../state/realms.js';
import { jsonBody } from '../context.js';
import { collectionRefusal, prepareCrest, unsupportedOperation } from '../crest.js';
import { AmError, Errors } from '../errors.js';
import { resourceNotFound } from '../path.js';
import { v } from '../versioning.js';
import { queryPage, requireAdmin } from './access.js';
import { readAnswer } from './authentication-trees.js';
import { revOf } from './views.js';

/** frodo asks for `protocol=2.0,resource=1.0`; AIC serves resource 1.0 [real: the same recording, #6, #7]. */
export const REALM_VERSIONS = [v('1.0')];

const HIDDEN = 'This operation is not available in PingOne Advanced Identity Cloud.';

/** `_id`: the realm path in base64url without padding (`/alpha` → `L2FscGhh`, `/` → `Lw`). */
export function realmId(path: string): string {
  return Buffer.from(path, 'utf8').toString('base64url');
}

/** The realm path an `_id` names, or undefined when it is not base64 (url or standard, padded or not). */
function pathOfId(id: string): string | undefined {
  if (!/^[A-Za-z0-9_\-+/]+={0,2}$/.test(id) || id.replace(/=+$/, '').length % 4 === 1) return undefined;
  const path = Buffer.from(id.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url').toString('utf8');
  return path.startsWith('/') && !path.includes('\uFFFD') ? path : undefined;
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** A realm as AIC lists it: active, without DNS aliases (AIC keeps custom domains elsewhere). */
export function realmView(realm: Realm): Record<string, unknown> {
  const content = {
    _id: realmId(realm.path),
    parentPath: parentOf(realm.path),
    active: true,
    name: realm.name,
    aliases: [],
  };
  const { _id, ...rest } = content;
  return { _id, _rev: revOf(content), ...rest };
}

export const globalConfigResource: AmResource = {
  kind: 'crest',
  async handle(request: AmRequest): Promise<AmAnswer> {
    const [, collection, id, ...deeper] = request.resource;
    // AM mounts global config at the root realm only.
    if (request.realm.path !== '/' || collection !== 'realms' || deeper.length > 0)
      throw resourceNotFound(request.resource);
    const operation = prepareCrest(request);
    if (operation === 'action') jsonBody(request); // a malformed body is a 400 even where it is ignored
    // Realms are fixed on AIC: its edge refuses every write, whoever calls (docs/fidelity.md).
    if (operation === 'create' || operation === 'update' || operation === 'patch' || operation === 'delete')
      throw new AmError(403, HIDDEN);
    await requireAdmin(request, REALM_VERSIONS);
    const realms = request.tenant.realms
      .list()
      .filter((realm) => realm.path !== '/')
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (id === undefined) {
      if (operation === 'query') return { status: 200, body: queryPage(request, realms.map(realmView)) };
      if (operation === 'action') throw Errors.actionNotImplemented(request.query.get('_action') ?? '');
      throw collectionRefusal(operation) ?? unsupportedOperation();
    }
    if (operation !== 'read') {
      if (operation === 'action') throw Errors.actionNotImplemented(request.query.get('_action') ?? '');
      throw unsupportedOperation();
    }
    const path = pathOfId(id);
    if (path === undefined) throw Errors.badRequest(`Invalid realm id '${id.length > 200 ? id.slice(0, 200) : id}'`);
    if (path === '/') throw new AmError(403, HIDDEN);
    const realm = realms.find((candidate) => candidate.path === path);
    if (!realm) throw Errors.notFound();
    return readAnswer(request, realmView(realm));
  },
};
