/**
 * The nodes that ask the user something, one at a time through a NodeContext (no tenant, no HTTP):
 * the callbacks each asks for, when it asks again, what it keeps of the answers and where (shared
 * or transient state), and the outcome it then takes. Message, Page, Username/Password Collector,
 * Platform Username/Password, Create Password, Attribute Collector, Accept Terms and Conditions,
 * Zero Page Login. Each outcome taken is checked against the node's declared outcomes (the harness).
 */
import { describe, expect, it } from 'vitest';
import { NodeProcessException } from '../../../emulator/journeys/nodes/node.js';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import {
  ALICE,
  CLOCK_START,
  NodeHarness,
  addNodeConfig,
  answer,
  asked,
  describeCallbacks,
  inputs,
  outcomeOf,
  output,
} from '../../helpers/node-context.js';

describe('UsernameCollectorNode', () => {
  it('asks for a NameCallback "User Name"; the answer goes to shared username → outcome', async () => {
    const harness = new NodeHarness();
    const first = await harness.process('UsernameCollectorNode', {});
    expect(describeCallbacks(first)).toEqual(['NameCallback: User Name']);
    const done = await harness.process('UsernameCollectorNode', {}, { callbacks: answer(asked(first), 'alice') });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.shared).toEqual({ username: 'alice' });
    expect(harness.state.transient).toEqual({});
  });

  it('asks again for an empty name, and takes a name of spaces as it is', async () => {
    const harness = new NodeHarness();
    const first = asked(await harness.process('UsernameCollectorNode', {}));
    const empty = await harness.process('UsernameCollectorNode', {}, { callbacks: answer(first, '') });
    expect(describeCallbacks(empty)).toEqual(['NameCallback: User Name']);
    expect(harness.state.shared).toEqual({});
    const spaces = await harness.process('UsernameCollectorNode', {}, { callbacks: answer(first, '  ') });
    expect(outcomeOf(spaces)).toBe('outcome');
    expect(harness.state.shared['username']).toBe('  ');
  });
});

describe('PasswordCollectorNode', () => {
  it('asks for a PasswordCallback "Password"; the answer goes to transient password, not shared', async () => {
    const harness = new NodeHarness();
    const first = await harness.process('PasswordCollectorNode', {});
    expect(describeCallbacks(first)).toEqual(['PasswordCallback: Password']);
    const empty = await harness.process('PasswordCollectorNode', {}, { callbacks: answer(asked(first), '') });
    expect(describeCallbacks(empty)).toEqual(['PasswordCallback: Password']);
    const done = await harness.process('PasswordCollectorNode', {}, { callbacks: answer(asked(first), 'pw') });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.transient).toEqual({ password: 'pw' });
    expect(harness.state.shared).toEqual({});
  });
});

describe('ValidatedUsernameNode', () => {
  it('without validation: a NameCallback; the answer goes to shared username and objectAttributes.<usernameAttribute>', async () => {
    const harness = new NodeHarness();
    const config = { usernameAttribute: 'mail', validateInput: false };
    const first = await harness.process('ValidatedUsernameNode', config);
    expect(describeCallbacks(first)).toEqual(['NameCallback: User Name']);
    const done = await harness.process('ValidatedUsernameNode', config, {
      callbacks: answer(asked(first), 'a@example.com'),
    });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.shared).toEqual({ username: 'a@example.com', objectAttributes: { mail: 'a@example.com' } });
  });

  it('with validation: a ValidatedCreateUsernameCallback with the policies; "/" fails, validateOnly asks again, blank is REQUIRED', async () => {
    const harness = new NodeHarness();
    const config = { validateInput: true };
    const first = asked(await harness.process('ValidatedUsernameNode', config));
    expect(first.map((callback) => callback.type)).toEqual(['ValidatedCreateUsernameCallback']);
    expect(output(first[0], 'prompt')).toBe('Username');
    expect(output(first[0], 'failedPolicies')).toEqual([]);
    expect((output(first[0], 'policies') as { name: string }).name).toBe('userName');

    const slash = asked(await harness.process('ValidatedUsernameNode', config, { callbacks: answer(first, 'a/b') }));
    expect(output(slash[0], 'failedPolicies')).toEqual([
      '{"params":{"forbiddenChars":["/"]},"policyRequirement":"CANNOT_CONTAIN_CHARACTERS"}',
    ]);
    const validateOnly = asked(
      await harness.process('ValidatedUsernameNode', config, {
        callbacks: answer(first, inputs({ '': 'fine', validateOnly: true })),
      }),
    );
    expect(output(validateOnly[0], 'failedPolicies')).toEqual([]);
    const blank = asked(await harness.process('ValidatedUsernameNode', config, { callbacks: answer(first, ' ') }));
    expect(output(blank[0], 'failedPolicies')).toEqual(['{"policyRequirement":"REQUIRED"}']);
    expect(harness.state.shared).toEqual({});

    const done = await harness.process('ValidatedUsernameNode', config, { callbacks: answer(first, 'fine') });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.shared).toEqual({ username: 'fine', objectAttributes: { userName: 'fine' } });
  });
});

describe('ValidatedPasswordNode', () => {
  it('without validation: a PasswordCallback; the answer goes to transient password and transient objectAttributes', async () => {
    const harness = new NodeHarness({ shared: { objectAttributes: { userName: 'alice' } } });
    const config = { passwordAttribute: 'password', validateInput: false };
    const first = await harness.process('ValidatedPasswordNode', config);
    expect(describeCallbacks(first)).toEqual(['PasswordCallback: Password']);
    const done = await harness.process('ValidatedPasswordNode', config, { callbacks: answer(asked(first), 'x') });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.transient).toEqual({ password: 'x', objectAttributes: { password: 'x' } });
    // The password is never put in shared state, where it would outlive the next callbacks.
    expect(harness.state.shared).toEqual({ objectAttributes: { userName: 'alice' } });
  });

  it('with validation: each policy a weak password breaks is listed; validateOnly asks again with none', async () => {
    const harness = new NodeHarness();
    const config = { validateInput: true };
    const first = asked(await harness.process('ValidatedPasswordNode', config));
    expect(first.map((callback) => callback.type)).toEqual(['ValidatedCreatePasswordCallback']);
    const weak = asked(await harness.process('ValidatedPasswordNode', config, { callbacks: answer(first, 'short') }));
    expect(output(weak[0], 'failedPolicies')).toEqual([
      '{"params":{"minLength":8},"policyRequirement":"MIN_LENGTH"}',
      '{"params":{"numCaps":1},"policyRequirement":"AT_LEAST_X_CAPITAL_LETTERS"}',
      '{"params":{"numNums":1},"policyRequirement":"AT_LEAST_X_NUMBERS"}',
    ]);
    const validateOnly = asked(
      await harness.process('ValidatedPasswordNode', config, {
        callbacks: answer(first, inputs({ '': 'Strong123', validateOnly: 'true' })),
      }),
    );
    expect(output(validateOnly[0], 'failedPolicies')).toEqual([]);
    expect(harness.state.transient).toEqual({});
    const done = await harness.process('ValidatedPasswordNode', config, { callbacks: answer(first, 'Strong123') });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.transient['password']).toBe('Strong123');
  });
});

describe('CreatePasswordNode', () => {
  it('asks twice; a mismatch or a password under minPasswordLength asks again; a match → transient password', async () => {
    const harness = new NodeHarness();
    const config = { minPasswordLength: 8 };
    const first = asked(await harness.process('CreatePasswordNode', config));
    expect(describeCallbacks({ kind: 'callbacks', callbacks: first })).toEqual([
      'PasswordCallback: New password',
      'PasswordCallback: Confirm password',
    ]);
    for (const [a, b] of [
      ['LongEnough1', 'LongEnough2'],
      ['short', 'short'],
      ['', ''],
    ] as const) {
      const again = await harness.process('CreatePasswordNode', config, { callbacks: answer(first, a, b) });
      expect(again.kind, `${a} / ${b}`).toBe('callbacks');
    }
    expect(harness.state.transient).toEqual({});
    const done = await harness.process('CreatePasswordNode', config, {
      callbacks: answer(first, 'LongEnough1', 'LongEnough1'),
    });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.transient).toEqual({ password: 'LongEnough1' });
  });
});

describe('MessageNode', () => {
  it('shows the message and buttons in the request’s language; the first button → true, any other → false', async () => {
    const harness = new NodeHarness();
    const config = {
      message: { en: 'Continue?', fr: 'Continuer ?' },
      messageYes: { en: 'Yes please', fr: 'Oui' },
      messageNo: { en: 'No thanks', fr: 'Non' },
      stateField: 'choice',
    };
    const headers = { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' };
    const first = asked(await harness.process('MessageNode', config, { headers }));
    expect(first.map((callback) => callback.type)).toEqual(['TextOutputCallback', 'ConfirmationCallback']);
    expect(output(first[0], 'message')).toBe('Continuer ?');
    expect(output(first[1], 'options')).toEqual(['Oui', 'Non']);
    expect(output(first[1], 'defaultOption')).toBe(1);

    expect(outcomeOf(await harness.process('MessageNode', config, { callbacks: answer(first, undefined, 0) }))).toBe(
      'true',
    );
    expect(harness.state.shared['choice']).toBe(0);
    expect(outcomeOf(await harness.process('MessageNode', config, { callbacks: answer(first, undefined, '1') }))).toBe(
      'false',
    );
    expect(harness.state.shared['choice']).toBe(1);
  });

  it('without configuration: "Default message", Yes and No, and no state written', async () => {
    const harness = new NodeHarness();
    const first = asked(await harness.process('MessageNode', {}));
    expect(output(first[0], 'message')).toBe('Default message');
    expect(output(first[1], 'options')).toEqual(['Yes', 'No']);
    await harness.process('MessageNode', {}, { callbacks: answer(first, undefined, 0) });
    expect(harness.state.shared).toEqual({});
  });
});

describe('PageNode', () => {
  const signIn = {
    nodes: [
      { _id: 'username', nodeType: 'ValidatedUsernameNode', displayName: 'Platform Username' },
      { _id: 'password', nodeType: 'ValidatedPasswordNode', displayName: 'Platform Password' },
    ],
    pageHeader: { en: 'Sign In' },
    pageDescription: { en: 'Welcome back' },
    stage: 'LOGIN',
  };
  const harnessWithChildren = (usernameConfig: Record<string, unknown> = { validateInput: false }) => {
    const harness = new NodeHarness();
    addNodeConfig(harness.journeys, 'username', 'ValidatedUsernameNode', usernameConfig);
    addNodeConfig(harness.journeys, 'password', 'ValidatedPasswordNode', { validateInput: false });
    return harness;
  };

  it('shows its children’s callbacks as one step with its header, description and stage; answers go back to each child', async () => {
    const harness = harnessWithChildren();
    addNodeConfig(harness.journeys, 'page', 'PageNode', signIn);
    const first = await harness.process('PageNode', signIn, { id: 'page' });
    expect(describeCallbacks(first)).toEqual(['NameCallback: User Name', 'PasswordCallback: Password']);
    expect(first).toMatchObject({ header: 'Sign In', description: 'Welcome back', stage: 'LOGIN' });
    expect(harness.state.nodeData['page']).toEqual([1, 1]);

    const done = await harness.process('PageNode', signIn, {
      id: 'page',
      callbacks: answer(asked(first), 'alice', 'pw'),
    });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.shared['username']).toBe('alice');
    expect(harness.state.transient['password']).toBe('pw');
    expect(harness.state.nodeData['page']).toBeUndefined();
    expect(harness.children.map((child) => child.id)).toEqual(['username', 'password', 'username', 'password']);
  });

  it('a version 2.0 page names its outcome after its last child: <lastChildId>-<outcome>', async () => {
    const harness = harnessWithChildren();
    addNodeConfig(harness.journeys, 'page', 'PageNode', signIn, '2.0');
    const first = asked(await harness.process('PageNode', signIn, { id: 'page' }));
    const done = await harness.process('PageNode', signIn, { id: 'page', callbacks: answer(first, 'alice', 'pw') });
    expect(outcomeOf(done)).toBe('password-outcome');
  });

  it('hands each child its own share of the answers, however many callbacks each asked for', async () => {
    const harness = new NodeHarness();
    addNodeConfig(harness.journeys, 'message', 'MessageNode', { message: { en: 'Sure?' }, stateField: 'sure' });
    addNodeConfig(harness.journeys, 'name', 'UsernameCollectorNode', {});
    const config = {
      nodes: [
        { _id: 'message', nodeType: 'MessageNode' },
        { _id: 'name', nodeType: 'UsernameCollectorNode' },
      ],
    };
    const first = asked(await harness.process('PageNode', config, { id: 'page' }));
    expect(first.map((callback) => callback.type)).toEqual([
      'TextOutputCallback',
      'ConfirmationCallback',
      'NameCallback',
    ]);
    expect(harness.state.nodeData['page']).toEqual([2, 1]);
    const done = await harness.process('PageNode', config, {
      id: 'page',
      callbacks: answer(first, undefined, 1, 'carol'),
    });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.shared).toMatchObject({ sure: 1, username: 'carol' });
  });

  it('when a child asks again, the whole page is shown again, the child with its failed policy', async () => {
    const harness = harnessWithChildren({ validateInput: true });
    const first = asked(await harness.process('PageNode', signIn, { id: 'page' }));
    const again = asked(
      await harness.process('PageNode', signIn, { id: 'page', callbacks: answer(first, 'a/b', 'pw') }),
    );
    expect(again.map((callback) => callback.type)).toEqual(['ValidatedCreateUsernameCallback', 'PasswordCallback']);
    expect(output(again[0], 'failedPolicies')).toHaveLength(1);
    expect(harness.state.shared['username']).toBeUndefined();
    expect(harness.state.nodeData['page']).toEqual([1, 1]);
  });

  it('without children, or with a child that has no configuration, is a NodeProcessException', async () => {
    const harness = new NodeHarness();
    await expect(harness.process('PageNode', { nodes: [] })).rejects.toThrow(
      new NodeProcessException('This page has no nodes in it, so cannot proceed'),
    );
    expect(nodeType('PageNode')?.check?.({ nodes: [] })).toEqual(['This page has no nodes in it, so cannot proceed']);
    await expect(
      harness.process('PageNode', { nodes: [{ _id: 'ghost', nodeType: 'MessageNode', displayName: 'Ghost' }] }),
    ).rejects.toThrow(/the page's node "Ghost" \(MessageNode\) has no configuration/);
  });
});

describe('AttributeCollectorNode', () => {
  const config = {
    attributesToCollect: ['givenName', 'mail', 'preferences/updates'],
    identityAttribute: 'userName',
    required: true,
  };

  it('renders attribute inputs by the schema’s type and title, prefilled from objectAttributes over the user', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice', objectAttributes: { mail: 'new@example.com' } } });
    const first = asked(await harness.process('AttributeCollectorNode', config));
    expect(
      first.map((callback) => [
        callback.type,
        output(callback, 'name'),
        output(callback, 'prompt'),
        output(callback, 'value'),
        output(callback, 'required'),
      ]),
    ).toEqual([
      ['StringAttributeInputCallback', 'givenName', 'First Name', ALICE.givenName, true],
      ['StringAttributeInputCallback', 'mail', 'Email Address', 'new@example.com', true],
      ['BooleanAttributeInputCallback', 'preferences/updates', 'Send me news and updates', false, true],
    ]);
  });

  it('a required attribute left empty asks again with a failed REQUIRED policy on that attribute only', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    const first = asked(await harness.process('AttributeCollectorNode', config));
    const again = asked(
      await harness.process('AttributeCollectorNode', config, { callbacks: answer(first, '', 'a@b.c', false) }),
    );
    expect(again.map((callback) => output(callback, 'failedPolicies'))).toEqual([
      ['{"policyRequirement":"REQUIRED"}'],
      [],
      [],
    ]);
    expect(harness.state.shared['objectAttributes']).toBeUndefined();
  });

  it('answers go to shared objectAttributes, nested for paths, keeping what was there', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice', objectAttributes: { sn: 'L' } } });
    const first = asked(await harness.process('AttributeCollectorNode', config));
    const done = await harness.process('AttributeCollectorNode', config, {
      callbacks: answer(first, 'Alicia', 'a@b.c', true),
    });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.shared['objectAttributes']).toEqual({
      sn: 'L',
      givenName: 'Alicia',
      mail: 'a@b.c',
      preferences: { updates: true },
    });
    // Collected, not written: the user changes only when a Patch Object node says so.
    expect(harness.services.users.get(ALICE._id)?.attributes['givenName']).toBe('Alice');
  });
});

describe('AcceptTermsAndConditionsNode', () => {
  it('asks until the terms are accepted, then records when (tenant clock) and which version', async () => {
    const harness = new NodeHarness();
    const first = asked(await harness.process('AcceptTermsAndConditionsNode', {}));
    expect(first.map((callback) => callback.type)).toEqual(['TermsAndConditionsCallback']);
    expect(output(first[0], 'version')).toBe('0.0');
    const refused = await harness.process('AcceptTermsAndConditionsNode', {}, { callbacks: answer(first, false) });
    expect(refused.kind).toBe('callbacks');
    // The version shown, as AM keeps it (IDM's selfservice.terms: 0.0 on a fresh tenant).
    expect(harness.state.shared).toEqual({ termsVersion: '0.0' });
    harness.services.clock.advance(60);
    const done = await harness.process('AcceptTermsAndConditionsNode', {}, { callbacks: answer(first, true) });
    expect(outcomeOf(done)).toBe('outcome');
    expect(harness.state.shared['termsAccepted']).toEqual({
      acceptDate: new Date(Date.parse(CLOCK_START) + 60_000).toISOString(),
      termsVersion: '0.0',
    });
  });
});

describe('ZeroPageLoginNode', () => {
  const b64 = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

  it('headers → true: shared username and transient password, RFC 2047 decoded', async () => {
    const harness = new NodeHarness();
    const result = await harness.process(
      'ZeroPageLoginNode',
      {},
      { headers: { 'x-openam-username': b64('zoë'), 'x-openam-password': 'pw' } },
    );
    expect(outcomeOf(result)).toBe('true');
    expect(harness.state.shared).toEqual({ username: 'zoë' });
    expect(harness.state.transient).toEqual({ password: 'pw' });
  });

  it('no headers (or empty ones) → false, nothing written; one of the two is enough for true', async () => {
    const harness = new NodeHarness();
    expect(outcomeOf(await harness.process('ZeroPageLoginNode', {}))).toBe('false');
    expect(
      outcomeOf(
        await harness.process(
          'ZeroPageLoginNode',
          {},
          { headers: { 'x-openam-username': '', 'x-openam-password': '' } },
        ),
      ),
    ).toBe('false');
    expect(harness.state.shared).toEqual({});
    expect(harness.state.transient).toEqual({});
    expect(
      outcomeOf(await harness.process('ZeroPageLoginNode', {}, { headers: { 'x-openam-username': 'alice' } })),
    ).toBe('true');
    expect(harness.state.shared).toEqual({ username: 'alice' });
    expect(harness.state.transient).toEqual({});
  });

  it('allowWithoutReferer false: only a Referer in referrerWhiteList → true', async () => {
    const config = { allowWithoutReferer: false, referrerWhiteList: ['https://app.example.com/'] };
    const credentials = { 'x-openam-username': 'alice', 'x-openam-password': 'pw' };
    for (const [referer, expected] of [
      [undefined, 'false'],
      ['https://evil.example/', 'false'],
      ['https://app.example.com/', 'true'],
    ] as const) {
      const harness = new NodeHarness();
      const headers = referer === undefined ? credentials : { ...credentials, referer };
      expect(outcomeOf(await harness.process('ZeroPageLoginNode', config, { headers })), String(referer)).toBe(
        expected,
      );
      expect(harness.state.shared['username'], String(referer)).toBe(expected === 'true' ? 'alice' : undefined);
    }
  });
});
