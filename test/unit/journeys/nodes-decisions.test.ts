/**
 * Decision nodes over the realm's users (am-external 8.0.2): Identity Store Decision and Agent
 * Data Store Decision (auth-nodes), Attribute Value Decision, Terms and Conditions Decision and
 * Display Username (idm-integration-nodes), one at a time through the NodeHarness.
 */
import { describe, expect, it } from 'vitest';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import { NodeProcessException } from '../../../emulator/journeys/nodes/node.js';
import { ALICE, BOB, NodeHarness, answer, asked, describeCallbacks, outcomeOf } from '../../helpers/node-context.js';

describe('IdentityStoreDecisionNode', () => {
  it('declares AM’s five outcomes', () => {
    expect(nodeType('IdentityStoreDecisionNode')?.outcomes({})).toEqual([
      'TRUE',
      'FALSE',
      'LOCKED',
      'CANCELLED',
      'EXPIRED',
    ]);
  });

  it('TRUE for the right password (password from any state): the user is identified, shared username unchanged', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice', password: ALICE.password } });
    expect(outcomeOf(await harness.process('IdentityStoreDecisionNode', {}))).toBe('TRUE');
    expect(harness.state.identifiedUserId).toBe(ALICE._id);
    expect(harness.state.shared['username']).toBe('alice');
  });

  it('useUniversalIdForUsername: shared username becomes the universal id', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    harness.state.transient['password'] = ALICE.password;
    const result = await harness.process('IdentityStoreDecisionNode', { useUniversalIdForUsername: true });
    expect(outcomeOf(result)).toBe('TRUE');
    expect(harness.state.shared['username']).toBe(
      harness.services.users.universalId(harness.services.users.get(ALICE._id)!),
    );
  });

  it.each([
    ['a wrong password', { username: 'alice' }, { password: 'nope' }, 'FALSE'],
    ['a blank password', { username: 'alice' }, { password: '' }, 'FALSE'],
    ['no password', { username: 'alice' }, {}, 'FALSE'],
    ['an unknown user', { username: 'nobody' }, { password: 'x' }, 'FALSE'],
    ['no username', {}, { password: ALICE.password }, 'FALSE'],
    ['an inactive account with its right password', { username: 'bob' }, { password: BOB.password }, 'LOCKED'],
    ['an inactive account with a wrong password', { username: 'bob' }, { password: 'nope' }, 'LOCKED'],
  ])('%s: %s', async (_label, shared, transient, expected) => {
    const harness = new NodeHarness({ shared });
    Object.assign(harness.state.transient, transient);
    expect(outcomeOf(await harness.process('IdentityStoreDecisionNode', {}))).toBe(expected);
    expect(harness.state.identifiedUserId).toBeUndefined();
  });

  it('bad configuration at import', () => {
    expect(
      nodeType('IdentityStoreDecisionNode')?.check?.({ minimumPasswordLength: -1, useUniversalIdForUsername: 'no' }),
    ).toEqual([
      'minimumPasswordLength must be a whole number, 0 or more',
      'useUniversalIdForUsername must be true or false',
    ]);
    expect(nodeType('IdentityStoreDecisionNode')?.check?.({ minimumPasswordLength: 8 })).toEqual([]);
  });
});

describe('AgentDataStoreDecisionNode', () => {
  it('false for any credentials: the emulator has no agent profiles', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice', password: ALICE.password } });
    expect(outcomeOf(await harness.process('AgentDataStoreDecisionNode', {}))).toBe('false');
    expect(harness.state.identifiedUserId).toBeUndefined();
  });

  it('without a password: “Unable to authenticate”', async () => {
    const harness = new NodeHarness({ shared: { username: 'agent' } });
    await expect(harness.process('AgentDataStoreDecisionNode', {})).rejects.toThrow('Unable to authenticate');
  });
});

describe('AttributeValueDecisionNode', () => {
  const users = [{ ...ALICE, preferences: { marketing: true, updates: false }, loginCount: 3 }];

  it.each([
    ['EQUALS a string, ignoring case', { comparisonAttribute: 'mail', comparisonValue: 'ALICE@example.com' }, 'true'],
    ['EQUALS another string', { comparisonAttribute: 'mail', comparisonValue: 'bob@example.com' }, 'false'],
    ['EQUALS a boolean by pointer', { comparisonAttribute: 'preferences/marketing', comparisonValue: 'true' }, 'true'],
    ['EQUALS a boolean, false', { comparisonAttribute: '/preferences/updates', comparisonValue: 'true' }, 'false'],
    ['EQUALS a number', { comparisonAttribute: 'loginCount', comparisonValue: '3' }, 'true'],
    ['EQUALS without a comparisonValue', { comparisonAttribute: 'mail' }, 'false'],
    ['PRESENT, present', { comparisonAttribute: 'givenName', comparisonOperation: 'PRESENT' }, 'true'],
    ['PRESENT, absent', { comparisonAttribute: 'telephoneNumber', comparisonOperation: 'PRESENT' }, 'false'],
  ])('%s', async (_label, config, expected) => {
    const harness = new NodeHarness({ users, shared: { username: 'alice' } });
    expect(outcomeOf(await harness.process('AttributeValueDecisionNode', config))).toBe(expected);
  });

  it('identity from objectAttributes.<identityAttribute>', async () => {
    const harness = new NodeHarness({ users, shared: { objectAttributes: { mail: ALICE.mail } } });
    const config = { identityAttribute: 'mail', comparisonAttribute: 'sn', comparisonValue: 'Liddell' };
    expect(outcomeOf(await harness.process('AttributeValueDecisionNode', config))).toBe('true');
  });

  it.each([
    ['nothing in state', {}, 'userName not present in state'],
    ['no such object', { username: 'nobody' }, 'Failed to read object'],
  ])('%s: a NodeProcessException', async (_label, shared, message) => {
    const harness = new NodeHarness({ users, shared });
    await expect(
      harness.process('AttributeValueDecisionNode', { comparisonAttribute: 'mail', comparisonValue: 'x' }),
    ).rejects.toThrow(message);
  });

  it('a number attribute compared with text that is no number: a NodeProcessException', async () => {
    const harness = new NodeHarness({ users, shared: { username: 'alice' } });
    await expect(
      harness.process('AttributeValueDecisionNode', { comparisonAttribute: 'loginCount', comparisonValue: 'many' }),
    ).rejects.toThrow(NodeProcessException);
  });

  it('bad configuration at import', () => {
    expect(nodeType('AttributeValueDecisionNode')?.check?.({ comparisonOperation: 'LIKE' })).toEqual([
      'comparisonAttribute is required',
      'comparisonOperation must be one of EQUALS, PRESENT',
    ]);
    expect(nodeType('AttributeValueDecisionNode')?.check?.({ comparisonAttribute: 'mail' })).toEqual([]);
  });
});

describe('TermsAndConditionsDecisionNode', () => {
  const accepted = (version: string) => [
    { ...ALICE, termsAccepted: { acceptDate: '2026-01-01T00:00:00Z', termsVersion: version } },
  ];

  it('true when the user accepted the active version (0.0, as a fresh tenant has it)', async () => {
    const harness = new NodeHarness({ users: accepted('0.0'), shared: { username: 'alice' } });
    expect(outcomeOf(await harness.process('TermsAndConditionsDecisionNode', {}))).toBe('true');
  });

  it('false for an older version, or none accepted', async () => {
    for (const users of [accepted('-1'), [ALICE]]) {
      const harness = new NodeHarness({ users, shared: { username: 'alice' } });
      expect(outcomeOf(await harness.process('TermsAndConditionsDecisionNode', {}))).toBe('false');
    }
  });

  it('true when no terms are active', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    harness.services.idmConfig.remove('selfservice.terms');
    expect(outcomeOf(await harness.process('TermsAndConditionsDecisionNode', {}))).toBe('true');
  });

  it('nothing in state: “userName not present in state”', async () => {
    const harness = new NodeHarness();
    await expect(harness.process('TermsAndConditionsDecisionNode', {})).rejects.toThrow(
      'userName not present in state',
    );
  });
});

describe('DisplayUserNameNode', () => {
  it('shows the user name found by mail in an information TextOutputCallback, then outcome', async () => {
    const harness = new NodeHarness({ shared: { objectAttributes: { mail: ALICE.mail } } });
    const first = await harness.process('DisplayUserNameNode', {});
    expect(describeCallbacks(first)).toEqual(['TextOutputCallback: alice']);
    expect(asked(first)[0]?.output).toEqual([
      { name: 'message', value: 'alice' },
      { name: 'messageType', value: '0' },
    ]);
    const next = await harness.process('DisplayUserNameNode', {}, { callbacks: answer(asked(first)) });
    expect(outcomeOf(next)).toBe('outcome');
  });

  it('the name from state when it is there', async () => {
    const harness = new NodeHarness({ shared: { objectAttributes: { userName: 'from-state' } } });
    expect(describeCallbacks(await harness.process('DisplayUserNameNode', {}))).toEqual([
      'TextOutputCallback: from-state',
    ]);
  });

  it.each([
    ['no such object', { objectAttributes: { mail: 'nobody@example.com' } }, 'Failed to retrieve existing object'],
    ['nothing in state', {}, 'Failed to retrieve existing object'],
  ])('%s: a NodeProcessException', async (_label, shared, message) => {
    const harness = new NodeHarness({ shared });
    await expect(harness.process('DisplayUserNameNode', {})).rejects.toThrow(message);
  });
});
