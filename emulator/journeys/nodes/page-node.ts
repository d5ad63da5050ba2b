/**
 * Page Node (AM: PageNode.java): runs its child nodes as one page. Their callbacks are shown
 * together; once answered, each child gets back its own, and the page takes the last child's
 * outcome (a version 2.0 page names it `<lastChildId>-<outcome>`). If a child asks again (a
 * validation failure), the whole page is shown again. Header, description and stage come from the
 * page's configuration.
 */
import type { CallbackSpec, SubmittedCallback } from '../../state/journeys/callbacks.js';
import { own } from '../../state/journeys/model.js';
import { setOwn, type JsonValue } from '../../state/journeys/tree-state.js';
import { localized, NodeProcessException, type NodeContext, type NodeResult, type NodeType } from './node.js';

interface ChildRef {
  _id: string;
  nodeType: string;
  displayName?: string;
}

function childRefs(config: Readonly<Record<string, unknown>>): ChildRef[] {
  const nodes = config['nodes'];
  if (!Array.isArray(nodes)) return [];
  return nodes.filter(
    (node: unknown): node is ChildRef =>
      !!node &&
      typeof node === 'object' &&
      typeof (node as Record<string, unknown>)['_id'] === 'string' &&
      typeof (node as Record<string, unknown>)['nodeType'] === 'string',
  );
}

async function runChild(
  context: NodeContext,
  ref: ChildRef,
  callbacks: readonly SubmittedCallback[],
): Promise<NodeResult> {
  const nodeConfig = context.journeys.nodes.get(ref._id);
  if (!nodeConfig)
    throw new NodeProcessException(
      `the page's node "${ref.displayName ?? ref._id}" (${ref.nodeType}) has no configuration`,
    );
  return context.processChild(
    { id: ref._id, nodeType: nodeConfig.type, displayName: ref.displayName ?? nodeConfig.type, connections: {} },
    nodeConfig.config,
    callbacks,
  );
}

export const PageNode: NodeType = {
  type: 'PageNode',
  // A page's outcomes are its last child's; the linter resolves them through the child.
  outcomes: () => [],
  check(config) {
    return childRefs(config).length === 0 ? ['This page has no nodes in it, so cannot proceed'] : [];
  },
  async process(context) {
    const refs = childRefs(context.config);
    if (refs.length === 0) throw new NodeProcessException('This page has no nodes in it, so cannot proceed');
    const layoutKey = context.node.id;
    const layout = own(context.state.nodeData, layoutKey);
    const shares = Array.isArray(layout) ? (layout as number[]) : undefined;

    const results: NodeResult[] = [];
    let offset = 0;
    for (const [index, ref] of refs.entries()) {
      const share = context.callbacks.length > 0 && shares ? (shares[index] ?? 0) : 0;
      results.push(await runChild(context, ref, context.callbacks.slice(offset, offset + share)));
      offset += share;
    }

    if (results.some((result) => result.kind === 'suspend'))
      throw new NodeProcessException('A node inside a Page Node cannot suspend the journey');
    // A child that only shows metadata (State metadata's MetadataCallback) asks for no input: the
    // page goes on when every other child took an outcome, with the last outcome taken (AM's
    // PageNode; a page whose children all only show metadata has none to go on with).
    const metadataOnly = (result: NodeResult) =>
      result.kind === 'callbacks' &&
      result.callbacks.length > 0 &&
      result.callbacks.every((callback) => callback.type === 'MetadataCallback');
    if (results.every((result) => result.kind === 'outcome' || metadataOnly(result))) {
      const decided = results.flatMap((result, index) => (result.kind === 'outcome' ? [{ result, index }] : []));
      const lastDecided = decided.at(-1);
      if (!lastDecided) throw new NodeProcessException('No outcome and only metadata callbacks found');
      delete context.state.nodeData[layoutKey];
      const last = lastDecided.result;
      const lastRef = refs[lastDecided.index] as ChildRef;
      const version = context.journeys.nodes.get(context.node.id)?.version;
      return { kind: 'outcome', outcome: version === '2.0' ? `${lastRef._id}-${last.outcome}` : last.outcome };
    }

    // Someone needs input: show the whole page, asking children that had finished to render again.
    const callbacks: CallbackSpec[] = [];
    const newShares: JsonValue[] = [];
    for (const [index, ref] of refs.entries()) {
      let result = results[index] as NodeResult;
      if (result.kind === 'outcome' && context.callbacks.length > 0) result = await runChild(context, ref, []);
      const own = result.kind === 'callbacks' ? result.callbacks : [];
      callbacks.push(...own);
      newShares.push(own.length);
    }
    setOwn(context.state.nodeData, layoutKey, newShares);
    const language = context.request.headers['accept-language'];
    const header = localized(context.config['pageHeader'], '', language);
    const description = localized(context.config['pageDescription'], '', language);
    const stage = typeof context.config['stage'] === 'string' ? context.config['stage'] : '';
    return {
      kind: 'callbacks',
      callbacks,
      ...(header ? { header } : {}),
      ...(description ? { description } : {}),
      ...(stage ? { stage } : {}),
    };
  },
};
