/**
 * `POST import[?realm=]` (a journey export: its trees, nodes and scripts), `GET
 * journeys[?realm=]` (each with its lint problems) and `GET journeys/:realm/:name` (its tree, its
 * nodes, inner ones included, and its problems).
 */
import { lintJourney } from '../../../journeys/lint.js';
import { runnableNodeType } from '../../../journeys/node-stubs.js';
import { importJourneys } from '../../../journeys/import-journeys.js';
import type { Tenant } from '../../../tenant/tenant.js';
import { AmError } from '../../am/errors.js';
import { TooDeepBody } from '../body.js';
import { pathParams, singleQueryParams } from '../schema.js';
import { realmParam, type ControlRoutes } from './context.js';

const REALM_QUERY = singleQueryParams('realm');
const JOURNEY_PARAMS = pathParams('realm', 'name');

/** Exports are larger than other control bodies: a realm's journeys with their scripts. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

export const journeyRoutes: ControlRoutes = async (app, { services: { tenant, lintEnvironment } }) => {
  app.post<{ Querystring: { realm?: string }; Body: unknown }>(
    '/import',
    { bodyLimit: IMPORT_BODY_LIMIT, schema: { querystring: REALM_QUERY }, config: { jsonBody: 'export' } },
    (request) => {
      const realm = realmParam(tenant, request.query.realm);
      const input = request.body;
      if (input instanceof TooDeepBody) {
        // A hostile export is an import problem, answered like any export that is not one.
        const target = realm ?? tenant.realms.resolve('/alpha');
        return {
          imported: [],
          realm: target?.path ?? '/alpha',
          problems: [{ severity: 'error', source: 'request', message: `not a journey export: ${input.message}` }],
        };
      }
      if (input === undefined) throw new AmError(400, 'the request body must be a journey export (JSON)');
      const result = importJourneys(
        tenant,
        {
          export: input,
          ...(request.query.realm !== undefined ? { realm: request.query.realm } : {}),
          source: 'request',
        },
        lintEnvironment,
      );
      return { imported: result.imported, realm: result.realm, problems: result.problems };
    },
  );

  app.get<{ Querystring: { realm?: string } }>('/journeys', { schema: { querystring: REALM_QUERY } }, (request) => {
    const one = realmParam(tenant, request.query.realm);
    const realms = one ? [one] : tenant.realms.list();
    return {
      result: realms.flatMap((realm) => {
        const journeys = tenant.journeys.of(realm.path);
        return [...journeys.trees.values()].map((tree) => ({
          name: tree.name,
          realm: realm.path,
          description: tree.description,
          enabled: tree.enabled,
          nodes: Object.keys(tree.nodes).length,
          problems: lintJourney(journeys, tree.name, new Set(), lintEnvironment),
        }));
      }),
    };
  });

  app.get<{ Params: { realm: string; name: string } }>(
    '/journeys/:realm/:name',
    { schema: { params: JOURNEY_PARAMS } },
    (request) => {
      const { realm: realmName, name } = request.params;
      const realm = tenant.realms.resolve(realmName);
      if (!realm) throw new AmError(404, `no realm ${realmName} in this tenant`);
      const detail = journeyDrawing(tenant, realm.path, name);
      if (!detail) throw new AmError(404, `no journey ${name} in realm ${realm.path}`);
      return { ...detail, problems: lintJourney(tenant.journeys.of(realm.path), name, new Set(), lintEnvironment) };
    },
  );
};

/**
 * What the console draws a journey from: its tree, its nodes' configs (a Page Node's children
 * included) and the nodes that run as stubs; undefined for a journey the realm lacks.
 */
export function journeyDrawing(tenant: Tenant, realmPath: string, name: string) {
  const journeys = tenant.journeys.of(realmPath);
  const tree = journeys.trees.get(name);
  if (!tree) return undefined;
  const nodeIds = new Set(Object.keys(tree.nodes));
  // The nodes whose type the emulator cannot run: they run as node stubs (journeys/node-stubs.ts).
  const stubbed: string[] = [];
  for (const node of Object.values(tree.nodes)) {
    if (!runnableNodeType(journeys, node.nodeType)) stubbed.push(node.id);
    const config = journeys.nodes.get(node.id)?.config;
    if (node.nodeType === 'PageNode' && Array.isArray(config?.['nodes']))
      for (const child of config['nodes'] as { _id?: string; nodeType?: unknown }[]) {
        if (!child._id) continue;
        nodeIds.add(child._id);
        if (typeof child.nodeType === 'string' && !runnableNodeType(journeys, child.nodeType)) stubbed.push(child._id);
      }
  }
  return {
    realm: realmPath,
    tree,
    nodes: Object.fromEntries([...nodeIds].map((id) => [id, journeys.nodes.get(id) ?? null])),
    stubbed,
  };
}
