/**
 * The secrets a tenant starts with: the admin bearer token, the demo users' and tenant admin's
 * passwords, the demo OAuth2 client's secret, and the control token used beyond loopback.
 *
 * The README publishes the demo tenant's token and passwords. On loopback that is what they are
 * for (examples and tests name them); beyond loopback anyone on the network could read them
 * there and act as the administrator. So beyond loopback, those the config does not set are made
 * at start (and printed in the banner).
 *
 * Made ones are derived from the tenant's authId key (an HMAC of a label per secret) rather than
 * drawn independently: that key is already shared by every instance of a tenant (Redis: the
 * first instance's, SET NX) and kept by a state file, so instances agree on the admin token,
 * the passwords they seed at every reset and the control token, and a restart from a state file
 * keeps them. Knowing a made secret tells nothing of the key (HMAC-SHA256), and the labels
 * cannot be mistaken for what the key signs (a JWT's `header.payload`).
 */
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { ResolvedTenantConfig, TenantConfigInput } from '../config/config.js';
import { DEMO_ADMIN_PASSWORD, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_TENANT } from '../config/demo-tenant.js';
import { DEMO_SERVICE_ACCOUNT_JWK } from '../config/demo-service-account.js';
import type { UserDirectory } from '../state/user-directory.js';

export interface DemoPasswords {
  /** The demo users' (demo, bjensen, scarter). */
  users: string;
  /** The tenant administrator's. */
  admin: string;
}

export interface StartSecrets {
  /** The config with the secrets in place (the cookie name stays the one derived without them). */
  config: ResolvedTenantConfig;
  /** The demo users' passwords, or undefined when the config names its own users. */
  demoPasswords: DemoPasswords | undefined;
  /** The control token to require when one is needed and none is configured. */
  controlToken: string;
}

export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
}

/** Whether `--host` names loopback only, known before listening (a name other than localhost is not trusted to). */
export function isLoopbackHost(host: string): boolean {
  return isIP(host) !== 0 ? isLoopbackAddress(host) : host.toLowerCase() === 'localhost';
}

/**
 * `given` is the config as the user wrote it (what it sets is kept); `seed` the tenant's authId
 * key, or any fresh random value when nothing shares or keeps one.
 */
export function startSecrets(
  config: ResolvedTenantConfig,
  given: TenantConfigInput | undefined,
  options: { loopback: boolean; seed: string },
): StartSecrets {
  const derive = (label: string) =>
    createHmac('sha256', options.seed).update(`aic-emulator start secret: ${label}`).digest();
  const controlToken = derive('control token').subarray(0, 24).toString('base64url');
  const demoUsers = given?.users === undefined;
  if (options.loopback) {
    return {
      config,
      demoPasswords: demoUsers ? { users: DEMO_PASSWORD, admin: DEMO_ADMIN_PASSWORD } : undefined,
      controlToken,
    };
  }
  const adminToken =
    given?.adminToken === undefined
      ? `aic-emulator-admin-${derive('admin token').subarray(0, 24).toString('base64url')}`
      : config.adminToken;
  // A client keeping the published secret gets a made one: with it, anyone could introspect tokens.
  const clientSecret = derive('client secret').subarray(0, 24).toString('base64url');
  // A service account whose private key is published cannot be kept: its tokens administer AM.
  const oauth2 = {
    ...config.oauth2,
    clients: config.oauth2.clients.map((client) =>
      client.clientSecret === DEMO_CLIENT_SECRET ? { ...client, clientSecret } : client,
    ),
    serviceAccounts: config.oauth2.serviceAccounts.filter(
      (account) => !account.jwks.keys.some((key) => key['n'] === DEMO_SERVICE_ACCOUNT_JWK.n),
    ),
  };
  if (!demoUsers) return { config: { ...config, adminToken, oauth2 }, demoPasswords: undefined, controlToken };
  const demoPasswords = { users: readable(derive('demo password')), admin: readable(derive('admin password')) };
  const users = config.users.map((user) => ({
    ...user,
    password: madePassword(user.password, demoPasswords) ?? user.password,
  }));
  return { config: { ...config, adminToken, users, oauth2 }, demoPasswords, controlToken };
}

/**
 * A state file saved on loopback, or a Redis tenant a loopback instance seeded, holds the demo
 * users with their published passwords: an instance beyond loopback gives them its made ones.
 * Only the demo users (by _id), only while they still have the published password.
 */
export function rekeyDemoUsers(users: UserDirectory, demoPasswords: DemoPasswords): void {
  for (const seed of DEMO_TENANT.users) {
    const user = seed._id === undefined ? undefined : users.get(seed._id);
    const password = user ? madePassword(user.password, demoPasswords) : undefined;
    if (user && password !== undefined) users.update(user._id, { password });
  }
}

function madePassword(published: string, made: DemoPasswords): string | undefined {
  return published === DEMO_PASSWORD ? made.users : published === DEMO_ADMIN_PASSWORD ? made.admin : undefined;
}

/** 16 characters in 4 groups, easy to read out in a workshop: 80 bits (32 symbols, no 0/o, 1/l). */
function readable(bytes: Buffer): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const chars = [...bytes.subarray(0, 16)].map((byte) => alphabet[byte % 32]);
  return [0, 4, 8, 12].map((at) => chars.slice(at, at + 4).join('')).join('-');
}
