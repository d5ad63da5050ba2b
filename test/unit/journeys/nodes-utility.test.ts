/**
 * AM's utility nodes (am-external 8.0.2, auth-nodes): Set State, Choice Collector, Anonymous User
 * Mapping, State metadata (alone and in a Page Node) and Polling Wait on the tenant clock.
 */
import { describe, expect, it } from 'vitest';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import { renderCallbacks } from '../../../emulator/state/journeys/callbacks.js';
import { ALICE, NodeHarness, addNodeConfig, answer, asked, outcomeOf, output } from '../../helpers/node-context.js';

describe('SetStateNode', () => {
  it('puts each attribute into shared state, removing transient and secure copies', async () => {
    const harness = new NodeHarness({ shared: { keep: 'me', colour: 'old' } });
    harness.state.transient['colour'] = 'transient';
    harness.state.secure['level'] = 'secure';
    const result = await harness.process('SetStateNode', { attributes: { colour: 'blue', level: '2' } });
    expect(outcomeOf(result)).toBe('outcome');
    expect(harness.state.shared).toEqual({ keep: 'me', colour: 'blue', level: '2' });
    expect(harness.state.transient).toEqual({});
    expect(harness.state.secure).toEqual({});
  });

  it('bad configuration at import: values that are not text', () => {
    expect(nodeType('SetStateNode')?.check?.({ attributes: { a: 'x', b: 2 } })).toEqual([
      'attributes must be text values (not b)',
    ]);
    expect(nodeType('SetStateNode')?.check?.({ attributes: ['a'] })).toEqual([
      'attributes must be a map of names to text values',
    ]);
    expect(nodeType('SetStateNode')?.check?.({ attributes: { a: 'x' } })).toEqual([]);
  });
});

describe('ChoiceCollectorNode', () => {
  const config = { choices: ['Email', 'SMS', 'Voice'], defaultChoice: 'SMS', prompt: 'How?' };

  it('one outcome per choice; a ChoiceCallback with the default selected; the index answered is the outcome', async () => {
    expect(nodeType('ChoiceCollectorNode')?.outcomes(config)).toEqual(['Email', 'SMS', 'Voice']);
    const harness = new NodeHarness();
    const callbacks = asked(await harness.process('ChoiceCollectorNode', config));
    expect(renderCallbacks(callbacks)).toEqual([
      {
        type: 'ChoiceCallback',
        output: [
          { name: 'prompt', value: 'How?' },
          { name: 'choices', value: ['Email', 'SMS', 'Voice'] },
          { name: 'defaultChoice', value: 1 },
        ],
        input: [{ name: 'IDToken1', value: 1 }],
        _id: 0,
      },
    ]);
    expect(outcomeOf(await harness.process('ChoiceCollectorNode', config, { callbacks: answer(callbacks, 2) }))).toBe(
      'Voice',
    );
    expect(outcomeOf(await harness.process('ChoiceCollectorNode', config, { callbacks: answer(callbacks, '0') }))).toBe(
      'Email',
    );
  });

  it('a default that is no choice selects the first; a single choice is taken without asking', async () => {
    const harness = new NodeHarness();
    const callbacks = asked(await harness.process('ChoiceCollectorNode', { ...config, defaultChoice: 'Fax' }));
    expect(output(callbacks[0], 'defaultChoice')).toBe(0);
    expect(outcomeOf(await harness.process('ChoiceCollectorNode', { choices: ['Only'] }))).toBe('Only');
  });

  it('an index out of range, or no choices: a NodeProcessException', async () => {
    const harness = new NodeHarness();
    const callbacks = asked(await harness.process('ChoiceCollectorNode', config));
    await expect(harness.process('ChoiceCollectorNode', config, { callbacks: answer(callbacks, 7) })).rejects.toThrow(
      'no choice at index 7',
    );
    await expect(harness.process('ChoiceCollectorNode', { choices: [] })).rejects.toThrow('auth level');
  });

  it('bad configuration at import', () => {
    const type = nodeType('ChoiceCollectorNode');
    expect(type?.check?.({})).toEqual(['choices must list at least one choice']);
    expect(type?.check?.({ choices: ['a', 'a', 3] })).toEqual(['choices must be text', 'choices must not repeat']);
    expect(type?.check?.(config)).toEqual([]);
  });
});

describe('AnonymousUserNode', () => {
  const ANONYMOUS = { realm: 'alpha', userName: 'anonymous', password: 'unused-Secret1' };

  it('shared username ← anonymousUserName (default anonymous), and that user identified', async () => {
    const harness = new NodeHarness({ users: [ALICE, ANONYMOUS] });
    expect(outcomeOf(await harness.process('AnonymousUserNode', {}))).toBe('outcome');
    expect(harness.state.shared['username']).toBe('anonymous');
    expect(harness.state.identifiedUserId).toBe(harness.services.users.findByUserName('/alpha', 'anonymous')?._id);

    const named = new NodeHarness();
    expect(outcomeOf(await named.process('AnonymousUserNode', { anonymousUserName: 'alice' }))).toBe('outcome');
    expect(named.state.identifiedUserId).toBe(ALICE._id);
  });

  it('a user the realm does not have, or an empty name: a NodeProcessException', async () => {
    const harness = new NodeHarness();
    await expect(harness.process('AnonymousUserNode', {})).rejects.toThrow('no user "anonymous"');
    await expect(harness.process('AnonymousUserNode', { anonymousUserName: '' })).rejects.toThrow(
      'Anonymous user name could not be found in the configuration',
    );
    expect(harness.state.shared['username']).toBeUndefined();
  });

  it('bad configuration at import: an empty name', () => {
    expect(nodeType('AnonymousUserNode')?.check?.({ anonymousUserName: '' })).toHaveLength(1);
    expect(nodeType('AnonymousUserNode')?.check?.({ anonymousUserName: 'guest' })).toEqual([]);
  });
});

describe('MetadataNode', () => {
  it('a MetadataCallback with the listed shared state entries present', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice', realm: '/alpha', secret: 'no' } });
    harness.state.transient['username'] = 'not-shared';
    const callbacks = asked(await harness.process('MetadataNode', { attributes: ['username', 'realm', 'missing'] }));
    expect(renderCallbacks(callbacks)).toEqual([
      { type: 'MetadataCallback', output: [{ name: 'data', value: { username: 'alice', realm: '/alpha' } }], _id: 0 },
    ]);
  });

  it('in a Page Node: shown with the page, which goes on with the deciding node’s outcome', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    const page = {
      nodes: [
        { _id: 'meta', nodeType: 'MetadataNode', displayName: 'Metadata' },
        { _id: 'choice', nodeType: 'ChoiceCollectorNode', displayName: 'Choice' },
      ],
    };
    addNodeConfig(harness.journeys, 'meta', 'MetadataNode', { attributes: ['username'] });
    addNodeConfig(harness.journeys, 'choice', 'ChoiceCollectorNode', { choices: ['a', 'b'], prompt: 'Pick' });
    addNodeConfig(harness.journeys, 'page', 'PageNode', page);
    const first = asked(await harness.process('PageNode', page, { id: 'page' }));
    expect(first.map((callback) => callback.type)).toEqual(['MetadataCallback', 'ChoiceCallback']);
    const done = await harness.process('PageNode', page, { id: 'page', callbacks: answer(first, undefined, 1) });
    expect(outcomeOf(done)).toBe('b');
  });

  it('a page of metadata alone cannot go on', async () => {
    const harness = new NodeHarness();
    const page = { nodes: [{ _id: 'meta', nodeType: 'MetadataNode' }] };
    addNodeConfig(harness.journeys, 'meta', 'MetadataNode', { attributes: [] });
    await expect(harness.process('PageNode', page, { id: 'page' })).rejects.toThrow(
      'No outcome and only metadata callbacks found',
    );
  });

  it('bad configuration at import: attributes that are not a list of names', () => {
    expect(nodeType('MetadataNode')?.check?.({ attributes: 'username' })).toHaveLength(1);
    expect(nodeType('MetadataNode')?.check?.({ attributes: ['username'] })).toEqual([]);
  });
});

describe('PollingWaitNode', () => {
  it('outcomes: DONE, EXITED only when exitable, SPAM only with spam detection', () => {
    const type = nodeType('PollingWaitNode');
    expect(type?.outcomes({})).toEqual(['DONE']);
    expect(type?.outcomes({ exitable: true, spamDetectionEnabled: true })).toEqual(['DONE', 'EXITED', 'SPAM']);
  });

  it('waits secondsToWait on the tenant clock: PollingWaitCallback until then, DONE after, its state cleared', async () => {
    const harness = new NodeHarness();
    const config = { secondsToWait: 5, waitingMessage: { en: 'Wait {{time}} seconds' } };
    const first = asked(await harness.process('PollingWaitNode', config, { id: 'wait' }));
    expect(renderCallbacks(first)).toEqual([
      {
        type: 'PollingWaitCallback',
        output: [
          { name: 'waitTime', value: '5000' },
          { name: 'message', value: 'Wait 5 seconds' },
        ],
        _id: 0,
      },
    ]);
    const end = harness.services.clock.now() + 5000;
    expect(harness.state.shared).toEqual({ 'wait.end_time': end, 'wait.spam_count': 0 });
    harness.services.clock.advance(5);
    asked(await harness.process('PollingWaitNode', config, { id: 'wait', callbacks: answer(first) }));
    expect(harness.state.shared).toEqual({ 'wait.end_time': end, 'wait.spam_count': 1 });
    harness.services.clock.advance(1);
    expect(outcomeOf(await harness.process('PollingWaitNode', config, { id: 'wait', callbacks: answer(first) }))).toBe(
      'DONE',
    );
    expect(harness.state.shared).toEqual({});
  });

  it('default message; exitable: a ConfirmationCallback with selected index 100, and 0 answered is EXITED', async () => {
    const harness = new NodeHarness();
    const config = { exitable: true };
    const first = asked(await harness.process('PollingWaitNode', config));
    expect(renderCallbacks(first)).toEqual([
      {
        type: 'PollingWaitCallback',
        output: [
          { name: 'waitTime', value: '8000' },
          { name: 'message', value: 'Waiting for response...' },
        ],
        _id: 0,
      },
      {
        type: 'ConfirmationCallback',
        output: [
          { name: 'prompt', value: '' },
          { name: 'messageType', value: 0 },
          { name: 'options', value: ['Cancel'] },
          { name: 'optionType', value: -1 },
          { name: 'defaultOption', value: 0 },
        ],
        input: [{ name: 'IDToken2', value: 100 }],
        _id: 1,
      },
    ]);
    asked(await harness.process('PollingWaitNode', config, { callbacks: answer(first) }));
    expect(
      outcomeOf(await harness.process('PollingWaitNode', config, { callbacks: answer(first, undefined, 0) })),
    ).toBe('EXITED');
    expect(harness.state.shared).toEqual({});
  });

  it('spam detection: SPAM once the count of early submissions is past spamDetectionTolerance', async () => {
    const harness = new NodeHarness();
    const config = { spamDetectionEnabled: true, spamDetectionTolerance: 1 };
    const first = asked(await harness.process('PollingWaitNode', config));
    // The count starts at 0 with the first callbacks and grows with each step sent again.
    asked(await harness.process('PollingWaitNode', config, { callbacks: answer(first) }));
    asked(await harness.process('PollingWaitNode', config, { callbacks: answer(first) }));
    expect(harness.state.shared['node-1.spam_count']).toBe(2);
    expect(outcomeOf(await harness.process('PollingWaitNode', config, { callbacks: answer(first) }))).toBe('SPAM');
    expect(harness.state.shared).toEqual({});
  });

  it('bad configuration at import', () => {
    expect(nodeType('PollingWaitNode')?.check?.({ secondsToWait: -1, exitable: 'yes' })).toEqual([
      'secondsToWait must be a whole number, 0 or more',
      'exitable must be true or false',
    ]);
    expect(nodeType('PollingWaitNode')?.check?.({ secondsToWait: 8, exitable: false })).toEqual([]);
  });
});
