/**
 * The browser for the end-to-end suites: Debian's chromium driven by playwright-core (which
 * downloads no browser). Without chromium the suites skip with a message, except in CI
 * (AIC_REQUIRE_OPTIONAL=1), where that fails the run.
 *
 * Every context reaches the emulator only: any other request is aborted unless a test answers it
 * with page.route (so a redirect to https://example.com/... is asserted without the network).
 * A failing test leaves a screenshot of each of its pages in test-results/e2e/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { optional, PROJECT_ROOT } from '../helpers/optional.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const FAILURES_DIR = join(PROJECT_ROOT, 'test-results', 'e2e');
export const SCREENSHOTS_DIR = join(PROJECT_ROOT, 'docs', 'screenshots');
/** `SCREENSHOTS=1 npx vitest run test/e2e` renews the README's pictures. */
export const WRITE_SCREENSHOTS = process.env['SCREENSHOTS'] === '1';

export function hasChromium(): boolean {
  return optional(
    'chromium',
    existsSync(CHROMIUM),
    `expected at ${CHROMIUM}; apt-get install -y chromium, or set CHROMIUM_PATH`,
  );
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A fresh context (its own cookie jar) that can reach `emulatorUrl` and nothing else. */
export async function offlineContext(browser: Browser, emulatorUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  // A condition that does not come true fails in seconds, not after Playwright's 30 s.
  context.setDefaultTimeout(8_000);
  context.setDefaultNavigationTimeout(8_000);
  const origin = new URL(emulatorUrl).origin;
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort('blockedbyclient'),
  );
  return context;
}

/** Screenshots of every page of a context, named after the test. */
export async function keepScreenshots(context: BrowserContext, testName: string): Promise<string[]> {
  mkdirSync(FAILURES_DIR, { recursive: true });
  const base = testName
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
  const written: string[] = [];
  for (const [index, page] of context.pages().entries()) {
    const path = join(FAILURES_DIR, `${base}-${index + 1}.png`);
    try {
      await page.screenshot({ path, fullPage: true, timeout: 5_000 });
      written.push(path);
    } catch {
      // A page that cannot be drawn any more (closed, crashed) has nothing to show.
    }
  }
  if (written.length) console.warn(`screenshots of the failed test: ${written.join(', ')}`);
  return written;
}

/** Writes a README picture when SCREENSHOTS=1. */
export async function readmeScreenshot(target: Page | ReturnType<Page['locator']>, name: string): Promise<void> {
  if (!WRITE_SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await target.screenshot({ path: join(SCREENSHOTS_DIR, name) });
}

/** Sign-in page URL of a journey in alpha. */
export const journeyPage = (emulatorUrl: string, journey: string, extra = ''): string =>
  `${emulatorUrl}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=${encodeURIComponent(journey)}${extra}`;

/** Fills the Login page and submits it with the keyboard or the Next button. */
export async function submitCredentials(page: Page, user: { userName: string; password: string }): Promise<void> {
  await page.getByRole('heading', { name: 'Sign In' }).waitFor();
  await page.getByLabel('User Name').fill(user.userName);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Next' }).click();
}
