/**
 * Review of 0548dc8 (issue 22, AM answer path): sendAnswer hijacks the reply before it writes the
 * head. When writeHead throws (a header value Node refuses), the catch in handleAmRequest sends
 * the error answer through sendAnswer again, which merges the same hook headers (CORS) and throws
 * again; the reply being hijacked, Fastify only logs "Promise errored, but reply.sent = true" and
 * the request is never answered. Before the change Fastify answered it (a 500).
 *
 * Reachable through the in-process path: a script's httpClient call to the tenant's own host goes
 * through Fastify's inject, which does not check header values as Node's HTTP parser does, and
 * with CORS accepting any origin with credentials, the Origin is echoed in
 * Access-Control-Allow-Origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { startEmulator } from '../helpers/tenant.js';
import { runScript } from '../helpers/script-journey.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    config: {
      cors: [
        {
          id: 'any-origin',
          enabled: true,
          acceptedOrigins: ['*'],
          acceptedMethods: ['GET', 'POST'],
          acceptedHeaders: [],
          exposedHeaders: [],
          allowCredentials: true,
          maxAge: 0,
        },
      ],
      scriptLimits: { timeoutMs: 10_000, hostCallTimeoutMs: 4_000 },
    },
  });
});
afterAll(() => emulator.close());

const unanswered = (ms: number) =>
  new Promise<'unanswered'>((resolve) => setTimeout(() => resolve('unanswered'), ms).unref());

describe('an AM answer whose head Node refuses is still answered', () => {
  it.each(['https://a\u20ac.example', 'https://a.example\r\nx-injected: 1'])(
    'in-process request with Origin %j gets an answer',
    async (origin) => {
      const answer = await Promise.race([
        emulator.server.inject({ method: 'GET', url: '/am/json/serverinfo/*', headers: { origin } }),
        unanswered(3_000),
      ]);
      expect(answer).not.toBe('unanswered');
      if (answer !== 'unanswered') {
        expect(answer.statusCode).toBe(500);
        // The header is refused, never sent.
        expect(answer.headers['x-injected']).toBeUndefined();
      }
    },
  );

  it("a script's own-host call with such an Origin is answered, not left to time out", async () => {
    const run = await runScript(
      emulator,
      `var r;
       try {
         var response = httpClient.send("https://" + requestHeaders.get("host").get(0) + "/am/json/serverinfo/*",
           { headers: { Origin: "https://a\\u20ac.example" } }).get();
         r = "status " + response.status;
       } catch (e) { r = "threw " + e; }
       nodeState.putShared("result", r); outcome = "done";`,
    );
    expect(run.error).toBeUndefined();
    expect(run.result).toBe('status 500');
  });
});
