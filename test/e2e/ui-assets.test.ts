/**
 * The workshop pages as files and HTTP answers, without a browser (these run everywhere): every
 * script parses as an ES module and imports only files that are served, every page's assets are
 * there with the right type, the pages carry their security headers, `/am/XUI?...` keeps its
 * query, bad paths get AM's error shape, the build in dist/ serves the same files, and the
 * console's control API calls stay refused from another site.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { http } from '../helpers/http.js';
import { PROJECT_ROOT } from '../helpers/optional.js';
import { startEmulator } from '../helpers/tenant.js';

const STATIC = join(PROJECT_ROOT, 'emulator', 'http', 'ui', 'static');
const files = readdirSync(STATIC);
const scripts = files.filter((name) => name.endsWith('.js'));
const pages = { '/am/XUI/': 'login.html', '/enduser/': 'enduser.html', '/__emulator/ui': 'console.html' } as const;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('the workshop pages’ files', () => {
  it.each(scripts)('%s parses as an ES module and imports only served files', async (name) => {
    const source = readFileSync(join(STATIC, name), 'utf8');
    const program = parse(source, { ecmaVersion: 2022, sourceType: 'module' });
    const imports = program.body
      .filter((node) => node.type === 'ImportDeclaration')
      .map((node) => String((node as unknown as { source: { value: string } }).source.value));
    for (const target of imports) {
      expect(target, `${name} imports ${target}`).toMatch(/^\.\/[a-z-]+\.js$/);
      const answer = await http(`${emulator.url}/__emulator/ui/assets/${target.slice(2)}`);
      expect(answer.status, target).toBe(200);
    }
    const served = await http(`${emulator.url}/__emulator/ui/assets/${name}`);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(served.text).toBe(source);
  });

  it.each(Object.entries(pages))('%s: the page, its assets, and its security headers', async (path, file) => {
    const page = await http(`${emulator.url}${path}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toBe(readFileSync(join(STATIC, file), 'utf8'));
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // Nothing inline and nothing from elsewhere: every script and stylesheet is one of ours.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/\sstyle=/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/__emulator\/ui\/assets\//);
      const answer = await http(`${emulator.url}${asset}`);
      expect(answer.status, asset).toBe(200);
      expect(answer.headers['content-type'], asset).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
    }
  });

  it('/am/XUI and /enduser without the slash keep their query', async () => {
    const query = '?realm=/alpha&authIndexType=service&authIndexValue=TerminateSession';
    const xui = await http(`${emulator.url}/am/XUI${query}`);
    expect(xui.status).toBe(302);
    expect(xui.headers['location']).toBe(`/am/XUI/${query}`);
    const enduser = await http(`${emulator.url}/enduser?realm=/alpha`);
    expect(enduser.headers['location']).toBe('/enduser/?realm=/alpha');
  });

  it('unknown files and bad paths get AM’s error shape, never a file from elsewhere', async () => {
    for (const path of [
      '/__emulator/ui/assets/nope.js',
      '/__emulator/ui/assets/..%2Froutes.ts',
      '/__emulator/ui/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/__emulator/ui/assets/Console.JS',
    ]) {
      const answer = await http(`${emulator.url}${path}`);
      expect(answer.status, path).toBe(404);
      expect(answer.json, path).toEqual({ code: 404, reason: 'Not Found', message: 'Not Found' });
    }
    const post = await http(`${emulator.url}/am/XUI/`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
    expect(post.json.code).toBe(404);
  });

  it('the build in dist/ serves the same pages', async () => {
    const built = (await import(
      join(PROJECT_ROOT, 'dist', 'emulator', 'index.js')
    )) as typeof import('../../emulator/index.js');
    const emulatorFromDist = await built.createEmulator({ clock: { frozen: true } });
    try {
      for (const name of [...scripts, 'style.css']) {
        const answer = await http(`${emulatorFromDist.url}/__emulator/ui/assets/${name}`);
        expect(answer.status, name).toBe(200);
        expect(answer.text, name).toBe(readFileSync(join(STATIC, name), 'utf8'));
      }
      expect((await http(`${emulatorFromDist.url}/am/XUI/`)).status).toBe(200);
    } finally {
      await emulatorFromDist.close();
    }
  });

  it('the console’s own requests pass the control API’s checks; another site’s are refused', async () => {
    const origin = emulator.url;
    const fault = { action: 'logoutByUser', status: 500, times: 1 };
    const sameOrigin = await http(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    expect(sameOrigin.status).toBe(201);
    const crossOrigin = await http(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    expect(crossOrigin.status).toBe(403);
    const crossSite = await http(`${emulator.url}/__emulator/faults`, {
      method: 'DELETE',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    expect((await http(`${emulator.url}/__emulator/faults`)).json.result).toHaveLength(1);
    // The page itself is addressed to the tenant's own host names only, like the rest of /__emulator.
    const rebound = await http(`${emulator.url}/__emulator/ui`, { headers: { host: 'attacker.example' } });
    expect(rebound.status).toBe(403);
  });
});
