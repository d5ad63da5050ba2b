/**
 * Core nodes about the session and the request (am-external 8.0.2, auth-nodes): Set Session
 * Properties, Cookie Presence Decision, Account Active Decision, Timer Start and Timer Stop.
 */
import { describe, expect, it } from 'vitest';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import { ALICE, BOB, CLOCK_START, NodeHarness, outcomeOf } from '../../helpers/node-context.js';

describe('SetSessionPropertiesNode', () => {
  it('puts its properties and session times on the session the journey makes', async () => {
    const harness = new NodeHarness();
    const config = { properties: { tier: 'gold', region: 'eu' }, maxSessionTime: 60, maxIdleTime: 5 };
    expect(outcomeOf(await harness.process('SetSessionPropertiesNode', config))).toBe('outcome');
    expect(harness.state.sessionProperties).toEqual({ tier: 'gold', region: 'eu' });
    expect(harness.state.maxSessionMinutes).toBe(60);
    expect(harness.state.maxIdleMinutes).toBe(5);
    expect(harness.state.shared).toEqual({});
  });

  it('bad configuration at import, in AM’s words', () => {
    const check = (config: Record<string, unknown>) => nodeType('SetSessionPropertiesNode')?.check?.(config);
    expect(check({})).toEqual([
      'At least one of the following properties must be set: properties, maxSessionTime, maxIdleTime',
    ]);
    expect(check({ properties: { UserToken: 'x', empty: '' } })).toEqual([
      'Provided properties cannot include system session properties: UserToken',
      'Session property values cannot be empty',
    ]);
    expect(check({ maxIdleTime: 0 })).toEqual(['maxIdleTime must be a whole number of minutes above zero']);
    expect(check({ properties: { tier: 'gold' } })).toEqual([]);
  });
});

describe('CookiePresenceDecisionNode', () => {
  it.each([
    ['the cookie among others', 'a=1; remember-me=yes; b=2', 'true'],
    ['an empty value', 'remember-me=', 'true'],
    ['another cookie whose name contains it', 'not-remember-me=1', 'false'],
    ['no cookie header', undefined, 'false'],
  ])('%s: %s', async (_label, cookie, expected) => {
    const harness = new NodeHarness();
    const headers = cookie === undefined ? {} : { cookie };
    const result = await harness.process('CookiePresenceDecisionNode', { cookieName: 'remember-me' }, { headers });
    expect(outcomeOf(result)).toBe(expected);
  });

  it('bad configuration at import: no cookieName', () => {
    expect(nodeType('CookiePresenceDecisionNode')?.check?.({})).toEqual(['cookieName is required']);
  });
});

describe('AccountActiveDecisionNode', () => {
  it('true for an active user (identified or named in username), false for an inactive one', async () => {
    const identified = new NodeHarness();
    identified.state.identifiedUserId = ALICE._id;
    expect(outcomeOf(await identified.process('AccountActiveDecisionNode', {}))).toBe('true');
    const named = new NodeHarness({ shared: { username: BOB.userName } });
    expect(outcomeOf(await named.process('AccountActiveDecisionNode', {}))).toBe('false');
  });

  it('no user: “Failed to get the identity object”', async () => {
    const harness = new NodeHarness({ shared: { username: 'nobody' } });
    await expect(harness.process('AccountActiveDecisionNode', {})).rejects.toThrow('Failed to get the identity object');
  });
});

describe('TimerStartNode', () => {
  it('shared <startTimeProperty> ← the tenant clock (default TimerNodeStartTime)', async () => {
    const harness = new NodeHarness();
    await harness.process('TimerStartNode', {});
    await harness.process('TimerStartNode', { startTimeProperty: 'loginStart' });
    expect(harness.state.shared).toEqual({
      TimerNodeStartTime: Date.parse(CLOCK_START),
      loginStart: Date.parse(CLOCK_START),
    });
  });

  it('bad configuration at import: an empty startTimeProperty', () => {
    expect(nodeType('TimerStartNode')?.check?.({ startTimeProperty: '' })).toHaveLength(1);
  });
});

describe('TimerStopNode', () => {
  it('logs the time since the start on the tenant clock under metricKey; nothing without a start', async () => {
    const harness = new NodeHarness();
    await harness.process('TimerStartNode', {});
    harness.services.clock.advance(3);
    expect(outcomeOf(await harness.process('TimerStopNode', { metricKey: 'login.time' }))).toBe('outcome');
    expect(outcomeOf(await harness.process('TimerStopNode', { metricKey: 'other', startTimeProperty: 'none' }))).toBe(
      'outcome',
    );
    expect(harness.logs).toEqual(['info: login.time: 3000 ms']);
  });

  it('bad configuration at import: no metricKey', () => {
    expect(nodeType('TimerStopNode')?.check?.({})).toEqual(['metricKey is required']);
    expect(nodeType('TimerStopNode')?.check?.({ metricKey: 'm' })).toEqual([]);
  });
});
