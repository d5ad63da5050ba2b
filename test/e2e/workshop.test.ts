/**
 * The how-to's test procedure in a real browser (Debian's chromium driven by playwright-core):
 * sign in on the XUI-like page, find the session in the console by the user's _id, open the
 * TerminateSession journey, land back on the sign-in page, see in the console that the user's
 * sessions are gone and the run's path on the journey drawing; and Part 4's redirect.
 * A failing test leaves a screenshot in test-results/e2e/. With SCREENSHOTS=1 it also writes the
 * README's screenshots to docs/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { optional, PROJECT_ROOT } from '../helpers/optional.js';
import { DEMO, login, startEmulator } from '../helpers/tenant.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = optional('chromium', existsSync(CHROMIUM), `expected at ${CHROMIUM}; apt-get install chromium, or set CHROMIUM_PATH`);
const FAILURES = join(PROJECT_ROOT, 'test-results', 'e2e');
const SCREENSHOTS = join(PROJECT_ROOT, 'docs', 'screenshots');

describe.skipIf(!available)('the workshop in a browser', () => {
  let browser: Browser;
  let emulator: Emulator;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    emulator = await startEmulator({ clock: { start: '2026-07-10T01:34:08Z', frozen: false } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });
  beforeEach(() => emulator.reset());

  /** Runs `body` with a fresh browser page; on failure keeps a screenshot of it. */
  async function withPage(name: string, body: (page: Page) => Promise<void>): Promise<void> {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await body(page);
    } catch (error) {
      mkdirSync(FAILURES, { recursive: true });
      await page.screenshot({ path: join(FAILURES, `${name}.png`), fullPage: true }).catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  }

  async function signIn(page: Page, user: { userName: string; password: string } = DEMO): Promise<string> {
    await page.goto(`${emulator.url}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=Login`);
    await page.locator('input[type=text]').first().fill(user.userName);
    await page.locator('input[type=password]').first().fill(user.password);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/\/enduser\/\?realm=\/alpha$/);
    return (await page.locator('#user-id').textContent({ timeout: 10_000 })) ?? '';
  }

  async function sessionsOf(console: Page, id: string): Promise<number> {
    await console.locator('#session-search').fill(id);
    await console.getByRole('button', { name: 'Refresh' }).click();
    await console.locator('#session-count').filter({ hasText: /of \d+ live sessions/ }).waitFor();
    return Number(await console.locator('#sessions').getAttribute('data-count'));
  }

  it('the how-to’s test procedure: sign in, find the sessions, TerminateSession, back at sign-in, sessions gone, the run drawn', async () => {
    await withPage('how-to', async (page) => {
      const id = await signIn(page);
      expect(id).toBe(DEMO._id);
      await expect.poll(() => page.locator('h1').textContent()).toBe('Hello, Demo');
      await login(emulator, DEMO); // a second session of the same user, from another app

      const console = await page.context().newPage();
      await console.goto(`${emulator.url}/__emulator/ui`);
      expect(await sessionsOf(console, id)).toBe(2);
      if (process.env['SCREENSHOTS'] === '1') {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await console.screenshot({ path: join(SCREENSHOTS, 'sessions.png') });
      }

      await page.goto(`${emulator.url}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=TerminateSession`);
      await expect.poll(() => page.locator('h1').textContent()).toBe('Sign In');
      await expect(page.locator('input[type=password]').count()).resolves.toBe(1);

      expect(await sessionsOf(console, id)).toBe(0);

      await console.getByRole('button', { name: 'Runs' }).click();
      const terminateRun = console.locator('#runs tr', { hasText: 'TerminateSession' }).first();
      await terminateRun.getByRole('button', { name: 'Show' }).click();
      const drawing = console.locator('#run-detail svg');
      await drawing.waitFor();
      const visited = drawing.locator('g.node.visited');
      await expect.poll(() => visited.count()).toBeGreaterThanOrEqual(4);
      const names = await visited.locator('text').allTextContents();
      expect(names).toEqual(expect.arrayContaining(['Capture Browser Session', 'Terminate Sessions', 'Login']));
      expect(await drawing.locator('line.edge.taken').count()).toBeGreaterThanOrEqual(3);
      if (process.env['SCREENSHOTS'] === '1') await console.locator('#run-detail').screenshot({ path: join(SCREENSHOTS, 'journey-run.png') });
    });
  }, 60_000);

  it('Part 4: LogoutRedirect ends at Failure and the page follows detail.failureUrl', async () => {
    await withPage('part-4', async (page) => {
      await signIn(page);
      // The user's own logout URL is outside the emulator: answer it here, offline.
      await page.route('https://example.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Goodbye</title><h1>Goodbye</h1>' }));
      await page.goto(`${emulator.url}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=LogoutRedirect`);
      await page.waitForURL('https://example.com/goodbye');
      expect(await page.locator('h1').textContent()).toBe('Goodbye');
    });
  }, 60_000);

  it('gotoOnFail wins over detail.failureUrl, as AIC’s login UI does', async () => {
    await withPage('goto-on-fail', async (page) => {
      await signIn(page);
      await page.goto(`${emulator.url}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=LogoutRedirect&gotoOnFail=${encodeURIComponent('/enduser/?realm=/alpha')}`);
      await page.waitForURL(/\/enduser\/\?realm=\/alpha$/);
    });
  }, 60_000);

  it('a wrong password shows the error and a way to try again', async () => {
    await withPage('wrong-password', async (page) => {
      await page.goto(`${emulator.url}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=Login`);
      await page.locator('input[type=text]').first().fill(DEMO.userName);
      await page.locator('input[type=password]').first().fill('not-the-password');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('Login failure');
      await expect(page.getByRole('link', { name: 'Try again' }).count()).resolves.toBe(1);
    });
  }, 60_000);
});
