/**
 * `GET outbox` (`?to=<address>`), `GET outbox/:id` and `DELETE outbox`: the mail the tenant sent
 * (Email Suspend, Email Template, OTP senders), newest last, each with its rendered subject and
 * body, its links and the run that sent it.
 */
import { AmError } from '../../am/errors.js';
import { pathParams, singleQueryParams } from '../schema.js';
import type { ControlRoutes } from './context.js';

const MESSAGE_PARAMS = pathParams('id');
const OUTBOX_QUERY = singleQueryParams('to');

export const outboxRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get<{ Querystring: { to?: string } }>('/outbox', { schema: { querystring: OUTBOX_QUERY } }, (request) => ({
    result: tenant.outbox.list(request.query.to !== undefined ? { to: request.query.to } : {}),
  }));

  app.get<{ Params: { id: string } }>('/outbox/:id', { schema: { params: MESSAGE_PARAMS } }, (request) => {
    const message = tenant.outbox.get(request.params.id);
    if (!message) throw new AmError(404, 'no such message (the outbox keeps the latest 500)');
    return message;
  });

  app.delete('/outbox', () => {
    tenant.outbox.clear();
    return { status: 'ok' };
  });
};
