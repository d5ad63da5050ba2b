/**
 * `GET /feature?_queryFilter=true` (tenant-global: no `/am`, no realm): the features the tenant has,
 * which frodo reads when it signs in to know whether it may use service accounts (frodo-lib
 * FeatureOps.ts; it takes any failure as "no features"). Answered as recorded, without CREST's count
 * fields and with Node's content type [real: aic-global-realms-feature-cors.har #0, #1, with a
 * tenant administrator's session cookie and with an admin bearer]. Who else may call is not
 * recorded: a tenant administrator (session or token) or any token with scopes; nobody is a 401, a
 * plain user's session a 403, as the ESV API answers them (docs/fidelity.md).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { HttpServices } from '../services.js';
import { accessOf, journalRequests, pathParts } from './scoped-api.js';

export const FEATURE_PREFIX = '/feature';

const JSON_TYPE = 'application/json; charset=utf-8';

/** The features of a tenant, as recorded (2023). */
export const FEATURES = [{ _id: 'service-accounts', installedVersion: '1', availableVersions: ['1'] }] as const;

export const featureApi: FastifyPluginAsync<{ services: HttpServices }> = async (app, { services }) => {
  journalRequests(app, services);
  const handler = async (request: Parameters<typeof pathParts>[0], reply: FastifyReply) => {
    const target = pathParts(request, FEATURE_PREFIX);
    const access = await accessOf(services, request, (scopes) => scopes.length > 0, { adminSessions: true });
    if (access === 'unauthenticated') return send(reply, 401, { code: 401, message: 'Unauthorized' });
    if (access === 'forbidden') return send(reply, 403, { code: 403, message: 'Forbidden' });
    if (!target || target.parts.length > 0) return send(reply, 404, { code: 404, message: 'Not Found' });
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(reply, 405, { code: 405, message: 'Method Not Allowed' });
    return send(reply, 200, { result: FEATURES });
  };
  app.all('', handler);
  app.all('/*', handler);
};

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', JSON_TYPE).send(JSON.stringify(body));
}
