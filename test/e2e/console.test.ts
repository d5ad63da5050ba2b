/**
 * The console at /__emulator/ui, in a browser: each view reads and changes the tenant through the
 * control API (same-origin requests that pass its Host/Origin checks), and what it shows is
 * checked against the control API and AM's own answers.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http } from '../helpers/http.js';
import { DEMO, login, startEmulator } from '../helpers/tenant.js';
import { hasChromium, keepScreenshots, launchBrowser, offlineContext } from './browser.js';

/** A journey exported without node coordinates, with an outcome left unconnected. */
function uncoordinated(): Record<string, unknown> {
  const first = 'c0de0000-0000-4000-8000-000000000001';
  const second = 'c0de0000-0000-4000-8000-000000000002';
  const script = 'c0de0000-0000-4000-8000-0000000000ff';
  const exported = treeExport({
    name: 'NoCoordinates',
    description: 'drawn by the console’s own layout',
    entry: first,
    nodes: [
      {
        id: first,
        type: 'ScriptedDecisionNode',
        name: 'Decide',
        x: 0,
        y: 0,
        connections: { yes: second, no: END.failure },
        config: { script, outcomes: ['yes', 'no', 'maybe'], inputs: ['*'], outputs: ['*'] },
      },
      {
        id: second,
        type: 'MessageNode',
        name: 'Say hello',
        x: 0,
        y: 0,
        connections: { true: END.success, false: END.failure },
        config: { message: { en: 'Hello' }, messageYes: { en: 'OK' }, messageNo: { en: 'No' } },
      },
    ],
    scripts: [
      {
        id: script,
        name: 'decide',
        description: '',
        source: 'action.goTo("yes");',
        context: 'SCRIPTED_DECISION_NODE',
        evaluatorVersion: '2.0',
      },
    ],
  }) as { tree: { nodes: Record<string, Record<string, unknown>>; staticNodes?: unknown } };
  for (const node of Object.values(exported.tree.nodes)) {
    delete node['x'];
    delete node['y'];
  }
  delete exported.tree.staticNodes;
  return exported;
}

describe.skipIf(!hasChromium())('the console', () => {
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
    context = await offlineContext(browser, emulator.url);
    page = await context.newPage();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await keepScreenshots(context, task.name);
    await context.close();
  });

  const control = async (path: string) => (await http(`${emulator.url}/__emulator/${path}`)).json;
  /** Accepts the confirmation the next destructive click asks for, and answers what it said (issue 21). */
  function acceptNextDialog(): Promise<string> {
    return new Promise((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.accept();
      }),
    );
  }
  async function open(view: string): Promise<void> {
    await page.goto(`${emulator.url}/__emulator/ui#/${view}`);
    await page.locator(`body[data-ready="${view.split(/[/?]/)[0]}"]`).waitFor({ state: 'attached' });
  }

  it('users: each one’s raw JSON, and a new user added from the form can sign in', async () => {
    await open('users');
    const rows = page.locator('#users-table tbody tr');
    expect(await rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-id')))).toEqual(
      (await control('users')).result.map((user: { _id: string }) => user._id),
    );
    const demo = page.locator(`#users-table tr[data-id="${DEMO._id}"]`);
    await demo.getByText('Raw JSON').click();
    const raw = JSON.parse((await demo.locator('pre').textContent()) as string);
    expect(raw).toMatchObject({ _id: DEMO._id, userName: 'demo', frUnindexedString3: 'https://example.com/goodbye' });
    expect(raw).not.toHaveProperty('password');

    await page.getByText('Add a user').click();
    await page.getByLabel('userName').fill('alice');
    await page.getByLabel('Password').fill('Alice-pw-1');
    await page.getByLabel('givenName').fill('Alice');
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.locator('#users-table tbody tr', { hasText: 'alice' }).waitFor();
    expect(await login(emulator, { userName: 'alice', password: 'Alice-pw-1' })).toMatch(/\*$/);

    // A refusal is shown in AM's words.
    await page.getByText('Add a user').click();
    await page.getByLabel('userName').fill('alice');
    await page.getByLabel('Password').fill('again');
    await page.getByRole('button', { name: 'Add the user' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/alice/);
  }, 60_000);

  it('sessions: invalidate one, then all of a user’s; the tenant clock ends the rest', async () => {
    const tokens = [await login(emulator, DEMO), await login(emulator, DEMO)];
    await open(`sessions?q=${DEMO._id}`);
    await page.locator('#session-count').filter({ hasText: '2 sessions of' }).waitFor();
    const one = acceptNextDialog();
    await page
      .locator('#sessions-table tbody tr')
      .first()
      .getByRole('button', { name: /^Invalidate the session of demo/ })
      .click();
    expect(await one).toMatch(/^Invalidate the session of demo signed in at /);
    await page.locator('#session-count').filter({ hasText: '1 session of' }).waitFor();
    expect((await control(`sessions?username=${DEMO._id}`)).result).toHaveLength(1);
    const all = acceptNextDialog();
    await page.getByRole('button', { name: `Invalidate all sessions of “${DEMO._id}”` }).click();
    expect(await all).toBe('Invalidate 1 session of 1 user (demo)? They are signed out and must sign in again.');
    await page.locator('#session-count').filter({ hasText: 'No sessions found' }).waitFor();
    for (const token of tokens) expect(await emulator.tenant.sessions.getByToken(token)).toBeUndefined();

    await login(emulator, DEMO);
    await open('clock');
    const before = await page.locator('#clock-now').textContent();
    await page.getByRole('button', { name: '+31 minutes (past the idle timeout)' }).click();
    await page
      .locator('#clock-now')
      .filter({ hasNotText: before as string })
      .waitFor();
    expect(Date.parse((await page.locator('#clock-now').textContent()) as string) - Date.parse(before as string)).toBe(
      31 * 60_000,
    );
    await open('sessions');
    await page.locator('#session-count').filter({ hasText: 'No sessions.' }).waitFor();
  }, 60_000);

  it('journeys: the list with lint results, a drawing laid out where the export has no coordinates, a node’s configuration, a link that runs it', async () => {
    await http(`${emulator.url}/__emulator/import?realm=alpha`, {
      method: 'POST',
      body: JSON.stringify({ trees: { NoCoordinates: uncoordinated() } }),
    });
    await open('journeys?realm=alpha');
    const terminate = page.locator('#journeys-table tr[data-journey="TerminateSession"]');
    expect(await terminate.locator('.badge').textContent()).toBe('clean');
    expect(await terminate.getByRole('link', { name: 'Run TerminateSession in /alpha' }).getAttribute('href')).toBe(
      '/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=TerminateSession',
    );
    const lintBadge = page.locator('#journeys-table tr[data-journey="NoCoordinates"] .badge');
    expect(await lintBadge.textContent()).toMatch(/error|warning/);

    await page.getByRole('link', { name: 'NoCoordinates', exact: true }).click();
    const drawing = page.locator('svg.journey-drawing[data-journey="NoCoordinates"]');
    await drawing.waitFor();
    const positions = await drawing
      .locator('g.node')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('transform')));
    expect(positions).toHaveLength(5);
    expect(new Set(positions).size).toBe(5);
    for (const position of positions) expect(position).toMatch(/^translate\(-?\d+(\.\d+)? -?\d+(\.\d+)?\)$/);
    // Start, then the entry node, then the next one, then the terminals: columns left to right.
    const x = async (name: string) =>
      Number(
        /translate\((-?[\d.]+)/.exec(
          (await drawing.locator(`g.node[data-name="${name}"]`).getAttribute('transform')) as string,
        )?.[1],
      );
    expect(await x('Start')).toBeLessThan(await x('Decide'));
    expect(await x('Decide')).toBeLessThan(await x('Say hello'));
    expect(await x('Say hello')).toBeLessThan(await x('Success'));
    // Connections are labelled by outcome; the unconnected one is a dangling port.
    expect(await drawing.locator('g.node[data-name="Decide"] text.outcome').allTextContents()).toEqual([
      'yes',
      'no',
      'maybe',
    ]);
    expect(await drawing.locator('path.edge[data-outcome="yes"]').getAttribute('data-to')).toBe(
      'c0de0000-0000-4000-8000-000000000002',
    );
    expect(await drawing.locator('g.node[data-name="Decide"] circle.port.dangling').count()).toBe(1);
    const findings = (await control('journeys/alpha/NoCoordinates')).problems as { message: string }[];
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings)
      expect(await page.locator('#lint-findings').textContent()).toContain(finding.message);

    // A node opens with the keyboard.
    await drawing.locator('g.node[data-name="Say hello"]').focus();
    await page.keyboard.press('Enter');
    expect(JSON.parse((await page.locator('.node-detail pre').textContent()) as string).config).toMatchObject({
      message: { en: 'Hello' },
    });

    await page.getByRole('link', { name: 'Run it' }).click();
    await page.waitForURL(`${emulator.url}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=NoCoordinates`);
    await page.getByRole('button', { name: 'OK' }).waitFor();
  }, 60_000);

  it('runs: a failed run shows the node that failed, its error and its script’s logs', async () => {
    await http(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ action: 'logoutByUser', reset: true, times: 1 }),
    });
    const token = await login(emulator, DEMO);
    await http(
      `${emulator.url}/am/json/realms/root/realms/alpha/authenticate?authIndexType=service&authIndexValue=TerminateSession`,
      {
        method: 'POST',
        headers: {
          cookie: `${emulator.cookieName}=${token}`,
          'accept-api-version': 'resource=2.1, protocol=1.0',
          'content-type': 'application/json',
        },
        body: '{}',
      },
    );
    const run = (await control('runs')).result.at(-1);
    await open(`runs/${run.id}`);
    const visit = page.locator('#visits li[data-node-id="77a268e2-aa17-4137-aa8f-4b433a9a2676"]');
    expect(await visit.locator('.outcome').textContent()).toBe('→ Error');
    expect(await visit.locator('pre.log').textContent()).toMatch(/^ERROR logoutByUser failed/);
    const drawing = page.locator('svg.journey-drawing[data-journey="TerminateSession"]');
    expect(await drawing.locator('path.edge.taken[data-outcome="Error"]').count()).toBe(1);
    expect(await drawing.locator('g.node.waiting').getAttribute('data-name')).toBe('Error Message');
  }, 60_000);

  it('stubbed nodes: marked in the journey’s drawing with a legend, and in a run’s path and visits', async () => {
    const risk = 'c0de0000-0000-4000-8000-0000000000a1';
    const hello = 'c0de0000-0000-4000-8000-0000000000a2';
    const exported = treeExport({
      name: 'Risky',
      description: 'a marketplace node the emulator does not implement',
      entry: risk,
      nodes: [
        { id: risk, type: 'AcmeRiskNode', name: 'Acme Risk', x: 100, y: 100, connections: { low: hello }, config: {} },
        {
          id: hello,
          type: 'MessageNode',
          name: 'Say hello',
          x: 400,
          y: 100,
          connections: { true: END.success, false: END.failure },
          config: { message: { en: 'Hello' }, messageYes: { en: 'OK' }, messageNo: { en: 'No' } },
        },
      ],
    });
    await http(`${emulator.url}/__emulator/import?realm=alpha`, {
      method: 'POST',
      body: JSON.stringify({ trees: { Risky: exported } }),
    });
    await open('journeys/alpha/Risky');
    const drawing = page.locator('svg.journey-drawing[data-journey="Risky"]');
    await drawing.waitFor();
    expect(await drawing.locator('g.node.stubbed').getAttribute('data-name')).toBe('Acme Risk');
    expect(await drawing.locator('g.node.stubbed text.type').textContent()).toBe('stub · AcmeRiskNode');
    expect(await drawing.locator('g.node[data-name="Say hello"]').getAttribute('class')).not.toContain('stubbed');
    expect(await page.locator('.stub-legend').textContent()).toContain('Stubbed: 1 node(s)');

    await http(
      `${emulator.url}/am/json/realms/root/realms/alpha/authenticate?authIndexType=service&authIndexValue=Risky`,
      {
        method: 'POST',
        headers: { 'accept-api-version': 'resource=2.1, protocol=1.0', 'content-type': 'application/json' },
        body: '{}',
      },
    );
    const run = (await control('runs')).result.at(-1);
    await open(`runs/${run.id}`);
    const path = page.locator('svg.journey-drawing[data-journey="Risky"]');
    expect(await path.locator('g.node.stubbed.visited').getAttribute('data-name')).toBe('Acme Risk');
    expect(await path.locator('path.edge.taken[data-outcome="low"]').count()).toBe(1);
    expect(await page.locator(`#visits li[data-node-id="${risk}"] .badge.stubbed`).textContent()).toBe(
      ' stubbed (default)',
    );
  }, 60_000);

  it('faults, stubs, ESVs, the journal and the tenant: added and removed from the forms', async () => {
    await open('faults');
    await page.getByLabel('_action').fill('logoutByUser');
    await page.getByLabel('Status').fill('503');
    await page.getByLabel('Times').fill('2');
    await page.getByRole('button', { name: 'Add the fault' }).click();
    await page.locator('#faults-table tbody tr').waitFor();
    expect((await control('faults')).result).toMatchObject([{ action: 'logoutByUser', status: 503, times: 2 }]);
    await page.getByRole('button', { name: 'Delete the fault on logoutByUser' }).click();
    await page.getByText('No faults.').waitFor();
    expect((await control('faults')).result).toEqual([]);
    expect(await page.locator('main').textContent()).not.toMatch(/null|undefined/);

    await open('stubs');
    await page.getByLabel('URL').fill('https://api.example.com/*');
    await page.getByLabel('Body (JSON, or text sent as is)').fill('{"ok":true}');
    await page.getByRole('button', { name: 'Add the stub' }).click();
    await page.locator('#stubs-table tbody tr', { hasText: 'https://api.example.com/*' }).waitFor();
    expect(
      (await control('stubs')).result.find((stub: { url: string }) => stub.url === 'https://api.example.com/*'),
    ).toMatchObject({ status: 200, body: { ok: true } });
    const stubs = acceptNextDialog();
    await page.getByRole('button', { name: 'Delete all stubs' }).click();
    expect(await stubs).toMatch(/^Delete all \d+ stubs?\?/);
    await page.getByText('No stubs.').waitFor();
    // An invalid stub is refused in the control API's words.
    await page.getByLabel('URL').fill('not a url');
    await page.getByRole('button', { name: 'Add the stub' }).click();
    await page.getByRole('alert').waitFor();
    expect((await control('stubs')).result).toEqual([]);

    await open('esvs');
    await page.getByLabel('Name').fill('esv-external-url');
    await page.getByLabel('Value').fill('https://example.com/ext');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#esvs-table tr[data-name="esv-external-url"]', { hasText: 'esv.external.url' }).waitFor();
    expect((await control('esvs')).result).toContainEqual({
      name: 'esv-external-url',
      value: 'https://example.com/ext',
    });

    await login(emulator, DEMO);
    await open('journal?filter=authenticate');
    const entries = page.locator('#journal-table tbody tr');
    await entries.first().waitFor();
    expect(await entries.first().textContent()).toContain('/am/json/realms/root/realms/alpha/authenticate');

    await open('tenant');
    expect(await page.locator('#cookie-name').textContent()).toBe(emulator.cookieName);
    expect(await page.locator('#admin-token').textContent()).not.toContain(emulator.adminToken);
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.locator('#admin-token').textContent()).toBe(emulator.adminToken);
  }, 60_000);

  it('oauth2: the clients, a grant a token request made, and a token decoded in the page', async () => {
    const secret = emulator.tenant.oauth2Clients.get('/alpha', 'demoConfidentialClient')?.clientSecret ?? '';
    const token = await http(`${emulator.url}/am/oauth2/realms/root/realms/alpha/access_token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`demoConfidentialClient:${secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    const accessToken = token.json.access_token as string;

    await open('oauth2');
    const clients = page.locator('#oauth2-clients-table tbody tr');
    expect(await clients.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')))).toEqual(
      (await control('oauth2/clients')).result.map((client: { clientId: string }) => client.clientId),
    );
    const grants = await control('oauth2/grants');
    expect(grants.result).toHaveLength(1);
    await page.locator(`#oauth2-grants-table tr[data-id="${grants.result[0].authGrantId as string}"]`).waitFor();

    await page.getByLabel(/An access, refresh or ID token/).fill(accessToken);
    await page.getByRole('button', { name: 'Decode' }).click();
    const claims = JSON.parse(
      (await page.locator('#jwt-output details').nth(1).locator('pre').textContent()) as string,
    );
    expect(claims).toMatchObject({
      client_id: 'demoConfidentialClient',
      authGrantId: grants.result[0].authGrantId,
      tokenName: 'access_token',
    });

    await page.getByRole('button', { name: 'Delete the client sdkPublicClient' }).click();
    await page.locator('#oauth2-clients-table tr[data-id="sdkPublicClient"]').waitFor({ state: 'detached' });
    expect(
      (await control('oauth2/clients')).result.map((client: { clientId: string }) => client.clientId).sort(),
    ).toEqual(['demoConfidentialClient', 'idmAdminClient']);
  }, 60_000);

  it('asks for the control token when the tenant requires one, and keeps it for the tab', async () => {
    const token = 'a-configured-control-token-for-the-console';
    const guarded = await startEmulator({ config: { controlToken: token } });
    try {
      const guardedContext = await offlineContext(browser, guarded.url);
      const guardedPage = await guardedContext.newPage();
      await guardedPage.goto(`${guarded.url}/__emulator/ui#/tenant`);
      await guardedPage.getByRole('alert').filter({ hasText: 'The control API needs its token' }).waitFor();
      await guardedPage.getByLabel('Control token').fill(token);
      await guardedPage.getByRole('button', { name: 'Use the token' }).click();
      await guardedPage.locator('#cookie-name').filter({ hasText: guarded.cookieName }).waitFor();
      // ?token= works too, and leaves the address bar.
      const second = await guardedContext.newPage();
      await second.goto(`${guarded.url}/__emulator/ui?token=${token}#/sessions`);
      await second.locator('#session-count').waitFor();
      expect(second.url()).toBe(`${guarded.url}/__emulator/ui#/sessions`);
      await guardedContext.close();
    } finally {
      await guarded.close();
    }
  }, 60_000);
});
