/**
 * The front door, `GET /` (issue 21): the pages, the addresses people use, the users, the scope;
 * readable without a token, so it must show no secret. Over real HTTP.
 */
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOKEN, DEMO_PASSWORD } from '../../emulator/config/demo-tenant.js';
import { reachableUrls } from '../../emulator/http/ui/addresses.js';
import { http, type RawResponse } from '../helpers/http.js';
import { startEmulatorClosedAfterEach } from '../helpers/tenant.js';

const start = startEmulatorClosedAfterEach();

/** Every href of a page, entities decoded, resolved against its URL (the favicon's data: left out). */
function links(page: RawResponse, base: string): string[] {
  return [...page.text.matchAll(/href="([^"]*)"/g)]
    .map((match) => (match[1] as string).replace(/&amp;/g, '&'))
    .filter((href) => !href.startsWith('data:'))
    .map((href) => new URL(href, base).href);
}

/** The machine's non-loopback IPv4 addresses: what a 0.0.0.0 instance is reached at from the room. */
function machineIPv4(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((infos) => infos ?? [])
    .filter((info) => info.family === 'IPv4' && !info.internal && !info.address.startsWith('127.'))
    .map((info) => info.address);
}

async function frontDoor(emulator: Emulator, headers: Record<string, string> = {}): Promise<RawResponse> {
  const page = await http(`${emulator.url}/`, { headers });
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(page.headers['x-content-type-options']).toBe('nosniff');
  expect(page.headers['cache-control']).toBe('no-store');
  // The other pages' look, and nothing inline or from elsewhere: no script at all, one stylesheet of ours.
  expect(page.text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  expect([...page.text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((match) => match[1])).toEqual([
    '/__emulator/ui/assets/style.css',
  ]);
  return page;
}

/** The page's own links (pages, realms, addresses on this machine) all answer 200. */
async function expectLinksResolve(page: RawResponse, base: string): Promise<string[]> {
  const hrefs = links(page, base);
  for (const href of hrefs) {
    const answer = await http(href);
    expect({ href, status: answer.status }).toEqual({ href, status: 200 });
  }
  return hrefs;
}

describe('the front door on loopback', () => {
  it('names the sign-in page, the end-user page and the console, the loopback URL, the demo users with their published passwords', async () => {
    const emulator = await start();
    const page = await frontDoor(emulator);
    const hrefs = await expectLinksResolve(page, `${emulator.url}/`);
    const paths = hrefs.map((href) => new URL(href).pathname + new URL(href).search);
    expect(paths).toContain('/am/XUI/?realm=/alpha');
    expect(paths).toContain('/enduser/?realm=/alpha');
    expect(paths).toContain('/__emulator/ui');
    expect(paths).toContain('/am/XUI/?realm=/');
    expect(hrefs).toContain(`${emulator.url}/`);
    expect(page.text).toContain('http://localhost:');
    for (const userName of ['demo', 'bjensen', 'scarter', 'tenant-admin@example.com'])
      expect(page.text).toContain(`>${userName}<`);
    // The README publishes them, for loopback.
    expect(page.text).toContain(DEMO_PASSWORD);
    expect(page.text).toContain(DEMO_ADMIN_PASSWORD);
    expect(page.text).not.toContain(DEMO_ADMIN_TOKEN);
    expect(page.text).toContain('What it does not');
    expect(page.text).toContain('SAML');
    expect(page.text).toContain('/am/oauth2/');
  });

  it('shows no configured control token or admin token, nor a password the config chose', async () => {
    const controlToken = 'a-control-token-of-the-config-0123456789';
    const adminToken = 'an-admin-token-of-the-config-0123456789';
    const emulator = await start({
      config: { controlToken, adminToken, users: [{ realm: 'alpha', userName: 'alice', password: 'Alice-s3cret-pw' }] },
    });
    const page = await frontDoor(emulator);
    expect(page.text).toContain('>alice<');
    for (const secret of [controlToken, adminToken, 'Alice-s3cret-pw']) expect(page.text).not.toContain(secret);
  });

  it('answers only requests addressed to the tenant’s own host names (no DNS rebinding), as the console does', async () => {
    const emulator = await start();
    const rebound = await http(`${emulator.url}/`, { headers: { host: `rebound.test:${emulator.port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.json).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(rebound.text).not.toContain(DEMO_PASSWORD);
    expect((await http(`${emulator.url}/`, { headers: { host: `localhost:${emulator.port}` } })).status).toBe(200);
  });

  it('changes / only: other methods on it and unknown paths keep AM’s JSON 404', async () => {
    const emulator = await start();
    for (const [method, path] of [
      ['POST', '/'],
      ['GET', '/am/nowhere'],
      ['GET', '/am/json/realms/root/realms/alpha/nowhere'],
      ['GET', '/index.html'],
    ] as const) {
      const answer = await http(`${emulator.url}${path}`, { method });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
      expect(answer.json).toMatchObject({ code: 404, reason: 'Not Found' });
    }
  });
});

describe('the front door on a 0.0.0.0 instance', () => {
  it('lists the machine’s network addresses and the one the browser used; its links answer; no secret on it', async () => {
    const emulator = await start({ host: '0.0.0.0' });
    const named = await frontDoor(emulator, { host: `workshop.example:${emulator.port}` });
    expect(named.text).toContain(
      `You opened this page at <a class="mono" href="http://workshop.example:${emulator.port}/"`,
    );
    const page = await frontDoor(emulator);
    const addresses = machineIPv4();
    if (addresses.length === 0)
      console.warn('this machine has no non-loopback IPv4 address: the room’s addresses are not checked');
    for (const address of addresses) expect(page.text).toContain(`href="http://${address}:${emulator.port}/"`);
    // Every link answers, the room's addresses too (they are this machine's own), the console without a token.
    const hrefs = await expectLinksResolve(page, `${emulator.url}/`);
    expect(hrefs.map((href) => new URL(href).pathname)).toEqual(
      expect.arrayContaining(['/am/XUI/', '/enduser/', '/__emulator/ui']),
    );
    // Anyone on the network reads this page: nothing the trainer's terminal alone shows.
    const secrets = [
      emulator.controlToken,
      emulator.adminToken,
      emulator.demoPasswords?.users,
      emulator.demoPasswords?.admin,
      ...emulator.tenant.oauth2Clients.list().map((client) => client.clientSecret),
    ].filter((secret): secret is string => typeof secret === 'string' && secret !== '');
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(page.text).not.toContain(secret);
    // Nor the published ones, which are not this instance's.
    expect(page.text).not.toContain(DEMO_PASSWORD);
    expect(page.text).toContain('ask the trainer');
    expect(page.text).toContain('>demo<');
  });

  it('lists users the tenant started with, not those added since (attendees), and never their passwords', async () => {
    const emulator = await start({ host: '0.0.0.0' });
    const added = await http(`${emulator.url}/__emulator/users`, {
      method: 'POST',
      headers: { 'x-aic-emulator-token': emulator.controlToken as string, 'content-type': 'application/json' },
      body: JSON.stringify({ realm: 'alpha', userName: 'attendee-7', password: 'Attendee-7-pw!' }),
    });
    expect(added.status).toBe(201);
    const page = await frontDoor(emulator);
    expect(page.text).not.toContain('attendee-7');
    expect(page.text).not.toContain('Attendee-7-pw!');
  });

  it('does not echo a Host header that is not a host name', async () => {
    const emulator = await start({ host: '0.0.0.0' });
    const page = await frontDoor(emulator, { host: 'x"><script>alert(1)</script>' });
    expect(page.text).not.toContain('<script>');
    expect(page.text).not.toContain('You opened this page at');
  });
});

describe('reachableUrls', () => {
  const info = (address: string, family: 'IPv4' | 'IPv6', internal = false, scopeid = 0) => ({
    address,
    family,
    internal,
    netmask: '',
    mac: '00:00:00:00:00:00',
    cidr: null,
    ...(family === 'IPv6' ? { scopeid } : {}),
  });
  const interfaces = {
    lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
    eth0: [info('192.168.1.20', 'IPv4'), info('fe80::1', 'IPv6', false, 2), info('2001:db8::20', 'IPv6')],
    wlan0: [info('10.0.0.7', 'IPv4')],
  } as unknown as ReturnType<typeof networkInterfaces>;

  it('0.0.0.0: every non-loopback IPv4 address; :: adds the IPv6 ones a URL can name', () => {
    expect(reachableUrls({ address: '0.0.0.0', family: 'IPv4', port: 8080 }, interfaces)).toEqual({
      loopback: ['http://127.0.0.1:8080'],
      network: ['http://192.168.1.20:8080', 'http://10.0.0.7:8080'],
    });
    expect(reachableUrls({ address: '::', family: 'IPv6', port: 8080 }, interfaces)).toEqual({
      loopback: ['http://127.0.0.1:8080'],
      network: ['http://192.168.1.20:8080', 'http://10.0.0.7:8080', 'http://[2001:db8::20]:8080'],
    });
  });

  it('one address: that one', () => {
    expect(reachableUrls({ address: '127.0.0.1', family: 'IPv4', port: 1 }, interfaces)).toEqual({
      loopback: ['http://127.0.0.1:1'],
      network: [],
    });
    expect(reachableUrls({ address: '192.168.1.20', family: 'IPv4', port: 1 }, interfaces)).toEqual({
      loopback: [],
      network: ['http://192.168.1.20:1'],
    });
    expect(reachableUrls({ address: '::1', family: 'IPv6', port: 1 }, interfaces).loopback).toEqual(['http://[::1]:1']);
  });
});
