/**
 * Suspended journeys (AM's `Action.suspend`, the Email Suspend node): the journey waits under a
 * `suspendedId`; the node mails its resume URI through IDM's email template into the outbox;
 * `resumeSuspended` goes on from that node once, in its realm, within its time (node's
 * `suspendDuration` or the realm's timeout, on the tenant clock); what the journey collected
 * before waits with it. The clock is moved, never waited on.
 */
import { describe, expect, it } from 'vitest';
import type { AuthRequest, AuthResult } from '../../../emulator/journeys/authenticator.js';
import { JourneyEngine } from '../../../emulator/journeys/engine.js';
import { JourneyError } from '../../../emulator/journeys/journey-error.js';
import { emptyBundle } from '../../../emulator/state/journeys/model.js';
import { ALICE, SUCCESS, addTree, engineServices, realm, type NodeSpec } from '../../helpers/node-context.js';

const ORIGIN = 'https://tenant.example.com';
const request = (extra: Partial<AuthRequest> = {}): AuthRequest => ({
  headers: {},
  query: new URLSearchParams(),
  hostname: 'tenant.example.com',
  origin: ORIGIN,
  existingSession: undefined,
  ...extra,
});

const TEMPLATE = {
  enabled: true,
  from: '',
  defaultLocale: 'en',
  mimeType: 'text/html',
  subject: { en: 'Verify it is you, {{object.givenName}}', fr: 'Vérifiez, {{object.givenName}}' },
  message: {
    en: '<p>Hello {{object.givenName}}</p><a href="{{object.resumeURI}}">Continue</a>',
    fr: '<p>Bonjour {{object.givenName}}</p><a href="{{object.resumeURI}}">Continuer</a>',
  },
};

const USERNAME = 'a0000000-0000-4000-8000-000000000001';
const PASSWORD = 'a0000000-0000-4000-8000-000000000002';
const SUSPEND = 'a0000000-0000-4000-8000-000000000003';
const INNER = 'a0000000-0000-4000-8000-000000000004';
const CHECK = 'a0000000-0000-4000-8000-000000000005';

const suspendNode = (config: Record<string, unknown> = {}): NodeSpec => ({
  id: SUSPEND,
  type: 'EmailSuspendNode',
  name: 'Email Suspend',
  connections: { outcome: CHECK },
  config: {
    emailTemplateName: 'verify',
    emailAttribute: 'mail',
    identityAttribute: 'userName',
    objectLookup: true,
    emailSuspendMessage: { en: 'Check your inbox.', fr: 'Regardez vos mails.' },
    ...config,
  },
});

function setup(options: { suspend?: Record<string, unknown>; timeout?: number } = {}) {
  const services = engineServices();
  services.emailTemplates.set('verify', TEMPLATE);
  const bundle = emptyBundle();
  const journeys = { trees: bundle.trees, nodes: bundle.nodes, scripts: bundle.scripts };
  addTree(journeys, 'Verify', [
    { id: USERNAME, type: 'UsernameCollectorNode', connections: { outcome: PASSWORD }, config: {} },
    { id: PASSWORD, type: 'PasswordCollectorNode', connections: { outcome: SUSPEND }, config: {} },
    suspendNode(options.suspend),
    // After the resume: the password collected before the suspension is still there.
    { id: CHECK, type: 'DataStoreDecisionNode', connections: { true: SUCCESS, false: SUCCESS }, config: {} },
  ]);
  addTree(journeys, 'Outer', [
    {
      id: INNER,
      type: 'InnerTreeEvaluatorNode',
      connections: { true: SUCCESS, false: SUCCESS },
      config: { tree: 'Verify' },
    },
  ]);
  services.journeys.add('/alpha', bundle);
  const engine = new JourneyEngine(services, { authIdSecret: 'suspend test secret' });
  const alpha = realm(services);
  return { services, engine, alpha };
}

function step(result: AuthResult): {
  authId: string;
  callbacks: { type: string; output: { name: string; value: unknown }[]; input?: { name: string; value: unknown }[] }[];
} {
  if (result.kind !== 'callbacks') throw new Error(`expected a step, got ${JSON.stringify(result)}`);
  return result.step as never;
}

function answer(result: AuthResult, value: string): Record<string, unknown> {
  const body = structuredClone(step(result));
  const input = body.callbacks[0]?.input?.[0];
  if (input) input.value = value;
  return body;
}

/** Runs a journey to its suspension as alice; the step shown and the mail sent. */
async function suspendAlice(
  context: ReturnType<typeof setup>,
  journey = 'Verify',
  headers: Record<string, string> = {},
): Promise<{ shown: AuthResult; suspendedId: string }> {
  const { engine, alpha, services } = context;
  const start = await engine.start({
    realm: alpha,
    journey,
    credentials: undefined,
    request: request({ headers }),
    noSession: false,
    forceAuth: false,
    goto: undefined,
    gotoOnFail: undefined,
  });
  const named = await engine.resume(alpha, answer(start, 'alice'), request({ headers }));
  const shown = await engine.resume(alpha, answer(named, ALICE.password), request({ headers }));
  const link = services.outbox.list().at(-1)?.links[0] ?? '';
  return { shown, suspendedId: new URL(link || 'http://x/').searchParams.get('suspendedId') ?? '' };
}

describe('Email Suspend', () => {
  it('suspends with its message, mails the resume URI, and the link signs the user in once', async () => {
    const context = setup();
    const { shown, suspendedId } = await suspendAlice(context);
    const shownStep = step(shown);
    expect(shownStep.callbacks).toEqual([
      {
        type: 'SuspendedTextOutputCallback',
        output: [
          { name: 'message', value: 'Check your inbox.' },
          { name: 'messageType', value: '0' },
        ],
        _id: 0,
      },
    ]);
    const [mail] = context.services.outbox.list();
    expect(mail).toMatchObject({
      to: ALICE.mail,
      subject: 'Verify it is you, Alice',
      template: 'verify',
      locale: 'en',
      journey: 'Verify',
      node: 'Email Suspend',
    });
    expect(suspendedId).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(mail?.links).toEqual([
      `${ORIGIN}/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=Verify&suspendedId=${suspendedId}`,
    ]);
    expect(mail?.runId).toBe(context.services.runs.list()[0]?.id);
    expect(context.services.runs.list()[0]?.status).toBe('suspended');

    const resumed = await context.engine.resumeSuspended(context.alpha, suspendedId, request());
    expect(resumed).toMatchObject({ kind: 'success', user: { _id: ALICE._id }, journey: 'Verify' });
    expect(context.services.runs.list()[0]?.status).toBe('success');
    // Single use.
    expect(await context.engine.resumeSuspended(context.alpha, suspendedId, request())).toEqual({ kind: 'failure' });
  });

  it('keeps what the journey collected before it: the password is checked after the resume', async () => {
    const context = setup();
    const { suspendedId } = await suspendAlice(context);
    // Data Store Decision reads the transient password: it is there only if it waited with the journey.
    const run = context.services.runs.list()[0];
    await context.engine.resumeSuspended(context.alpha, suspendedId, request());
    const check = run?.visits.find((visit) => visit.nodeId === CHECK);
    expect(check?.outcome).toBe('true');
  });

  it('mails in the client’s language, with the message in it too', async () => {
    const context = setup();
    const { shown } = await suspendAlice(context, 'Verify', { 'accept-language': 'fr-CA,fr;q=0.9' });
    expect(step(shown).callbacks[0]?.output[0]?.value).toBe('Regardez vos mails.');
    expect(context.services.outbox.list()[0]).toMatchObject({ locale: 'fr', subject: 'Vérifiez, Alice' });
  });

  /** Suspends alice, moves the clock `seconds`, and tries the link. */
  async function resumeAfter(seconds: number, suspend?: Record<string, unknown>): Promise<AuthResult> {
    const context = setup(suspend ? { suspend } : {});
    const { suspendedId } = await suspendAlice(context);
    context.services.clock.advance(seconds);
    return context.engine.resumeSuspended(context.alpha, suspendedId, request());
  }

  it('expires after the node’s suspendDuration (minutes) on the tenant clock', async () => {
    expect(await resumeAfter(10 * 60 - 1, { suspendDuration: 10 })).toMatchObject({ kind: 'success' });
    expect(await resumeAfter(10 * 60, { suspendDuration: 10 })).toEqual({ kind: 'failure' });
  });

  it('without suspendDuration, waits for the realm’s suspended journey timeout (1440 minutes by default)', async () => {
    expect(await resumeAfter(1440 * 60 - 1)).toMatchObject({ kind: 'success' });
    expect(await resumeAfter(1440 * 60)).toEqual({ kind: 'failure' });
  });

  it('a suspendDuration longer than the realm’s timeout is held to the realm’s', async () => {
    expect(await resumeAfter(1440 * 60, { suspendDuration: 5000 })).toEqual({ kind: 'failure' });
  });

  it('resumes only in its realm, and an id the engine never issued is a failure', async () => {
    const context = setup();
    const { suspendedId } = await suspendAlice(context);
    const bravo = realm(context.services, '/bravo');
    expect(await context.engine.resumeSuspended(bravo, suspendedId, request())).toEqual({ kind: 'failure' });
    for (const bogus of ['', 'x', 'not a real id with spaces', 'A'.repeat(27), 'A'.repeat(10_000)])
      expect(await context.engine.resumeSuspended(context.alpha, bogus, request())).toEqual({ kind: 'failure' });
    // Still good where it belongs.
    expect(await context.engine.resumeSuspended(context.alpha, suspendedId, request())).toMatchObject({
      kind: 'success',
    });
  });

  it('the suspended step’s authId continues nothing (only the link does)', async () => {
    const context = setup();
    const { shown, suspendedId } = await suspendAlice(context);
    await expect(context.engine.resume(context.alpha, step(shown) as never, request())).rejects.toBeInstanceOf(
      JourneyError,
    );
    expect(await context.engine.resumeSuspended(context.alpha, suspendedId, request())).toMatchObject({
      kind: 'success',
    });
  });

  it('an authId’s journey session id is no suspendedId', async () => {
    const context = setup();
    const start = await context.engine.start({
      realm: context.alpha,
      journey: 'Verify',
      credentials: undefined,
      request: request(),
      noSession: false,
      forceAuth: false,
      goto: undefined,
      gotoOnFail: undefined,
    });
    const claims = JSON.parse(Buffer.from(step(start).authId.split('.')[1] ?? '', 'base64url').toString()) as {
      sessionId: string;
    };
    expect(await context.engine.resumeSuspended(context.alpha, claims.sessionId, request())).toEqual({
      kind: 'failure',
    });
  });

  it('suspends without mail when the user has no address, and says so in the run', async () => {
    const context = setup({ suspend: { emailAttribute: 'telephoneNumber' } });
    const { shown } = await suspendAlice(context);
    expect(step(shown).callbacks[0]?.type).toBe('SuspendedTextOutputCallback');
    expect(context.services.outbox.list()).toEqual([]);
    const logs = context.services.runs.list()[0]?.visits.flatMap((visit) => visit.logs.map((line) => line.message));
    expect(logs?.join('\n')).toContain('suspended without sending an email');
  });

  it('a missing template still suspends; the run says the mail was not sent', async () => {
    const context = setup({ suspend: { emailTemplateName: 'nope' } });
    const { shown } = await suspendAlice(context);
    expect(step(shown).callbacks[0]?.type).toBe('SuspendedTextOutputCallback');
    expect(context.services.outbox.list()).toEqual([]);
    const logs = context.services.runs.list()[0]?.visits.flatMap((visit) => visit.logs.map((line) => line.message));
    expect(logs?.join('\n')).toContain('no email template "nope"');
  });

  it('inside an inner journey: the outer journey waits too, and goes on after the resume', async () => {
    const context = setup();
    const { shown, suspendedId } = await suspendAlice(context, 'Outer');
    expect(step(shown).callbacks[0]?.type).toBe('SuspendedTextOutputCallback');
    expect(context.services.outbox.list()[0]?.links[0]).toContain('authIndexValue=Outer');
    const resumed = await context.engine.resumeSuspended(context.alpha, suspendedId, request());
    expect(resumed).toMatchObject({ kind: 'success', journey: 'Outer', user: { _id: ALICE._id } });
  });
});
