/** `GET journal` (the AM requests, newest last, secrets masked) and `DELETE journal`. */
import type { ControlRoutes } from './context.js';

export const journalRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get('/journal', () => ({ result: tenant.journal.list() }));

  app.delete('/journal', () => {
    tenant.journal.clear();
    return { status: 'ok' };
  });
};
