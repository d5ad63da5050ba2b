/**
 * AIC's IDM email service as the journeys' nodes use it (`external/email?_action=sendTemplate`):
 * an IDM email template (`emailTemplate/<name>`), rendered with Handlebars over `object` (the
 * node's template object) in the best locale, delivered to the tenant's outbox instead of a mail
 * server. The nodes send asynchronously on AM (EmailTemplateExecutor), so a template that cannot
 * be rendered or sent does not change their outcome: the result says why, for the run's log.
 */
import Handlebars from 'handlebars';
import type { Outbox, OutboxMessage } from '../../state/outbox.js';
import type { EmailTemplate } from '../../state/email-template.js';

export type { EmailTemplate };

export interface SendTemplate {
  readonly templateName: string;
  readonly to: string;
  /** The tenant user the mail is written for, when known (OutboxMessage.toUserId). */
  readonly toUserId?: string | undefined;
  /** What the template's `{{object.*}}` reads. */
  readonly object: Record<string, unknown>;
  /** The client's `Accept-Language`: its preferred locales come first (IDM's rule). */
  readonly acceptLanguage: string | undefined;
  readonly realm: string;
  readonly journey?: string;
  readonly runId?: string;
  readonly node?: string;
}

/** A message without a template (AM's own mail: the OTP Email Sender's, through its SMTP gateway). */
export interface SendMessage {
  readonly from: string;
  readonly to: string;
  /** The tenant user the mail is written for, when known (OutboxMessage.toUserId). */
  readonly toUserId?: string | undefined;
  readonly subject: string;
  readonly body: string;
  readonly mimeType: string;
  readonly realm: string;
  readonly journey?: string;
  readonly runId?: string;
  readonly node?: string;
}

export type SendResult = { sent: true; message: OutboxMessage } | { sent: false; reason: string };

/** The sender when neither the template nor the provider names one (the emulator has no provider). */
export const DEFAULT_FROM = 'no-reply@aic-emulator.invalid';

export class Mailer {
  /** One Handlebars environment of our own: helpers registered elsewhere never reach templates. */
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(
    private readonly templates: (name: string) => EmailTemplate | undefined,
    private readonly outbox: Outbox,
  ) {}

  sendTemplate(request: SendTemplate): SendResult {
    const template = this.templates(request.templateName);
    if (!template) return { sent: false, reason: `no email template "${request.templateName}"` };
    if (template.enabled === false)
      return { sent: false, reason: `email template "${request.templateName}" is disabled` };
    const locale = pickLocale(template, request.acceptLanguage);
    const subjectSource = textIn(template.subject, locale);
    const bodySource = textIn(template.message, locale);
    if (bodySource === undefined)
      return { sent: false, reason: `email template "${request.templateName}" has no message in ${locale}` };
    const context = { object: request.object };
    let subject: string;
    let body: string;
    try {
      subject = subjectSource === undefined ? '' : this.render(subjectSource, context);
      body = this.render(bodySource, context);
    } catch (error) {
      return { sent: false, reason: `email template "${request.templateName}": ${(error as Error).message}` };
    }
    const from = typeof template.from === 'string' && template.from !== '' ? template.from : DEFAULT_FROM;
    const message = this.outbox.add({
      realm: request.realm,
      from,
      to: request.to,
      ...(request.toUserId !== undefined ? { toUserId: request.toUserId } : {}),
      subject,
      body,
      mimeType: typeof template.mimeType === 'string' ? template.mimeType : 'text/html',
      template: request.templateName,
      locale,
      ...(request.journey !== undefined ? { journey: request.journey } : {}),
      ...(request.runId !== undefined ? { runId: request.runId } : {}),
      ...(request.node !== undefined ? { node: request.node } : {}),
    });
    return { sent: true, message };
  }

  send(message: SendMessage): OutboxMessage {
    const { toUserId, ...rest } = message;
    return this.outbox.add({
      ...rest,
      ...(toUserId !== undefined ? { toUserId } : {}),
      from: message.from === '' ? DEFAULT_FROM : message.from,
    });
  }

  private render(source: string, context: object): string {
    let template = this.compiled.get(source);
    if (!template) {
      // Compiled once per distinct text; a tenant has few templates, but bound it anyway.
      if (this.compiled.size >= 200) this.compiled.clear();
      template = this.handlebars.compile(source, { strict: false });
      this.compiled.set(source, template);
    }
    return template(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  }
}

/** The template's locales, in IDM's order of preference: the client's, then `defaultLocale`, then any. */
function pickLocale(template: EmailTemplate, acceptLanguage: string | undefined): string {
  const available = Object.keys(isMap(template.message) ? template.message : {});
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '')
    .filter((tag) => tag !== '' && tag !== '*');
  for (const tag of wanted) {
    const exact = available.find((locale) => locale.toLowerCase() === tag);
    if (exact) return exact;
    const language = available.find((locale) => locale.toLowerCase() === tag.split('-')[0]);
    if (language) return language;
  }
  const fallback = typeof template.defaultLocale === 'string' ? template.defaultLocale : 'en';
  return available.includes(fallback) ? fallback : (available[0] ?? fallback);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A locale map's text (or a plain string, as older templates have it). */
function textIn(value: unknown, locale: string): string | undefined {
  if (typeof value === 'string') return value;
  if (!isMap(value)) return undefined;
  const text = Object.hasOwn(value, locale) ? value[locale] : undefined;
  return typeof text === 'string' ? text : undefined;
}
