/**
 * Data Store Decision (AM: DataStoreDecisionNode.java): shared `username` and the password
 * (transient, then secure) checked against the realm's users. An unknown user, a wrong or blank
 * password, or an inactive account is `false`. On `true` the user is identified for the session.
 */
import { outcome, type NodeType } from './node.js';

export const DataStoreDecisionNode: NodeType = {
  type: 'DataStoreDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: () => ['realm', 'username', 'password'],
  async process(context) {
    const username = context.nodeState.get('username');
    const password = context.nodeState.get('password');
    if (typeof username !== 'string' || typeof password !== 'string' || password === '') return outcome('false');
    const user = context.tenant.users.findByUserName(context.realm.path, username);
    if (!user || user.accountStatus !== 'active' || !context.tenant.users.verifyPassword(user, password))
      return outcome('false');
    context.state.identifiedUserId = user._id;
    return outcome('true');
  },
};
