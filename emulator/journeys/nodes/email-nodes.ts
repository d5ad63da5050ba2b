/**
 * The nodes that send IDM email templates (AM: EmailSuspendNode.java and EmailTemplateNode.java,
 * am-external releases/8.0.2, idm-integration-nodes). The mail lands in the tenant's outbox.
 *
 * - Email Suspend: suspends the journey; the template object gets `resumeURI`, the link that
 *   resumes it, and is mailed to its `emailAttribute` (no recipient or an empty object: it suspends
 *   without mailing, as AM does). Resumed, it goes on to `outcome`.
 * - Email Template: mails the user's IDM object; `EMAIL_NOT_SENT` when there is no user or no
 *   address. As on AM the mail goes out asynchronously: a template that cannot be rendered does
 *   not change the outcome (the run's log says why).
 */
import { findJourneyUser, identityAttributeOf, stringConfig } from './identity.js';
import { localized, outcome, type NodeContext, type NodeType } from './node.js';

/** AM's defaults (IdmIntegrationService's constants; the values as AIC's default journeys show them). */
const DEFAULT_MAIL_ATTRIBUTE = 'mail';
const DEFAULT_IDENTITY_ATTRIBUTE = 'userName';
const DEFAULT_SUSPEND_MESSAGE = 'An email has been sent to your inbox.';

/**
 * The user's IDM object (`objectLookup`), with the user, or the shared `objectAttributes` the
 * journey collected (no user yet: a registration's), without.
 */
function templateObject(
  context: NodeContext,
  lookup: boolean,
  identityAttribute: string,
): { object: Record<string, unknown>; userId?: string } {
  if (lookup) {
    const user = findJourneyUser(context, identityAttribute);
    return user ? { object: { ...context.tenant.users.idmView(user) }, userId: user._id } : { object: {} };
  }
  const shared = context.state.shared['objectAttributes'];
  return { object: shared && typeof shared === 'object' && !Array.isArray(shared) ? { ...shared } : {} };
}

function recipientOf(object: Record<string, unknown>, emailAttribute: string): string | undefined {
  const value = Object.hasOwn(object, emailAttribute) ? object[emailAttribute] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function send(
  context: NodeContext,
  templateName: string,
  to: string,
  object: Record<string, unknown>,
  toUserId: string | undefined,
): void {
  const result = context.tenant.mailer.sendTemplate({
    templateName,
    to,
    toUserId,
    object,
    acceptLanguage: headerText(context.request.headers['accept-language']),
    realm: context.realm.path,
    journey: context.journeyName,
    runId: context.run.record.id,
    node: context.node.displayName,
  });
  if (result.sent)
    context.run.log('info', `email "${templateName}" sent to ${to} (outbox message ${result.message.id})`);
  else context.run.log('error', `email not sent: ${result.reason}`);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function suspendMinutes(config: Readonly<Record<string, unknown>>): number | undefined {
  const value = config['suspendDuration'];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export const EmailSuspendNode: NodeType = {
  type: 'EmailSuspendNode',
  outcomes: () => ['outcome'],
  inputs: (config) => [identityAttributeOf(config)],
  check(config) {
    const problems: string[] = [];
    if (typeof config['emailTemplateName'] !== 'string' || config['emailTemplateName'] === '')
      problems.push('emailTemplateName is required');
    const duration = config['suspendDuration'];
    if (duration !== undefined && duration !== null && !(typeof duration === 'number' && duration > 0))
      problems.push('suspendDuration must be a number of minutes greater than zero');
    return problems;
  },
  async process(context) {
    if (context.resumedFromSuspend) return outcome('outcome');
    const { config } = context;
    const identityAttribute = stringConfig(config, 'identityAttribute', DEFAULT_IDENTITY_ATTRIBUTE);
    const { object, userId } = templateObject(context, config['objectLookup'] === true, identityAttribute);
    const recipient = recipientOf(object, stringConfig(config, 'emailAttribute', DEFAULT_MAIL_ATTRIBUTE));
    const templateName = stringConfig(config, 'emailTemplateName', 'registration');
    const message = localized(
      config['emailSuspendMessage'],
      DEFAULT_SUSPEND_MESSAGE,
      headerText(context.request.headers['accept-language']),
    );
    const minutes = suspendMinutes(config);
    return {
      kind: 'suspend',
      message,
      ...(minutes !== undefined ? { durationMinutes: minutes } : {}),
      async onSuspend(resumeUri) {
        if (Object.keys(object).length === 0 || recipient === undefined) {
          context.run.log('warn', 'Email Suspend: no object or no recipient; suspended without sending an email');
          return;
        }
        send(context, templateName, recipient, { ...object, resumeURI: resumeUri }, userId);
      },
    };
  },
};

export const EmailTemplateNode: NodeType = {
  type: 'EmailTemplateNode',
  outcomes: () => ['EMAIL_SENT', 'EMAIL_NOT_SENT'],
  inputs: (config) => [identityAttributeOf(config)],
  check: (config) =>
    typeof config['emailTemplateName'] === 'string' && config['emailTemplateName'] !== ''
      ? []
      : ['emailTemplateName is required'],
  async process(context) {
    const { config } = context;
    const identityAttribute = stringConfig(config, 'identityAttribute', DEFAULT_IDENTITY_ATTRIBUTE);
    const { object, userId } = templateObject(context, true, identityAttribute);
    const recipient = recipientOf(object, stringConfig(config, 'emailAttribute', DEFAULT_MAIL_ATTRIBUTE));
    if (Object.keys(object).length === 0 || recipient === undefined) return outcome('EMAIL_NOT_SENT');
    send(context, stringConfig(config, 'emailTemplateName', 'welcome'), recipient, object, userId);
    return outcome('EMAIL_SENT');
  },
};
