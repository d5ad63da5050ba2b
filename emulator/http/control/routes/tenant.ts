/**
 * `GET health` (liveness), `GET tenant` (what a test needs to talk to it), `POST reset`
 * `{keepUsers?}`.
 */
import type { ControlRoutes } from './context.js';
import { PROBE } from '../guard.js';
import { objectBody } from '../schema.js';

const RESET_BODY = {
  ...objectBody,
  additionalProperties: false,
  properties: { keepUsers: { type: 'boolean', errorMessage: 'keepUsers must be true or false' } },
  errorMessage: { type: objectBody.errorMessage, additionalProperties: 'a reset takes only keepUsers, not {property}' },
} as const;

export const tenantRoutes: ControlRoutes = async (app, { services: { tenant }, hosts }) => {
  // Liveness: the process answers. Whether it can serve is `GET ready` (state-routes.ts).
  app.get('/health', { config: PROBE }, () => ({ status: 'ok' }));

  app.get('/tenant', () => ({
    cookieName: tenant.cookieName,
    realms: tenant.realms.list().map((realm) => ({ path: realm.path, name: realm.name, successUrl: realm.successUrl })),
    hosts: hosts(),
    adminToken: tenant.config.adminToken,
    // A secret ESV's value is never shown (issue 21): `***`.
    esvs: Object.fromEntries(
      tenant.esvs.entries().map(([name, value]) => [name, tenant.esvs.isSecret(name) ? '***' : value]),
    ),
  }));

  // The users added since start stay unless `{"keepUsers": false}` (issue 21: a workshop's
  // attendees survive a reset between groups); everything else goes back to the start.
  app.post<{ Body: { keepUsers?: boolean } }>(
    '/reset',
    { schema: { body: RESET_BODY }, config: { jsonBody: 'object' } },
    async (request) => {
      const { keptUsers } = await tenant.resetCounting({ keepUsers: request.body.keepUsers !== false });
      return { status: 'ok', keptUsers };
    },
  );
};
