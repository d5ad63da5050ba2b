/**
 * The nodes that send IDM email templates, one at a time through a NodeContext (no engine, no
 * HTTP): Email Suspend (the suspension it asks for, the template object and recipient it mails
 * when suspended, its outcome once resumed) and Email Template (EMAIL_SENT / EMAIL_NOT_SENT). The
 * mail lands in the harness's outbox; the import checks are the catalog's `check`.
 */
import { describe, expect, it } from 'vitest';
import type { NodeResult, SuspendResult } from '../../../emulator/journeys/nodes/node.js';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import { ALICE, NodeHarness, outcomeOf } from '../../helpers/node-context.js';

const TEMPLATE = {
  enabled: true,
  defaultLocale: 'en',
  subject: { en: 'Hi {{object.givenName}}' },
  message: { en: '<a href="{{object.resumeURI}}">go</a> {{object.userName}} {{object.sn}}' },
};

function harness(shared: Record<string, unknown> = { username: 'alice' }): NodeHarness {
  const made = new NodeHarness({ shared });
  made.services.emailTemplates.set('registration', TEMPLATE);
  made.services.emailTemplates.set('welcome', { ...TEMPLATE, subject: { en: 'Welcome {{object.givenName}}' } });
  return made;
}

function suspension(result: NodeResult): SuspendResult {
  if (result.kind !== 'suspend') throw new Error(`expected a suspension, got ${result.kind}`);
  return result;
}

describe('EmailSuspendNode', () => {
  it('asks to suspend with its message; once suspended, mails the looked-up user their resume URI', async () => {
    const made = harness();
    const result = suspension(
      await made.process('EmailSuspendNode', {
        emailTemplateName: 'registration',
        objectLookup: true,
        identityAttribute: 'userName',
        emailSuspendMessage: { en: 'Look in your inbox.' },
        suspendDuration: 30,
      }),
    );
    expect(result.message).toBe('Look in your inbox.');
    expect(result.durationMinutes).toBe(30);
    expect(made.services.outbox.list()).toEqual([]);
    await result.onSuspend('https://tenant.example.com/am/XUI/?suspendedId=abc');
    const [mail] = made.services.outbox.list();
    expect(mail).toMatchObject({ to: ALICE.mail, subject: 'Hi Alice', template: 'registration' });
    expect(mail?.body).toBe('<a href="https://tenant.example.com/am/XUI/?suspendedId&#x3D;abc">go</a> alice Liddell');
    expect(mail?.links).toEqual(['https://tenant.example.com/am/XUI/?suspendedId=abc']);
  });

  it('without objectLookup mails the objectAttributes the journey collected (a registration’s)', async () => {
    const made = harness({ objectAttributes: { userName: 'newbie', givenName: 'New', mail: 'new@example.com' } });
    const result = suspension(await made.process('EmailSuspendNode', { emailTemplateName: 'registration' }));
    await result.onSuspend('https://t/resume');
    expect(made.services.outbox.list()[0]).toMatchObject({ to: 'new@example.com', subject: 'Hi New' });
    // The collected attributes are not changed by the mail's resumeURI.
    expect(made.state.shared['objectAttributes']).toEqual({
      userName: 'newbie',
      givenName: 'New',
      mail: 'new@example.com',
    });
  });

  it('AM’s default message when none is configured', async () => {
    const made = harness();
    expect(suspension(await made.process('EmailSuspendNode', { emailTemplateName: 'registration' })).message).toBe(
      'An email has been sent to your inbox.',
    );
  });

  it.each([
    ['no user found', { username: 'nobody' }, { objectLookup: true }],
    ['no address at the emailAttribute', { username: 'alice' }, { objectLookup: true, emailAttribute: 'nope' }],
    ['no objectAttributes collected', {}, {}],
  ])('suspends without mail when there is %s', async (_label, shared, config) => {
    const made = harness(shared);
    const result = suspension(await made.process('EmailSuspendNode', { emailTemplateName: 'registration', ...config }));
    await result.onSuspend('https://t/resume');
    expect(made.services.outbox.list()).toEqual([]);
  });

  it('resumed, goes on to its one outcome without mailing again', async () => {
    const made = harness();
    const result = await made.process(
      'EmailSuspendNode',
      { emailTemplateName: 'registration', objectLookup: true },
      { resumedFromSuspend: true },
    );
    expect(outcomeOf(result)).toBe('outcome');
    expect(made.services.outbox.list()).toEqual([]);
  });

  it('refuses at import a config without a template name or with a suspendDuration that is no positive number', () => {
    const type = nodeType('EmailSuspendNode');
    const check = (config: Record<string, unknown>) => type?.check?.(config);
    expect(check({ emailTemplateName: 'registration' })).toEqual([]);
    expect(check({})).toEqual(['emailTemplateName is required']);
    expect(check({ emailTemplateName: 'x', suspendDuration: 0 })).toEqual([
      'suspendDuration must be a number of minutes greater than zero',
    ]);
    expect(check({ emailTemplateName: 'x', suspendDuration: '5' })).toHaveLength(1);
  });
});

describe('EmailTemplateNode', () => {
  it('EMAIL_SENT: the user’s IDM object is mailed with the template', async () => {
    const made = harness();
    expect(outcomeOf(await made.process('EmailTemplateNode', { emailTemplateName: 'welcome' }))).toBe('EMAIL_SENT');
    expect(made.services.outbox.list()[0]).toMatchObject({ to: ALICE.mail, subject: 'Welcome Alice' });
  });

  it('EMAIL_NOT_SENT without a user or an address; nothing mailed', async () => {
    const made = harness({ username: 'nobody' });
    expect(outcomeOf(await made.process('EmailTemplateNode', { emailTemplateName: 'welcome' }))).toBe('EMAIL_NOT_SENT');
    const noAddress = harness();
    expect(
      outcomeOf(await noAddress.process('EmailTemplateNode', { emailTemplateName: 'welcome', emailAttribute: 'fax' })),
    ).toBe('EMAIL_NOT_SENT');
    expect([...made.services.outbox.list(), ...noAddress.services.outbox.list()]).toEqual([]);
  });

  it('EMAIL_SENT even when the template cannot be sent (AM sends asynchronously); the run says why', async () => {
    const made = harness();
    expect(outcomeOf(await made.process('EmailTemplateNode', { emailTemplateName: 'missing' }))).toBe('EMAIL_SENT');
    expect(made.services.outbox.list()).toEqual([]);
    expect(made.logs.join('\n')).toContain('no email template "missing"');
  });

  it('a disabled template sends nothing', async () => {
    const made = harness();
    made.services.emailTemplates.set('welcome', { ...TEMPLATE, enabled: false });
    await made.process('EmailTemplateNode', { emailTemplateName: 'welcome' });
    expect(made.services.outbox.list()).toEqual([]);
    expect(made.logs.join('\n')).toContain('is disabled');
  });

  it('refuses at import a config without a template name', () => {
    expect(nodeType('EmailTemplateNode')?.check?.({})).toEqual(['emailTemplateName is required']);
  });
});
