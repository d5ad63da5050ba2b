/**
 * One-time passcodes by email (AM: OneTimePasswordGeneratorNode.java,
 * OneTimePasswordSmtpSenderNode.java, OneTimePasswordCollectorDecisionNode.java and the HOTP
 * module's DefaultSMSGatewayImpl.java, am-external releases/8.0.2):
 *
 * - HOTP Generator: a random passcode of `length` digits (default 8, at least 6) in transient
 *   `oneTimePassword`, with `oneTimePasswordTimestamp` (epoch seconds, the tenant clock).
 * - OTP Email Sender: mails it to shared `emailAddress`, else `objectAttributes.<emailAttribute>`,
 *   else the user's `<emailAttribute>` (and keeps the address in shared `emailAddress`). The body
 *   is `emailContent` with `{{OTP}}` replaced, or the passcode appended (the gateway's rule).
 *   The mail lands in the outbox; the node's SMTP settings are not used.
 * - OTP Collector Decision: asks for the passcode (a PasswordCallback); `true` when it matches
 *   within `passwordExpiryTime` minutes (default 5), which also removes it; else `false`.
 */
import { randomInt } from 'node:crypto';
import { Callbacks } from '../../state/journeys/callbacks.js';
import { findJourneyUser, stringConfig } from './identity.js';
import { NodeProcessException, ask, localized, outcome, type NodeContext, type NodeType } from './node.js';

const OTP = 'oneTimePassword';
const OTP_TIMESTAMP = 'oneTimePasswordTimestamp';
const EMAIL_ADDRESS = 'emailAddress';
const MIN_LENGTH = 6;
/** Longer passcodes are nobody's: the bound keeps a config from asking for a megabyte of digits. */
const MAX_LENGTH = 32;

/** `length` (8 when absent); NaN for a value that is no number, which the checks refuse. */
function lengthOf(config: Readonly<Record<string, unknown>>): number {
  const value = config['length'];
  if (value === undefined) return 8;
  return typeof value === 'number' ? value : NaN;
}

export const OneTimePasswordGeneratorNode: NodeType = {
  type: 'OneTimePasswordGeneratorNode',
  outcomes: () => ['outcome'],
  check(config) {
    const length = lengthOf(config);
    return Number.isInteger(length) && length >= MIN_LENGTH && length <= MAX_LENGTH
      ? []
      : [`length must be a whole number of digits from ${MIN_LENGTH} to ${MAX_LENGTH}`];
  },
  async process(context) {
    const length = lengthOf(context.config);
    if (!Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH)
      throw new NodeProcessException(`OTP length ${String(length)} is not valid`);
    let otp = '';
    for (let index = 0; index < length; index += 1) otp += String(randomInt(10));
    context.nodeState.putTransient(OTP, otp);
    context.nodeState.putTransient(OTP_TIMESTAMP, Math.floor(context.tenant.clock.now() / 1000));
    return outcome('outcome');
  },
};

function recipient(context: NodeContext, emailAttribute: string): string {
  const known = context.state.shared[EMAIL_ADDRESS];
  if (typeof known === 'string' && known !== '') return known;
  const collected = context.nodeState.objectAttribute(emailAttribute);
  if (typeof collected === 'string' && collected !== '') return collected;
  const user = findJourneyUser(context, 'userName');
  if (!user) throw new NodeProcessException('Failed to get identity with provided user name');
  const value = context.tenant.users.idmView(user)[emailAttribute];
  const address: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof address !== 'string' || address === '')
    throw new NodeProcessException('Failed to find an email address for the specified user.');
  context.nodeState.putShared(EMAIL_ADDRESS, address);
  return address;
}

export const OneTimePasswordSmtpSenderNode: NodeType = {
  type: 'OneTimePasswordSmtpSenderNode',
  outcomes: () => ['outcome'],
  inputs: () => [OTP, EMAIL_ADDRESS, 'username', 'realm'],
  async process(context) {
    const { config } = context;
    const to = recipient(context, stringConfig(config, 'emailAttribute', 'mail'));
    const otp = context.nodeState.get(OTP);
    if (typeof otp !== 'string') throw new NodeProcessException('One time password not found');
    const language = context.request.headers['accept-language'];
    const acceptLanguage = Array.isArray(language) ? language.join(',') : language;
    const subject = localized(config['emailSubject'], 'One Time Password', acceptLanguage);
    const content = localized(config['emailContent'], 'Your One Time Password:', acceptLanguage);
    const body = content.includes('{{OTP}}') ? content.split('{{OTP}}').join(otp) : content + otp;
    const message = context.tenant.mailer.send({
      from: typeof config['fromEmailAddress'] === 'string' ? config['fromEmailAddress'] : '',
      to,
      toUserId: findJourneyUser(context, 'userName')?._id,
      subject,
      body,
      mimeType: 'text/plain',
      realm: context.realm.path,
      journey: context.journeyName,
      runId: context.run.record.id,
      node: context.node.displayName,
    });
    context.run.log('info', `one-time passcode sent to ${to} (outbox message ${message.id})`);
    return outcome('outcome');
  },
};

function expiryMinutes(config: Readonly<Record<string, unknown>>): number {
  const value = config['passwordExpiryTime'];
  return typeof value === 'number' && Number.isFinite(value) ? value : 5;
}

export const OneTimePasswordCollectorDecisionNode: NodeType = {
  type: 'OneTimePasswordCollectorDecisionNode',
  outcomes: () => ['true', 'false'],
  inputs: () => [OTP, OTP_TIMESTAMP],
  check: (config) =>
    config['passwordExpiryTime'] === undefined || typeof config['passwordExpiryTime'] === 'number'
      ? []
      : ['passwordExpiryTime must be a number of minutes'],
  async process(context) {
    const answer = context.callbacks[0]?.values.get('');
    if (typeof answer !== 'string' || answer === '') return ask([Callbacks.password('One Time Password')]);
    const otp = context.nodeState.get(OTP);
    const issued = context.nodeState.get(OTP_TIMESTAMP);
    const nowSeconds = context.tenant.clock.now() / 1000;
    const matches =
      typeof otp === 'string' &&
      otp === answer &&
      typeof issued === 'number' &&
      nowSeconds < issued + expiryMinutes(context.config) * 60;
    if (matches) {
      context.nodeState.remove(OTP);
      context.nodeState.remove(OTP_TIMESTAMP);
    }
    return outcome(matches ? 'true' : 'false');
  },
};
