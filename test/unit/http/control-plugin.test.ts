/**
 * The control API as a Fastify plugin (emulator/http/control/plugin.ts): its schemas answer bad
 * input with the messages the hand-written checks gave, every answer is uncached and every error
 * is AM-shaped, and what the app adds through `controlRoutes` (the state routes, the Redis flush
 * hook) sits in the same scope as every route module, the console and the 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/index.js';
import { buildServer } from '../../../emulator/http/server.js';
import { startEmulator } from '../../helpers/tenant.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: string) =>
  emulator.server.inject({
    method,
    url: `/__emulator/${url}`,
    ...(payload !== undefined ? { payload, headers: { 'content-type': 'application/json' } } : {}),
  });

describe('bad input', () => {
  it.each([
    ['POST', 'clock', '{', 'The request body is not valid JSON'],
    ['POST', 'clock', '[]', 'The request body must be a JSON object'],
    ['POST', 'clock', 'null', 'The request body must be a JSON object'],
    ['POST', 'clock', '', 'give advanceSeconds (a number of seconds) or set (an ISO 8601 time)'],
    ['POST', 'clock', '{"x":1,"frozen":"y"}', 'unknown clock field "x"'],
    ['POST', 'clock', '{"advanceSeconds":1,"set":"x","frozen":"y"}', 'give advanceSeconds or set, not both'],
    ['POST', 'clock', '{"frozen":"y","set":5}', 'frozen must be a boolean'],
    ['POST', 'clock', '{"set":5}', 'set must be an ISO 8601 time'],
    [
      'POST',
      'clock',
      '{"advanceSeconds":"soon"}',
      'advanceSeconds must be a number of seconds between 0 and 3153600000',
    ],
    [
      'POST',
      'clock',
      `{"advanceSeconds":${'['.repeat(1001)}${']'.repeat(1001)}}`,
      'The request body is nested deeper than 1000 levels',
    ],
    ['PUT', 'esvs/esv-test', '{}', 'value must be a string'],
    ['PUT', 'esvs/esv-test', '{"value":5}', 'value must be a string'],
    ['PUT', 'esvs/esv-test', '[]', 'The request body must be a JSON object'],
    ['POST', 'users', '5', 'The request body must be a JSON object'],
    ['POST', 'sessions', '{"realm":"nope"}', 'realm must name a realm of this tenant'],
    ['GET', 'users?realm=a&realm=b', undefined, 'the query parameter realm must be given once'],
    ['GET', 'sessions?realm=nope&username=a&username=b', undefined, 'the query parameter username must be given once'],
    ['DELETE', 'sessions?userName=a&userName=b', undefined, 'the query parameter userName must be given once'],
    ['GET', 'journeys?realm=a&realm=b', undefined, 'the query parameter realm must be given once'],
    ['POST', 'import?realm=a&realm=b', '{}', 'the query parameter realm must be given once'],
    ['POST', 'import?realm=a&realm=b', '{', 'The request body is not valid JSON'],
    [
      'POST',
      'state/save',
      '{"a":1}',
      'unknown field "a": state/save takes no options (the file is the one given at start)',
    ],
  ] as const)('%s %s %s: 400 %s', async (method, url, payload, message) => {
    const response = await send(method, url, payload);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ code: 400, reason: 'Bad Request', message });
  });

  it('a refused request changes nothing; a good one still works', async () => {
    const before = (await send('GET', 'clock')).json();
    expect((await send('POST', 'clock', '{"frozen":false,"set":"bad"}')).statusCode).toBe(400);
    expect((await send('GET', 'clock')).json()).toEqual(before);
    expect((await send('POST', 'clock', '{"advanceSeconds":1,"frozen":true}')).statusCode).toBe(200);
  });

  it('an export nested too deep is an import problem, not a 400', async () => {
    const response = await send('POST', 'import', `${'['.repeat(1001)}${']'.repeat(1001)}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().problems[0].message).toBe(
      'not a journey export: The request body is nested deeper than 1000 levels',
    );
  });
});

describe('the scope', () => {
  it('answers successes and the 404 uncached', async () => {
    for (const url of ['health', 'tenant', 'nothing', 'ui']) {
      expect((await send('GET', url)).headers['cache-control'], url).toBe('no-store');
    }
    const missing = await send('GET', 'nothing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 404, reason: 'Not Found', message: 'Not Found' });
  });

  it('holds what controlRoutes adds: a hook reaches every route module, the console and the 404', async () => {
    const server = buildServer(
      {
        tenant: emulator.tenant,
        authenticator: emulator.engines.journeys,
        lintEnvironment: emulator.engines.lintEnvironment,
        inProcessSecret: emulator.engines.inProcessSecret,
        oauth2: emulator.engines.oauth2,
        adminBearer: emulator.engines.adminBearer,
        bearerScopes: emulator.engines.bearerScopes,
      },
      {
        hosts: () => ['localhost'],
        loopbackOnly: () => false,
        controlToken: () => undefined,
        controlRoutes: (scope) => {
          scope.addHook('onSend', async (_request, reply) => {
            reply.header('x-seen', 'yes');
          });
          scope.get('/extra', () => ({ extra: true }));
        },
      },
    );
    try {
      for (const url of ['health', 'clock', 'sessions', 'journal', 'ui', 'nothing', 'extra']) {
        const response = await server.inject({ url: `/__emulator/${url}` });
        expect(response.headers['x-seen'], url).toBe('yes');
      }
      expect((await server.inject({ url: '/am/json/serverinfo/*' })).headers['x-seen']).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('a body over the limit names the limit of its route', async () => {
    const small = await startEmulator({ bodyLimit: 100 });
    try {
      const large = `{"advanceSeconds":1${' '.repeat(200)}}`;
      const refused = await small.server.inject({ method: 'POST', url: '/__emulator/clock', payload: large });
      expect(refused.statusCode).toBe(413);
      expect(refused.json().message).toBe('The request body is larger than the limit of 100 bytes');
      // An import has a limit of its own, larger than the server's.
      const imported = await small.server.inject({ method: 'POST', url: '/__emulator/import', payload: large });
      expect(imported.statusCode).toBe(200);
    } finally {
      await small.close();
    }
  });
});
