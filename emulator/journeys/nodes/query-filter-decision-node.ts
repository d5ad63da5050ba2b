/**
 * Query Filter Decision (AM: QueryFilterDecisionNode.java): does the journey's user (as IDM sees
 * them) match the configured CREST query filter? A user that cannot be found, or a filter that does
 * not parse, is `false`.
 */
import { FilterSyntaxError, matchesFilter, parseQueryFilter } from '../../core/query-filter.js';
import { findJourneyUser, identityAttributeOf, stringConfig } from './identity.js';
import { outcome, type NodeType, configText } from './node.js';

export const QueryFilterDecisionNode: NodeType = {
  type: 'QueryFilterDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: (config) => [identityAttributeOf(config)],
  check(config) {
    try {
      parseQueryFilter(configText(config, 'queryFilter'));
      return [];
    } catch (error) {
      return [`queryFilter does not parse: ${(error as FilterSyntaxError).message}`];
    }
  },
  async process(context) {
    const user = findJourneyUser(context, stringConfig(context.config, 'identityAttribute', 'userName'));
    if (!user) return outcome('false');
    let filter;
    try {
      filter = parseQueryFilter(configText(context.config, 'queryFilter'));
    } catch (error) {
      context.run.log('error', `Query Filter Decision: ${(error as Error).message}`);
      return outcome('false');
    }
    const subject = { ...context.tenant.users.idmView(user), ...objectAttributes(context.state.shared) };
    return outcome(matchesFilter(filter, subject) ? 'true' : 'false');
  },
};

function objectAttributes(shared: Record<string, unknown>): Record<string, unknown> {
  const value = shared['objectAttributes'];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
