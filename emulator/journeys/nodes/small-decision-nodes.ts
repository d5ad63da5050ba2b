/**
 * Small nodes of AM's sample trees: Attribute Present Decision, Retry Limit Decision, Get Session
 * Data, Account Lockout, Accept Terms and Conditions, Create Password.
 */
import { Callbacks } from '../../state/journeys/callbacks.js';
import { findJourneyUser, identityAttributeOf, stringConfig } from './identity.js';
import { NodeProcessException, ask, outcome, type NodeType, configText, localized } from './node.js';
import { activeTerms } from './idm-decision-nodes.js';
import { sessionProperty } from '../../state/sessions/session.js';
import { own } from '../../state/journeys/model.js';

export const AttributePresentDecisionNode: NodeType = {
  type: 'AttributePresentDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: (config) => [identityAttributeOf(config)],
  async process(context) {
    const user = findJourneyUser(context, stringConfig(context.config, 'identityAttribute', 'userName'));
    const attribute = stringConfig(context.config, 'presentAttribute', 'password');
    // AM fails the node when it cannot read the identity (the journey ends in an error).
    if (!user) throw new NodeProcessException('Attribute Present Decision: no user to read the attribute of');
    const present =
      attribute === 'password'
        ? user.password !== ''
        : own(context.tenant.users.idmView(user), attribute) !== undefined;
    return outcome(present ? 'true' : 'false');
  },
};

/**
 * Retry Limit Decision, as AM's: Retry while the count kept in shared state is below
 * `retryLimit` (counting this retry), else Reject; so a limit of 2 gives Retry, Retry, Reject.
 */
export const RetryLimitDecisionNode: NodeType = {
  type: 'RetryLimitDecisionNode',
  outcomes: () => ['Retry', 'Reject'],
  inputs: () => ['username', 'realm'],
  async process(context) {
    const limit = typeof context.config['retryLimit'] === 'number' ? context.config['retryLimit'] : 3;
    const key = `${context.node.id}.retryCount`;
    const count = typeof context.state.shared[key] === 'number' ? context.state.shared[key] : 0;
    if (count >= limit) return outcome('Reject');
    context.nodeState.putShared(key, count + 1);
    return outcome('Retry');
  },
};

/** Get Session Data: copies a property of the caller's session into shared state. */
export const SessionDataNode: NodeType = {
  type: 'SessionDataNode',
  outcomes: () => ['outcome'],
  async process(context) {
    const key = stringConfig(context.config, 'sessionDataKey', '');
    const target = stringConfig(context.config, 'sharedStateKey', key);
    const session = context.request.existingSession;
    const property = session
      ? key === 'UserToken' || key === 'UserId'
        ? session.userId
        : sessionProperty(session, key)
      : undefined;
    // Session properties are strings: a key like `constructor` is no property of the session's,
    // whatever a plain object's lookup finds for it.
    const value = typeof property === 'string' ? property : undefined;
    if (value !== undefined && target !== '') context.nodeState.putShared(target, value);
    return outcome('outcome');
  },
};

export const AccountLockoutNode: NodeType = {
  type: 'AccountLockoutNode',
  outcomes: () => ['outcome'],
  async process(context) {
    const user = findJourneyUser(context, 'userName');
    if (user)
      context.tenant.users.update(user._id, {
        accountStatus:
          configText(context.config, 'lockAction', 'LOCK').toUpperCase() === 'UNLOCK' ? 'active' : 'inactive',
      });
    return outcome('outcome');
  },
};

/**
 * Accept Terms and Conditions (AM: AcceptTermsAndConditionsNode.java): the active version of IDM's
 * `selfservice.terms` in a TermsAndConditionsCallback (shared `termsVersion` ← it) until accepted,
 * then shared `termsAccepted` ← `{acceptDate, termsVersion}`. Without active terms the node fails.
 */
export const AcceptTermsAndConditionsNode: NodeType = {
  type: 'AcceptTermsAndConditionsNode',
  outcomes: () => ['outcome'],
  async process(context) {
    const answer = context.callbacks.find((callback) => callback.type === 'TermsAndConditionsCallback');
    const accepted = answer?.values.get('') === true || answer?.values.get('') === 'true';
    if (!accepted) {
      const terms = activeTerms(context);
      if (!terms) throw new NodeProcessException('Terms configuration not found');
      const language: unknown = context.request.headers['accept-language'];
      context.nodeState.putShared('termsVersion', terms.version);
      return ask([
        Callbacks.termsAndConditions(
          terms.version,
          localized(terms.terms, '', typeof language === 'string' ? language : undefined),
          terms.createDate,
        ),
      ]);
    }
    const version = context.state.shared['termsVersion'];
    context.nodeState.putShared('termsAccepted', {
      acceptDate: new Date(context.tenant.clock.now()).toISOString(),
      termsVersion: typeof version === 'string' ? version : null,
    });
    return outcome('outcome');
  },
};

/** Create Password: asks for a new password twice; transient `password` ← it once both agree. */
export const CreatePasswordNode: NodeType = {
  type: 'CreatePasswordNode',
  outcomes: () => ['outcome'],
  async process(context) {
    const minimum = typeof context.config['minPasswordLength'] === 'number' ? context.config['minPasswordLength'] : 0;
    const [first, second] = context.callbacks
      .filter((callback) => callback.type === 'PasswordCallback')
      .map((callback) => callback.values.get(''));
    const prompt = () => ask([Callbacks.password('New password'), Callbacks.password('Confirm password')]);
    if (typeof first !== 'string' || first === '' || first !== second || first.length < minimum) return prompt();
    context.nodeState.putTransient('password', first);
    return outcome('outcome');
  },
};
