/**
 * Success URL and Failure URL nodes (AM: SetSuccessUrlNode.java, SetFailureUrlNode.java): shared
 * `successUrl` / `failureUrl` ← the configured URL. The journey's success answer, or failure's
 * `detail.failureUrl`, carries it.
 */
import { outcome, type NodeType, configText } from './node.js';

export const SetSuccessUrlNode: NodeType = {
  type: 'SetSuccessUrlNode',
  outcomes: () => ['outcome'],
  check: (config) =>
    typeof config['successUrl'] === 'string' && config['successUrl'] !== '' ? [] : ['successUrl is required'],
  async process(context) {
    context.nodeState.putShared('successUrl', configText(context.config, 'successUrl'));
    return outcome('outcome');
  },
};

export const SetFailureUrlNode: NodeType = {
  type: 'SetFailureUrlNode',
  outcomes: () => ['outcome'],
  check: (config) =>
    typeof config['failureUrl'] === 'string' && config['failureUrl'] !== '' ? [] : ['failureUrl is required'],
  async process(context) {
    context.nodeState.putShared('failureUrl', configText(context.config, 'failureUrl'));
    return outcome('outcome');
  },
};
