/**
 * With outbound network allowed, a script's call goes over the network, not in-process: one that
 * names the emulator under another spelling of its address (an IPv4-mapped IPv6 literal) and
 * forges the Host header would otherwise arrive as a loopback client of the control API.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';
import { runScript } from '../helpers/script-journey.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ config: { allowOutbound: true } });
});
afterAll(() => emulator.close());

it('a script cannot reach the control API over the network, even as a loopback client with a forged Host', async () => {
  const port = new URL(emulator.url).port;
  const source = `
    var answers = [];
    ["GET /__emulator/tenant", "POST /__emulator/reset"].forEach(function (call) {
      var parts = call.split(" ");
      try {
        var r = httpClient.send("http://[::ffff:127.0.0.1]:${port}" + parts[1], { method: parts[0], headers: { Host: "127.0.0.1:${port}" } }).get();
        answers.push(r.status + " " + r.text());
      } catch (e) { answers.push("error " + e); }
    });
    nodeState.putShared("result", answers.join("\\n")); outcome = "done";`;
  const before = (await http(`${emulator.url}/__emulator/tenant`)).json;
  const run = await runScript(emulator, source);
  expect(run.error, JSON.stringify(run)).toBeUndefined();
  expect(run.result, JSON.stringify(run)).toBeDefined();
  const lines = String(run.result).split('\n');
  expect(lines).toHaveLength(2);
  for (const line of lines) {
    expect(line).toMatch(/^403 /);
    expect(line).toContain('Journey scripts cannot call the emulator');
    expect(line).not.toContain(before.adminToken);
  }
});
