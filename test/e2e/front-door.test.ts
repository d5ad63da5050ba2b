/**
 * The front door of a workshop's instance (`--host 0.0.0.0`) in a real browser (issue 21): an
 * attendee opens it at the machine's network address, finds that address and the pages listed,
 * follows the links to the sign-in page (and signs in with the demo password the trainer read
 * out), the end-user page and the console (their own view, without the control token). The page
 * shows no password of this instance.
 *
 * Without a network address on the machine the test uses the loopback URL and skips only the
 * assertion on the room's addresses.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { reachableUrls } from '../../emulator/http/ui/addresses.js';
import { startEmulator } from '../helpers/tenant.js';
import { hasChromium, keepScreenshots, launchBrowser, offlineContext, submitCredentials } from './browser.js';

describe.skipIf(!hasChromium())('the front door of a 0.0.0.0 instance in a browser', () => {
  let browser: Browser;
  let emulator: Emulator;
  let context: BrowserContext;
  /** Where an attendee reaches the emulator: the machine's first network address, else loopback. */
  let base: string;
  let network: string[];

  beforeAll(async () => {
    [browser, emulator] = await Promise.all([launchBrowser(), startEmulator({ host: '0.0.0.0' })]);
    network = reachableUrls(emulator.server.server.address() as AddressInfo).network;
    if (network.length === 0) console.warn('this machine has no network address: the front door is opened on loopback');
    base = network[0] ?? emulator.url;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });
  beforeEach(async () => {
    context = await offlineContext(browser, base);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await keepScreenshots(context, task.name);
    await context.close();
  });

  async function openFrontDoor(page: Page): Promise<void> {
    const answer = await page.goto(`${base}/`);
    expect(answer?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Start here' }).waitFor();
  }

  it('lists the addresses of the room, styled as the other pages, and no password', async () => {
    const page = await context.newPage();
    await openFrontDoor(page);
    const addresses = page.locator('#network-addresses a');
    if (network.length > 0) expect(await addresses.allTextContents()).toEqual(network.map((url) => `${url}/`));
    await expect.poll(() => page.getByText(`You opened this page at ${base}/`).count()).toBe(1);
    // The shared stylesheet applied (the dark top bar), nothing from elsewhere.
    const topbar = await page.evaluate(`getComputedStyle(document.querySelector('header.topbar')).backgroundColor`);
    expect(topbar).toBe('rgb(15, 23, 42)');
    const text = await page.locator('body').innerText();
    for (const secret of [emulator.demoPasswords?.users, emulator.demoPasswords?.admin, emulator.controlToken])
      expect(text).not.toContain(secret as string);
    expect(await page.locator('#users-table').innerText()).toContain('ask the trainer');
    // An address of the list leads back here.
    await page.locator('#addresses a').first().click();
    await page.getByRole('heading', { name: 'Start here' }).waitFor();
  });

  it('leads to the sign-in page, which signs the user in to the end-user page, and to the console', async () => {
    const page = await context.newPage();
    await openFrontDoor(page);
    await page.getByRole('link', { name: 'Sign-in page', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/am/XUI/');
    await submitCredentials(page, { userName: 'demo', password: emulator.demoPasswords?.users as string });
    await page.getByRole('heading', { name: 'Hello, Demo User' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/enduser/');

    await openFrontDoor(page);
    await page.getByRole('link', { name: 'End-user page', exact: true }).click();
    await page.getByRole('heading', { name: 'Hello, Demo User' }).waitFor();

    await openFrontDoor(page);
    await page.getByRole('link', { name: 'Console', exact: true }).click();
    await page.waitForURL(`${base}/__emulator/ui`);
    expect(await page.title()).toMatch(/console/i);
    // As the front door says: an attendee who signed in sees their own view, without the token.
    await page.getByText('Signed in as demo').waitFor();
  });
});
