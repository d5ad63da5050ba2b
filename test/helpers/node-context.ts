/**
 * Journey nodes, the executor and the engine without a Tenant, HTTP or createEmulator: the state
 * classes they read (users, realms, ESVs, journeys, runs, the clock) built directly, a fake script
 * runner whose answers a test writes, and a NodeContext for one node at a time.
 *
 * `NodeHarness.process` runs a node type from the catalog and checks that an outcome it takes is
 * one the node declares (the linter's `outcomesOf`, which resolves a Page Node through its last
 * child): a node that returned an undeclared outcome fails every test that reaches it.
 */
import { expect } from 'vitest';
import type { UserSeed } from '../../emulator/config/config-types.js';
import { TenantClock } from '../../emulator/core/clock.js';
import type { EngineServices } from '../../emulator/journeys/engine.js';
import type { Execution, ExecutorServices } from '../../emulator/journeys/executor.js';
import { outcomesOf } from '../../emulator/journeys/lint.js';
import { nodeType } from '../../emulator/journeys/nodes/index.js';
import {
  NodeProcessException,
  type InnerResult,
  type NodeContext,
  type NodeResult,
  type NodeServices,
} from '../../emulator/journeys/nodes/node.js';
import type { ScriptOutcome } from '../../emulator/sandbox/protocol.js';
import { EsvStore } from '../../emulator/state/esvs.js';
import {
  renderCallbacks,
  readSubmitted,
  type CallbackSpec,
  type SubmittedCallback,
} from '../../emulator/state/journeys/callbacks.js';
import {
  FAILURE_NODE_ID,
  SUCCESS_NODE_ID,
  type JourneyTree,
  type NodeConfig,
  type ScriptDef,
  type TreeNode,
} from '../../emulator/state/journeys/model.js';
import { JourneyRegistry, type RealmJourneys } from '../../emulator/state/journeys/registry.js';
import { RunHistory, type NodeVisit, type RunRecorder } from '../../emulator/state/journeys/runs.js';
import { NodeState, newTreeState, type TreeState } from '../../emulator/state/journeys/tree-state.js';
import { RealmRegistry, type Realm } from '../../emulator/state/realms.js';
import type { Session } from '../../emulator/state/sessions/session.js';
import { UserDirectory } from '../../emulator/state/user-directory.js';
import { Outbox } from '../../emulator/state/outbox.js';
import { Mailer, type EmailTemplate } from '../../emulator/journeys/email/mailer.js';
import { IdmConfigStore } from '../../emulator/state/idm-config.js';
import { idmConfigSeed } from '../../emulator/config/idm-config-seed.js';

export { FAILURE_NODE_ID, SUCCESS_NODE_ID };
export const SUCCESS = SUCCESS_NODE_ID;
export const FAILURE = FAILURE_NODE_ID;

/** The tenant clock's start in these tests (frozen: it moves only when a test moves it). */
export const CLOCK_START = '2026-07-10T01:34:08.000Z';

/** A user of the test realm, as seeded. */
export const ALICE = {
  _id: '11111111-1111-4111-8111-111111111111',
  realm: 'alpha',
  userName: 'alice',
  password: 'Secret123',
  givenName: 'Alice',
  sn: 'Liddell',
  mail: 'alice@example.com',
} as const;
export const BOB = {
  _id: '22222222-2222-4222-8222-222222222222',
  realm: 'alpha',
  userName: 'bob',
  password: 'Hunter22',
  mail: 'bob@example.com',
  accountStatus: 'inactive',
} as const;

// ---------------------------------------------------------------------------------------------
// Scripts

export type ScriptBehaviour = (
  script: ScriptDef,
  kind: 'decision' | 'config',
  context: NodeContext,
) => Partial<ScriptOutcome> | Promise<Partial<ScriptOutcome>>;

/**
 * A script runner that runs nothing: `behaviour` answers for the script, and what it leaves out
 * is what a script that did nothing answers (no outcome, no action, the state as it was).
 */
export class FakeScripts {
  readonly calls: { script: string; kind: 'decision' | 'config'; node: string }[] = [];
  behaviour: ScriptBehaviour = (script) => {
    throw new Error(`no script run expected (${script.name})`);
  };

  async run(script: ScriptDef, kind: 'decision' | 'config', context: NodeContext): Promise<ScriptOutcome> {
    this.calls.push({ script: script.id, kind, node: context.node.id });
    const partial = await this.behaviour(script, kind, context);
    return {
      outcome: { set: false, type: 'undefined', value: undefined },
      action: null,
      builderCallbacks: [],
      state: structuredClone({
        shared: context.state.shared,
        transient: context.state.transient,
        secure: context.state.secure,
      }),
      missingOutputs: [],
      config: { set: false, type: 'undefined', value: undefined },
      logs: [],
      ...partial,
    };
  }
}

/** A next-gen decision script's outcome: `outcome = value`. */
export const scriptSets = (value: unknown): Partial<ScriptOutcome> => ({
  outcome: { set: true, type: typeof value, value },
});

export function script(id: string, name = id): ScriptDef {
  return {
    id,
    name,
    source: '/* run by FakeScripts */',
    language: 'JAVASCRIPT',
    context: 'AUTHENTICATION_TREE_DECISION_NODE',
    evaluatorVersion: '2.0',
    description: '',
  };
}

// ---------------------------------------------------------------------------------------------
// The tenant's state

export interface TestServices extends ExecutorServices {
  readonly realms: RealmRegistry;
  readonly scripts: FakeScripts;
  /** Where the email nodes' mail lands, and the IDM email templates they render (by name). */
  readonly outbox: Outbox;
  readonly emailTemplates: Map<string, EmailTemplate>;
  readonly mailer: Mailer;
  readonly idmConfig: IdmConfigStore;
  readonly persistentCookieKey: Uint8Array;
}

/** Users, realms (root, /alpha, /bravo), ESVs and a frozen clock, with the given users seeded. */
export function testServices(users: readonly UserSeed[] = [ALICE, BOB]): TestServices {
  const realms = new RealmRegistry([{ path: '/alpha' }, { path: '/bravo', defaultJourney: 'Bravo' }]);
  const clock = new TenantClock({ start: CLOCK_START, frozen: true });
  const directory = new UserDirectory(realms, () => clock.now());
  for (const user of users) directory.add({ ...user });
  const outbox = new Outbox(100, () => clock.now());
  const emailTemplates = new Map<string, EmailTemplate>();
  const mailer = new Mailer((name) => emailTemplates.get(name), outbox);
  // IDM's config as a fresh tenant has it (the KBA questions, the terms and conditions).
  const idmConfig = new IdmConfigStore();
  for (const object of idmConfigSeed()) idmConfig.put(object._id, object);
  return {
    realms,
    users: directory,
    clock,
    esvs: new EsvStore(),
    scripts: new FakeScripts(),
    outbox,
    emailTemplates,
    mailer,
    idmConfig,
    persistentCookieKey: new TextEncoder().encode('persistent-cookie-key-of-the-tests'),
  };
}

export function realm(services: { realms: RealmRegistry }, path = '/alpha'): Realm {
  const found = services.realms.get(path);
  if (!found) throw new Error(`no realm ${path}`);
  return found;
}

/** What an engine needs besides the state above: the journeys, the runs, a log a test reads. */
export function engineServices(users?: readonly UserSeed[]): EngineServices & {
  realms: RealmRegistry;
  scripts: FakeScripts;
  outbox: Outbox;
  emailTemplates: Map<string, EmailTemplate>;
  warnings: { details: object; message: string }[];
} {
  const services = testServices(users);
  const warnings: { details: object; message: string }[] = [];
  return {
    ...services,
    journeys: new JourneyRegistry(),
    runs: new RunHistory(
      100,
      () => services.clock.now(),
      () => services.esvs.secretValues(),
    ),
    hosts: () => ['tenant.example.com'],
    log: { warn: (details, message) => void warnings.push({ details, message }) },
    lintEnvironment: { esvDefined: () => true },
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Journeys

export interface NodeSpec {
  id: string;
  type: string;
  name?: string;
  connections?: Record<string, string>;
  config?: Record<string, unknown>;
  /** `_type.version` (a Page Node's `2.0`). */
  version?: string;
}

/** Adds a node's configuration (a page's child, or a tree's node) to a realm's journeys. */
export function addNodeConfig(
  journeys: RealmJourneys,
  id: string,
  type: string,
  config: Record<string, unknown>,
  version?: string,
): void {
  journeys.nodes.set(id, { id, type, version, config });
}

/** Adds a tree whose nodes are given in order; the first is the entry node unless `entry` says. */
export function addTree(
  journeys: RealmJourneys,
  name: string,
  nodes: readonly NodeSpec[],
  options: { entry?: string; enabled?: boolean } = {},
): JourneyTree {
  const tree: JourneyTree = {
    name,
    entryNodeId: options.entry ?? nodes[0]?.id ?? SUCCESS_NODE_ID,
    nodes: Object.fromEntries(
      nodes.map((node) => [
        node.id,
        {
          id: node.id,
          nodeType: node.type,
          displayName: node.name ?? node.type,
          connections: node.connections ?? {},
        } satisfies TreeNode,
      ]),
    ),
    staticNodes: {},
    description: '',
    enabled: options.enabled ?? true,
    innerTreeOnly: false,
    identityResource: 'managed/alpha_user',
    noSession: false,
  };
  journeys.trees.set(name, tree);
  for (const node of nodes) if (node.config) addNodeConfig(journeys, node.id, node.type, node.config, node.version);
  return tree;
}

export function emptyJourneys(): RealmJourneys {
  return { trees: new Map(), nodes: new Map(), scripts: new Map() };
}

// ---------------------------------------------------------------------------------------------
// Answering callbacks

/** Several inputs of one callback by suffix: `inputs({ '': 'x', validateOnly: true })`. */
export class Inputs {
  constructor(readonly values: Record<string, unknown>) {}
}
export const inputs = (values: Record<string, unknown>): Inputs => new Inputs(values);

/**
 * The callbacks of a step answered as a client would: rendered to the wire, each callback's main
 * input set to the value given at its index (`undefined` leaves what the step offered), read back.
 */
export function answer(callbacks: readonly CallbackSpec[], ...values: unknown[]): SubmittedCallback[] {
  const rendered = renderCallbacks(callbacks);
  rendered.forEach((callback, index) => {
    const value = values[index];
    if (value === undefined) return;
    const given = value instanceof Inputs ? value.values : { '': value };
    for (const [suffix, inputValue] of Object.entries(given)) {
      const input = callback.input?.find((item) => item.name === `IDToken${index + 1}${suffix}`);
      if (!input) throw new Error(`callback ${index} (${callback.type}) has no input "${suffix}"`);
      input.value = inputValue;
    }
  });
  return readSubmitted(callbacks, JSON.parse(JSON.stringify(rendered)));
}

/** The callbacks a node asked for (fails the test when it took an outcome). */
export function asked(result: NodeResult | InnerResult): CallbackSpec[] {
  if (result.kind !== 'callbacks') throw new Error(`expected callbacks, got ${JSON.stringify(result)}`);
  return result.callbacks;
}

/** An output value of a callback, by name. */
export function output(callback: CallbackSpec | undefined, name: string): unknown {
  return callback?.output.find((item) => item.name === name)?.value;
}

/** A callback as `type: prompt-or-message`, for compact assertions. */
export function describeCallbacks(result: NodeResult | InnerResult): string[] {
  return asked(result).map((callback) => {
    const text = output(callback, 'prompt') ?? output(callback, 'message') ?? output(callback, 'name');
    if (text === undefined || text === '') return callback.type;
    return `${callback.type}: ${typeof text === 'string' ? text : JSON.stringify(text)}`;
  });
}

// ---------------------------------------------------------------------------------------------
// One node at a time

export interface ProcessOptions {
  callbacks?: readonly SubmittedCallback[];
  /** The node's id (default `node-1`) and display name. */
  id?: string;
  name?: string;
  headers?: Record<string, string | string[]>;
  /** The `/authenticate` request's query string (`a=1&b=2`). */
  query?: string;
  existingSession?: Session;
  /** Answers the Inner Tree Evaluator's call to run another tree (default: the test fails). */
  runInner?: NodeContext['runInner'];
  /** The node is visited again as the journey resumes from a suspension. */
  resumedFromSuspend?: boolean;
}

/**
 * One realm's journeys and one journey's state, in which a test processes nodes one at a time as
 * the executor would, with the same state from one call to the next.
 */
export class NodeHarness {
  readonly services: TestServices;
  readonly journeys: RealmJourneys;
  state: TreeState;
  readonly runs: RunHistory;
  readonly run: RunRecorder;
  /** The visit logs and outbound calls go to while a node runs (the executor's job, done here). */
  readonly visit: NodeVisit;
  /** The children a Page Node or Configuration Provider processed, in order. */
  readonly children: { id: string; nodeType: string; config: Readonly<Record<string, unknown>> }[] = [];

  constructor(options: { users?: readonly UserSeed[]; shared?: Record<string, unknown> } = {}) {
    this.services = testServices(options.users);
    this.journeys = emptyJourneys();
    this.state = newTreeState(structuredClone(options.shared ?? {}) as TreeState['shared']);
    this.runs = new RunHistory(10, () => this.services.clock.now());
    this.run = this.runs.start('Test', '/alpha');
    this.visit = this.run.begin({ journey: 'Test', nodeId: 'harness', displayName: 'harness', nodeType: 'harness' });
  }

  get realm(): Realm {
    return realm(this.services);
  }

  get nodeState(): NodeState {
    return new NodeState(this.state);
  }

  /** Log lines the nodes wrote (as `level: message`). */
  get logs(): string[] {
    return this.visit.logs.map((line) => `${line.level}: ${line.message}`);
  }

  /** Runs a node of this type with this configuration; checks an outcome it takes is declared. */
  async process(type: string, config: Record<string, unknown>, options: ProcessOptions = {}): Promise<NodeResult> {
    const node: TreeNode = {
      id: options.id ?? 'node-1',
      nodeType: type,
      displayName: options.name ?? type,
      connections: {},
    };
    return this.processNode(node, config, options.callbacks ?? [], options);
  }

  private async processNode(
    node: TreeNode,
    config: Readonly<Record<string, unknown>>,
    callbacks: readonly SubmittedCallback[],
    options: ProcessOptions,
  ): Promise<NodeResult> {
    const implementation = nodeType(node.nodeType);
    // As the executor answers a type the catalog does not have (a Configuration Provider's delegate).
    if (!implementation)
      throw new NodeProcessException(
        `node "${node.displayName}" is a ${node.nodeType}, which the emulator does not support`,
      );
    const services: NodeServices = this.services;
    const runInner: NodeContext['runInner'] =
      options.runInner ??
      (async (tree) => {
        throw new Error(`no inner tree expected (${tree})`);
      });
    const context: NodeContext = {
      tenant: services,
      realm: this.realm,
      journeys: this.journeys,
      node,
      config,
      resumedFromSuspend: options.resumedFromSuspend ?? false,
      state: this.state,
      nodeState: new NodeState(this.state),
      callbacks,
      request: {
        headers: { ...options.headers },
        query: new URLSearchParams(options.query ?? ''),
        hostname: 'tenant.example.com',
        existingSession: options.existingSession,
        zeroPage: undefined,
      },
      run: this.run,
      journeyName: 'Test',
      runInner,
      processChild: async (child, childConfig, childCallbacks) => {
        this.children.push({ id: child.id, nodeType: child.nodeType, config: childConfig });
        return this.processNode(child, childConfig, childCallbacks, { ...options, runInner });
      },
    };
    const result = await implementation.process(context);
    if (result.kind === 'outcome') {
      const declared = outcomesOf(this.journeys, node, {
        id: node.id,
        type: node.nodeType,
        version: this.journeys.nodes.get(node.id)?.version,
        config,
      } satisfies NodeConfig);
      expect(declared, `${node.nodeType} took an outcome it does not declare`).toContain(result.outcome);
    }
    return result;
  }
}

/** The outcome a node took (fails the test when it asked for callbacks). */
export function outcomeOf(result: NodeResult | InnerResult): string {
  if (result.kind !== 'outcome') throw new Error(`expected an outcome, got ${JSON.stringify(result)}`);
  return result.outcome;
}

/** A live session of a user, as the session store would hand it to a journey. */
export function sessionOf(
  services: { users: UserDirectory; clock: TenantClock },
  userId: string,
  extra: { service?: string; realm?: string; properties?: Record<string, string>; tokenId?: string } = {},
): Session {
  const user = services.users.get(userId);
  if (!user) throw new Error(`no user ${userId}`);
  const now = services.clock.now();
  return {
    tokenId: extra.tokenId ?? 'token-of-the-existing-session',
    handle: 'shandle:existing',
    ctxId: 'ctx-existing',
    realm: extra.realm ?? user.realm,
    userId: user._id,
    universalId: services.users.universalId(user),
    creationTime: now,
    latestAccessTime: now,
    maxIdleMinutes: 30,
    maxSessionMinutes: 120,
    properties: extra.properties ?? {},
    service: extra.service ?? 'Login',
    successUrl: '/enduser/',
  };
}

/** An Execution over a realm's journeys (for executeTree), with a run recorded in `runs`. */
export function execution(
  services: ExecutorServices & { realms: RealmRegistry },
  journeys: RealmJourneys,
  options: { headers?: Record<string, string>; runs?: RunHistory; journey?: string } = {},
): Execution & { runs: RunHistory } {
  const runs =
    options.runs ??
    new RunHistory(
      10,
      () => services.clock.now(),
      () => services.esvs.secretValues(),
    );
  return {
    tenant: services,
    realm: realm(services),
    journeys,
    request: {
      headers: { ...options.headers },
      query: new URLSearchParams(),
      hostname: 'tenant.example.com',
      existingSession: undefined,
      zeroPage: undefined,
    },
    run: runs.start(options.journey ?? 'Test', '/alpha'),
    runs,
  };
}
