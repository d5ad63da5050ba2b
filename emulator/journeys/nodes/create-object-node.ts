/**
 * Create Object: creates a user in the realm from the journey's `objectAttributes` (`userName`,
 * `password`, `givenName`, `sn`, `mail`, ...) → `CREATED`, or `FAILURE` when the directory
 * refuses it (a duplicate userName, a missing password).
 */
import { UserError } from '../../state/user-directory.js';
import type { JsonObject } from '../../state/journeys/tree-state.js';
import { outcome, type NodeType } from './node.js';

export const CreateObjectNode: NodeType = {
  type: 'CreateObjectNode',
  outcomes: () => ['CREATED', 'FAILURE'],
  // Every property of the object's schema, the password among them (collected in transient state).
  inputs: () => ['objectAttributes', 'termsAccepted'],
  async process(context) {
    const attributes: JsonObject = {
      ...((context.state.shared['objectAttributes'] as JsonObject | undefined) ?? {}),
      // Transient attributes kept across a step come back as secure state (state-retention.ts): a
      // social profile's, or a password collected on an earlier page.
      ...((context.state.secure['objectAttributes'] as JsonObject | undefined) ?? {}),
      ...((context.state.transient['objectAttributes'] as JsonObject | undefined) ?? {}),
    };
    try {
      // As AM's: the user is created, not identified; the journey's username (a Platform
      // Username node's) is what a later Success signs in.
      context.tenant.users.add({ ...attributes, realm: context.realm.path } as never);
      return outcome('CREATED');
    } catch (error) {
      if (error instanceof UserError) {
        context.run.log('error', `Create Object: ${error.message}`);
        return outcome('FAILURE');
      }
      throw error;
    }
  },
};
