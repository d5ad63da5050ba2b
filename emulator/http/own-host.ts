/**
 * The Host check of the emulator's own pages and control API: on loopback, a request that names
 * a host other than the tenant's own is a browser tricked by DNS rebinding (a page of another
 * site whose name now resolves to 127.0.0.1). Beyond loopback any name may reach the server
 * (addresses, a name the room's DNS gives it), and the control API needs its token instead.
 */
import type { FastifyRequest } from 'fastify';

export interface HostCheckOptions {
  hosts: () => string[];
  /** True while the server listens on a loopback address only (then Host headers are checked). */
  loopbackOnly: () => boolean;
}

export function addressedToOwnHost(request: FastifyRequest, options: HostCheckOptions): boolean {
  if (!options.loopbackOnly()) return true;
  const hostname = request.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return hostname === '::1' || options.hosts().some((host) => host.toLowerCase() === hostname);
}
