/**
 * Credential checks against a store other than Data Store Decision's (am-external 8.0.2,
 * auth-nodes):
 *
 * - Identity Store Decision (IdentityStoreDecisionNode.java over LdapDecisionNode.java; AIC's
 *   current Login uses it): shared `username` and the password (any state) checked against the
 *   realm's identity store, AIC's DS, which is the realm's users here. `TRUE` identifies the user
 *   (and with `useUniversalIdForUsername` puts their universal id in shared `username`); an
 *   unknown user or a wrong or blank password is `FALSE`; an inactive account is `LOCKED` (AM reads
 *   `inetuserstatus` in the search before the bind, whatever the password). `EXPIRED` and
 *   `CANCELLED` come from DS password policy (expiry, grace logins, a change cancelled), which the
 *   emulator's users do not have: declared, never taken (docs/fidelity.md, "Nodes").
 * - Agent Data Store Decision (AgentDataStoreDecisionNode.java): Data Store Decision for identities
 *   of type AGENT (web and Java agent profiles). The emulator has no agent profiles, so a present
 *   password is always `false`; no password at all fails the node, as AM's does.
 */
import { outcome, NodeProcessException, type NodeType } from './node.js';

export const IdentityStoreDecisionNode: NodeType = {
  type: 'IdentityStoreDecisionNode',
  outcomes: () => ['TRUE', 'FALSE', 'LOCKED', 'CANCELLED', 'EXPIRED'],
  inputs: () => ['realm', 'username', 'password'],
  check(config) {
    const problems: string[] = [];
    const minimum = config['minimumPasswordLength'];
    if (minimum !== undefined && (typeof minimum !== 'number' || !Number.isInteger(minimum) || minimum < 0))
      problems.push('minimumPasswordLength must be a whole number, 0 or more');
    for (const key of ['useUniversalIdForUsername', 'mixedCaseForPasswordChangeMessages'])
      if (config[key] !== undefined && typeof config[key] !== 'boolean') problems.push(`${key} must be true or false`);
    return problems;
  },
  async process(context) {
    const username = context.state.shared['username'];
    const password = context.nodeState.get('password');
    if (typeof username !== 'string' || username === '') return outcome('FALSE');
    const { users } = context.tenant;
    const user = users.findByUserName(context.realm.path, username);
    if (!user) return outcome('FALSE');
    if (user.accountStatus !== 'active') return outcome('LOCKED');
    if (typeof password !== 'string' || password === '' || !users.verifyPassword(user, password))
      return outcome('FALSE');
    context.state.identifiedUserId = user._id;
    if (context.config['useUniversalIdForUsername'] === true)
      context.nodeState.putShared('username', users.universalId(user));
    return outcome('TRUE');
  },
};

export const AgentDataStoreDecisionNode: NodeType = {
  type: 'AgentDataStoreDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: () => ['realm', 'username', 'password'],
  async process(context) {
    const password = context.nodeState.get('password');
    if (password === undefined || password === null) throw new NodeProcessException('Unable to authenticate');
    // No agent profiles in the emulator: nobody authenticates as an agent.
    return outcome('false');
  },
};
