/**
 * AM's URL space under `/am/json`: the realm part (`realms/root/realms/alpha`, or nothing for
 * the realm-less legacy form) and the resource part (`sessions`, `users/<id>`,
 * `serverinfo/*`, `authenticate`).
 */
import type { Realm, RealmRegistry } from '../../state/realms.js';
import { AmError, Errors } from './errors.js';

export const AM_JSON_PREFIX = '/am/json';

export interface AmPath {
  realm: Realm;
  /** Resource path elements after the realm, percent-decoded: `['users', '<id>']`. */
  resource: string[];
  /** `/sessions/?_action=...`: clients use both forms (AIC's docs do; frodo's SessionApi sends the slash). */
  trailingSlash: boolean;
}

/**
 * Parses the path (without query string) of a request under `/am/json`.
 *
 * Each `realms/<name>` pair names a realm relative to the one before: `root` is the root realm,
 * anything else a child (AM's RealmRoutingFactory), so `realms/root/realms/alpha` and
 * `realms/alpha` both reach `/alpha`. An unknown one is 404 `Realm "/alpha/nope" not found`.
 * A `realm` query parameter overrides the realm the path names, as AM's RealmContext does;
 * naming an unknown realm there is 400 `Invalid realm, <value>`.
 */
export function parseAmPath(rawPath: string, realms: RealmRegistry, realmParameter: string | undefined): AmPath {
  if (realmParameter !== undefined) return parseUncached(rawPath, realms, realmParameter);
  // A client asks for the same few paths again and again: each is parsed once per realm registry
  // (which never changes once built). Only parses that succeed are kept, and the cache is
  // bounded: a client making up paths empties it, it never grows past PARSED_PATHS_KEPT.
  let parsed = parsedPaths.get(realms);
  if (!parsed) parsedPaths.set(realms, (parsed = new Map<string, AmPath>()));
  const cached = parsed.get(rawPath);
  if (cached) return cached;
  const path = parseUncached(rawPath, realms, undefined);
  if (parsed.size >= PARSED_PATHS_KEPT) parsed.clear();
  parsed.set(rawPath, path);
  return path;
}

/** How many distinct paths are kept parsed per realm registry. */
const PARSED_PATHS_KEPT = 512;
const parsedPaths = new WeakMap<RealmRegistry, Map<string, AmPath>>();

function parseUncached(rawPath: string, realms: RealmRegistry, realmParameter: string | undefined): AmPath {
  const rest = rawPath.slice(AM_JSON_PREFIX.length);
  const trailingSlash = rest.length > 1 && rest.endsWith('/');
  const elements = (trailingSlash ? rest.slice(0, -1) : rest).split('/').slice(1).map(decodeElement);
  let realm = realms.get('/') as Realm;
  let index = 0;
  while (elements[index] === 'realms' && index + 1 < elements.length) {
    const name = elements[index + 1] as string;
    if (!(index === 0 && name === 'root')) {
      const child = realms.child(realm, name);
      if (!child) throw new AmError(404, `Realm "${realm.path === '/' ? '' : realm.path}/${name}" not found`);
      realm = child;
    }
    index += 2;
  }
  if (realmParameter !== undefined) {
    const override = realms.resolve(realmParameter);
    if (!override) throw new AmError(400, `Invalid realm, ${realmParameter}`);
    realm = override;
  }
  // Frozen: one parse is shared by every request for the path.
  return Object.freeze({ realm, resource: Object.freeze(elements.slice(index)) as string[], trailingSlash });
}

/** CREST's answer for a path no resource is mounted at. */
export function resourceNotFound(resource: string[]): AmError {
  return new AmError(404, `Resource '${resource.join('/')}' not found`);
}

function decodeElement(element: string): string {
  try {
    return decodeURIComponent(element);
  } catch {
    throw Errors.badRequest('The request URI is not valid: it holds an invalid percent-encoding');
  }
}
