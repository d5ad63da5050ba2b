/**
 * The tenant's identities: users per realm, as IDM manages them (`_id`, `userName`, `givenName`,
 * `sn`, `mail`, `frUnindexedString1..5`, ...), and their AM view (DS attribute names, values as
 * arrays) that `GET users/<id>` and scripts' `idRepository` answer.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { UserSeed } from '../config/config-types.js';
import type { Realm, RealmRegistry } from './realms.js';
import { universalIdOf } from './realms.js';
import { ChangeFeed } from '../core/change-feed.js';
import { hashKbaInfo } from './kba.js';

export interface User {
  readonly _id: string;
  /** Realm path, `/alpha`. */
  readonly realm: string;
  readonly userName: string;
  readonly password: string;
  readonly accountStatus: 'active' | 'inactive';
  readonly admin: boolean;
  /** Every other managed-object attribute (givenName, sn, mail, frUnindexedString1, ...). */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly modifiedAt: number;
}

export class UserError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A user added, updated (the record after the change) or removed (its `_id`). `put` and `clear`
 * take over or drop records decided elsewhere (a state file, another instance, a reset) and say
 * nothing.
 */
export type UserChange = { type: 'added' | 'updated'; user: User } | { type: 'removed'; id: string };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Security answers: IDM stores them hashed (state/kba.ts). */
const KBA_INFO = 'kbaInfo';
const RESERVED = new Set(['realm', '_id', 'userName', 'password', 'accountStatus', 'admin']);

/** Names the AM view computes itself (or never shows): an attribute of that name is left out. */
const AM_VIEW_RESERVED = new Set([
  '_id',
  '_rev',
  'realm',
  'username',
  'fr-idm-uuid',
  'universalid',
  'uid',
  'dn',
  'objectclass',
  'inetuserstatus',
  'userpassword',
  'password',
  'roles',
  'logincount',
  'lastlogin',
  'preferences',
]);

/** What IDM's view of a user never shows. */
const IDM_VIEW_HIDDEN = new Set(['password', 'userpassword']);

/**
 * IDM property → AM (DS) attribute name (measured on AIC: agiledigital-labs/pingone-aic-manager's
 * nextgen-common.d.ts).
 */
const AM_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  givenName: 'givenName',
  sn: 'sn',
  mail: 'mail',
  telephoneNumber: 'telephoneNumber',
  description: 'description',
  ...Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`frUnindexedString${n}`, `fr-attr-str${n}`])),
  ...Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`frIndexedString${n}`, `fr-attr-istr${n}`])),
};

export class UserDirectory {
  private readonly byId = new Map<string, User>();
  /** realm path → lower-cased userName → user id. DS matches uid case-insensitively. */
  private readonly byUserName = new Map<string, Map<string, string>>();
  readonly changes = new ChangeFeed<UserChange>();

  constructor(
    private readonly realms: RealmRegistry,
    private readonly now: () => number,
  ) {}

  /** Adds a user; throws UserError (400 bad input, 409 duplicate) with a message saying why. */
  add(seed: UserSeed): User {
    if (typeof seed !== 'object' || seed === null) throw new UserError(400, 'a user must be a JSON object');
    const realm = this.realmOf(seed.realm);
    for (const key of ['userName', 'password'] as const) {
      if (typeof seed[key] !== 'string' || (key === 'userName' && seed[key].trim() === '')) {
        throw new UserError(400, `${key} must be a non-empty string`);
      }
    }
    const id = seed._id ?? randomUUID();
    if (typeof id !== 'string' || !UUID_PATTERN.test(id)) throw new UserError(400, '_id must be a UUID');
    if (this.byId.has(id.toLowerCase())) throw new UserError(409, `a user with _id ${id} already exists`);
    const names = this.namesOf(realm.path);
    if (names.has(seed.userName.toLowerCase())) {
      throw new UserError(409, `a user named ${seed.userName} already exists in realm ${realm.path}`);
    }
    const status = seed.accountStatus ?? 'active';
    if (status !== 'active' && status !== 'inactive')
      throw new UserError(400, 'accountStatus must be "active" or "inactive"');
    if (seed.admin !== undefined && typeof seed.admin !== 'boolean')
      throw new UserError(400, 'admin must be a boolean');
    const attributes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(seed)) {
      if (RESERVED.has(key) || key === '__proto__') continue;
      attributes[key] = key === KBA_INFO ? hashKbaInfo(value) : structuredClone(value);
    }
    const now = this.now();
    const user: User = {
      _id: id.toLowerCase(),
      realm: realm.path,
      userName: seed.userName,
      password: seed.password,
      accountStatus: status,
      admin: seed.admin ?? false,
      attributes,
      createdAt: now,
      modifiedAt: now,
    };
    this.byId.set(user._id, user);
    names.set(user.userName.toLowerCase(), user._id);
    this.changes.emit({ type: 'added', user });
    return user;
  }

  get(id: string): User | undefined {
    return typeof id === 'string' ? this.byId.get(id.toLowerCase()) : undefined;
  }

  /** The user with this `_id` in this realm (ids are unique tenant-wide, realms still scope reads). */
  getInRealm(realmPath: string, id: string): User | undefined {
    const user = this.get(id);
    return user && user.realm === realmPath ? user : undefined;
  }

  findByUserName(realmPath: string, userName: string): User | undefined {
    if (typeof userName !== 'string') return undefined;
    const id = this.byUserName.get(realmPath)?.get(userName.toLowerCase());
    return id === undefined ? undefined : this.byId.get(id);
  }

  /**
   * The realm's user whose IDM property `attribute` equals `value` (Identify Existing User and
   * friends): `userName` and `_id` through the indexes, anything else by looking at each user.
   */
  findByAttribute(realmPath: string, attribute: string, value: unknown): User | undefined {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
    if (attribute === 'userName') return typeof value === 'string' ? this.findByUserName(realmPath, value) : undefined;
    if (attribute === '_id') return typeof value === 'string' ? this.getInRealm(realmPath, value) : undefined;
    for (const user of this.list(realmPath)) {
      const candidate = this.idmView(user)[attribute];
      if (
        candidate === value ||
        (typeof candidate === 'string' && typeof value === 'string' && candidate.toLowerCase() === value.toLowerCase())
      )
        return user;
    }
    return undefined;
  }

  /**
   * The user as IDM's managed object (`managed/alpha_user`): the properties a journey's nodes and
   * `openidm` read, never the password.
   */
  idmView(user: User): Record<string, unknown> {
    const view: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(user.attributes)) {
      if (!IDM_VIEW_HIDDEN.has(name.toLowerCase()))
        Object.defineProperty(view, name, {
          value: structuredClone(value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return { ...view, _id: user._id, userName: user.userName, accountStatus: user.accountStatus };
  }

  /**
   * Changes a user's attributes (IDM properties): `undefined` or `null` removes one. `userName`,
   * `password` and `accountStatus` may change too; `_id` and the realm may not.
   */
  update(id: string, changes: Record<string, unknown>): User {
    const user = this.get(id);
    if (!user) throw new UserError(404, `no user ${id}`);
    let { userName, password, accountStatus } = user;
    const attributes: Record<string, unknown> = { ...user.attributes };
    for (const [name, value] of Object.entries(changes)) {
      if (name === '_id' || name === 'realm' || name === '__proto__') continue;
      if (name === 'userName') {
        if (typeof value !== 'string' || value.trim() === '')
          throw new UserError(400, 'userName must be a non-empty string');
        const clash = this.findByUserName(user.realm, value);
        if (clash && clash._id !== user._id)
          throw new UserError(409, `a user named ${value} already exists in realm ${user.realm}`);
        userName = value;
      } else if (name === 'password') {
        if (typeof value !== 'string') throw new UserError(400, 'password must be a string');
        password = value;
      } else if (name === 'accountStatus') {
        if (value !== 'active' && value !== 'inactive')
          throw new UserError(400, 'accountStatus must be "active" or "inactive"');
        accountStatus = value;
      } else if (value === undefined || value === null) {
        delete attributes[name];
      } else {
        Object.defineProperty(attributes, name, {
          value: name === KBA_INFO ? hashKbaInfo(value) : structuredClone(value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    const updated: User = { ...user, userName, password, accountStatus, attributes, modifiedAt: this.now() };
    const names = this.namesOf(user.realm);
    names.delete(user.userName.toLowerCase());
    names.set(updated.userName.toLowerCase(), updated._id);
    this.byId.set(updated._id, updated);
    this.changes.emit({ type: 'updated', user: updated });
    return updated;
  }

  /**
   * Stores a user record as it is, replacing the one with the same `_id` (its name index
   * follows): a state file's users, or another instance's change to a shared tenant. No checks:
   * the record was made by `add` or `update` somewhere.
   */
  put(user: User): void {
    const previous = this.byId.get(user._id);
    if (previous) this.namesOf(previous.realm).delete(previous.userName.toLowerCase());
    this.byId.set(user._id, user);
    this.namesOf(user.realm).set(user.userName.toLowerCase(), user._id);
  }

  remove(id: string): boolean {
    const user = this.get(id);
    if (!user) return false;
    this.byId.delete(user._id);
    this.namesOf(user.realm).delete(user.userName.toLowerCase());
    this.changes.emit({ type: 'removed', id: user._id });
    return true;
  }

  list(realmPath?: string): User[] {
    const all = [...this.byId.values()];
    return realmPath === undefined ? all : all.filter((user) => user.realm === realmPath);
  }

  clear(): void {
    this.byId.clear();
    this.byUserName.clear();
  }

  /** Compares in constant time (over SHA-256 digests, so lengths leak nothing either). */
  verifyPassword(user: User, password: string): boolean {
    const a = createHash('sha256').update(user.password, 'utf8').digest();
    const b = createHash('sha256').update(password, 'utf8').digest();
    return timingSafeEqual(a, b);
  }

  /** Remembered per user: every session of the user carries it, a million sessions one string. */
  private readonly universalIds = new WeakMap<User, string>();

  universalId(user: User): string {
    let id = this.universalIds.get(user);
    if (id === undefined) {
      id = universalIdOf(user._id, user.realm);
      this.universalIds.set(user, id);
    }
    return id;
  }

  /**
   * The user as AM's `GET users/<id>` shows it (recorded on AIC: frodo-lib's UserOps recording): DS attribute
   * names, every value an array, `username` the userName (unlike the session APIs, where it is the `_id`).
   */
  amView(user: User): Record<string, unknown> {
    const realmPath = user.realm;
    const attrs = user.attributes;
    const view: Record<string, unknown> = {
      _id: user._id,
      _rev: '-1',
      realm: realmPath,
      username: user.userName,
      'fr-idm-uuid': [user._id],
    };
    for (const [property, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === '' || AM_VIEW_RESERVED.has(property.toLowerCase()))
        continue;
      const name = Object.hasOwn(AM_ATTRIBUTE_NAMES, property) ? (AM_ATTRIBUTE_NAMES[property] as string) : property;
      // Items as the scalar case: strings as they are, anything else as JSON. String() threw on an
      // object whose toString is not a function ({"toString":1}, which the control API accepts
      // as an attribute), making GET users/<id> a 500 (found by test/integration/fuzz.test.ts).
      const text = (item: unknown) => (typeof item === 'string' ? item : JSON.stringify(item));
      view[name] = Array.isArray(value) ? value.map(text) : [text(value)];
    }
    const given = typeof attrs['givenName'] === 'string' ? attrs['givenName'] : '';
    const sn = typeof attrs['sn'] === 'string' ? attrs['sn'] : '';
    const cn = `${given} ${sn}`.trim();
    Object.assign(view, {
      objectClass: OBJECT_CLASSES,
      dn: [`fr-idm-uuid=${user._id},ou=user,${realmOrgs(realmPath)}o=root,ou=identities`],
      ...(cn ? { cn: [cn] } : {}),
      modifyTimestamp: [generalizedTime(user.modifiedAt)],
      createTimestamp: [generalizedTime(user.createdAt)],
      uid: [user.userName],
      'fr-idm-custom-attrs': ['{}'],
      // IDM keeps the user's `preferences` here, as JSON (AIC's default pair when never set).
      'fr-idm-preferences': [JSON.stringify(preferencesOf(attrs['preferences']))],
      universalid: [this.universalId(user)],
      inetUserStatus: [user.accountStatus === 'active' ? 'Active' : 'Inactive'],
    });
    return view;
  }

  private realmOf(nameOrPath: unknown): Realm {
    if (typeof nameOrPath !== 'string') throw new UserError(400, 'realm must be a string naming a configured realm');
    const realm = this.realms.resolve(nameOrPath);
    if (!realm) throw new UserError(400, `no realm ${nameOrPath} in this tenant`);
    return realm;
  }

  private namesOf(realmPath: string): Map<string, string> {
    let names = this.byUserName.get(realmPath);
    if (!names) {
      names = new Map();
      this.byUserName.set(realmPath, names);
    }
    return names;
  }
}

function preferencesOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? { updates: false, marketing: false, ...(value as Record<string, unknown>) }
    : { updates: false, marketing: false };
}

/** The objectClass list of an AIC alpha user [real: frodo-lib's UserOps recording]. */
const OBJECT_CLASSES = Object.freeze([
  'iplanet-am-managed-person',
  'inetuser',
  'inetOrgPerson',
  'sunFMSAML2NameIdentifier',
  'devicePrintProfilesContainer',
  'fr-ext-attrs',
  'iplanet-am-user-service',
  'iPlanetPreferences',
  'pushDeviceProfilesContainer',
  'forgerock-am-dashboard-service',
  'top',
  'kbaInfoContainer',
  'person',
  'organizationalPerson',
  'oathDeviceProfilesContainer',
  'sunAMAuthAccountLockout',
  'webauthnDeviceProfilesContainer',
  'deviceProfilesContainer',
  'iplanet-am-auth-configuration-service',
  'fr-idm-hybrid-obj',
  'fr-idm-managed-user-explicit',
]);

function realmOrgs(realmPath: string): string {
  return realmPath
    .split('/')
    .filter(Boolean)
    .reverse()
    .map((name) => `o=${name},`)
    .join('');
}

/** LDAP GeneralizedTime as DS writes it: `20240122164335Z`. */
function generalizedTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}
