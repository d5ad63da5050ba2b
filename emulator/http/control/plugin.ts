/**
 * The control API under `/__emulator/` (DESIGN.md): health, tenant, reset, clock, ESVs, users,
 * sessions, faults, stubs, journeys, runs, journal, and the console's page. Emulator-only:
 * nothing here changes an AM path's behaviour unless asked to (a fault, a clock move).
 *
 * One Fastify plugin, registered by the server with `{ prefix: CONTROL_PREFIX }`. Its scope owns
 * what every request under the prefix goes through, whatever route the router matched in it and
 * however the request spelled the path:
 * - `onRequest`: no caching, then the guard (control/guard.ts);
 * - `preValidation`: the body read as JSON where the route reads one (control/body.ts);
 * - the route's schema, checked by Ajv (control/schema.ts);
 * - errors, in AM's shape `{code, reason, message}` (error-reply.ts), the domain's refusals
 *   (a bad clock move, a duplicate user) with their status;
 * - unknown paths: AM's 404, after the guard, so that without the token (beyond loopback) nobody
 *   learns which control routes exist.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServices } from '../services.js';
import { ClockError } from '../../core/clock.js';
import { EsvError } from '../../state/esvs.js';
import { FaultError } from '../../state/faults.js';
import { StubError } from '../../state/stubs.js';
import { UserError } from '../../state/user-directory.js';
import { AmError } from '../am/errors.js';
import { replyNotFound, replyWithError } from '../error-reply.js';
import { consoleRoutes } from './console.js';
import { parseJsonBody } from './body.js';
import { controlGuard, type GuardOptions } from './guard.js';
import { compileSchema, schemaError } from './schema.js';
import type { ControlRoutes } from './routes/context.js';
import { clockRoutes } from './routes/clock.js';
import { esvRoutes } from './routes/esvs.js';
import { faultRoutes } from './routes/faults.js';
import { journalRoutes } from './routes/journal.js';
import { journeyRoutes } from './routes/journeys.js';
import { runRoutes } from './routes/runs.js';
import { outboxRoutes } from './routes/outbox.js';
import { sessionRoutes } from './routes/sessions.js';
import { stubRoutes } from './routes/stubs.js';
import { nodeStubRoutes } from './routes/node-stubs.js';
import { tenantRoutes } from './routes/tenant.js';
import { userRoutes } from './routes/users.js';
import { oauth2Routes } from './routes/oauth2.js';
import { meRoutes } from './routes/me.js';
import { attendeeRoutes } from './routes/attendees.js';
import { OAuth2ClientError } from '../../state/oauth2/clients.js';

export const CONTROL_PREFIX = '/__emulator';

export interface ControlApiOptions extends Omit<GuardOptions, 'inProcessSecret'> {
  readonly services: HttpServices;
  /** Adds to the control API's scope (its guard, its errors): the state backend's routes and hooks. */
  readonly extend?: ((scope: FastifyInstance) => void) | undefined;
}

const ROUTES: readonly ControlRoutes[] = [
  tenantRoutes,
  clockRoutes,
  esvRoutes,
  userRoutes,
  sessionRoutes,
  faultRoutes,
  stubRoutes,
  nodeStubRoutes,
  journeyRoutes,
  runRoutes,
  outboxRoutes,
  journalRoutes,
  oauth2Routes,
  meRoutes,
  attendeeRoutes,
];

export const controlApi: FastifyPluginAsync<ControlApiOptions> = async (scope, options) => {
  const { services, hosts } = options;
  scope.addHook('onRequest', noStore);
  scope.addHook('onRequest', controlGuard({ ...options, inProcessSecret: services.inProcessSecret }));
  scope.addHook('preValidation', parseJsonBody);
  scope.setValidatorCompiler(compileSchema);
  scope.setSchemaErrorFormatter(schemaError);
  scope.setErrorHandler((error, request, reply) => replyWithError(domainError(error) ?? error, request, reply));
  scope.setNotFoundHandler(replyNotFound);
  // Not awaited: the modules load once this function returns, each inheriting all of the above
  // and whatever `extend` adds (a hook of the whole scope).
  for (const routes of ROUTES) scope.register(routes, { services, hosts });
  scope.register(consoleRoutes);
  options.extend?.(scope);
};

/** Nothing the control API answers may be kept by a cache: the tenant, its tokens, its state. */
async function noStore(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('cache-control', 'no-store');
}

/** The domain's refusals, with the status the control API answers them with. */
function domainError(error: unknown): AmError | undefined {
  if (error instanceof UserError) return new AmError(error.status, error.message);
  if (
    error instanceof ClockError ||
    error instanceof EsvError ||
    error instanceof FaultError ||
    error instanceof StubError ||
    error instanceof OAuth2ClientError
  )
    return new AmError(400, error.message);
  return undefined;
}
