/**
 * Each run records the version of the journey it ran (a digest of the tree, its nodes'
 * configurations and their scripts), so that a developer who redeployed a journey through AM's
 * config REST (frodo, the admin UI) can tell the runs before the change from those after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { http } from '../helpers/http.js';
import { ALPHA, DEMO, asAdmin, login, startEmulator } from '../helpers/tenant.js';

const TREES = `${ALPHA}/realm-config/authentication/authenticationtrees`;
const VERSION = { 'accept-api-version': 'protocol=2.1,resource=1.0' };

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

interface Run {
  id: string;
  journey: string;
  journeyVersion?: string;
}

async function latestRun(journey: string): Promise<Run> {
  const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result as Run[];
  const run = runs.filter((entry) => entry.journey === journey).at(-1);
  if (!run) throw new Error(`no run of ${journey}`);
  return run;
}

/** The config of the Login journey's page node, changed through AM's config REST. */
async function changeLoginPageHeader(header: string): Promise<void> {
  const tree = (await http(`${emulator.url}${TREES}/trees/Login`, { headers: { ...asAdmin(emulator), ...VERSION } }))
    .json as { entryNodeId: string };
  const url = `${emulator.url}${TREES}/nodes/PageNode/${tree.entryNodeId}`;
  const page = (await http(url, { headers: { ...asAdmin(emulator), ...VERSION } })).json as Record<string, unknown>;
  const { _id: _ignoredId, _rev: _ignoredRev, _type: _ignoredType, ...config } = page;
  const put = await http(url, {
    method: 'PUT',
    headers: { ...asAdmin(emulator), ...VERSION, 'content-type': 'application/json' },
    body: JSON.stringify({ ...config, pageHeader: { en: header } }),
  });
  expect(put.status, put.text).toBe(200);
}

describe('the journey version of a run', () => {
  it('is recorded at the start, the same for the same journey, and changes when a node’s config does', async () => {
    await login(emulator, DEMO);
    const first = await latestRun('Login');
    expect(first.journeyVersion).toMatch(/^[0-9a-f]{12}$/);
    await login(emulator, DEMO);
    expect((await latestRun('Login')).journeyVersion).toBe(first.journeyVersion);

    await changeLoginPageHeader('Welcome back');
    await login(emulator, DEMO);
    const changed = await latestRun('Login');
    expect(changed.journeyVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(changed.journeyVersion).not.toBe(first.journeyVersion);
    // The earlier run keeps the version it ran.
    const earlier = (await http(`${emulator.url}/__emulator/runs/${first.id}`)).json as Run;
    expect(earlier.journeyVersion).toBe(first.journeyVersion);

    // A reset brings the demo journey back, and its version with it: a digest, not a counter.
    await emulator.reset();
    await login(emulator, DEMO);
    expect((await latestRun('Login')).journeyVersion).toBe(first.journeyVersion);
  });

  it('changes when a script the journey runs changes, and not for another journey’s', async () => {
    await emulator.reset();
    const journeys = emulator.tenant.journeys;
    const before = journeys.journeyVersion('/alpha', 'TerminateSession');
    const login = journeys.journeyVersion('/alpha', 'Login');
    const scriptId = [...journeys.of('/alpha').scripts.values()].find((script) =>
      script.source.includes('logoutByUser'),
    )?.id;
    expect(scriptId).toBeDefined();
    const url = `${emulator.url}${ALPHA}/scripts/${scriptId ?? ''}`;
    const headers = { ...asAdmin(emulator), 'accept-api-version': 'protocol=2.0,resource=1.0' };
    const script = (await http(url, { headers })).json as Record<string, unknown>;
    const source = Buffer.from(script.script as string, 'base64').toString('utf8');
    const put = await http(url, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ...script, script: Buffer.from(`${source}\n// v2`).toString('base64') }),
    });
    expect(put.status, put.text).toBe(200);
    expect(journeys.journeyVersion('/alpha', 'TerminateSession')).not.toBe(before);
    expect(journeys.journeyVersion('/alpha', 'Login')).toBe(login);
    expect(journeys.journeyVersion('/alpha', 'NoSuchJourney')).toBeUndefined();
  });
});
