/**
 * `GET clock` and `POST clock`: `{advanceSeconds}` or `{set}` moves the tenant clock forward,
 * `{frozen}` stops or restarts it. The schema checks the body's shape, in the order its
 * messages were first given (hence `allOf`, whose parts Ajv checks in turn); the clock checks
 * the amount and the time itself (a number of seconds within its range, an ISO 8601 time not
 * in the past).
 */
import { isoMillis } from '../../../core/clock.js';
import { objectBody } from '../schema.js';
import type { ControlRoutes } from './context.js';

interface ClockBody {
  advanceSeconds?: unknown;
  set?: string;
  frozen?: boolean;
}

const CLOCK_BODY = {
  ...objectBody,
  allOf: [
    {
      properties: { advanceSeconds: true, set: true, frozen: true },
      additionalProperties: false,
      errorMessage: 'unknown clock field {property}',
    },
    { not: { required: ['advanceSeconds', 'set'] }, errorMessage: 'give advanceSeconds or set, not both' },
    { properties: { frozen: { type: 'boolean', errorMessage: 'frozen must be a boolean' } } },
    { properties: { set: { type: 'string', errorMessage: 'set must be an ISO 8601 time' } } },
    {
      anyOf: [{ required: ['advanceSeconds'] }, { required: ['set'] }, { required: ['frozen'] }],
      errorMessage: 'give advanceSeconds (a number of seconds) or set (an ISO 8601 time)',
    },
  ],
} as const;

export const clockRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get('/clock', () => ({ now: isoMillis(tenant.clock.now()) }));

  app.post<{ Body: ClockBody }>(
    '/clock',
    { schema: { body: CLOCK_BODY }, config: { jsonBody: 'object' } },
    (request) => {
      const { advanceSeconds, set, frozen } = request.body;
      // Check the move before making any change, so that a refused request changes nothing.
      const target =
        advanceSeconds !== undefined
          ? tenant.clock.checkAdvance(advanceSeconds)
          : set !== undefined
            ? tenant.clock.checkSet(set)
            : undefined;
      if (frozen !== undefined) tenant.clock.freeze(frozen);
      if (target !== undefined) tenant.clock.set(Math.max(target, tenant.clock.now()));
      return { now: isoMillis(tenant.clock.now()) };
    },
  );
};
