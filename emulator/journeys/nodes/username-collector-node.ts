/** Username Collector (AM: UsernameCollectorNode.java): asks for a user name; shared `username` ← it. */
import { Callbacks, stringValue } from '../../state/journeys/callbacks.js';
import { ask, outcome, type NodeType } from './node.js';

export const UsernameCollectorNode: NodeType = {
  type: 'UsernameCollectorNode',
  outcomes: () => ['outcome'],
  async process(context) {
    const name = stringValue(context.callbacks.find((callback) => callback.type === 'NameCallback'));
    // AM asks again only for a missing or empty name (Strings.isNullOrEmpty): spaces are a name.
    if (name === undefined || name === '') return ask([Callbacks.name('User Name')]);
    context.nodeState.putShared('username', name);
    return outcome('outcome');
  },
};
