/**
 * "Click the link in the email", in a browser: a journey with an Email Suspend node shows its
 * message on the sign-in page with nothing to submit; the console's Outbox shows the mail and its
 * link, and the Runs view the suspended run; following the link on the sign-in page resumes the
 * journey (the suspendedId leaves the address bar) and signs the user in; the same link again
 * says it has expired or was used.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http } from '../helpers/http.js';
import { DEMO, startEmulator } from '../helpers/tenant.js';
import { hasChromium, journeyPage, keepScreenshots, launchBrowser, offlineContext } from './browser.js';

const JOURNEY = 'SignInByEmail';
const COLLECT = 'e1000000-0000-4000-8000-000000000001';
const SUSPEND = 'e1000000-0000-4000-8000-000000000002';

function journeyExport(): Record<string, unknown> {
  return {
    trees: {
      [JOURNEY]: treeExport({
        name: JOURNEY,
        description: 'a magic link',
        entry: COLLECT,
        nodes: [
          {
            id: COLLECT,
            type: 'UsernameCollectorNode',
            name: 'User Name',
            x: 1,
            y: 1,
            connections: { outcome: SUSPEND },
            config: {},
          },
          {
            id: SUSPEND,
            type: 'EmailSuspendNode',
            name: 'Email Suspend',
            x: 2,
            y: 1,
            connections: { outcome: END.success },
            config: {
              emailTemplateName: 'resetPassword',
              emailAttribute: 'mail',
              identityAttribute: 'userName',
              objectLookup: true,
              emailSuspendMessage: { en: 'Check your email for a sign-in link.' },
            },
          },
        ],
      }),
    },
  };
}

describe.skipIf(!hasChromium())('a journey resumed from an email link', () => {
  let browser: Browser;
  let emulator: Emulator;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [browser, emulator] = await Promise.all([launchBrowser(), startEmulator()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });
  beforeEach(async () => {
    await emulator.reset();
    const imported = await http(`${emulator.url}/__emulator/import?realm=alpha`, {
      method: 'POST',
      body: JSON.stringify(journeyExport()),
    });
    expect(imported.json.imported).toEqual([JOURNEY]);
    context = await offlineContext(browser, emulator.url);
    page = await context.newPage();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await keepScreenshots(context, task.name);
    await context.close();
  });

  it('shows the message, the outbox and the suspended run; the link signs the user in, once', async () => {
    await page.goto(journeyPage(emulator.url, JOURNEY));
    await page.getByLabel('User Name').fill(DEMO.userName);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Check your email for a sign-in link.').waitFor();
    await page.locator('body[data-outcome="suspended"]').waitFor({ state: 'attached' });
    expect(await page.getByRole('button').count()).toBe(0);

    const console = await context.newPage();
    await console.goto(`${emulator.url}/__emulator/ui#/runs`);
    await console.locator('#runs-table tbody tr', { hasText: JOURNEY }).getByText('suspended').waitFor();
    await console.goto(`${emulator.url}/__emulator/ui#/outbox`);
    const mail = console.locator('article.mail[data-to="demo@example.com"]');
    await mail.waitFor();
    expect(await mail.locator('h2').textContent()).toBe('Reset your password');
    const link = (await mail.locator('.mail-links a').first().getAttribute('href')) ?? '';
    expect(link).toContain('suspendedId=');

    // The attendee follows the link in their mail client: the sign-in page resumes the journey.
    const inbox = await context.newPage();
    await inbox.goto(link);
    await inbox.waitForURL(`${emulator.url}/enduser/?realm=/alpha`);
    const cookies = await context.cookies(emulator.url);
    expect(cookies.some((cookie) => cookie.name === emulator.cookieName)).toBe(true);

    // Used once: the same link now says so and offers to start again.
    const again = await context.newPage();
    await again.goto(link);
    await again.getByRole('alert').filter({ hasText: 'expired or has already been used' }).waitFor();
    expect(new URL(again.url()).searchParams.has('suspendedId')).toBe(false);
    await again.getByRole('button', { name: 'Start again' }).waitFor();
  }, 60_000);
});
