/**
 * The one filter shape the session query accepts (AM source: SessionResourceV2.queryCollection's javadoc):
 * `username eq "<id>" and realm eq "<realm>"`, or `realm eq "<realm>"`.
 */
import type { FilterNode } from '../../../core/query-filter.js';

export type SessionQuery = { realm: string; username: string | undefined };

export class UnsupportedSessionQuery extends Error {}

/**
 * Reduces a filter to the session query's one supported shape, or throws with the message AM
 * gives: an unsupported field, an unsupported construct, or no realm.
 */
export function toSessionQuery(filter: FilterNode): SessionQuery {
  const terms = filter.type === 'and' ? filter.children : [filter];
  let realm: string | undefined;
  let username: string | undefined;
  for (const term of terms) {
    if (term.type !== 'compare' || term.op !== 'eq') {
      if ((term.type === 'compare' || term.type === 'present') && term.field !== 'username' && term.field !== 'realm') {
        throw new UnsupportedSessionQuery(`${term.field} is not supported in query filter`);
      }
      throw new UnsupportedSessionQuery('The query filter is not supported by the session query');
    }
    if (term.field !== 'username' && term.field !== 'realm')
      throw new UnsupportedSessionQuery(`${term.field} is not supported in query filter`);
    if (typeof term.value !== 'string')
      throw new UnsupportedSessionQuery('The query filter is not supported by the session query');
    if (term.field === 'realm') {
      if (realm !== undefined)
        throw new UnsupportedSessionQuery('The query filter is not supported by the session query');
      realm = term.value;
    } else {
      if (username !== undefined)
        throw new UnsupportedSessionQuery('The query filter is not supported by the session query');
      username = term.value;
    }
  }
  if (realm === undefined || realm.trim() === '')
    throw new UnsupportedSessionQuery('The query filter must specify the realm');
  return { realm, username };
}
