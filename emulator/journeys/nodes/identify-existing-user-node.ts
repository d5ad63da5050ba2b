/**
 * Identify Existing User (AM: IdentifyExistingUserNode.java; PingOne AIC node reference, "Identify
 * Existing User node"): looks the user up by `identityAttribute` (default `mail`) using the value
 * in the journey's state. Found → `true`, shared `_id` ← the user's `_id`, and, with `identifier`
 * (default `userName`), shared `username` and `objectAttributes.<identifier>` ← the user's value of
 * it. Not found → `false`.
 */
import { own } from '../../state/journeys/model.js';
import { identityAttributeOf, identityValue, stringConfig } from './identity.js';
import { outcome, type NodeType } from './node.js';

export const IdentifyExistingUserNode: NodeType = {
  type: 'IdentifyExistingUserNode',
  outcomes: () => ['true', 'false'],
  inputs: (config) => [identityAttributeOf(config, 'mail')],
  async process(context) {
    const identityAttribute = stringConfig(context.config, 'identityAttribute', 'mail');
    const identifier = stringConfig(context.config, 'identifier', 'userName');
    const value = identityValue(context, identityAttribute);
    const user =
      value === undefined
        ? undefined
        : context.tenant.users.findByAttribute(context.realm.path, identityAttribute, value);
    if (!user) return outcome('false');
    context.nodeState.putShared('_id', user._id);
    const identifierValue = own(context.tenant.users.idmView(user), identifier);
    if (typeof identifierValue === 'string') {
      context.nodeState.putShared('username', identifierValue);
      context.nodeState.putObjectAttribute('shared', identifier, identifierValue);
    }
    context.state.identifiedUserId = user._id;
    return outcome('true');
  },
};
