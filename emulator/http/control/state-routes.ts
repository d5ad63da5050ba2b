/**
 * The control API's view of where the tenant's state lives (emulator/scaling/backend.ts):
 *
 *   GET  /__emulator/state        → {store: "memory", stateFile} | {store: "redis", redisUrl, keyPrefix, sequence}
 *   POST /__emulator/state/save   → {saved: path, savedAt, bytes, users, sessions, journeySessions}
 *
 * `sequence` is the number of the last shared change this instance applied: an instance whose
 * sequence has reached another's has everything that one changed before it.
 *
 * Kept apart from routes.ts: these belong to the backend, which createEmulator chooses.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AmError } from '../am/errors.js';
import type { StateBackend } from '../../scaling/backend.js';

function answer(reply: FastifyReply, error: AmError): unknown {
  reply.code(error.status).header('cache-control', 'no-store');
  return error.toBody();
}

/** Registers the routes on the control API's own scope (server.ts: its prefix and guard). */
export function registerStateRoutes(app: FastifyInstance, backend: StateBackend): void {
  app.get('/state', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return backend.status();
  });

  app.post('/state/save', async (request, reply) => {
    // Nothing to give: an empty body or {}. Anything else is a mistake worth saying.
    const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8').trim() : '';
    if (raw !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return answer(reply, new AmError(400, 'The request body is not valid JSON'));
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return answer(reply, new AmError(400, 'The request body must be a JSON object'));
      const unknown = Object.keys(parsed)[0];
      if (unknown !== undefined)
        return answer(
          reply,
          new AmError(
            400,
            `unknown field ${JSON.stringify(unknown)}: state/save takes no options (the file is the one given at start)`,
          ),
        );
    }
    const status = backend.status();
    if (status['store'] === 'redis')
      return answer(reply, new AmError(400, 'This tenant keeps its state in Redis: there is no state file to save'));
    let result;
    try {
      result = await backend.save();
    } catch (error) {
      request.log.error({ err: error }, 'state file not saved');
      return answer(reply, new AmError(500, `The state file could not be written: ${(error as Error).message}`));
    }
    if (!result)
      return answer(
        reply,
        new AmError(400, 'This tenant has no state file: start it with --state-file <file> (memory store)'),
      );
    reply.header('cache-control', 'no-store');
    const { path, ...rest } = result;
    return { saved: path, ...rest };
  });
}
