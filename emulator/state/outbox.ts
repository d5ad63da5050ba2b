/**
 * The tenant's outbox: every email the tenant "sends" (AIC's IDM email service, called by the
 * Email Suspend, Email Template and OTP Email Sender nodes) lands here instead of on the network,
 * rendered as it would be delivered, with the links it holds, so that a test or a workshop
 * attendee can read it and follow the link. Bounded: the oldest messages go first.
 */
import { randomUUID } from 'node:crypto';
import { RingBuffer } from '../core/ring-buffer.js';
import { isoMillis } from '../core/clock.js';

export interface OutboxMessage {
  readonly id: string;
  readonly sentAt: string;
  readonly realm: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  /** The body as delivered (`mimeType` says whether it is HTML). */
  readonly body: string;
  readonly mimeType: string;
  /** The IDM email template it was rendered from, and in which locale. */
  readonly template?: string;
  readonly locale?: string;
  /** Every http(s) link in the body, in order, decoded as a mail client would follow it. */
  readonly links: string[];
  /**
   * The tenant user it was written for, when the journey knew one (the user whose object the
   * template rendered, the user of an OTP journey): an attendee's own view shows them only
   * theirs. Not the address: a user may set their address to another's.
   */
  readonly toUserId?: string;
  /** Who sent it: the journey run and node. */
  readonly journey?: string;
  readonly runId?: string;
  readonly node?: string;
}

export type OutboxInput = Omit<OutboxMessage, 'id' | 'sentAt' | 'links'>;

/** The most a body may hold: a template rendering an attacker-sized attribute stays bounded. */
const MAX_BODY_CHARS = 256 * 1024;

export class Outbox {
  private readonly messages: RingBuffer<OutboxMessage>;

  constructor(
    capacity: number,
    private readonly nowMs: () => number,
  ) {
    this.messages = new RingBuffer(capacity);
  }

  add(input: OutboxInput): OutboxMessage {
    const body = input.body.length > MAX_BODY_CHARS ? input.body.slice(0, MAX_BODY_CHARS) : input.body;
    const message: OutboxMessage = Object.freeze({
      id: randomUUID(),
      sentAt: isoMillis(this.nowMs()),
      ...input,
      body,
      links: linksIn(body),
    });
    this.messages.push(message);
    return message;
  }

  /** Newest last; `to` keeps the messages to that address (case-insensitive, as mail addresses are). */
  list(filter: { to?: string } = {}): OutboxMessage[] {
    const to = filter.to?.trim().toLowerCase();
    const all = this.messages.toArray();
    return to ? all.filter((message) => message.to.toLowerCase() === to) : all;
  }

  get(id: string): OutboxMessage | undefined {
    return this.messages.toArray().find((message) => message.id === id);
  }

  clear(): void {
    this.messages.clear();
  }
}

const HREF = /href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const BARE_URL = /https?:\/\/[^\s"'<>]+/g;

/**
 * The links of a body: `href`s first, then bare URLs not already named, HTML entities in them
 * decoded (`&amp;` in a link is `&` to whoever follows it). Both patterns are linear.
 */
export function linksIn(body: string): string[] {
  const links: string[] = [];
  const add = (raw: string | undefined) => {
    if (!raw) return;
    const link = decodeEntities(raw.trim());
    if (/^https?:\/\//i.test(link) && !links.includes(link)) links.push(link);
  };
  for (const match of body.matchAll(HREF)) add(match[1] ?? match[2]);
  for (const match of body.matchAll(BARE_URL)) add(match[0]);
  return links;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]{1,6});/gi, (_, hex: string) => codePoint(parseInt(hex, 16)))
    .replace(/&#(\d{1,7});/g, (_, decimal: string) => codePoint(Number(decimal)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function codePoint(value: number): string {
  return value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : '';
}
