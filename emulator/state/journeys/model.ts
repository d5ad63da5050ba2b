/**
 * The journey model every export format is decoded into: trees (the graph), node configurations
 * (by node id), and scripts (by script id), as AM stores them (AM's sample trees in
 * ForgeRock/am-external openam-samples/sample-trees; AIC admin-UI and frodo exports).
 */

/**
 * AM's fixed ids for the two terminal nodes and the UI's start pseudo-node (am-external:
 * openam-ui/openam-ui-admin/.../trees/current/nodes/static.js).
 */
export const SUCCESS_NODE_ID = '70e691a5-1e33-4ac3-a356-e7b6d60d92e0';
export const FAILURE_NODE_ID = 'e301438c-0bd0-429c-ab0c-66126501069a';

/**
 * `record[key]` when the record has `key` as its own property, else undefined: how records an
 * export or a script names keys in (a tree's nodes, a node's connections, a configuration) are
 * read, so that a name like `toString`, `constructor` or `__proto__` never finds a member of
 * Object.prototype. (Records decoded here have no prototype; those restored from JSON do.)
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An empty record without a prototype: every key set on it, `__proto__` included, is its own. */
export function bareRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export interface TreeNode {
  readonly id: string;
  readonly nodeType: string;
  readonly displayName: string;
  /** Outcome id → next node id. */
  readonly connections: Readonly<Record<string, string>>;
  readonly x?: number | undefined;
  readonly y?: number | undefined;
  /** The node's type version as newer tenants' trees name it (`"1.0"`), when the tree had one. */
  readonly version?: string | undefined;
}

export interface JourneyTree {
  /** The journey's name: its `_id`, what `authIndexValue` and inner tree nodes name. */
  readonly name: string;
  readonly entryNodeId: string;
  readonly nodes: Readonly<Record<string, TreeNode>>;
  /** Positions of the start, success and failure nodes, when the export has them. */
  readonly staticNodes: Readonly<Record<string, { x?: number; y?: number }>>;
  readonly description: string;
  readonly enabled: boolean;
  readonly innerTreeOnly: boolean;
  readonly identityResource: string | undefined;
  readonly noSession: boolean;
  /** Newer tenants' `mustRun` and `transactionalOnly`, kept as a PUT gives them (absent: false). */
  readonly mustRun?: boolean | undefined;
  readonly transactionalOnly?: boolean | undefined;
  /** The admin UI's settings for the tree (`categories`, ...), as the export has them; AM's REST answers them. */
  readonly uiConfig?: Readonly<Record<string, unknown>> | undefined;
}

/** A node's configuration: `_type._id` and its properties (`script`, `outcomes`, `message`, ...). */
export interface NodeConfig {
  readonly id: string;
  readonly type: string;
  /** `_type.version` (AM 9 / AIC 2026 exports): `2.0` Page Nodes name their outcome after their last child. */
  readonly version: string | undefined;
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * The outcomes the export listed for the node (`_outcomes` ids, in order), when it did: what a
   * node type the emulator does not know can take (docs/fidelity.md, "Nodes").
   */
  readonly outcomes?: readonly string[] | undefined;
}

/** A Node Designer property: its title, type and default (`GET node-designer/node-type/<id>`). */
export interface CustomNodeProperty {
  readonly title?: string;
  readonly description?: string;
  readonly type?: string;
  readonly required?: boolean;
  readonly defaultValue?: unknown;
  readonly multivalued?: boolean;
  readonly options?: Readonly<Record<string, string>>;
}

/**
 * A Node Designer custom node type, as AIC's `/am/json/node-designer/node-type/<id>` has it and
 * frodo exports it (`nodeTypes: {"<serviceName>-<version>": {...}}`): journeys name it
 * `designer-<serviceName>`, and its nodes run its next-gen `script` with their `properties`.
 */
export interface CustomNodeType {
  /** `<serviceName>-<version>`. */
  readonly id: string;
  readonly serviceName: string;
  readonly version: number;
  readonly displayName: string;
  readonly description: string;
  readonly outcomes: readonly string[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** The script's source text. */
  readonly script: string;
  /** With it, a script that throws takes the outcome `Script Error` (AIC's "error outcome"). */
  readonly errorOutcome: boolean;
  readonly tags: readonly string[];
  readonly properties: Readonly<Record<string, CustomNodeProperty>>;
}

/** The node type name journeys give a custom node type's nodes. */
export const DESIGNER_PREFIX = 'designer-';

export interface ScriptDef {
  readonly id: string;
  readonly name: string;
  /** The decoded source text. */
  readonly source: string;
  readonly language: string;
  readonly context: string;
  /** `1.0` legacy, `2.0` next-generation (AM: ScriptedNodeHelper.java; AIC docs, "Next-generation scripts"). */
  readonly evaluatorVersion: '1.0' | '2.0';
  readonly description: string;
  /** Who wrote it and when (AM's `id=<uuid>,ou=user,ou=am-config`, epoch ms), when it came through AM's REST. */
  readonly createdBy?: string | undefined;
  readonly creationDate?: number | undefined;
  readonly lastModifiedBy?: string | undefined;
  readonly lastModifiedDate?: number | undefined;
}

/** What one import produced, before it is added to a realm. */
export interface JourneyBundle {
  trees: Map<string, JourneyTree>;
  nodes: Map<string, NodeConfig>;
  scripts: Map<string, ScriptDef>;
  /** Node Designer custom node types, by `_id` (`<serviceName>-<version>`). */
  nodeTypes?: Map<string, CustomNodeType>;
  /** The realm the export says it came from, when it says so (`managed/alpha_user` → `/alpha`). */
  realmHint: string | undefined;
}

export function emptyBundle(): JourneyBundle {
  return { trees: new Map(), nodes: new Map(), scripts: new Map(), realmHint: undefined };
}

export type ProblemSeverity = 'error' | 'warning';

/** Something an import or the linter found, named so that a journey developer can find it. */
export interface JourneyProblem {
  severity: ProblemSeverity;
  journey?: string;
  node?: string;
  script?: string;
  /** Where it came from: a file, or the request body. */
  source?: string;
  message: string;
  /**
   * False for errors the emulator can still run through (a script Rhino would not parse fails at
   * run time, as on AIC); true or absent for those that make the journey unrunnable here.
   */
  blocking?: boolean;
}
