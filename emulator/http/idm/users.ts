/**
 * IDM's managed users as objects: the view IDM answers (`_id`, `_rev`, the properties, never the
 * password), `_fields` projections, PATCH operations and the alpha_user policies the emulator
 * checks (required properties, their types, a unique userName), worked on plain JSON.
 */
import { createHash } from 'node:crypto';
import type { User, UserDirectory } from '../../state/user-directory.js';
import { valueAt } from '../../core/query-filter.js';
import { AmError } from '../am/errors.js';

/** alpha_user's required properties (the default Registration journey collects exactly these). */
export const REQUIRED_PROPERTIES = ['userName', 'givenName', 'sn', 'mail'] as const;
const STRING_PROPERTIES = new Set([...REQUIRED_PROPERTIES, 'password', 'accountStatus']);

/** Multi-valued properties every alpha user shows, empty when never set [real: frodo-cli's HAR]. */
const ARRAY_DEFAULTS = [
  'kbaInfo',
  'aliasList',
  'consentedMappings',
  'memberOfOrgIDs',
  'effectiveRoles',
  'effectiveAssignments',
  'effectiveGroups',
  'effectiveApplications',
] as const;

/** Properties of a request body IDM keeps to itself or the emulator does not take from IDM. */
export const NOT_WRITABLE = new Set(['_id', '_rev', 'admin', 'realm']);

/** `_rev`: a digest of the record, so that any change makes a new one. */
export function revisionOf(user: User): string {
  const hex = createHash('sha256')
    .update(
      JSON.stringify([user.userName, user.password, user.accountStatus, user.attributes, user.modifiedAt, user.realm]),
    )
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The user as IDM answers it: `_id` and `_rev` first, then every property but the password. */
export function objectView(users: UserDirectory, user: User): Record<string, unknown> {
  const view: Record<string, unknown> = { _id: user._id, _rev: revisionOf(user) };
  for (const name of ARRAY_DEFAULTS) view[name] = [];
  if (!Object.hasOwn(user.attributes, 'preferences')) view['preferences'] = null;
  for (const [name, value] of Object.entries(users.idmView(user))) defineOwn(view, name, value);
  return view;
}

/** `_fields`: the named properties (names or JSON pointers) with `_id` and `_rev`; all of them when none are named. */
export function project(view: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  if (fields.length === 0) return view;
  const result: Record<string, unknown> = { _id: view['_id'], _rev: view['_rev'] };
  for (const field of fields) {
    const parts = pointerParts(field);
    if (parts.length === 0) continue;
    const value = valueAt(view, parts.join('/'));
    if (value === undefined) continue;
    let target = result;
    parts.slice(0, -1).forEach((part) => {
      const next = Object.hasOwn(target, part) ? target[part] : undefined;
      if (next === null || typeof next !== 'object' || Array.isArray(next)) defineOwn(target, part, {});
      target = target[part] as Record<string, unknown>;
    });
    defineOwn(target, parts.at(-1) as string, structuredClone(value));
  }
  return result;
}

/** A field as IDM names it (`mail`, `/mail`, `/preferences/marketing`), split into its parts. */
export function pointerParts(field: string): string[] {
  return field
    .split('/')
    .filter((part) => part !== '')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function defineOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** CREST's 400. */
export const badRequest = (message: string) => new AmError(400, message);

/** IDM's policy failure [real: frodo-cli's agent import HAR]. */
export function policyFailure(failures: { property: string; requirement: string; params?: unknown }[]): AmError {
  return new AmError(403, 'Failed policy validation', {
    detail: {
      result: false,
      failedPolicyRequirements: failures.map(({ property, requirement, params }) => ({
        policyRequirements: [{ ...(params !== undefined ? { params } : {}), policyRequirement: requirement }],
        property,
      })),
    },
  });
}

/**
 * The policies the emulator checks on a user's properties as they will be: the required ones
 * present and non-empty, the string ones strings, accountStatus active or inactive.
 */
export function checkPolicies(properties: Record<string, unknown>, password: unknown): void {
  const failures: { property: string; requirement: string; params?: unknown }[] = [];
  for (const name of REQUIRED_PROPERTIES) {
    const value = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (value === undefined || value === null || value === '')
      failures.push({ property: name, requirement: 'REQUIRED' });
  }
  for (const [name, value] of [...Object.entries(properties), ['password', password] as const]) {
    if (!STRING_PROPERTIES.has(name) || value === undefined || value === null || typeof value === 'string') continue;
    failures.push({
      property: name,
      requirement: 'VALID_TYPE',
      params: { invalidType: Array.isArray(value) ? 'array' : typeof value, validTypes: ['string'] },
    });
  }
  const status = properties['accountStatus'];
  if (typeof status === 'string' && status !== 'active' && status !== 'inactive')
    failures.push({ property: 'accountStatus', requirement: 'VALID_ACCOUNT_STATUS' });
  if (failures.length > 0) throw policyFailure(failures);
}

const OPERATIONS = new Set(['add', 'replace', 'remove', 'increment']);

/**
 * Applies PATCH operations to a copy of the view (`password` among its properties while it is
 * patched); throws CREST's 400 for an operation it cannot apply.
 */
export function applyPatch(view: Record<string, unknown>, operations: unknown): Record<string, unknown> {
  if (!Array.isArray(operations)) throw badRequest('The request body must be a JSON array of patch operations');
  const result = structuredClone(view);
  for (const item of operations) {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw badRequest('A patch operation must be a JSON object');
    const { operation, field, value } = item as { operation?: unknown; field?: unknown; value?: unknown };
    if (typeof operation !== 'string' || !OPERATIONS.has(operation))
      throw badRequest(`Patch operation ${JSON.stringify(operation) ?? 'undefined'} is not supported`);
    if (typeof field !== 'string') throw badRequest('A patch operation must name its field');
    const parts = pointerParts(field);
    // `/kbaInfo/-` appends to the array, as `add` on an array field does.
    if (operation === 'add' && parts.at(-1) === '-') parts.pop();
    if (parts.length === 0 || parts.length > 16 || parts.includes('__proto__'))
      throw badRequest(`The field ${JSON.stringify(field)} is not valid`);
    const last = parts.at(-1) as string;
    let target: Record<string, unknown> = result;
    for (const part of parts.slice(0, -1)) {
      let next = Object.hasOwn(target, part) ? target[part] : undefined;
      if (next === null || next === undefined) {
        if (operation === 'remove') break;
        next = {};
        defineOwn(target, part, next);
      }
      if (typeof next !== 'object' || Array.isArray(next))
        throw badRequest(`The field ${JSON.stringify(field)} is not an object`);
      target = next as Record<string, unknown>;
    }
    const current = Object.hasOwn(target, last) ? target[last] : undefined;
    if (operation === 'replace') defineOwn(target, last, structuredClone(value));
    else if (operation === 'add') {
      if (Array.isArray(current))
        (current as unknown[]).push(
          ...(Array.isArray(value) ? (structuredClone(value) as unknown[]) : [structuredClone(value)]),
        );
      else defineOwn(target, last, structuredClone(value));
    } else if (operation === 'remove') {
      if (value !== undefined && Array.isArray(current)) {
        const drop = (Array.isArray(value) ? value : [value]).map((entry) => JSON.stringify(entry));
        defineOwn(
          target,
          last,
          current.filter((entry) => !drop.includes(JSON.stringify(entry))),
        );
      } else delete target[last];
    } else {
      if (typeof value !== 'number' || (current !== undefined && typeof current !== 'number'))
        throw badRequest(`The field ${JSON.stringify(field)} cannot be incremented`);
      defineOwn(target, last, (current ?? 0) + value);
    }
  }
  return result;
}
