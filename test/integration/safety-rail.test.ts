/**
 * The safety rail: a script's call to a real PingOne AIC tenant host is refused before any branch
 * that could reach the network, with outbound network allowed or not, however the host is spelt
 * (case, trailing dots, IDNA and full-width forms, percent-encoding, userinfo, tabs, ports).
 *
 * Nothing here may leave the machine even if the rail broke: undici's global dispatcher is a
 * MockAgent that lets through loopback only, so a call that got past the rail would fail inside
 * the process (and show as `servedBy: network` in the run), never reach DNS.
 */
import { getGlobalDispatcher, MockAgent, setGlobalDispatcher, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { http } from '../helpers/http.js';
import { runScript } from '../helpers/script-journey.js';
import { startEmulator } from '../helpers/tenant.js';

let previous: Dispatcher;
let open: Emulator;
let closed: Emulator;
beforeAll(async () => {
  previous = getGlobalDispatcher();
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  setGlobalDispatcher(agent);
  [open, closed] = await Promise.all([startEmulator({ config: { allowOutbound: true } }), startEmulator()]);
});
afterAll(async () => {
  await Promise.all([open?.close(), closed?.close()]);
  setGlobalDispatcher(previous);
});

/** Calls `url` from a script; the result is what the script saw, with how the emulator served the call. */
async function call(
  emulator: Emulator,
  url: string,
  headers?: Record<string, string>,
): Promise<{ result: unknown; servedBy: unknown }> {
  const run = await runScript(
    emulator,
    `try { var r = httpClient.send(${JSON.stringify(url)}).get(); nodeState.putShared("result", "answered " + r.status); } catch (e) { nodeState.putShared("result", String(e)); } outcome = "done";`,
    headers ? { headers } : {},
  );
  const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result as {
    visits: { outbound: { servedBy: string }[] }[];
  }[];
  return { result: run.result, servedBy: runs.at(-1)?.visits[0]?.outbound[0]?.servedBy };
}

const RAIL = /refuses to call .*, a real PingOne AIC tenant host \(the safety rail\)/;

const SPELLINGS: [string, string][] = [
  ['plain', 'https://openam-acme.forgeblocks.com/am/json/serverinfo/*'],
  ['in capitals', 'HTTPS://OPENAM-ACME.ForgeBlocks.COM/am/json/serverinfo/*'],
  ['with a trailing dot', 'https://openam-acme.forgeblocks.com./am/json/serverinfo/*'],
  ['with two trailing dots', 'https://openam-acme.forgeblocks.com../am/json/serverinfo/*'],
  ['with a percent-encoded trailing dot', 'https://openam-acme.forgeblocks.com%2E/am/json/serverinfo/*'],
  ['with percent-encoded dots', 'https://openam-acme%2Eforgeblocks%2Ecom/am/json/serverinfo/*'],
  ['with an ideographic full stop (IDNA)', 'https://openam-acme.forgeblocks\u3002com/am/json/serverinfo/*'],
  ['with a full-width trailing dot (IDNA)', 'https://openam-acme.forgeblocks.com\uff0e/am/json/serverinfo/*'],
  [
    'in full-width letters (IDNA)',
    'https://\uff4f\uff50\uff45\uff4e\uff41\uff4d-acme.\uff46\uff4f\uff52\uff47\uff45\uff42\uff4c\uff4f\uff43\uff4b\uff53.com/am/json/serverinfo/*',
  ],
  ['with a soft hyphen (IDNA)', 'https://openam-acme.forge\u00adblocks.com/am/json/serverinfo/*'],
  ['behind userinfo that names the tenant', 'http://localhost@openam-acme.forgeblocks.com/am/json/serverinfo/*'],
  ['behind userinfo with a port', 'http://127.0.0.1:8080@openam-acme.forgeblocks.com/am/json/serverinfo/*'],
  ['before a backslash and an @', 'https://openam-acme.forgeblocks.com\\@127.0.0.1/am/json/serverinfo/*'],
  ['with a tab inside', 'https://openam-acme.forge\tblocks.com/am/json/serverinfo/*'],
  ['with an explicit port', 'https://openam-acme.forgeblocks.com:443/am/json/serverinfo/*'],
  ['as the bare domain', 'https://forgeblocks.com/'],
  ['under id.forgerock.io', 'https://openam-acme.id.forgerock.io./am/json/serverinfo/*'],
  ['under pingone.com', 'https://auth.pingone.com./as/authorize'],
  ['under pingone.eu', 'https://AUTH.PINGONE.EU/as/authorize'],
  ['as pingone.com itself', 'https://pingone.com../'],
];

describe('a real AIC tenant host is refused before any other branch', () => {
  it.each(SPELLINGS)('with outbound network allowed: %s', async (_name, url) => {
    const { result, servedBy } = await call(open, url);
    expect(result).toMatch(RAIL);
    expect(servedBy).toBe('refused');
  });

  it.each(SPELLINGS)('without outbound network: %s', async (_name, url) => {
    const { result, servedBy } = await call(closed, url);
    expect(result).toMatch(RAIL);
    expect(servedBy).toBe('refused');
  });

  it('names that only look alike are not real tenant hosts (a stub answers them)', async () => {
    for (const url of [
      'https://forgeblocks.com.example.com/x',
      'https://notforgeblocks.com/x',
      'https://pingone.example/x',
    ]) {
      await http(`${closed.url}/__emulator/stubs`, { method: 'POST', body: JSON.stringify({ url, status: 204 }) });
      expect(await call(closed, url)).toEqual({ result: 'answered 204', servedBy: 'stub' });
    }
  });
});

describe('what a real tenant host may still be answered by: nothing that leaves the process', () => {
  it('a stub the user set up for it (a test fixture, answered from memory), however the call spells the host', async () => {
    await http(`${open.url}/__emulator/stubs`, {
      method: 'POST',
      body: JSON.stringify({ url: 'https://openam-acme.forgeblocks.com/stubbed', status: 201 }),
    });
    expect(await call(open, 'https://openam-acme.forgeblocks.com/stubbed')).toEqual({
      result: 'answered 201',
      servedBy: 'stub',
    });
    await http(`${open.url}/__emulator/stubs`, {
      method: 'POST',
      body: JSON.stringify({ url: 'https://openam-acme.forgeblocks.com/again', status: 202 }),
    });
    expect(await call(open, 'https://OpenAM-Acme.forgeblocks.com./again')).toEqual({
      result: 'answered 202',
      servedBy: 'stub',
    });
  });

  it('the tenant itself, when the journey was reached under that name (served in-process)', async () => {
    const { result, servedBy } = await call(open, 'https://openam-acme.forgeblocks.com./am/json/serverinfo/*', {
      host: 'openam-acme.forgeblocks.com',
    });
    expect(result).toBe('answered 200');
    expect(servedBy).toBe('tenant');
  });
});
