/**
 * The login page renders each callback a journey sends as an accessible form control and sends
 * the answers back over /authenticate: a scripted node asks with callbacksBuilder, the browser
 * answers through labels and buttons, and the script's record of what it received is read from
 * the run. Steps the emulator cannot make (unknown callback types, HTML descriptions) are answered
 * to the page by intercepting /authenticate, which shows what the page does with them.
 */
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http } from '../helpers/http.js';
import { startEmulator } from '../helpers/tenant.js';
import { hasChromium, journeyPage, keepScreenshots, launchBrowser, offlineContext } from './browser.js';

const ASK = `
if (callbacks.isEmpty()) {
  callbacksBuilder.textOutputCallback(1, "Tell us about yourself");
  callbacksBuilder.textInputCallback("Favourite colour", "blue");
  callbacksBuilder.choiceCallback("Pick a fruit", ["Apple", "Banana", "Cherry"], 0);
  callbacksBuilder.hiddenValueCallback("clientData", "hidden-42");
  callbacksBuilder.booleanAttributeInputCallback("preferences/updates", "Send me updates", false, false);
  callbacksBuilder.stringAttributeInputCallback("mail", "Email address", "", true);
  callbacksBuilder.termsAndConditionsCallback("1.0", "Be nice to each other.", "2026-01-01T00:00:00Z");
  callbacksBuilder.confirmationCallback(0, ["Submit", "Cancel"], 0);
} else {
  nodeState.putShared("result", {
    text: String(callbacks.getTextInputCallbacks().get(0)),
    choice: callbacks.getChoiceCallbacks().get(0)[0],
    hidden: String(callbacks.getHiddenValueCallbacks().get("clientData")),
    updates: callbacks.getBooleanAttributeInputCallbacks().get(0),
    mail: String(callbacks.getStringAttributeInputCallbacks().get(0)),
    terms: callbacks.getTermsAndConditionsCallbacks().get(0),
    confirmation: callbacks.getConfirmationCallbacks().get(0)
  });
  action.goTo("done");
}
`;

const REGISTER = `
if (callbacks.isEmpty()) {
  callbacksBuilder.validatedUsernameCallback("Choose a username", {});
  callbacksBuilder.validatedPasswordCallback("Choose a password", false, {});
  callbacksBuilder.numberAttributeInputCallback("age", "Age", 30, false);
} else if (!nodeState.get("waited")) {
  nodeState.putShared("result", {
    username: String(callbacks.getValidatedUsernameCallbacks().get(0).value),
    // Run records mask anything under a password-like key: the length says enough.
    pwLength: String(callbacks.getValidatedPasswordCallbacks().get(0).value).length,
    age: callbacks.getNumberAttributeInputCallbacks().get(0)
  });
  nodeState.putShared("waited", true);
  callbacksBuilder.pollingWaitCallback(300, "Waiting for your approval");
} else {
  action.goTo("done");
}
`;

const REDIRECT = `
callbacksBuilder.redirectCallback("https://idp.example.com/authorize?client_id=app&state=xyz", null, "GET");
action.goTo("done");
`;

function probe(name: string, source: string, index: number): Record<string, unknown> {
  const node = `e2e00000-0000-4000-8000-00000000000${index}`;
  const script = `f2e00000-0000-4000-8000-00000000000${index}`;
  return treeExport({
    name,
    description: `${name} (e2e probe)`,
    entry: node,
    nodes: [
      {
        id: node,
        type: 'ScriptedDecisionNode',
        name,
        x: 150,
        y: 150,
        connections: { done: END.failure },
        config: { script, outcomes: ['done'], inputs: ['*'], outputs: ['*'] },
      },
    ],
    scripts: [
      {
        id: script,
        name: `${name} script`,
        description: '',
        source,
        context: 'SCRIPTED_DECISION_NODE',
        evaluatorVersion: '2.0',
      },
    ],
  });
}

describe.skipIf(!hasChromium())('the login page’s callbacks', () => {
  let browser: Browser;
  let emulator: Emulator;
  let context: BrowserContext;

  beforeAll(async () => {
    [browser, emulator] = await Promise.all([
      launchBrowser(),
      startEmulator({
        journeys: [
          {
            trees: {
              AskEverything: probe('AskEverything', ASK, 1),
              RedirectProbe: probe('RedirectProbe', REDIRECT, 2),
              Register: probe('Register', REGISTER, 3),
            },
          },
        ],
      }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });
  beforeEach(async () => {
    context = await offlineContext(browser, emulator.url);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await keepScreenshots(context, task.name);
    await context.close();
  });

  const lastResult = async (journey = 'AskEverything') => {
    const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result as {
      journey: string;
      visits: { shared: { key: string; after?: unknown }[] }[];
    }[];
    const run = runs.filter((entry) => entry.journey === journey).at(-1);
    return run?.visits.flatMap((visit) => visit.shared).find((change) => change.key === 'result')?.after;
  };

  async function openAsk(page: Page): Promise<void> {
    await page.goto(journeyPage(emulator.url, 'AskEverything'));
    await page.getByRole('heading', { name: 'AskEverything' }).waitFor();
  }

  it('renders every callback with a label and sends the answers back', async () => {
    const page = await context.newPage();
    await openAsk(page);
    expect(await page.locator('p.message.warning').textContent()).toBe('Tell us about yourself');
    const colour = page.getByLabel('Favourite colour');
    expect(await colour.inputValue()).toBe('blue');
    await colour.fill('green');
    expect(await page.getByRole('group', { name: 'Pick a fruit' }).count()).toBe(1);
    expect(await page.getByLabel('Apple').isChecked()).toBe(true);
    await page.getByLabel('Banana').check();
    expect(await page.locator('input[type=hidden]#clientData').inputValue()).toBe('hidden-42');
    await page.getByLabel('Send me updates').check();
    await page.getByLabel('Email address *').fill('ada@example.com');
    expect(await page.getByRole('region', { name: 'Terms and conditions' }).textContent()).toBe(
      'Be nice to each other.',
    );
    await page.getByLabel('I accept the terms and conditions (version 1.0)').check();
    // The ConfirmationCallback's options are the form's buttons (no extra Next button).
    expect(await page.getByRole('button').allTextContents()).toEqual(['Submit', 'Cancel']);
    await page.getByRole('button', { name: 'Submit' }).click();
    // The journey then ends at Failure with no failureUrl: AM's message and a restart.
    await page.getByRole('alert').filter({ hasText: 'Login failure' }).waitFor();
    expect(await lastResult()).toEqual({
      text: 'green',
      choice: 1,
      hidden: 'hidden-42',
      updates: true,
      mail: 'ada@example.com',
      terms: true,
      confirmation: 0,
    });
  }, 60_000);

  it('the other confirmation option, and defaults left as they are', async () => {
    const page = await context.newPage();
    await openAsk(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Start again' }).waitFor();
    expect(await lastResult()).toEqual({
      text: 'blue',
      choice: 0,
      hidden: 'hidden-42',
      updates: false,
      mail: '',
      terms: false,
      confirmation: 1,
    });
    // Start again runs the journey from its first step.
    await page.getByRole('button', { name: 'Start again' }).click();
    await page.getByLabel('Favourite colour').waitFor();
  }, 60_000);

  it('validated username and password, a number, then a polling wait that submits itself', async () => {
    const page = await context.newPage();
    await page.goto(journeyPage(emulator.url, 'Register'));
    await page.getByLabel('Choose a username').fill('ada');
    const password = page.getByLabel('Choose a password');
    expect(await password.getAttribute('type')).toBe('password');
    expect(await password.getAttribute('autocomplete')).toBe('new-password');
    await password.fill('S3cret-pw');
    const age = page.getByLabel('Age');
    expect(await age.inputValue()).toBe('30');
    await age.fill('41');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('status').filter({ hasText: 'Waiting for your approval' }).waitFor();
    expect(await page.getByRole('button').count()).toBe(0);
    // After its waitTime the page answers the step by itself; the journey then ends at Failure.
    await page.getByRole('alert').filter({ hasText: 'Login failure' }).waitFor();
    expect(await lastResult('Register')).toEqual({ username: 'ada', pwLength: 'S3cret-pw'.length, age: 41 });
  }, 60_000);

  it('follows a RedirectCallback', async () => {
    const page = await context.newPage();
    await page.route('https://idp.example.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>The identity provider</h1>' }),
    );
    await page.goto(journeyPage(emulator.url, 'RedirectProbe'));
    await page.waitForURL('https://idp.example.com/authorize?client_id=app&state=xyz');
    expect(await page.locator('h1').textContent()).toBe('The identity provider');
  }, 60_000);

  it('shows an unknown callback as JSON with fields for its inputs, and keeps only safe HTML of a description', async () => {
    const page = await context.newPage();
    const posted: unknown[] = [];
    const step = {
      authId: 'an-auth-id',
      header: 'Security question',
      description:
        'Read <b>this</b><script>window.hacked = true</script><img src=x onerror="window.hacked = true"> <a href="javascript:window.hacked = true">bad link</a> <a href="#/service/Registration">Create an account</a>',
      callbacks: [
        {
          type: 'KbaCreateCallback',
          output: [
            { name: 'prompt', value: 'Choose a question' },
            { name: 'predefinedQuestions', value: ['Your first pet?'] },
          ],
          input: [
            { name: 'IDToken1question', value: '' },
            { name: 'IDToken1answer', value: '' },
          ],
          _id: 0,
        },
        {
          type: 'PasswordCallback',
          output: [{ name: 'prompt', value: 'One-time code' }],
          input: [{ name: 'IDToken2', value: '' }],
          _id: 1,
        },
        {
          type: 'ValidatedCreatePasswordCallback',
          output: [
            { name: 'echoOn', value: false },
            { name: 'policies', value: {} },
            { name: 'failedPolicies', value: ['{"params":{"minLength":8},"policyRequirement":"MIN_LENGTH"}'] },
            { name: 'validateOnly', value: false },
            { name: 'prompt', value: 'New password' },
          ],
          input: [
            { name: 'IDToken3', value: '' },
            { name: 'IDToken3validateOnly', value: false },
          ],
          _id: 2,
        },
      ],
    };
    await page.route('**/am/json/realms/root/realms/alpha/authenticate**', async (route, request: Request) => {
      posted.push(request.postDataJSON());
      if (posted.length === 1)
        return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(step) });
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ code: 401, reason: 'Unauthorized', message: 'Login failure' }),
      });
    });
    await page.goto(journeyPage(emulator.url, 'Login'));
    await page.getByRole('heading', { name: 'Security question' }).waitFor();
    const description = page.locator('.step-description');
    expect(await description.locator('b').textContent()).toBe('this');
    expect(await description.locator('script, img').count()).toBe(0);
    expect(await description.getByText('bad link').getAttribute('href')).toBeNull();
    expect(await description.getByRole('link', { name: 'Create an account' }).getAttribute('href')).toBe(
      '/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=Registration',
    );
    expect(await page.evaluate('window.hacked')).toBeUndefined();
    await page.getByText('KbaCreateCallback (shown as JSON').click();
    expect(await page.locator('.unknown-callback pre').textContent()).toContain('"predefinedQuestions"');
    await page.getByLabel('IDToken1question').fill('Your first pet?');
    await page.getByLabel('IDToken1answer').fill('Rex');
    await page.getByLabel('One-time code').fill('123456');
    const newPassword = page.getByLabel('New password');
    expect(await newPassword.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await newPassword.getAttribute('aria-describedby')) as string;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('MIN_LENGTH (minLength 8)');
    await newPassword.fill('longer-password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Login failure' }).waitFor();
    expect(posted[0]).toEqual({});
    expect(posted[1]).toEqual({
      ...step,
      callbacks: [
        {
          ...step.callbacks[0],
          input: [
            { name: 'IDToken1question', value: 'Your first pet?' },
            { name: 'IDToken1answer', value: 'Rex' },
          ],
        },
        { ...step.callbacks[1], input: [{ name: 'IDToken2', value: '123456' }] },
        {
          ...step.callbacks[2],
          input: [
            { name: 'IDToken3', value: 'longer-password' },
            { name: 'IDToken3validateOnly', value: false },
          ],
        },
      ],
    });
  }, 60_000);

  it('restarts a journey whose step timed out (errorCode 110), as AIC’s page does', async () => {
    const page = await context.newPage();
    let calls = 0;
    await page.route('**/am/json/realms/root/realms/alpha/authenticate**', async (route) => {
      calls += 1;
      if (calls === 2)
        return route.fulfill({
          status: 401,
          contentType: 'application/json',
          body: JSON.stringify({
            code: 401,
            reason: 'Unauthorized',
            message: 'Session has timed out',
            detail: { errorCode: '110' },
          }),
        });
      return route.fallback();
    });
    await page.goto(journeyPage(emulator.url, 'Login'));
    await page.getByLabel('User Name').fill('demo');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your sign-in session timed out. Please start again.' }).waitFor();
    expect(await page.getByLabel('User Name').inputValue()).toBe('');
    expect(calls).toBe(3);
  }, 60_000);
});
