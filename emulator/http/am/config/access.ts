/**
 * What AM's config REST shares (realm-config trees and nodes, scripts): administrators only, in
 * the order of AM's filter chain (as the sessions resource answers): the caller must be
 * authenticated (401 Access Denied), then the API version is negotiated, then the caller must be
 * an administrator (403 Forbidden). And the CREST query envelope these resources answer.
 */
import type { AmRequest } from '../context.js';
import { isAdmin, resolveCaller } from '../caller.js';
import { AmError, Errors } from '../errors.js';
import { negotiate, type Version } from '../versioning.js';
import { FilterSyntaxError, matchesFilter, parseQueryFilter, type FilterNode } from '../../../core/query-filter.js';
import { projectFields } from '../crest.js';

/**
 * AIC refuses the root realm's config at its edge, before AM and whoever calls
 * [real: frodo's TreeApi and ScriptOps recordings of AIC, `realms/root/realm-config/...` and `realms/root/scripts`].
 */
export function refuseRootRealm(request: AmRequest): void {
  if (request.realm.path === '/')
    throw new AmError(403, 'This operation is not available in PingOne Advanced Identity Cloud.');
}

/** Lets an administrator through; returns who they are as AM stamps config it writes (`createdBy`). */
export async function requireAdmin(request: AmRequest, versions: readonly Version[]): Promise<string> {
  const caller = await resolveCaller(request);
  if (caller.kind === 'anonymous') throw Errors.accessDenied();
  request.servedVersion = negotiate(versions, request.requestedVersion);
  if (!isAdmin(caller)) throw Errors.forbidden();
  // A bearer token names no identity here: it is stamped as AM's own administrator.
  return caller.kind === 'session'
    ? `id=${caller.session.userId},ou=user,ou=am-config`
    : 'id=amadmin,ou=user,ou=am-config';
}

/** The first value of a query parameter, named in any case (CREST's parameter names are case-insensitive). */
function param(query: URLSearchParams, lowerName: string): string | undefined {
  for (const [name, value] of query) if (name.toLowerCase() === lowerName) return value;
  return undefined;
}

function integerParam(query: URLSearchParams, lowerName: string, wireName: string): number {
  const text = param(query, lowerName);
  if (text === undefined || text === '') return 0;
  if (!/^-?\d{1,9}$/.test(text.trim()))
    throw Errors.badRequest(
      `The value '${clip(text)}' for parameter '${wireName}' could not be parsed as a valid integer`,
    );
  return Number(text.trim());
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

/** The request's `_queryFilter`, parsed; a query without one (`_queryId`, `_queryExpression`) is refused. */
export function queryFilterOf(request: AmRequest): FilterNode {
  const text = param(request.query, '_queryfilter');
  if (text === undefined) throw Errors.badRequest('Query Filter must be specified in the request');
  try {
    return parseQueryFilter(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError)
      throw Errors.badRequest(`Invalid query filter '${clip(text)}': ${error.message}`);
    throw error;
  }
}

/**
 * CREST's query answer over `items` (already in the resource's order): filtered, paged by
 * `_pageSize` and `_pagedResultsOffset`, projected by `_fields`; `_totalPagedResultsPolicy=EXACT`
 * counts (frodo counts trees with `_pageSize=0&_totalPagedResultsPolicy=EXACT`).
 */
export function queryPage(
  request: AmRequest,
  items: Record<string, unknown>[],
  remainingPagedResults = -1,
): Record<string, unknown> {
  const filter = queryFilterOf(request);
  const pageSize = integerParam(request.query, '_pagesize', '_pageSize');
  const offset = integerParam(request.query, '_pagedresultsoffset', '_pagedResultsOffset');
  const policy = (param(request.query, '_totalpagedresultspolicy') ?? 'NONE').toUpperCase();
  if (policy !== 'NONE' && policy !== 'EXACT' && policy !== 'ESTIMATE')
    throw new AmError(400, `The value '${clip(policy)}' for parameter '_totalPagedResultsPolicy' is not valid`);
  const matched = items.filter((item) => matchesFilter(filter, item));
  const start = Math.max(0, offset);
  const page = pageSize > 0 ? matched.slice(start, start + pageSize) : matched.slice(start);
  const counted = policy !== 'NONE';
  return {
    result: page.map((item) => projectFields(item, request.query)),
    resultCount: page.length,
    pagedResultsCookie: null,
    totalPagedResultsPolicy: counted ? 'EXACT' : 'NONE',
    totalPagedResults: counted ? matched.length : -1,
    remainingPagedResults,
  };
}

/**
 * The `Location` of a resource a PUT created: its absolute URL as the client addressed the tenant
 * [real: frodo's TreeApi and NodeApi recordings of AIC].
 */
export function locationOf(request: AmRequest, resource: readonly string[]): string {
  const host = typeof request.headers.host === 'string' ? request.headers.host : request.hostname;
  const realm = request.realm.path
    .split('/')
    .filter((name) => name !== '')
    .map((name) => `/realms/${encodeURIComponent(name)}`)
    .join('');
  const path = resource.map((element) => encodeURIComponent(element)).join('/');
  return `${request.secure ? 'https' : 'http'}://${host}/am/json/realms/root${realm}/${path}`;
}
