/**
 * One-time passcodes by email, one node at a time through a NodeContext: the HOTP Generator's
 * passcode and timestamp in transient state, the OTP Email Sender's message in the outbox (its
 * recipient rules and `{{OTP}}`), the OTP Collector Decision's callback, match, expiry on the tenant
 * clock and removal of a used passcode.
 */
import { describe, expect, it } from 'vitest';
import { NodeProcessException } from '../../../emulator/journeys/nodes/node.js';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import type { CallbackSpec } from '../../../emulator/state/journeys/callbacks.js';
import { ALICE, NodeHarness, answer, outcomeOf } from '../../helpers/node-context.js';

function generated(harness: NodeHarness): { otp: string; at: number } {
  return {
    otp: harness.state.transient['oneTimePassword'] as string,
    at: harness.state.transient['oneTimePasswordTimestamp'] as number,
  };
}

describe('OneTimePasswordGeneratorNode', () => {
  it('puts a passcode of `length` digits (8 by default) and its time in transient state', async () => {
    const harness = new NodeHarness();
    expect(outcomeOf(await harness.process('OneTimePasswordGeneratorNode', {}))).toBe('outcome');
    const { otp, at } = generated(harness);
    expect(otp).toMatch(/^\d{8}$/);
    expect(at).toBe(Math.floor(harness.services.clock.now() / 1000));
    expect(harness.state.shared['oneTimePassword']).toBeUndefined();
    await harness.process('OneTimePasswordGeneratorNode', { length: 6 });
    expect(generated(harness).otp).toMatch(/^\d{6}$/);
  });

  it('draws a new passcode each time', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const harness = new NodeHarness();
      await harness.process('OneTimePasswordGeneratorNode', {});
      seen.add(generated(harness).otp);
    }
    expect(seen.size).toBeGreaterThan(15);
  });

  it('refuses at import a length under 6 (AM’s HMACKeyLengthValidator) or absurdly long', () => {
    const check = (config: Record<string, unknown>) => nodeType('OneTimePasswordGeneratorNode')?.check?.(config);
    expect(check({ length: 6 })).toEqual([]);
    expect(check({})).toEqual([]);
    for (const length of [5, 0, 1.5, 1_000_000, '8']) expect(check({ length })).toHaveLength(1);
  });
});

describe('OneTimePasswordSmtpSenderNode', () => {
  async function sent(shared: Record<string, unknown>, config: Record<string, unknown> = {}) {
    const harness = new NodeHarness({ shared });
    await harness.process('OneTimePasswordGeneratorNode', {});
    expect(outcomeOf(await harness.process('OneTimePasswordSmtpSenderNode', config))).toBe('outcome');
    return { harness, mail: harness.services.outbox.list().at(-1), otp: generated(harness).otp };
  }

  it('mails the passcode after AM’s default content to the user’s mail, and keeps the address in shared state', async () => {
    const { harness, mail, otp } = await sent({ username: 'alice' }, { fromEmailAddress: 'admin@example.com' });
    expect(mail).toMatchObject({
      to: ALICE.mail,
      from: 'admin@example.com',
      subject: 'One Time Password',
      body: `Your One Time Password:${otp}`,
      mimeType: 'text/plain',
    });
    expect(harness.state.shared['emailAddress']).toBe(ALICE.mail);
  });

  it('puts the passcode where the content says {{OTP}}, in the client’s language', async () => {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    await harness.process('OneTimePasswordGeneratorNode', {});
    await harness.process(
      'OneTimePasswordSmtpSenderNode',
      {
        emailSubject: { en: 'Your code', fr: 'Votre code' },
        emailContent: { en: 'Code {{OTP}} (again: {{OTP}})', fr: 'Code {{OTP}}' },
      },
      { headers: { 'accept-language': 'fr' } },
    );
    const { otp } = generated(harness);
    expect(harness.services.outbox.list()[0]).toMatchObject({ subject: 'Votre code', body: `Code ${otp}` });
  });

  it('prefers shared emailAddress, then objectAttributes, then the user', async () => {
    expect((await sent({ username: 'alice', emailAddress: 'first@example.com' })).mail?.to).toBe('first@example.com');
    expect((await sent({ username: 'alice', objectAttributes: { mail: 'second@example.com' } })).mail?.to).toBe(
      'second@example.com',
    );
  });

  it('fails the journey without a passcode, a user or an address (AM’s NodeProcessException)', async () => {
    const noOtp = new NodeHarness({ shared: { username: 'alice' } });
    await expect(noOtp.process('OneTimePasswordSmtpSenderNode', {})).rejects.toThrow('One time password not found');
    const noUser = new NodeHarness({ shared: { username: 'nobody' } });
    await noUser.process('OneTimePasswordGeneratorNode', {});
    await expect(noUser.process('OneTimePasswordSmtpSenderNode', {})).rejects.toBeInstanceOf(NodeProcessException);
    const noMail = new NodeHarness({ shared: { username: 'alice' } });
    await noMail.process('OneTimePasswordGeneratorNode', {});
    await expect(noMail.process('OneTimePasswordSmtpSenderNode', { emailAttribute: 'fax' })).rejects.toThrow(
      'Failed to find an email address for the specified user.',
    );
    expect([...noUser.services.outbox.list(), ...noMail.services.outbox.list()]).toEqual([]);
  });
});

describe('OneTimePasswordCollectorDecisionNode', () => {
  async function collector(config: Record<string, unknown> = {}) {
    const harness = new NodeHarness({ shared: { username: 'alice' } });
    await harness.process('OneTimePasswordGeneratorNode', {});
    const asked = await harness.process('OneTimePasswordCollectorDecisionNode', config);
    if (asked.kind !== 'callbacks') throw new Error('expected callbacks');
    const submit = (value: string) =>
      harness.process('OneTimePasswordCollectorDecisionNode', config, { callbacks: answer(asked.callbacks, value) });
    return { harness, asked: asked.callbacks, submit, otp: generated(harness).otp };
  }

  it('asks for the passcode with a PasswordCallback', async () => {
    const { asked } = await collector();
    expect(asked).toEqual([
      {
        type: 'PasswordCallback',
        output: [{ name: 'prompt', value: 'One Time Password' }],
        inputs: [{ suffix: '', value: '' }],
      },
    ] satisfies CallbackSpec[]);
  });

  it('true for the passcode, which is then gone (a second use is false)', async () => {
    const { harness, submit, otp } = await collector();
    expect(outcomeOf(await submit(otp))).toBe('true');
    expect(harness.state.transient['oneTimePassword']).toBeUndefined();
    expect(harness.state.transient['oneTimePasswordTimestamp']).toBeUndefined();
    expect(outcomeOf(await submit(otp))).toBe('false');
  });

  it('false for another passcode, which leaves the right one usable', async () => {
    const { submit, otp } = await collector();
    expect(outcomeOf(await submit(otp === '00000000' ? '11111111' : '00000000'))).toBe('false');
    expect(outcomeOf(await submit(otp))).toBe('true');
  });

  it('false once passwordExpiryTime minutes have passed on the tenant clock (5 by default)', async () => {
    const late = await collector();
    late.harness.services.clock.advance(5 * 60);
    expect(outcomeOf(await late.submit(late.otp))).toBe('false');
    const inTime = await collector({ passwordExpiryTime: 10 });
    inTime.harness.services.clock.advance(5 * 60);
    expect(outcomeOf(await inTime.submit(inTime.otp))).toBe('true');
  });

  it('an empty answer asks again', async () => {
    const { submit } = await collector();
    expect((await submit('')).kind).toBe('callbacks');
  });

  it('refuses at import a passwordExpiryTime that is no number', () => {
    expect(nodeType('OneTimePasswordCollectorDecisionNode')?.check?.({ passwordExpiryTime: '5' })).toHaveLength(1);
  });
});
