/** `GET health` (liveness), `GET tenant` (what a test needs to talk to it), `POST reset`. */
import type { ControlRoutes } from './context.js';
import { PROBE } from '../guard.js';

export const tenantRoutes: ControlRoutes = async (app, { services: { tenant }, hosts }) => {
  // Liveness: the process answers. Whether it can serve is `GET ready` (state-routes.ts).
  app.get('/health', { config: PROBE }, () => ({ status: 'ok' }));

  app.get('/tenant', () => ({
    cookieName: tenant.cookieName,
    realms: tenant.realms.list().map((realm) => ({ path: realm.path, name: realm.name, successUrl: realm.successUrl })),
    hosts: hosts(),
    adminToken: tenant.config.adminToken,
    esvs: Object.fromEntries(tenant.esvs.entries()),
  }));

  app.post('/reset', async () => {
    await tenant.reset();
    return { status: 'ok' };
  });
};
