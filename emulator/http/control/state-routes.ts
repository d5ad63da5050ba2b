/**
 * The control API's view of where the tenant's state lives (emulator/scaling/backend.ts):
 *
 *   GET  /__emulator/ready        → 200 {status: "ready", checks} | 503 AM's error body, detail {checks}
 *   GET  /__emulator/state        → {store: "memory", stateFile} | {store: "redis", redisUrl, keyPrefix, sequence}
 *   POST /__emulator/state/save   → {saved: path, savedAt, bytes, users, sessions, journeySessions}
 *
 * `ready` is the readiness probe (no control token needed, as `health`): whether the store answers
 * and this instance's copy of the tenant is the shared one. `checks` names each, with why not.
 *
 * `sequence` is the number of the last shared change this instance applied: an instance whose
 * sequence has reached another's has everything that one changed before it.
 *
 * Kept apart from the control routes: these belong to the backend, which createEmulator chooses
 * and registers in the control API's scope (its guard, its body reading, its errors).
 */
import type { FastifyPluginAsync } from 'fastify';
import { AmError } from '../am/errors.js';
import type { StateBackend } from '../../scaling/backend.js';
import { objectBody } from './schema.js';
import { PROBE } from './guard.js';

/** Nothing to give: an empty body or {}. Anything else is a mistake worth saying. */
const SAVE_BODY = {
  ...objectBody,
  additionalProperties: false,
  errorMessage: {
    type: objectBody.errorMessage,
    additionalProperties: 'unknown field {property}: state/save takes no options (the file is the one given at start)',
  },
} as const;

export const stateRoutes: FastifyPluginAsync<{ backend: StateBackend }> = async (app, { backend }) => {
  app.get('/ready', { config: PROBE }, async (_request, reply) => {
    const { ready, checks } = await backend.readiness();
    // Never cached: a probe must see now, not what a proxy kept.
    reply.header('cache-control', 'no-store');
    if (ready) return { status: 'ready', checks };
    const failing = Object.entries(checks)
      .filter(([, check]) => !check.ok)
      .map(([name, check]) => `${name}: ${check.detail ?? 'not ok'}`);
    throw new AmError(503, `Not ready. ${failing.join('; ')}`, { detail: { checks } });
  });

  app.get('/state', () => backend.status());

  app.post('/state/save', { schema: { body: SAVE_BODY }, config: { jsonBody: 'object' } }, async (request) => {
    if (backend.status()['store'] === 'redis')
      throw new AmError(400, 'This tenant keeps its state in Redis: there is no state file to save');
    let result;
    try {
      result = await backend.save();
    } catch (error) {
      request.log.error({ err: error }, 'state file not saved');
      throw new AmError(500, `The state file could not be written: ${(error as Error).message}`);
    }
    if (!result)
      throw new AmError(400, 'This tenant has no state file: start it with --state-file <file> (memory store)');
    const { path, ...rest } = result;
    return { saved: path, ...rest };
  });
};
