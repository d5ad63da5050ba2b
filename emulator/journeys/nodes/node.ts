/**
 * What a node is to the executor. Each node type (one file in this folder) takes its configuration,
 * the journey state and the callbacks submitted to it, and either asks for callbacks or names an
 * outcome. Each node follows AM's own source for it (ForgeRock/am-external, releases/8.0.2:
 * openam-auth-trees/auth-nodes, openam-auth-trees/framework-nodes and
 * idm-integration/idm-integration-nodes); where the emulator had to choose, docs/fidelity.md says
 * so.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { TenantClock } from '../../core/clock.js';
import type { UserDirectory } from '../../state/user-directory.js';
import type { HostAnswer, HttpRequestJson, ScriptOutcome } from '../../sandbox/protocol.js';
import type { Realm } from '../../state/realms.js';
import type { Session } from '../../state/sessions/session.js';
import type { CallbackSpec, SubmittedCallback } from '../../state/journeys/callbacks.js';
import type { RealmJourneys } from '../../state/journeys/registry.js';
import type { ScriptDef, TreeNode } from '../../state/journeys/model.js';
import type { NodeState, TreeState } from '../../state/journeys/tree-state.js';
import type { RunRecorder } from '../../state/journeys/runs.js';
import type { SendMessage, SendResult, SendTemplate } from '../email/mailer.js';
import type { OutboxMessage } from '../../state/outbox.js';
import type { SocialIdentityProvider } from '../../state/social-providers.js';

/** The `/authenticate` request a journey runs for, as nodes and scripts see it. */
export interface JourneyRequest {
  readonly headers: IncomingHttpHeaders;
  /** Query parameters of the `/authenticate` request, in order. */
  readonly query: URLSearchParams;
  readonly hostname: string;
  /** The caller's live session, when the request carried one. */
  readonly existingSession: Session | undefined;
  /** Zero-page credentials from the first request's headers, consumed by the first callbacks that fit. */
  zeroPage: { username: string; password: string } | undefined;
}

/**
 * What a node may use of the tenant: its users, its clock and the script runner. A narrow view
 * (the Tenant satisfies it), so that nodes depend on these and not on the tenant that runs them.
 */
export interface NodeServices {
  readonly users: UserDirectory;
  readonly clock: TenantClock;
  /** IDM's email service: templates rendered into the tenant's outbox. */
  readonly mailer: { sendTemplate(request: SendTemplate): SendResult; send(message: SendMessage): OutboxMessage };
  readonly scripts: {
    run(
      script: ScriptDef,
      kind: 'decision' | 'config',
      context: NodeContext,
      options?: ScriptRunOptions,
    ): Promise<ScriptOutcome>;
  };
  /** IDM's configuration objects by id (`selfservice.kba`, `selfservice.terms`), as IDM-backed nodes read them. */
  readonly idmConfig: { get(id: string): Record<string, unknown> | undefined };
  /** The tenant's key for persistent cookies (HS256); absent, the persistent cookie nodes fail. */
  readonly persistentCookieKey?: Uint8Array;
  /** The social login nodes' providers and the way to reach them; absent, those nodes fail. */
  readonly social?: SocialServices;
}

/** What the social login nodes use (journeys/nodes/social-nodes.ts). */
export interface SocialServices {
  /** The realm's enabled social identity providers (AM's Social Identity Provider Service). */
  providers(realmPath: string): readonly SocialIdentityProvider[];
  /**
   * An HTTP call to a provider (its token and user info endpoints), made as a script's httpClient
   * makes it: the tenant's own host in-process, then stubs, the safety rail, `allowOutbound`.
   */
  http(context: NodeContext, request: HttpRequestJson): Promise<HostAnswer>;
}

/** What a run adds to a script's bindings: a Node Designer custom node's `properties`. */
export interface ScriptRunOptions {
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface NodeContext {
  readonly tenant: NodeServices;
  readonly realm: Realm;
  readonly journeys: RealmJourneys;
  /** The node as the tree draws it (id, display name, type). */
  readonly node: TreeNode;
  readonly config: Readonly<Record<string, unknown>>;
  readonly state: TreeState;
  readonly nodeState: NodeState;
  /** The callbacks the client answered for this node; empty on its first visit. */
  readonly callbacks: readonly SubmittedCallback[];
  /** The journey was suspended at this node and is resumed now (AM: `context.hasResumedFromSuspend()`). */
  readonly resumedFromSuspend: boolean;
  readonly request: JourneyRequest;
  readonly run: RunRecorder;
  /** The journey this node runs in (for inner trees, the inner one). */
  readonly journeyName: string;
  /** Runs another tree as an inner journey (Inner Tree Evaluator). */
  runInner(treeName: string, state: TreeState, callbacks: readonly SubmittedCallback[]): Promise<InnerResult>;
  /** Processes another node (a Page Node's children, a Configuration Provider's delegate). */
  processChild(
    child: TreeNode,
    config: Readonly<Record<string, unknown>>,
    callbacks: readonly SubmittedCallback[],
  ): Promise<NodeResult>;
}

/**
 * A node suspends the journey (AM's `Action.suspend`): the client is shown `message` in a
 * SuspendedTextOutputCallback, and the journey waits, beyond the usual journey session, until
 * `authenticate?suspendedId=<id>` resumes it at the same node (which then sees
 * `resumedFromSuspend`). `onSuspend` gets the URI that resumes it, before the client is answered
 * (the Email Suspend node mails it).
 */
export interface SuspendResult {
  kind: 'suspend';
  message: string;
  /** Minutes the journey may stay suspended (the node's `suspendDuration`); else the realm's. */
  durationMinutes?: number;
  onSuspend(resumeUri: string): Promise<void>;
}

export type NodeResult =
  | { kind: 'outcome'; outcome: string }
  | { kind: 'callbacks'; callbacks: CallbackSpec[]; header?: string; description?: string; stage?: string }
  | SuspendResult;

export type InnerResult =
  | { kind: 'callbacks'; callbacks: CallbackSpec[]; header?: string; description?: string; stage?: string }
  | SuspendResult
  | { kind: 'done'; success: boolean };

/** A node processing error: the journey ends (AM's NodeProcessException), with this message in the run. */
export class NodeProcessException extends Error {
  override name = 'NodeProcessException';
}

export interface NodeType {
  readonly type: string;
  /** The outcome ids a node of this type with this configuration can take (for the linter). */
  outcomes(config: Readonly<Record<string, unknown>>): string[];
  /** Configuration problems, reported at import. */
  check?(config: Readonly<Record<string, unknown>>): string[];
  /**
   * The state names the node reads (AM's `getInputs()`): what transient state keeps across a step
   * sent to the client (journeys/state-retention.ts). `*`: everything.
   */
  inputs?(config: Readonly<Record<string, unknown>>): readonly string[];
  process(context: NodeContext): Promise<NodeResult>;
}

export const outcome = (name: string): NodeResult => ({ kind: 'outcome', outcome: name });

/**
 * A node setting read as text: a string as it is, a number or boolean as AM would print it, and
 * the fallback for anything else (absent, or an object an export put there by mistake).
 */
export function configText(config: Readonly<Record<string, unknown>>, key: string, fallback = ''): string {
  const value = config[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}
export const ask = (
  callbacks: CallbackSpec[],
  extra: { header?: string; description?: string; stage?: string } = {},
): NodeResult => ({
  kind: 'callbacks',
  callbacks,
  ...extra,
});

/** A node configuration's localized text (`{"en": "..."}`), in the request's language if present. */
export function localized(value: unknown, fallback: string, acceptLanguage?: string): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return fallback;
  const map = value as Record<string, unknown>;
  const entries = Object.entries(map).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  if (entries.length === 0) return fallback;
  for (const wanted of (acceptLanguage ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '')) {
    if (!wanted) continue;
    const exact = entries.find(([locale]) => locale.toLowerCase() === wanted);
    if (exact) return exact[1];
    const language = entries.find(([locale]) => locale.toLowerCase().split(/[-_]/)[0] === wanted.split('-')[0]);
    if (language) return language[1];
  }
  return (entries.find(([locale]) => locale.toLowerCase() === 'en') ?? entries[0])?.[1] ?? fallback;
}
