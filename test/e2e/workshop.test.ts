/**
 * The how-to's test procedure in a real browser (Debian's chromium driven by playwright-core),
 * against an emulator started in-process: sign in on the XUI-like page, land on the end-user
 * page, find the sessions in the console by the user's _id, open the TerminateSession journey,
 * land back on the sign-in page, see in the console (and the control API) that the user's
 * sessions are gone, and see the run's path on the journey drawing; then Part 4's redirect and
 * how the page follows goto, gotoOnFail and failureUrl (platform-ui's Login/index.vue, redirectToFailure).
 *
 * A failing test leaves screenshots in test-results/e2e/. SCREENSHOTS=1 writes the README's
 * pictures to docs/screenshots/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { http } from '../helpers/http.js';
import { DEMO, SCARTER, login, startEmulator } from '../helpers/tenant.js';
import {
  hasChromium,
  journeyPage,
  keepScreenshots,
  launchBrowser,
  offlineContext,
  readmeScreenshot,
  submitCredentials,
} from './browser.js';

const IDS = {
  capture: 'dd34c480-95ff-4b3e-9449-d09f71d1b932',
  external: '11ae475c-90c7-418f-bfcd-6151f50399a0',
  terminate: '77a268e2-aa17-4137-aa8f-4b433a9a2676',
  login: 'd7cca672-3b87-48a3-8aef-859c44d01bd3',
  success: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0',
};

describe.skipIf(!hasChromium())('the workshop in a browser', () => {
  let browser: Browser;
  let emulator: Emulator;
  let context: BrowserContext;

  beforeAll(async () => {
    [browser, emulator] = await Promise.all([launchBrowser(), startEmulator()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });
  beforeEach(async () => {
    await emulator.reset();
    context = await offlineContext(browser, emulator.url);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await keepScreenshots(context, task.name);
    await context.close();
  });

  const url = () => emulator.url;

  async function signIn(page: Page, user: { userName: string; password: string } = DEMO): Promise<void> {
    await page.goto(journeyPage(url(), 'Login'));
    await submitCredentials(page, user);
    await page.waitForURL(`${url()}/enduser/?realm=/alpha`);
  }

  async function searchSessions(consolePage: Page, text: string, expected: RegExp): Promise<string[]> {
    await consolePage.getByLabel('User _id or userName').fill(text);
    await consolePage.getByRole('button', { name: 'Search' }).click();
    await consolePage.locator('#session-count').filter({ hasText: expected }).waitFor();
    return consolePage
      .locator('#sessions-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-username') ?? ''));
  }

  it('the how-to’s test procedure: sign in, find the sessions by _id, TerminateSession, back at sign-in, sessions gone, the run drawn', async () => {
    const page = await context.newPage();

    // 1. Sign in as the test user, and land on the end-user page, which shows their _id.
    await signIn(page);
    await page.getByRole('heading', { name: 'Hello, Demo User' }).waitFor();
    expect(await page.locator('#my-id').textContent()).toBe(DEMO._id);
    const cookie = (await context.cookies()).find((c) => c.name === emulator.cookieName);
    expect(cookie?.httpOnly).toBe(true);
    const browserToken = cookie?.value as string;
    expect(await emulator.tenant.sessions.getByToken(browserToken)).toBeDefined();
    // The same user signed in elsewhere too, and another user is signed in.
    const elsewhere = await login(emulator, DEMO);
    const scarter = await login(emulator, SCARTER);

    // 2. The console finds the user's sessions by _id (and by userName).
    const consolePage = await context.newPage();
    await consolePage.goto(`${url()}/__emulator/ui#/sessions`);
    expect(await searchSessions(consolePage, DEMO._id, /^2 sessions of/)).toEqual([DEMO._id, DEMO._id]);
    if (process.env['SCREENSHOTS'] === '1') await consolePage.setViewportSize({ width: 1280, height: 500 });
    await readmeScreenshot(consolePage, 'sessions.png');
    await consolePage.setViewportSize({ width: 1280, height: 860 });
    expect(await searchSessions(consolePage, 'scarter', /^1 session of/)).toEqual([SCARTER._id]);

    // 3. In the user's browser, the TerminateSession journey's URL ...
    await page.goto(journeyPage(url(), 'TerminateSession'));
    // ... lands on the sign-in page (the journey's Login inner tree).
    await page.getByRole('heading', { name: 'Sign In' }).waitFor();
    await page.getByLabel('Password').waitFor();
    expect(page.url()).toBe(journeyPage(url(), 'TerminateSession'));

    // 4. Every session of the user is gone, in the console and in the control API; scarter's stays.
    expect(await searchSessions(consolePage, DEMO._id, /^No sessions found for/)).toEqual([]);
    expect((await http(`${url()}/__emulator/sessions?username=${DEMO._id}`)).json.result).toEqual([]);
    for (const token of [browserToken, elsewhere])
      expect(await emulator.tenant.sessions.getByToken(token)).toBeUndefined();
    expect(await emulator.tenant.sessions.getByToken(scarter)).toBeDefined();

    // 5. The run's path on the journey's drawing: it waits at the Login inner tree.
    await consolePage.getByRole('link', { name: 'Runs', exact: true }).click();
    await consolePage
      .locator('#runs-table tbody tr[data-journey="TerminateSession"]')
      .first()
      .getByRole('link', { name: 'TerminateSession' })
      .click();
    const drawing = consolePage.locator('svg.journey-drawing[data-journey="TerminateSession"]');
    await drawing.waitFor();
    const visited = async () =>
      (
        await drawing
          .locator('g.node.visited')
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-name')))
      ).sort();
    const taken = () =>
      drawing
        .locator('path.edge.taken')
        .evaluateAll((edges) =>
          edges.map((edge) => `${edge.getAttribute('data-from')}:${edge.getAttribute('data-outcome')}`),
        );
    expect(await visited()).toEqual([
      'Capture Browser Session',
      'Login',
      'Start',
      'Terminate External Sessions',
      'Terminate Sessions',
    ]);
    expect((await taken()).sort()).toEqual(
      [`${IDS.capture}:true`, `${IDS.external}:true`, `${IDS.terminate}:Success`, 'startNode:start'].sort(),
    );
    expect(await drawing.locator('g.node.waiting').getAttribute('data-name')).toBe('Login');
    expect(await drawing.locator('path.edge[data-outcome="Failure"]').count()).toBe(1);
    // The inner journeys are drawn with their own paths; the visits list shows the logoutByUser call.
    await consolePage
      .locator('svg.journey-drawing[data-journey="CaptureSession"] g.node.visited[data-name="Get Session Cookie"]')
      .waitFor();
    const terminateVisit = consolePage.locator('#visits li', { hasText: 'Terminate Sessions' });
    expect(await terminateVisit.locator('.outcome').textContent()).toBe('→ Success');
    expect(await terminateVisit.textContent()).toContain('/sessions/?_action=logoutByUser');

    // 6. Signing in again from that page ends the run at Success; the drawing shows the whole path.
    await submitCredentials(page, DEMO);
    await page.waitForURL(`${url()}/enduser/?realm=/alpha`);
    await consolePage.getByRole('button', { name: 'Refresh' }).click();
    await consolePage.locator('#run-status').filter({ hasText: 'success' }).waitFor();
    expect(await consolePage.locator('#run-journey-version').textContent()).toMatch(/^[0-9a-f]{12}$/);
    await drawing
      .locator(`path.edge.taken[data-from="${IDS.login}"][data-outcome="true"][data-to="${IDS.success}"]`)
      .waitFor();
    expect(await drawing.locator('g.node.success.visited').count()).toBe(1);
    await readmeScreenshot(consolePage.locator('.drawing').first(), 'journey-run.png');
  }, 60_000);

  it('Part 4: LogoutRedirect ends at Failure and the page follows the user’s own failureUrl (outside the emulator)', async () => {
    const page = await context.newPage();
    await signIn(page);
    let served = 0;
    await page.route('https://example.com/**', (route) => {
      served += 1;
      return route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>Goodbye</title><h1>Goodbye</h1>',
      });
    });
    await page.goto(journeyPage(url(), 'LogoutRedirect'));
    await page.waitForURL('https://example.com/goodbye');
    expect(await page.locator('h1').textContent()).toBe('Goodbye');
    expect(served).toBe(1);
  }, 60_000);

  it('Part 4: a user without a logout URL is sent to the static Failure URL, the sign-in page', async () => {
    const page = await context.newPage();
    await signIn(page, SCARTER);
    await page.goto(journeyPage(url(), 'LogoutRedirect'));
    await page.waitForURL(`${url()}/am/XUI/?realm=/alpha`);
    // Still signed in, so the realm's default journey sends scarter on to the end-user page.
    await page.waitForURL(`${url()}/enduser/?realm=/alpha`);
    await page.getByRole('heading', { name: 'Hello, Sam Carter' }).waitFor();
  }, 60_000);

  it('gotoOnFail wins over detail.failureUrl when it stays on this site, and is ignored otherwise', async () => {
    const page = await context.newPage();
    await signIn(page);
    const here = '/enduser/?realm=/alpha&from=gotoOnFail';
    await page.goto(journeyPage(url(), 'LogoutRedirect', `&gotoOnFail=${encodeURIComponent(here)}`));
    await page.waitForURL(`${url()}${here}`);

    await page.route('https://example.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Goodbye</h1>' }),
    );
    await page.goto(
      journeyPage(url(), 'LogoutRedirect', `&gotoOnFail=${encodeURIComponent('https://elsewhere.example/phish')}`),
    );
    await page.waitForURL('https://example.com/goodbye');
  }, 60_000);

  it('goto is honoured on success', async () => {
    const page = await context.newPage();
    const target = '/enduser/?realm=/alpha&from=goto';
    await page.goto(journeyPage(url(), 'Login', `&goto=${encodeURIComponent(target)}`));
    await submitCredentials(page, DEMO);
    await page.waitForURL(`${url()}${target}`);
  }, 60_000);

  it('the sign-in page works from the keyboard alone, and a signed-in user goes straight to the end-user page', async () => {
    const page = await context.newPage();
    await page.goto(journeyPage(url(), 'Login'));
    await page.getByRole('heading', { name: 'Sign In' }).waitFor();
    // The first field has the focus.
    await page.keyboard.type(DEMO.userName);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url()}/enduser/?realm=/alpha`);
    // Signed in already: AM answers the Login journey at once and the page follows successUrl.
    await page.goto(`${url()}/am/XUI?realm=/alpha&authIndexType=service&authIndexValue=Login`);
    await page.waitForURL(`${url()}/enduser/?realm=/alpha`);
  }, 60_000);

  it('a wrong password shows AM’s message and a restart; signing out returns to the sign-in page', async () => {
    const page = await context.newPage();
    await page.goto(journeyPage(url(), 'Login'));
    await submitCredentials(page, { userName: DEMO.userName, password: 'not-the-password' });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Login failure');
    await page.getByRole('button', { name: 'Start again' }).click();
    await submitCredentials(page, DEMO);
    await page.waitForURL(`${url()}/enduser/?realm=/alpha`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${url()}/am/XUI/?realm=/alpha`);
    await page.getByRole('heading', { name: 'Sign In' }).waitFor();
    expect((await http(`${url()}/__emulator/sessions?userName=demo`)).json.result).toEqual([]);
    await page.goto(`${url()}/enduser/?realm=/alpha`);
    await page.getByRole('heading', { name: 'You are not signed in' }).waitFor();
  }, 60_000);
});
