/**
 * The workshop room in a browser (issue 21), on an instance beyond loopback as a workshop runs
 * (`host: '0.0.0.0'`: the control API needs its token): an attendee who signed in sees only their
 * own sessions and runs in the console and cannot reset; destructive actions ask first and name
 * what they remove; a failed sign-in links to its run and the node that decided it; the console
 * refreshes by itself; its tables fit a 1024×768 screen; the store's status is in its header.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { http } from '../helpers/http.js';
import { login, startEmulator } from '../helpers/tenant.js';
import {
  hasChromium,
  journeyPage,
  keepScreenshots,
  launchBrowser,
  offlineContext,
  submitCredentials,
} from './browser.js';

const ALICE = { userName: 'room-alice', password: 'Alice-room-1', mail: 'alice@example.com' };
const BOB = { userName: 'room-bob', password: 'Bob-room-1', mail: 'bob@example.com' };

describe.skipIf(!hasChromium())('the workshop room in a browser', () => {
  let browser: Browser;
  let emulator: Emulator;
  let context: BrowserContext;
  const ids: Record<string, string> = {};

  const control = async (path: string, init: { method?: string; body?: unknown } = {}) =>
    http(`${emulator.url}/__emulator/${path}`, {
      method: init.method ?? 'GET',
      headers: {
        'x-aic-emulator-token': emulator.controlToken as string,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });

  beforeAll(async () => {
    [browser, emulator] = await Promise.all([launchBrowser(), startEmulator({ host: '0.0.0.0' })]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });
  beforeEach(async () => {
    await emulator.reset();
    for (const [who, user] of [
      ['alice', ALICE],
      ['bob', BOB],
    ] as const) {
      const created = await control('users', { method: 'POST', body: { realm: 'alpha', ...user } });
      expect(created.status).toBe(201);
      ids[who] = created.json._id;
    }
    context = await offlineContext(browser, emulator.url);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await keepScreenshots(context, task.name);
    await context.close();
  });

  async function signIn(page: Page, user: { userName: string; password: string }): Promise<void> {
    await page.goto(journeyPage(emulator.url, 'Login'));
    await submitCredentials(page, user);
    await page.waitForURL(/\/enduser\//);
  }

  async function open(page: Page, view: string): Promise<void> {
    await page.goto(`${emulator.url}/__emulator/ui#/${view}`);
    await page.locator(`body[data-ready="${view.split(/[/?]/)[0]}"]`).waitFor({ state: 'attached' });
  }

  /** The trainer's console: the token once, kept for the tab. */
  async function trainerPage(): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${emulator.url}/__emulator/ui?token=${emulator.controlToken as string}#/sessions`);
    await page.locator('body[data-role="trainer"]').waitFor({ state: 'attached' });
    return page;
  }

  it('an attendee sees only their own sessions and runs, and cannot reset the tenant', async () => {
    await login(emulator, BOB);
    const page = await context.newPage();
    await signIn(page, ALICE);
    await open(page, 'sessions');
    await page.locator('body[data-role="attendee"]').waitFor({ state: 'attached' });
    expect(await page.locator('#who').textContent()).toContain(ALICE.userName);
    const rows = page.locator('#sessions-table tbody tr');
    expect(await rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-username')))).toEqual([
      ids['alice'],
    ]);
    // Bob's session exists: the trainer sees both.
    expect(((await control('sessions')).json.result as unknown[]).length).toBe(2);

    await open(page, 'runs');
    const runs = page.locator('#runs-table tbody tr');
    await runs.first().waitFor();
    expect(await page.locator('#runs-table').textContent()).not.toContain(BOB.userName);
    expect(await runs.count()).toBe(1);

    // No trainer view: the navigation offers none, and a typed address falls back to their sessions.
    expect(await page.locator('nav a[data-view="tenant"]').isVisible()).toBe(false);
    await page.goto(`${emulator.url}/__emulator/ui#/tenant`);
    await page.locator('body[data-ready="sessions"]').waitFor({ state: 'attached' });
    expect(await page.getByRole('button', { name: 'Reset the tenant' }).count()).toBe(0);
    // The control API itself refuses the reset from the attendee's page, with their cookie.
    const status = await page.evaluate(async () => (await fetch('/__emulator/reset', { method: 'POST' })).status);
    expect(status).toBe(401);
    expect(
      ((await control('users?realm=alpha')).json.result as { userName: string }[]).map((u) => u.userName),
    ).toContain(BOB.userName);
  }, 60_000);

  it('destructive actions ask first, name what they remove, and do nothing when declined', async () => {
    await login(emulator, ALICE);
    await login(emulator, BOB);
    const page = await trainerPage();
    await open(page, 'tenant');
    const messages: string[] = [];
    page.once('dialog', (dialog) => {
      messages.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Reset the tenant' }).click();
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toMatch(/^Reset the tenant\? This will end 2 sessions; /);
    expect(messages[0]).toContain('keep the users added since start');
    expect(((await control('sessions')).json.result as unknown[]).length).toBe(2);

    // Unticked, the users go too, and the question says so.
    await page.getByLabel('Keep the users added since start').uncheck();
    page.once('dialog', (dialog) => {
      messages.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Reset the tenant' }).click();
    await expect.poll(() => messages.length).toBe(2);
    expect(messages[1]).toContain('remove every user added since start');
    await page.getByLabel('Keep the users added since start').check();

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset the tenant' }).click();
    await page.getByText('The tenant is back to its start state, with the 2 users added since start.').waitFor();
    expect((await control('sessions')).json.result).toEqual([]);
    const users = ((await control('users?realm=alpha')).json.result as { userName: string }[]).map((u) => u.userName);
    expect(users).toEqual(expect.arrayContaining([ALICE.userName, BOB.userName]));

    // Invalidating all sessions names them, and declining keeps them.
    await login(emulator, ALICE);
    await open(page, 'sessions');
    await page.locator('#sessions-table tbody tr').first().waitFor();
    page.once('dialog', (dialog) => {
      messages.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Invalidate all sessions' }).click();
    await expect.poll(() => messages.length).toBe(3);
    expect(messages[2]).toBe(
      `Invalidate 1 session of 1 user (${ALICE.userName})? They are signed out and must sign in again.`,
    );
    expect(((await control('sessions')).json.result as unknown[]).length).toBe(1);
  }, 60_000);

  it('a failed sign-in links to its run, which shows the node that decided it', async () => {
    const page = await context.newPage();
    await page.goto(journeyPage(emulator.url, 'Login'));
    await submitCredentials(page, { userName: ALICE.userName, password: 'not her password' });
    const link = page.locator('#failure-run');
    await link.waitFor();
    // The very run: its id, from the emulator's header on AM's answer.
    const failures = (await control('runs?status=failure')).json.result as { id: string }[];
    expect(await link.getAttribute('href')).toBe(`/__emulator/ui#/runs/${failures.at(-1)?.id}`);
    await link.click();
    // Not signed in: the console offers the sign-in, which comes back to the run.
    await page.locator('body[data-role="none"]').waitFor({ state: 'attached' });
    await page.locator('#attendee-sign-in').click();
    await submitCredentials(page, ALICE);
    await page.locator('body[data-role="attendee"]').waitFor({ state: 'attached' });
    await page.locator('#run-status').filter({ hasText: 'failure' }).waitFor();
    expect(await page.locator('#run-decided-by').textContent()).toContain('Data Store Decision → false');
    expect(await page.locator('#decider').textContent()).toContain('Data Store Decision');
    // The run is drawn from the attendee's own view of it.
    await page.locator('svg.journey-drawing g.node.visited').first().waitFor();
  }, 60_000);

  it('the console refreshes by itself: a new session, then a new run, appear without a click', async () => {
    const page = await trainerPage();
    await open(page, 'sessions');
    expect(await page.locator('#sessions-table').count()).toBe(0);
    const refreshed = Number((await page.locator('body').getAttribute('data-refreshed')) ?? 0);
    await login(emulator, BOB);
    await page.locator(`#sessions-table tr[data-username="${ids['bob']}"]`).waitFor();
    expect(Number(await page.locator('body').getAttribute('data-refreshed'))).toBeGreaterThan(refreshed);

    await open(page, `runs?user=${ids['alice']}`);
    expect(await page.locator('#runs-table').count()).toBe(0);
    await login(emulator, ALICE);
    await page.locator('#runs-table tbody tr[data-journey="Login"]').waitFor();
    expect(await page.locator('#runs-table').textContent()).not.toContain(BOB.userName);
  }, 60_000);

  it('the trainer adds attendees in one go and prints their handout; each card signs in', async () => {
    const page = await trainerPage();
    await open(page, 'users');
    await page.getByText('Add attendees (a count or a CSV)').click();
    await page.getByLabel('How many attendees').fill('2');
    await page.getByRole('button', { name: 'Add the attendees' }).click();
    await page.locator('body[data-ready="handout"]').waitFor({ state: 'attached' });
    const cards = page.locator('#handout-cards article');
    expect(await cards.count()).toBe(2);
    const first = await cards.first().locator('dd').allTextContents();
    expect(first[0]).toBe('attendee-01');
    expect(first[2]).toBe(`${emulator.url}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=Login`);
    expect(await login(emulator, { userName: first[0] as string, password: first[1] as string })).toMatch(/\*$/);
    // The address attendees use can be changed, and the cards follow.
    await page.getByLabel('Address the attendees use').fill('http://192.0.2.10:8080');
    expect(await cards.first().locator('dd').nth(3).textContent()).toBe('http://192.0.2.10:8080/enduser/?realm=/alpha');
  }, 60_000);

  it('a secret ESV set in the console is typed unseen and never shown again', async () => {
    const page = await trainerPage();
    await open(page, 'esvs');
    await page.getByLabel('Name').fill('esv-room-secret');
    expect(await page.getByLabel('Value').getAttribute('type')).toBe('password');
    await page.getByLabel('Value').fill('Sv!~room-secret-value');
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.locator('#esvs-table tr[data-name="esv-room-secret"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('secret (never shown)');
    expect(await page.content()).not.toContain('Sv!~');
    expect(emulator.tenant.esvs.get('esv-room-secret')).toBe('Sv!~room-secret-value');
  }, 60_000);

  it('the store’s status is in the header, and the tables fit a 1024×768 screen', async () => {
    for (let i = 0; i < 3; i += 1) await login(emulator, i % 2 ? ALICE : BOB);
    const page = await trainerPage();
    await page.locator('#store-status[data-state="ready"]').waitFor();
    expect(await page.locator('#store-status').textContent()).toMatch(/^Store ready/);
    await page.setViewportSize({ width: 1024, height: 768 });
    const [latest] = ((await control('runs')).json.result as { id: string }[]).slice(-1);
    for (const view of [
      'sessions',
      'users',
      'runs',
      `runs/${latest?.id}`,
      'journal',
      'journeys',
      'outbox',
      'faults',
      'stubs',
      'esvs',
      'oauth2',
      'tenant',
    ]) {
      await open(page, view);
      const overflowing = {
        tables: await page
          .locator('.table-wrap')
          .evaluateAll((wraps) =>
            wraps
              .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1)
              .map((wrap) => wrap.querySelector('table')?.id),
          ),
        page: await page.locator('html').evaluate((html) => html.scrollWidth),
      };
      expect(overflowing.tables, view).toEqual([]);
      expect(overflowing.page, view).toBeLessThanOrEqual(1024);
    }
  }, 60_000);
});
