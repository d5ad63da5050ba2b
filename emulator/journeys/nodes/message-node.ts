/**
 * Message Node (AM: MessageNode.java): shows a message with two buttons; the first (index 0) is
 * `true`, anything else `false`. `stateField` records the index chosen in shared state.
 */
import { Callbacks, selectedIndex } from '../../state/journeys/callbacks.js';
import { ask, localized, outcome, type NodeType } from './node.js';

export const MessageNode: NodeType = {
  type: 'MessageNode',
  outcomes: () => ['true', 'false'],
  async process(context) {
    const { config, request } = context;
    const confirmation = context.callbacks.find((callback) => callback.type === 'ConfirmationCallback');
    const stateField =
      typeof config['stateField'] === 'string' && config['stateField'] !== '' ? config['stateField'] : undefined;
    if (confirmation) {
      const index = selectedIndex(confirmation);
      if (stateField) context.nodeState.putShared(stateField, index ?? null);
      return outcome(index === 0 ? 'true' : 'false');
    }
    const language = request.headers['accept-language'];
    const message = localized(config['message'], 'Default message', language);
    const yes = localized(config['messageYes'], 'Yes', language);
    const no = localized(config['messageNo'], 'No', language);
    return ask([Callbacks.textOutput(0, message), Callbacks.confirmation([yes, no], 1)]);
  },
};
