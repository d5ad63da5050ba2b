/**
 * The nodes that find, check or change the journey's user, one at a time through a NodeContext
 * over a UserDirectory (no tenant, no HTTP): Data Store Decision, Identify Existing User, Increment
 * Login Count, Login Count Decision, Query Filter Decision, Attribute Present Decision, Patch
 * Object, Create Object, Account Lockout, Get Session Data. Each outcome taken is checked against
 * the node's declared outcomes (the harness).
 */
import { describe, expect, it } from 'vitest';
import { NodeProcessException } from '../../../emulator/journeys/nodes/node.js';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import { ALICE, BOB, CLOCK_START, NodeHarness, outcomeOf, sessionOf } from '../../helpers/node-context.js';

describe('DataStoreDecisionNode', () => {
  it('true for the right password (user name matched case-insensitively): the user is identified for the session', async () => {
    const harness = new NodeHarness({ shared: { username: 'ALICE' } });
    harness.state.transient['password'] = ALICE.password;
    expect(outcomeOf(await harness.process('DataStoreDecisionNode', {}))).toBe('true');
    expect(harness.state.identifiedUserId).toBe(ALICE._id);
  });

  it('reads the password from secure state when transient has none', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    harness.state.secure['password'] = ALICE.password;
    expect(outcomeOf(await harness.process('DataStoreDecisionNode', {}))).toBe('true');
  });

  it.each([
    ['a wrong password', { username: 'alice' }, { password: 'nope' }],
    ['an unknown user', { username: 'nobody' }, { password: ALICE.password }],
    ['an inactive account with its right password', { username: 'bob' }, { password: BOB.password }],
    ['a blank password', { username: 'alice' }, { password: '' }],
    ['no password at all', { username: 'alice' }, {}],
    ['no username', {}, { password: ALICE.password }],
  ])('false for %s, and nobody is identified', async (_label, shared, transient) => {
    const harness = new NodeHarness({ shared });
    Object.assign(harness.state.transient, transient);
    expect(outcomeOf(await harness.process('DataStoreDecisionNode', {}))).toBe('false');
    expect(harness.state.identifiedUserId).toBeUndefined();
  });

  it('looks in the journey’s realm only', async () => {
    const harness = new NodeHarness({
      users: [{ realm: 'bravo', userName: 'alice', password: 'other' }],
      shared: { username: 'alice' },
    });
    harness.state.transient['password'] = 'other';
    expect(outcomeOf(await harness.process('DataStoreDecisionNode', {}))).toBe('false');
  });
});

describe('IdentifyExistingUserNode', () => {
  it('finds the user by identityAttribute (default mail) from objectAttributes: true, shared _id, username and objectAttributes.<identifier>', async () => {
    const harness = new NodeHarness({ shared: { objectAttributes: { mail: 'ALICE@example.com' } } });
    expect(outcomeOf(await harness.process('IdentifyExistingUserNode', {}))).toBe('true');
    expect(harness.state.shared).toEqual({
      objectAttributes: { mail: 'ALICE@example.com', userName: 'alice' },
      _id: ALICE._id,
      username: 'alice',
    });
    expect(harness.state.identifiedUserId).toBe(ALICE._id);
  });

  it('with identifier mail: shared username is the user’s mail', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    const result = await harness.process('IdentifyExistingUserNode', {
      identityAttribute: 'userName',
      identifier: 'mail',
    });
    expect(outcomeOf(result)).toBe('true');
    expect(harness.state.shared['username']).toBe(ALICE.mail);
  });

  it('false when nobody matches, writing nothing', async () => {
    const harness = new NodeHarness({ shared: { objectAttributes: { mail: 'nobody@example.com' } } });
    expect(outcomeOf(await harness.process('IdentifyExistingUserNode', {}))).toBe('false');
    expect(harness.state.shared).toEqual({ objectAttributes: { mail: 'nobody@example.com' } });
    expect(harness.state.identifiedUserId).toBeUndefined();
  });
});

describe('IncrementLoginCountNode', () => {
  it('adds one to the user’s loginCount and sets lastLogin to the tenant clock', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    expect(outcomeOf(await harness.process('IncrementLoginCountNode', { identityAttribute: 'userName' }))).toBe(
      'outcome',
    );
    harness.services.clock.advance(3600);
    await harness.process('IncrementLoginCountNode', {});
    const user = harness.services.users.get(ALICE._id);
    expect(user?.attributes['loginCount']).toBe(2);
    expect(user?.attributes['lastLogin']).toBe(new Date(Date.parse(CLOCK_START) + 3_600_000).toISOString());
  });

  it('without a user: only a warning in the run, and the journey goes on', async () => {
    const harness = new NodeHarness({ shared: { username: 'nobody' } });
    expect(outcomeOf(await harness.process('IncrementLoginCountNode', {}))).toBe('outcome');
    expect(harness.logs).toEqual(['warn: Increment Login Count: no user to count a login for']);
  });
});

describe('LoginCountDecisionNode', () => {
  const decide = async (count: number | undefined, config: Record<string, unknown>) => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    if (count !== undefined) harness.services.users.update(ALICE._id, { loginCount: count });
    return outcomeOf(await harness.process('LoginCountDecisionNode', config));
  };

  it('AT n: true when the count is exactly n', async () => {
    const config = { interval: 'AT', amount: 3 };
    expect([await decide(2, config), await decide(3, config), await decide(4, config)]).toEqual([
      'false',
      'true',
      'false',
    ]);
  });

  it('EVERY n: true at each multiple of n, never at zero', async () => {
    const config = { interval: 'EVERY', amount: 2 };
    expect([
      await decide(undefined, config),
      await decide(1, config),
      await decide(2, config),
      await decide(3, config),
      await decide(4, config),
    ]).toEqual(['false', 'false', 'true', 'false', 'true']);
  });

  it('an amount that is not positive → false; a numeric string counts', async () => {
    expect(await decide(0, { interval: 'AT', amount: 0 })).toBe('false');
    expect(await decide(3, { interval: 'AT', amount: '3' })).toBe('true');
  });

  it('without a user: a NodeProcessException (AM cannot read the identity)', async () => {
    const harness = new NodeHarness({ shared: { username: 'nobody' } });
    await expect(harness.process('LoginCountDecisionNode', { amount: 1 })).rejects.toThrow(NodeProcessException);
  });
});

describe('QueryFilterDecisionNode', () => {
  it('true when the user (as IDM sees them, objectAttributes over it) matches the filter, false when not', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    expect(outcomeOf(await harness.process('QueryFilterDecisionNode', { queryFilter: 'givenName eq "Alice"' }))).toBe(
      'true',
    );
    expect(outcomeOf(await harness.process('QueryFilterDecisionNode', { queryFilter: 'givenName eq "Bob"' }))).toBe(
      'false',
    );
    harness.state.shared['objectAttributes'] = { givenName: 'Bob' };
    expect(outcomeOf(await harness.process('QueryFilterDecisionNode', { queryFilter: 'givenName eq "Bob"' }))).toBe(
      'true',
    );
    expect(
      outcomeOf(await harness.process('QueryFilterDecisionNode', { queryFilter: '!(/preferences pr)' })),
      'a user without preferences',
    ).toBe('true');
  });

  it('false without a user; false with an error in the run for a filter that does not parse (check reports it)', async () => {
    const nobody = new NodeHarness({ shared: { username: 'nobody' } });
    expect(outcomeOf(await nobody.process('QueryFilterDecisionNode', { queryFilter: 'true' }))).toBe('false');
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    expect(outcomeOf(await harness.process('QueryFilterDecisionNode', { queryFilter: 'givenName eq' }))).toBe('false');
    expect(harness.logs).toHaveLength(1);
    expect(harness.logs[0]).toMatch(/^error: Query Filter Decision: /);
    expect(nodeType('QueryFilterDecisionNode')?.check?.({ queryFilter: 'givenName eq' })).toEqual([
      expect.stringMatching(/^queryFilter does not parse: /),
    ]);
    expect(nodeType('QueryFilterDecisionNode')?.check?.({ queryFilter: 'givenName eq "x"' })).toEqual([]);
  });
});

describe('AttributePresentDecisionNode', () => {
  it('true when the user has the attribute, false when not; the password (the default) is present', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    expect(outcomeOf(await harness.process('AttributePresentDecisionNode', { presentAttribute: 'mail' }))).toBe('true');
    expect(
      outcomeOf(await harness.process('AttributePresentDecisionNode', { presentAttribute: 'telephoneNumber' })),
    ).toBe('false');
    expect(outcomeOf(await harness.process('AttributePresentDecisionNode', {}))).toBe('true');
  });

  it('without a user: a NodeProcessException', async () => {
    const harness = new NodeHarness({ shared: { username: 'nobody' } });
    await expect(harness.process('AttributePresentDecisionNode', { presentAttribute: 'mail' })).rejects.toThrow(
      'Attribute Present Decision: no user to read the attribute of',
    );
  });
});

describe('PatchObjectNode', () => {
  it('writes shared objectAttributes, transient over them, minus ignoredFields and _id → PATCHED', async () => {
    const harness = new NodeHarness({
      shared: { username: 'alice', objectAttributes: { givenName: 'Alicia', sn: 'Keep', _id: 'forged' } },
    });
    harness.state.transient['objectAttributes'] = { givenName: 'Ally', description: 'from transient' };
    const result = await harness.process('PatchObjectNode', { ignoredFields: ['sn'], identityAttribute: 'userName' });
    expect(outcomeOf(result)).toBe('PATCHED');
    const user = harness.services.users.get(ALICE._id);
    expect(user?.attributes).toMatchObject({ givenName: 'Ally', sn: 'Liddell', description: 'from transient' });
    expect(harness.services.users.get('forged')).toBeUndefined();
  });

  it('FAILURE without a user, and FAILURE (logged, user unchanged) when the directory refuses the change', async () => {
    const nobody = new NodeHarness({ shared: { username: 'nobody', objectAttributes: { sn: 'x' } } });
    expect(outcomeOf(await nobody.process('PatchObjectNode', {}))).toBe('FAILURE');
    // The emptied userName finds nobody: the user is the one identified earlier (a Data Store Decision's).
    const harness = new NodeHarness({ shared: { username: 'alice', objectAttributes: { userName: '', sn: 'x' } } });
    harness.state.identifiedUserId = ALICE._id;
    expect(outcomeOf(await harness.process('PatchObjectNode', {}))).toBe('FAILURE');
    expect(harness.logs).toEqual(['error: Patch Object: userName must be a non-empty string']);
    expect(harness.services.users.get(ALICE._id)?.attributes['sn']).toBe('Liddell');
  });
});

describe('CreateObjectNode', () => {
  it('CREATED: a user of the journey’s realm from objectAttributes (transient over shared), not identified', async () => {
    const harness = new NodeHarness({
      shared: { objectAttributes: { userName: 'carol', givenName: 'Carol', mail: 'carol@example.com' } },
    });
    harness.state.transient['objectAttributes'] = { password: 'Carol123' };
    expect(outcomeOf(await harness.process('CreateObjectNode', {}))).toBe('CREATED');
    const carol = harness.services.users.findByUserName('/alpha', 'carol');
    expect(carol).toMatchObject({ realm: '/alpha', password: 'Carol123', attributes: { givenName: 'Carol' } });
    expect(harness.state.identifiedUserId).toBeUndefined();
  });

  it('FAILURE, logged, for a userName that exists or a missing password; nobody is created', async () => {
    for (const attributes of [{ userName: 'alice', password: 'x' }, { userName: 'dave' }]) {
      const harness = new NodeHarness({ shared: { objectAttributes: attributes } });
      expect(outcomeOf(await harness.process('CreateObjectNode', {}))).toBe('FAILURE');
      expect(harness.logs).toHaveLength(1);
      expect(harness.logs[0]).toMatch(/^error: Create Object: /);
      expect(harness.services.users.list('/alpha')).toHaveLength(2);
    }
  });
});

describe('AccountLockoutNode', () => {
  it('LOCK makes the journey’s user inactive, UNLOCK active again', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    expect(outcomeOf(await harness.process('AccountLockoutNode', { lockAction: 'LOCK' }))).toBe('outcome');
    expect(harness.services.users.get(ALICE._id)?.accountStatus).toBe('inactive');
    await harness.process('AccountLockoutNode', { lockAction: 'UNLOCK' });
    expect(harness.services.users.get(ALICE._id)?.accountStatus).toBe('active');
  });

  it('without a user: the outcome, and no user changes', async () => {
    const harness = new NodeHarness({ shared: { username: 'nobody' } });
    expect(outcomeOf(await harness.process('AccountLockoutNode', {}))).toBe('outcome');
    expect(harness.services.users.list().map((user) => user.accountStatus)).toEqual(['active', 'inactive']);
  });
});

describe('SessionDataNode', () => {
  it('copies a property of the caller’s session into shared state, under sharedStateKey or its own name', async () => {
    const harness = new NodeHarness();
    const existingSession = sessionOf(harness.services, ALICE._id, { properties: { Colour: 'blue' } });
    await harness.process(
      'SessionDataNode',
      { sessionDataKey: 'Colour', sharedStateKey: 'colour' },
      { existingSession },
    );
    await harness.process('SessionDataNode', { sessionDataKey: 'Colour' }, { existingSession });
    await harness.process('SessionDataNode', { sessionDataKey: 'UserId', sharedStateKey: 'who' }, { existingSession });
    await harness.process('SessionDataNode', { sessionDataKey: 'AMCtxId', sharedStateKey: 'ctx' }, { existingSession });
    expect(harness.state.shared).toEqual({ colour: 'blue', Colour: 'blue', who: ALICE._id, ctx: 'ctx-existing' });
  });

  it('without a session, or for a property the session lacks: writes nothing', async () => {
    const harness = new NodeHarness();
    expect(outcomeOf(await harness.process('SessionDataNode', { sessionDataKey: 'UserId' }))).toBe('outcome');
    const existingSession = sessionOf(harness.services, ALICE._id);
    await harness.process('SessionDataNode', { sessionDataKey: 'Missing' }, { existingSession });
    expect(harness.state.shared).toEqual({});
  });
});
