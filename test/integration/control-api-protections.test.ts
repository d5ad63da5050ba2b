/**
 * What the control API refuses, and that a refusal changes nothing: repeated query parameters,
 * changes requested by another site, requests to a host that is not the tenant's, a bad clock
 * change, a fault path with a query string; and DELETE sessions without filters, which ends them
 * all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { BJENSEN, DEMO, login, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('control API protections', () => {
  it('refuses a repeated query parameter with a 400', async () => {
    for (const path of ['sessions?realm=a&realm=b', 'sessions?username=a&username=b', 'users?realm=a&realm=b']) {
      const response = await http(`${emulator.url}/__emulator/${path}`);
      expect(response.status, path).toBe(400);
    }
  });

  it('refuses a change requested by another site, and a request to a host that is not the tenant’s', async () => {
    const crossSite = await http(`${emulator.url}/__emulator/users`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: JSON.stringify({ realm: 'alpha', userName: 'mallory', password: 'x', admin: true }),
    });
    expect(crossSite.status).toBe(403);
    expect(
      (await http(`${emulator.url}/__emulator/users?realm=alpha`)).json.result.map(
        (u: { userName: string }) => u.userName,
      ),
    ).not.toContain('mallory');
    const fetchMetadata = await http(`${emulator.url}/__emulator/reset`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(fetchMetadata.status).toBe(403);
    const rebound = await http(`${emulator.url}/__emulator/tenant`, { headers: { host: 'attacker.example:8080' } });
    expect(rebound.status).toBe(403);
    expect(rebound.text).not.toContain(emulator.adminToken);
    const sameOrigin = await http(`${emulator.url}/__emulator/clock`, {
      method: 'POST',
      headers: { origin: emulator.url },
      body: '{"advanceSeconds":1}',
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('a refused clock change changes nothing', async () => {
    const before = (await http(`${emulator.url}/__emulator/clock`)).json.now;
    const refused = await http(`${emulator.url}/__emulator/clock`, {
      method: 'POST',
      body: '{"frozen":false,"set":"bad"}',
    });
    expect(refused.status).toBe(400);
    expect((await http(`${emulator.url}/__emulator/clock`)).json.now).toBe(before);
  });

  it('DELETE sessions without filters ends them all', async () => {
    await login(emulator, DEMO);
    await login(emulator, BJENSEN);
    expect((await http(`${emulator.url}/__emulator/sessions`, { method: 'DELETE' })).json).toEqual({ ended: 2 });
  });

  it('refuses a fault path with a query string, pointing to action', async () => {
    const response = await http(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: '{"path":"/sessions?_action=logout","status":500}',
    });
    expect(response.status).toBe(400);
    expect(response.json.message).toContain('"action"');
  });
});
