/**
 * The user's claims for a set of scopes, as AM's default OIDC Claims Script maps them
 * (`utils.setScopeClaimsMap` and `setClaimResolvers`): profile → name (cn), family_name (sn),
 * given_name (givenName), zoneinfo (preferredTimezone), locale (preferredLocale); email → email
 * (mail); address → `{formatted: postalAddress}`; phone → phone_number (telephoneNumber). An
 * attribute the user lacks leaves its claim out. `sub` and `subname` are the user's `_id`.
 */
import type { User } from '../state/user-directory.js';

const SCOPE_CLAIMS: ReadonlyMap<string, readonly (readonly [claim: string, attribute: string])[]> = new Map(
  Object.entries({
    profile: [
      ['name', 'cn'],
      ['family_name', 'sn'],
      ['given_name', 'givenName'],
      ['zoneinfo', 'preferredTimezone'],
      ['locale', 'preferredLocale'],
    ],
    email: [['email', 'mail']],
    address: [['address', 'postalAddress']],
    phone: [['phone_number', 'telephoneNumber']],
  } as const),
);

export function userClaims(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const scope of scopes) {
    // A Map: a scope named `constructor` is no scope here, not Object.prototype's member.
    for (const [claim, attribute] of SCOPE_CLAIMS.get(scope) ?? []) {
      const value = attributeOf(user, attribute);
      if (value === undefined) continue;
      claims[claim] = claim === 'address' ? { formatted: value } : value;
    }
  }
  return claims;
}

/** An attribute by its IDM name, whatever its case; cn is "given sn", as in the user's AM view (amView). */
function attributeOf(user: User, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(user.attributes))
    if (key.toLowerCase() === lower && value !== undefined && value !== null && value !== '') return value;
  if (lower === 'cn') {
    const given = attributeOf(user, 'givenName');
    const sn = attributeOf(user, 'sn');
    if (typeof given === 'string' || typeof sn === 'string') return [given, sn].filter(Boolean).join(' ');
  }
  return undefined;
}
