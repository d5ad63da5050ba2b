/**
 * Helpers that write journeys in the AIC admin-UI export format, so that the demo tenant's
 * journeys go through the same import as anyone's.
 */
const SUCCESS = '70e691a5-1e33-4ac3-a356-e7b6d60d92e0';
const FAILURE = 'e301438c-0bd0-429c-ab0c-66126501069a';
export const END = { success: SUCCESS, failure: FAILURE } as const;

export interface DemoNode {
  id: string;
  type: string;
  name: string;
  x: number;
  y: number;
  connections: Record<string, string>;
  config: Record<string, unknown>;
}

export interface DemoInnerNode {
  id: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
}

export interface DemoScript {
  id: string;
  name: string;
  description: string;
  source: string;
  context: string;
  evaluatorVersion: '1.0' | '2.0';
}

/** One tree entry of an AIC export: `{tree, nodes, innerNodes, scripts, ...}`. */
export function treeExport(options: {
  name: string;
  description: string;
  entry: string;
  nodes: DemoNode[];
  innerNodes?: DemoInnerNode[];
  scripts?: DemoScript[];
  realm?: string;
}): Record<string, unknown> {
  const realm = options.realm ?? 'alpha';
  return {
    tree: {
      _id: options.name,
      identityResource: `managed/${realm}_user`,
      uiConfig: { categories: '["aic-emulator demo"]' },
      entryNodeId: options.entry,
      innerTreeOnly: false,
      nodes: Object.fromEntries(
        options.nodes.map((node) => [
          node.id,
          { x: node.x, y: node.y, connections: node.connections, nodeType: node.type, displayName: node.name },
        ]),
      ),
      staticNodes: {
        startNode: { x: 50, y: 250 },
        [SUCCESS]: { x: maxX(options.nodes) + 250, y: 150 },
        [FAILURE]: { x: maxX(options.nodes) + 250, y: 350 },
      },
      description: options.description,
      enabled: true,
    },
    nodes: Object.fromEntries(
      options.nodes.map((node) => [
        node.id,
        { _id: node.id, ...node.config, _type: { _id: node.type, name: node.name, collection: true } },
      ]),
    ),
    innerNodes: Object.fromEntries(
      (options.innerNodes ?? []).map((node) => [
        node.id,
        { _id: node.id, ...node.config, _type: { _id: node.type, name: node.name, collection: true } },
      ]),
    ),
    scripts: Object.fromEntries(
      (options.scripts ?? []).map((script) => [
        script.id,
        {
          _id: script.id,
          name: script.name,
          description: script.description,
          script: JSON.stringify(script.source),
          default: false,
          language: 'JAVASCRIPT',
          context: script.context,
          createdBy: 'null',
          creationDate: 0,
          lastModifiedBy: 'null',
          lastModifiedDate: 0,
          evaluatorVersion: script.evaluatorVersion,
        },
      ]),
    ),
    emailTemplates: {},
    socialIdentityProviders: {},
    themes: [],
    saml2Entities: {},
    circlesOfTrust: {},
  };
}

function maxX(nodes: DemoNode[]): number {
  return nodes.reduce((max, node) => Math.max(max, node.x), 0);
}
