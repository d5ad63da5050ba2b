/**
 * Nodes that read the journey's IDM object (am-external 8.0.2, idm-integration-nodes, with their
 * .properties): Attribute Value Decision, Terms and Conditions Decision, Display Username. The
 * object is the user whose `<identityAttribute>` is the value in the journey's state
 * (`objectAttributes.<name>` or a top-level value of that name, else shared `username`).
 */
import { matchesFilter, valueAt, type FilterNode } from '../../core/query-filter.js';
import { Callbacks } from '../../state/journeys/callbacks.js';
import { own } from '../../state/journeys/model.js';
import { findJourneyUser, identityAttributeOf, identityValue, stringConfig } from './identity.js';
import { NodeProcessException, ask, outcome, type NodeContext, type NodeType } from './node.js';

/** The identity in state, or AM's "<attribute> not present in state". */
function requireIdentity(context: NodeContext, identityAttribute: string): unknown {
  const identity = identityValue(context, identityAttribute);
  if (typeof identity !== 'string' || identity === '')
    throw new NodeProcessException(`${identityAttribute} not present in state`);
  return identity;
}

const OPERATIONS = ['EQUALS', 'PRESENT'];

/**
 * Attribute Value Decision (AttributeValueDecisionNode.java): `true` when the object's
 * `comparisonAttribute` (a name or a JSON pointer, `preferences/marketing`) is present (`PRESENT`)
 * or equals `comparisonValue` (`EQUALS`, the default), the value read as the attribute's JSON
 * type (boolean, number, else string); strings compare ignoring case, as IDM's query filters do.
 */
export const AttributeValueDecisionNode: NodeType = {
  type: 'AttributeValueDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: (config) => [identityAttributeOf(config)],
  check(config) {
    const problems: string[] = [];
    if (typeof config['comparisonAttribute'] !== 'string' || config['comparisonAttribute'] === '')
      problems.push('comparisonAttribute is required');
    const operation = config['comparisonOperation'];
    if (operation !== undefined && (typeof operation !== 'string' || !OPERATIONS.includes(operation)))
      problems.push(`comparisonOperation must be one of ${OPERATIONS.join(', ')}`);
    return problems;
  },
  async process(context) {
    const attribute = stringConfig(context.config, 'comparisonAttribute', '');
    if (attribute === '') throw new NodeProcessException('Attribute Value Decision: no comparisonAttribute configured');
    const identityAttribute = stringConfig(context.config, 'identityAttribute', 'userName');
    requireIdentity(context, identityAttribute);
    const user = findJourneyUser(context, identityAttribute);
    if (!user) throw new NodeProcessException('Failed to read object');
    const object = context.tenant.users.idmView(user);
    const field = attribute.startsWith('/') ? attribute : `/${attribute}`;
    if (stringConfig(context.config, 'comparisonOperation', 'EQUALS') === 'PRESENT')
      return outcome(matchesFilter({ type: 'present', field }, object) ? 'true' : 'false');
    const configured = context.config['comparisonValue'];
    const text = typeof configured === 'string' ? configured : undefined;
    const current = valueAt(object, field);
    let value: unknown = text ?? null;
    if (text !== undefined && typeof current === 'boolean') value = text.toLowerCase() === 'true';
    else if (text !== undefined && typeof current === 'number') {
      if (!/^[+-]?\d+$/.test(text.trim()))
        throw new NodeProcessException(`comparisonValue "${text}" is not a number, as ${attribute} is`);
      value = Number(text.trim());
    }
    const filter: FilterNode = { type: 'compare', op: 'eq', field, value };
    return outcome(value !== null && matchesFilter(filter, object) ? 'true' : 'false');
  },
};

/** The active version of IDM's `selfservice.terms`, if terms are configured. */
export function activeTerms(
  context: NodeContext,
): { version: string; terms: Record<string, unknown>; createDate: string } | undefined {
  const config = context.tenant.idmConfig.get('selfservice.terms');
  const active = config?.['active'];
  const versions = config?.['versions'];
  if (typeof active !== 'string' || active === '' || !Array.isArray(versions)) return undefined;
  const entry = versions.find(
    (item: unknown): item is Record<string, unknown> =>
      !!item && typeof item === 'object' && (item as Record<string, unknown>)['version'] === active,
  );
  if (!entry) return undefined;
  const terms = entry['termsTranslations'];
  return {
    version: active,
    terms: terms && typeof terms === 'object' ? (terms as Record<string, unknown>) : {},
    createDate: typeof entry['createDate'] === 'string' ? entry['createDate'] : '',
  };
}

/**
 * Terms and Conditions Decision (TermsAndConditionsDecisionNode.java): `true` when no terms are
 * active, or the object's `termsAccepted.termsVersion` is the active version; else `false`.
 */
export const TermsAndConditionsDecisionNode: NodeType = {
  type: 'TermsAndConditionsDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: (config) => [identityAttributeOf(config)],
  async process(context) {
    const active = activeTerms(context);
    const identityAttribute = stringConfig(context.config, 'identityAttribute', 'userName');
    requireIdentity(context, identityAttribute);
    const user = findJourneyUser(context, identityAttribute);
    if (!user) throw new NodeProcessException('Failed to read the accepted terms: no such object');
    if (!active) return outcome('true');
    const accepted = own(context.tenant.users.idmView(user), 'termsAccepted');
    const version =
      accepted && typeof accepted === 'object' && !Array.isArray(accepted)
        ? own(accepted as Record<string, unknown>, 'termsVersion')
        : undefined;
    return outcome(version === active.version ? 'true' : 'false');
  },
};

/** A value from the journey's state without the `username` fallback (AM's getAttributeFromContext). */
function attributeFromContext(context: NodeContext, name: string): unknown {
  return context.nodeState.objectAttribute(name) ?? context.nodeState.get(name);
}

/**
 * Display Username (DisplayUserNameNode.java): shows the user name (config `userName`, default
 * `userName`) in an information TextOutputCallback, from the state if it is there, else from the
 * object found by `identityAttribute` (default `mail`); the next submission takes `outcome`.
 */
export const DisplayUserNameNode: NodeType = {
  type: 'DisplayUserNameNode',
  outcomes: () => ['outcome'],
  inputs: (config) => [stringConfig(config, 'userName', 'userName'), identityAttributeOf(config, 'mail')],
  async process(context) {
    if (context.callbacks.some((callback) => callback.type === 'TextOutputCallback')) return outcome('outcome');
    const nameAttribute = stringConfig(context.config, 'userName', 'userName');
    let name = attributeFromContext(context, nameAttribute);
    if (typeof name !== 'string') {
      const identityAttribute = stringConfig(context.config, 'identityAttribute', 'mail');
      const value = attributeFromContext(context, identityAttribute);
      const user =
        value === undefined
          ? undefined
          : context.tenant.users.findByAttribute(context.realm.path, identityAttribute, value);
      if (!user) throw new NodeProcessException('Failed to retrieve existing object');
      name = own(context.tenant.users.idmView(user), nameAttribute);
    }
    if (typeof name !== 'string' || name === '') throw new NodeProcessException('Unable to find username to display');
    return ask([Callbacks.textOutput(0, name)]);
  },
};
