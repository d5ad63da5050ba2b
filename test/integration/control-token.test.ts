/**
 * The control API's token: on loopback nothing is needed (a developer's laptop); beyond loopback
 * (a workshop's shared instance) every control request must carry the token printed at start,
 * while AM's own routes answer as before.
 */
import { describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import { DEMO, login, startEmulatorClosedAfterEach } from '../helpers/tenant.js';

const start = startEmulatorClosedAfterEach();

describe('the control API token', () => {
  it('is not needed on loopback', async () => {
    const emulator = await start({});
    expect(emulator.controlToken).toBeUndefined();
    expect((await http(`${emulator.url}/__emulator/tenant`)).status).toBe(200);
  });

  it('is made at start and required when the server listens beyond loopback', async () => {
    const emulator = await start({ host: '0.0.0.0' });
    const token = emulator.controlToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const refused = await http(`${emulator.url}/__emulator/tenant`);
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({
      code: 401,
      reason: 'Unauthorized',
      message: 'The control API needs its token (header x-aic-emulator-token, printed at start)',
    });
    const wrong = await http(`${emulator.url}/__emulator/reset`, {
      method: 'POST',
      headers: { 'x-aic-emulator-token': `${token}x` },
    });
    expect(wrong.status).toBe(401);
    expect(
      (await http(`${emulator.url}/__emulator/tenant`, { headers: { 'x-aic-emulator-token': token } })).status,
    ).toBe(200);
    expect(
      (await http(`${emulator.url}/__emulator/tenant`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    // AM's routes are not the control API's: they answer as on loopback (with the demo password
    // made at start beyond loopback: start-secrets.test.ts).
    expect(await login(emulator, { ...DEMO, password: emulator.demoPasswords?.users as string })).toMatch(/\*$/);
    // The console's page and assets hold no data: a browser loads them without the token.
    expect((await http(`${emulator.url}/__emulator/ui`)).status).toBe(200);
    expect((await http(`${emulator.url}/__emulator/ui/assets/console.js`)).status).toBe(200);
    expect((await http(`${emulator.url}/__emulator/ui/assets/console.js`, { method: 'DELETE' })).status).toBe(401);
  });

  it('a configured token is required even on loopback, and a made one is never used then', async () => {
    const token = 'a-configured-control-token-0123456789';
    const emulator = await start({ config: { controlToken: token } });
    expect(emulator.controlToken).toBe(token);
    expect((await http(`${emulator.url}/__emulator/sessions`)).status).toBe(401);
    expect(
      (await http(`${emulator.url}/__emulator/sessions`, { headers: { 'x-aic-emulator-token': token } })).status,
    ).toBe(200);
  });

  it('a configured token too short to be a secret is a config error', async () => {
    await expect(start({ config: { controlToken: 'short' } })).rejects.toThrow(/controlToken/);
  });
});
