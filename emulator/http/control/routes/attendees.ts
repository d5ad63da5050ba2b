/**
 * `POST users/bulk`: a workshop's attendees in one go (issue 21), by count or from a CSV.
 *
 * `{"realm"?: "alpha", "count": n, "prefix"?: "attendee"}` makes `attendee-01` … (numbered after
 * the highest one the realm has already, so a second batch goes on from the first);
 * `{"realm"?, "csv": "userName,password,givenName,sn,mail\n…"}` makes the users of a CSV (a header
 * line is optional; only userName is required; a missing password is made). Each attendee gets
 * what the demo's Single Logout journeys read of a user, so that the how-to's paths take their
 * Success branches: `frUnindexedString2` (the external application's token, Part 2's Terminate
 * External Sessions) and `frUnindexedString3` (the logout URL Part 4's Failure Redirect By
 * Attribute follows: the realm's sign-in page, which an offline room can reach).
 *
 * Answers 201 `{realm, created: [{_id, userName, password, givenName, sn, mail}]}`: the only
 * answer that holds passwords, the trainer's handout (the console prints it); no other answer
 * shows them. All or nothing: a batch with a userName taken (in the realm or twice in the batch)
 * creates nobody, and says which.
 */
import { randomInt } from 'node:crypto';
import type { Tenant } from '../../../tenant/tenant.js';
import type { Realm } from '../../../state/realms.js';
import { AmError } from '../../am/errors.js';
import { objectBody } from '../schema.js';
import type { ControlRoutes } from './context.js';

/** At most this many attendees per request. */
export const MAX_BATCH = 500;
const PREFIX = /^[A-Za-z][A-Za-z0-9._-]{0,39}$/;
const CSV_COLUMNS = ['userName', 'password', 'givenName', 'sn', 'mail'] as const;
/** Letters and digits that cannot be mistaken for one another on a printed handout. */
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const BULK_BODY = {
  ...objectBody,
  additionalProperties: false,
  properties: {
    realm: { type: 'string', errorMessage: 'realm must be a string' },
    count: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_BATCH,
      errorMessage: `count must be a whole number from 1 to ${MAX_BATCH}`,
    },
    prefix: { type: 'string', errorMessage: 'prefix must be a string' },
    csv: { type: 'string', maxLength: 256 * 1024, errorMessage: 'csv must be a string of at most 256 KiB' },
  },
  errorMessage: {
    type: objectBody.errorMessage,
    additionalProperties: 'users/bulk takes realm, count, prefix or csv, not {property}',
  },
} as const;

interface BulkBody {
  realm?: string;
  count?: number;
  prefix?: string;
  csv?: string;
}

interface Attendee {
  userName: string;
  password: string;
  givenName: string;
  sn: string;
  mail: string;
}

/** A password for a handout: 12 characters of PASSWORD_ALPHABET, with a digit and both cases. */
export function handoutPassword(): string {
  for (;;) {
    let password = '';
    for (let i = 0; i < 12; i += 1) password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
    if (/\d/.test(password) && /[a-z]/.test(password) && /[A-Z]/.test(password)) return password;
  }
}

function numbered(tenant: Tenant, realm: Realm, prefix: string, count: number): Attendee[] {
  const pattern = new RegExp(`^${prefix.replace(/[.]/g, '\\.')}-(\\d+)$`, 'i');
  let highest = 0;
  for (const user of tenant.users.list(realm.path)) {
    const match = pattern.exec(user.userName);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  const width = Math.max(2, String(highest + count).length);
  return Array.from({ length: count }, (_, index) => {
    const number = String(highest + index + 1).padStart(width, '0');
    const userName = `${prefix}-${number}`;
    return {
      userName,
      password: handoutPassword(),
      givenName: prefix.charAt(0).toUpperCase() + prefix.slice(1),
      sn: number,
      mail: `${userName}@example.com`,
    };
  });
}

function fromCsv(csv: string): Attendee[] {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines[0]?.split(',')[0]?.trim().toLowerCase() === 'username') lines.shift();
  if (lines.length === 0) throw new AmError(400, 'the csv holds no user');
  if (lines.length > MAX_BATCH) throw new AmError(400, `the csv holds more than ${MAX_BATCH} users`);
  return lines.map((line, index) => {
    if (line.includes('"')) throw new AmError(400, `csv line ${index + 1}: quoted fields are not supported`);
    const fields = line.split(',').map((field) => field.trim());
    if (fields.length > CSV_COLUMNS.length)
      throw new AmError(400, `csv line ${index + 1}: at most ${CSV_COLUMNS.length} fields (${CSV_COLUMNS.join(',')})`);
    const [userName = '', password = '', givenName = '', sn = '', mail = ''] = fields;
    if (userName === '') throw new AmError(400, `csv line ${index + 1}: userName is empty`);
    return {
      userName,
      password: password || handoutPassword(),
      givenName: givenName || userName,
      sn: sn || userName,
      mail: mail || `${userName}@example.com`,
    };
  });
}

export const attendeeRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.post<{ Body: BulkBody }>(
    '/users/bulk',
    { schema: { body: BULK_BODY }, config: { jsonBody: 'object' } },
    (request, reply) => {
      const body = request.body;
      const realm = tenant.realms.resolve(body.realm ?? 'alpha');
      if (!realm) throw new AmError(400, `no realm ${String(body.realm)} in this tenant`);
      if ((body.count === undefined) === (body.csv === undefined))
        throw new AmError(400, 'give either count (with an optional prefix) or csv');
      const prefix = body.prefix ?? 'attendee';
      if (!PREFIX.test(prefix))
        throw new AmError(400, 'prefix must start with a letter and hold at most 40 letters, digits, ".", "_" or "-"');
      const attendees =
        body.count !== undefined ? numbered(tenant, realm, prefix, body.count) : fromCsv(body.csv as string);
      const seen = new Set<string>();
      for (const attendee of attendees) {
        const key = attendee.userName.toLowerCase();
        if (seen.has(key) || tenant.users.findByUserName(realm.path, attendee.userName))
          throw new AmError(409, `a user named ${attendee.userName} already exists in realm ${realm.path}`);
        seen.add(key);
      }
      const signIn = `/am/XUI/?realm=${realm.path}&authIndexType=service&authIndexValue=${realm.defaultJourney ?? 'Login'}`;
      const created = attendees.map((attendee) => {
        const user = tenant.users.add({
          realm: realm.path,
          ...attendee,
          frUnindexedString2: `${attendee.userName}-external-token`,
          frUnindexedString3: signIn,
        });
        return { _id: user._id, ...attendee };
      });
      reply.code(201);
      return { realm: realm.path, created };
    },
  );
};
