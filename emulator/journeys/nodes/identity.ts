/** Finding the journey's user the way IDM-backed nodes do (Identify Existing User and friends). */
import type { User } from '../../state/user-directory.js';
import type { NodeContext } from './node.js';

/**
 * The value that identifies the user: `objectAttributes.<identityAttribute>`, else a top-level
 * state value of that name, else shared `username` (AM's getAttributeFromContext, then
 * getUsernameFromContext).
 */
export function identityValue(context: NodeContext, identityAttribute: string): unknown {
  return (
    context.nodeState.objectAttribute(identityAttribute) ??
    context.nodeState.get(identityAttribute) ??
    context.nodeState.get('username')
  );
}

/** The realm's user named by the journey's state, or the user already identified. */
export function findJourneyUser(context: NodeContext, identityAttribute: string): User | undefined {
  const { users } = context.tenant;
  const value = identityValue(context, identityAttribute);
  const byValue =
    value === undefined
      ? undefined
      : (users.findByAttribute(context.realm.path, identityAttribute, value) ??
        (identityAttribute !== 'userName' && typeof value === 'string'
          ? users.findByUserName(context.realm.path, value)
          : undefined));
  if (byValue) return byValue;
  const id =
    context.state.identifiedUserId ??
    (typeof context.nodeState.get('_id') === 'string' ? (context.nodeState.get('_id') as string) : undefined);
  return id ? users.getInRealm(context.realm.path, id) : undefined;
}

export function stringConfig(config: Readonly<Record<string, unknown>>, key: string, fallback: string): string {
  const value = config[key];
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** A node's `identityAttribute` (the state name it reads the user by: its AM `getInputs()`). */
export function identityAttributeOf(config: Readonly<Record<string, unknown>>, fallback = 'userName'): string {
  return stringConfig(config, 'identityAttribute', fallback);
}
