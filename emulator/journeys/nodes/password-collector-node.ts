/** Password Collector (AM: PasswordCollectorNode.java): asks for a password; transient `password` ← it. */
import { Callbacks, stringValue } from '../../state/journeys/callbacks.js';
import { ask, outcome, type NodeType } from './node.js';

export const PasswordCollectorNode: NodeType = {
  type: 'PasswordCollectorNode',
  outcomes: () => ['outcome'],
  async process(context) {
    const password = stringValue(context.callbacks.find((callback) => callback.type === 'PasswordCallback'));
    if (password === undefined || password === '') return ask([Callbacks.password('Password')]);
    context.nodeState.putTransient('password', password);
    return outcome('outcome');
  },
};
