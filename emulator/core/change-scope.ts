/**
 * The tenant changes one request made, wherever in its handling they were made (a control route,
 * a journey's node, a script): the request runs in a change scope, and whoever shares a change
 * with the other instances (scaling/tenant-sync.ts) adds its outcome to the scope of the request
 * that made it. The request's answer then waits for exactly its own changes, and learns whether
 * Redis took them, without mistaking another request's failure for its own.
 *
 * An AsyncLocalStorage: the scope follows the request through every await. Only set up when
 * instances share the tenant (http/server.ts); otherwise nothing reads or writes it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { StoreUnavailableError } from './store-unavailable.js';

export interface ChangeScope {
  /** One per change shared: resolves to undefined once shared, or to why it was not. */
  readonly shared: Promise<string | undefined>[];
}

export const changeScopes = new AsyncLocalStorage<ChangeScope>();

export function newChangeScope(): ChangeScope {
  return { shared: [] };
}

/** Resolves once every change made in `scope` is shared; rejects with StoreUnavailableError if one was not. */
export async function changesShared(scope: ChangeScope): Promise<void> {
  if (scope.shared.length === 0) return;
  const failures = (await Promise.all(scope.shared)).filter((reason) => reason !== undefined);
  if (failures.length > 0) throw new StoreUnavailableError(failures[0] as string);
}
