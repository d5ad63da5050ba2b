/**
 * Create Object: creates a user in the realm from the journey's `objectAttributes` (`userName`,
 * `password`, `givenName`, `sn`, `mail`, ...) → `CREATED`, or `FAILURE` when the directory
 * refuses it (a duplicate userName, a missing password).
 */
import { UserError } from '../../identity/user-directory.js';
import type { JsonObject } from '../state.js';
import { outcome, type NodeType } from './node.js';

export const CreateObjectNode: NodeType = {
  type: 'CreateObjectNode',
  outcomes: () => ['CREATED', 'FAILURE'],
  async process(context) {
    const attributes: JsonObject = {
      ...((context.state.shared['objectAttributes'] as JsonObject | undefined) ?? {}),
      ...((context.state.transient['objectAttributes'] as JsonObject | undefined) ?? {}),
    };
    try {
      const user = context.tenant.users.add({ ...attributes, realm: context.realm.path } as never);
      context.nodeState.putShared('_id', user._id);
      context.state.identifiedUserId = user._id;
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
