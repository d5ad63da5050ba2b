/**
 * Patch Object (AM: PatchObjectNode.java): writes the journey's `objectAttributes` (shared, then
 * transient over it; minus `ignoredFields`) to the identified user → `PATCHED`; no user or a
 * refused change → `FAILURE`.
 */
import { UserError } from '../../state/user-directory.js';
import type { JsonObject } from '../../state/journeys/tree-state.js';
import { findJourneyUser, stringConfig } from './identity.js';
import { outcome, type NodeType } from './node.js';

export const PatchObjectNode: NodeType = {
  type: 'PatchObjectNode',
  outcomes: () => ['PATCHED', 'FAILURE'],
  inputs: () => ['objectAttributes', 'termsAccepted'],
  async process(context) {
    const user = findJourneyUser(context, stringConfig(context.config, 'identityAttribute', 'userName'));
    if (!user) return outcome('FAILURE');
    const ignored = new Set(
      Array.isArray(context.config['ignoredFields']) ? (context.config['ignoredFields'] as unknown[]).map(String) : [],
    );
    const changes: JsonObject = {
      ...((context.state.shared['objectAttributes'] as JsonObject | undefined) ?? {}),
      ...((context.state.transient['objectAttributes'] as JsonObject | undefined) ?? {}),
    };
    for (const name of ignored) delete changes[name];
    delete changes['_id'];
    try {
      context.tenant.users.update(user._id, changes);
    } catch (error) {
      if (error instanceof UserError) {
        context.run.log('error', `Patch Object: ${error.message}`);
        return outcome('FAILURE');
      }
      throw error;
    }
    return outcome('PATCHED');
  },
};
