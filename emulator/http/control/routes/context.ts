/** What every module of control routes is registered with, and what several of them share. */
import type { FastifyPluginAsync } from 'fastify';
import type { HttpServices } from '../../services.js';
import type { Tenant } from '../../../tenant/tenant.js';
import type { Realm } from '../../../state/realms.js';
import { AmError } from '../../am/errors.js';

export interface ControlRouteOptions {
  readonly services: HttpServices;
  /** Host names the tenant answers to, for `GET tenant`. */
  readonly hosts: () => string[];
}

/** A module of control routes: a plugin registered in the control API's scope (control/plugin.ts). */
export type ControlRoutes = FastifyPluginAsync<ControlRouteOptions>;

/** The realm a `realm` query parameter names, undefined without one; a realm the tenant lacks is a 400. */
export function realmParam(tenant: Tenant, name: string | undefined): Realm | undefined {
  if (name === undefined) return undefined;
  const realm = tenant.realms.resolve(name);
  if (!realm) throw new AmError(400, `no realm ${name} in this tenant`);
  return realm;
}
