/**
 * Increment Login Count and Login Count Decision (AM: IncrementLoginCountNode.java,
 * LoginCountDecisionNode.java). The count lives on the user (IDM keeps it in the user's metadata);
 * the decision compares it with `amount`: `AT` exactly, `EVERY` each time it is a multiple.
 */
import { findJourneyUser, identityAttributeOf, stringConfig } from './identity.js';
import { NodeProcessException, outcome, type NodeType, configText } from './node.js';

export const IncrementLoginCountNode: NodeType = {
  type: 'IncrementLoginCountNode',
  outcomes: () => ['outcome'],
  inputs: (config) => [identityAttributeOf(config)],
  async process(context) {
    const user = findJourneyUser(context, stringConfig(context.config, 'identityAttribute', 'userName'));
    // A user that cannot be found is only logged, as AM does.
    if (!user) context.run.log('warn', 'Increment Login Count: no user to count a login for');
    else {
      const count = typeof user.attributes['loginCount'] === 'number' ? user.attributes['loginCount'] : 0;
      context.tenant.users.update(user._id, {
        loginCount: count + 1,
        lastLogin: new Date(context.tenant.clock.now()).toISOString(),
      });
    }
    return outcome('outcome');
  },
};

export const LoginCountDecisionNode: NodeType = {
  type: 'LoginCountDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: (config) => [identityAttributeOf(config)],
  async process(context) {
    const user = findJourneyUser(context, stringConfig(context.config, 'identityAttribute', 'userName'));
    const amount =
      typeof context.config['amount'] === 'number' ? context.config['amount'] : Number(context.config['amount'] ?? 0);
    const count = user && typeof user.attributes['loginCount'] === 'number' ? user.attributes['loginCount'] : 0;
    // AM fails the node when it cannot read the identity (the journey ends in an error).
    if (!user) throw new NodeProcessException('Login Count Decision: no user to read the login count of');
    if (!(amount > 0)) return outcome('false');
    const every = configText(context.config, 'interval', 'AT').toUpperCase() === 'EVERY';
    return outcome((every ? count % amount === 0 && count > 0 : count === amount) ? 'true' : 'false');
  },
};
