/**
 * Inner Tree Evaluator (AM: InnerTreeEvaluatorNode.java): runs another journey inside this one. The
 * inner journey starts with the outer shared state; its callbacks are this node's; when it ends,
 * its final shared state replaces the outer one (so what it learned, `_id`, `sessionCookie`,
 * `failureUrl`, is visible after), and the outcome is `true` for Success, `false` for Failure. With
 * `displayErrorOutcome`, an error inside becomes the `error` outcome instead of ending the outer
 * journey.
 */
import { own } from '../../state/journeys/model.js';
import { newTreeState, setOwn } from '../../state/journeys/tree-state.js';
import { NodeProcessException, outcome, type NodeType } from './node.js';

export const InnerTreeEvaluatorNode: NodeType = {
  type: 'InnerTreeEvaluatorNode',
  outcomes: (config) => (config['displayErrorOutcome'] === true ? ['true', 'false', 'error'] : ['true', 'false']),
  check: (config) => (typeof config['tree'] === 'string' && config['tree'] !== '' ? [] : ['tree is required']),
  async process(context) {
    const treeName = typeof context.config['tree'] === 'string' ? context.config['tree'] : '';
    const inner = context.journeys.trees.get(treeName);
    if (!inner || !inner.enabled) throw new NodeProcessException(`Configured tree does not exist: ${treeName}`);
    // By node id, which an export names: own properties only (an id may be `__proto__`).
    const key = context.node.id;
    const innerState = own(context.state.inner, key) ?? {
      ...newTreeState(structuredClone(context.state.shared)),
      transient: structuredClone(context.state.transient),
      secure: structuredClone(context.state.secure),
    };
    if (innerState.identifiedUserId === undefined && context.state.identifiedUserId !== undefined)
      innerState.identifiedUserId = context.state.identifiedUserId;
    let result;
    try {
      result = await context.runInner(treeName, innerState, context.callbacks);
    } catch (error) {
      delete context.state.inner[key];
      if (context.config['displayErrorOutcome'] !== true) throw error;
      context.nodeState.putShared('errorNode', {
        id: key,
        displayName: context.node.displayName,
        type: context.node.nodeType,
      });
      context.nodeState.putShared('errorMessage', (error as Error).message);
      return outcome('error');
    }
    if (result.kind === 'callbacks' || result.kind === 'suspend') {
      setOwn(context.state.inner, key, innerState);
      return result;
    }
    delete context.state.inner[key];
    context.state.shared = innerState.shared;
    for (const [name, value] of Object.entries(innerState.sessionProperties))
      setOwn(context.state.sessionProperties, name, value);
    if (innerState.maxIdleMinutes !== undefined) context.state.maxIdleMinutes = innerState.maxIdleMinutes;
    if (innerState.maxSessionMinutes !== undefined) context.state.maxSessionMinutes = innerState.maxSessionMinutes;
    if (innerState.identifiedUserId !== undefined) context.state.identifiedUserId = innerState.identifiedUserId;
    return outcome(result.success ? 'true' : 'false');
  },
};
