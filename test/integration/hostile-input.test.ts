/**
 * Hostile input over the wire, end to end: the console's Journal tab reads as fast whatever
 * cookies the journal holds, and request data that a parser refuses is an AM-shaped 400 with a
 * message of bounded length, never a 500 or a stall. The unit-level measures of each pass are in
 * test/unit/linear-input.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { costRatioAsync, repeatTo } from '../helpers/cost.js';
import { http } from '../helpers/http.js';
import { runScript } from '../helpers/script-journey.js';
import { ALPHA, asAdmin, startEmulator } from '../helpers/tenant.js';

let hostile: Emulator;
let normal: Emulator;
beforeAll(async () => {
  [hostile, normal] = await Promise.all([
    startEmulator({ config: { journalSize: 20 } }),
    startEmulator({ config: { journalSize: 20 } }),
  ]);
});
afterAll(async () => {
  await Promise.all([hostile.close(), normal.close()]);
});

describe('the journal', () => {
  it('of 20 requests with 16,000-character cookies without "=" reads about as fast as one of 20 normal cookies', async () => {
    // 16,000 characters: about the most a Cookie header carries through the HTTP parser's 16 KiB limit.
    const send = (emulator: Emulator, cookie: string) =>
      http(`${emulator.url}/am/json/serverinfo/*`, { headers: { cookie } });
    for (let i = 0; i < 20; i += 1) {
      expect((await send(hostile, 'x'.repeat(16_000))).status).toBe(200);
      expect(
        (
          await send(
            normal,
            repeatTo((n) => `c${n}=v${n}; `, 16_000),
          )
        ).status,
      ).toBe(200);
    }
    const read = (emulator: Emulator) => async () => {
      const response = await http(`${emulator.url}/__emulator/journal`);
      expect(response.json.result).toHaveLength(20);
    };
    expect(await costRatioAsync(read(hostile), read(normal))).toBeLessThan(10);
  }, 120_000);
});

describe('refused request data is an AM-shaped 400 with a bounded message', () => {
  it.each([
    ['an unknown operator', `realm ${'z'.repeat(12_000)} "/alpha"`],
    ['a bad string literal', `realm eq "${'\\x'.repeat(3_000)}"`],
    ['a stray word', `realm eq "/alpha" ${'j'.repeat(12_000)}`],
  ])('a session query filter with %s', async (_name, filter) => {
    const response = await http(`${normal.url}${ALPHA}/sessions?_queryFilter=${encodeURIComponent(filter)}`, {
      headers: { ...asAdmin(normal), 'accept-api-version': 'resource=4.0, protocol=1.0' },
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ code: 400, reason: 'Bad Request' });
    expect(String(response.json.message).length).toBeLessThan(400);
  });
});

describe('a script nested thousands of levels deep', () => {
  it('fails its node with a message that says so (not "syntax error"), and the emulator answers on', async () => {
    const source = `${'{'.repeat(3_000)}${'}'.repeat(3_000)}\noutcome = "done";`;
    const run = await runScript(normal, source);
    expect(run.status).toBe(401);
    expect(run.error).toMatch(/nests more than 1000 levels deep/);
    expect((await http(`${normal.url}/__emulator/health`)).json).toEqual({ status: 'ok' });
  });
});
