/**
 * The tenant's journeys, per realm: trees by name, node configurations and scripts by id. An
 * import adds a bundle to a realm (what it names replaces what was there) and is linted at once,
 * so that problems are reported by name at import, not in the middle of a run.
 */
import {
  DESIGNER_PREFIX,
  type CustomNodeType,
  type JourneyBundle,
  type JourneyProblem,
  type JourneyTree,
  type NodeConfig,
  type ScriptDef,
} from './model.js';
import { createHash } from 'node:crypto';
import { ChangeFeed } from '../../core/change-feed.js';

export interface RealmJourneys {
  readonly trees: Map<string, JourneyTree>;
  readonly nodes: Map<string, NodeConfig>;
  readonly scripts: Map<string, ScriptDef>;
  /** Node Designer custom node types imported with the journeys, by `_id` (`<serviceName>-<version>`). */
  readonly nodeTypes?: Map<string, CustomNodeType>;
}

/** The custom node type a journey's node type names (`designer-<serviceName>`), its latest version. */
export function customNodeType(journeys: RealmJourneys, typeName: string): CustomNodeType | undefined {
  if (!typeName.startsWith(DESIGNER_PREFIX) || !journeys.nodeTypes) return undefined;
  const serviceName = typeName.slice(DESIGNER_PREFIX.length);
  let found: CustomNodeType | undefined;
  for (const type of journeys.nodeTypes.values())
    if (type.serviceName === serviceName && (!found || type.version > found.version)) found = type;
  return found;
}

/**
 * A bundle added to a realm: `trees` names the trees it added, `journeys` is the realm's journeys
 * after it (the registry's own maps, which later imports change). An empty bundle changes nothing
 * and says nothing; `clear()` (a reset's, a restore's) says nothing either.
 */
export interface JourneyChange {
  /** `removed`: a tree, node or script deleted through AM's config REST (`trees` is then empty). */
  type: 'added' | 'removed';
  realm: string;
  trees: string[];
  journeys: RealmJourneys;
}

export class JourneyRegistry {
  private readonly realms = new Map<string, RealmJourneys>();
  /** Changes with every import and clear: what was worked out from the journeys before is stale. */
  version = 0;
  readonly changes = new ChangeFeed<JourneyChange>();
  /** journeyVersion()'s answers, each good while `version` has not moved. */
  private readonly digests = new Map<string, { version: number; digest: string }>();

  /** The journeys of one realm (created empty on first use). */
  of(realmPath: string): RealmJourneys {
    let journeys = this.realms.get(realmPath);
    if (!journeys) {
      journeys = { trees: new Map(), nodes: new Map(), scripts: new Map(), nodeTypes: new Map() };
      this.realms.set(realmPath, journeys);
    }
    return journeys;
  }

  /** Adds a bundle's trees, nodes and scripts to a realm; returns the names of the trees added. */
  add(realmPath: string, bundle: JourneyBundle): string[] {
    const journeys = this.of(realmPath);
    this.version += 1;
    for (const [id, node] of bundle.nodes) journeys.nodes.set(id, node);
    for (const [id, script] of bundle.scripts) journeys.scripts.set(id, script);
    for (const [id, type] of bundle.nodeTypes ?? []) journeys.nodeTypes?.set(id, type);
    for (const [name, tree] of bundle.trees) journeys.trees.set(name, tree);
    const trees = [...bundle.trees.keys()];
    if (bundle.trees.size + bundle.nodes.size + bundle.scripts.size + (bundle.nodeTypes?.size ?? 0) > 0)
      this.changes.emit({ type: 'added', realm: realmPath, trees, journeys });
    return trees;
  }

  /** Deletes one tree, node or script of a realm; returns it, or undefined when there was none. */
  remove<K extends keyof RealmJourneys>(
    realmPath: string,
    kind: K,
    id: string,
  ): (RealmJourneys[K] extends Map<string, infer V> ? V : never) | undefined {
    const journeys = this.realms.get(realmPath);
    const map = journeys?.[kind] as Map<string, unknown> | undefined;
    const removed = map?.get(id);
    if (!journeys || !map || removed === undefined) return undefined;
    map.delete(id);
    this.version += 1;
    this.changes.emit({ type: 'removed', realm: realmPath, trees: [], journeys });
    return removed as RealmJourneys[K] extends Map<string, infer V> ? V : never;
  }

  tree(realmPath: string, name: string): JourneyTree | undefined {
    return this.realms.get(realmPath)?.trees.get(name);
  }

  /**
   * What a run records as the version of the journey it ran: a digest of the tree, the
   * configurations of its nodes (a page's included) and the scripts they name. It changes with
   * any of them, whichever way the change came (an import, AM's config REST, another instance),
   * and is the same on every instance for the same journey. Undefined for a journey not there.
   */
  journeyVersion(realmPath: string, name: string): string | undefined {
    const key = `${realmPath}\u0000${name}`;
    const cached = this.digests.get(key);
    if (cached?.version === this.version) return cached.digest;
    const journeys = this.realms.get(realmPath);
    const tree = journeys?.trees.get(name);
    if (!journeys || !tree) return undefined;
    const hash = createHash('sha256').update(JSON.stringify(tree));
    const pending = Object.keys(tree.nodes);
    const seen = new Set<string>();
    for (let id = pending.shift(); id !== undefined; id = pending.shift()) {
      if (seen.has(id)) continue;
      seen.add(id);
      const node = journeys.nodes.get(id);
      hash.update(`\u0000${id}\u0000${JSON.stringify(node ?? null)}`);
      const children = node?.config['nodes'];
      if (Array.isArray(children))
        for (const child of children as { _id?: unknown }[]) if (typeof child._id === 'string') pending.push(child._id);
      const scriptId = node?.config['script'];
      const script = typeof scriptId === 'string' ? journeys.scripts.get(scriptId) : undefined;
      if (script) hash.update(`\u0000${script.id}\u0000${script.source}`);
      const custom = node ? customNodeType(journeys, node.type) : undefined;
      if (custom) hash.update(`\u0000${custom.id}\u0000${JSON.stringify(custom)}`);
    }
    const digest = hash.digest('hex').slice(0, 12);
    this.digests.set(key, { version: this.version, digest });
    return digest;
  }

  realmPaths(): string[] {
    return [...this.realms.keys()];
  }

  clear(): void {
    this.realms.clear();
    this.digests.clear();
    this.version += 1;
  }
}

/** What an import answers (the control API's `POST import` shape). */
export interface ImportResult {
  realm: string;
  imported: string[];
  problems: JourneyProblem[];
}
