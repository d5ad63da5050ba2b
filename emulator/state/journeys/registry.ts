/**
 * The tenant's journeys, per realm: trees by name, node configurations and scripts by id. An
 * import adds a bundle to a realm (what it names replaces what was there) and is linted at once,
 * so that problems are reported by name at import, not in the middle of a run.
 */
import type { JourneyBundle, JourneyProblem, JourneyTree, NodeConfig, ScriptDef } from './model.js';

export interface RealmJourneys {
  readonly trees: Map<string, JourneyTree>;
  readonly nodes: Map<string, NodeConfig>;
  readonly scripts: Map<string, ScriptDef>;
}

export class JourneyRegistry {
  private readonly realms = new Map<string, RealmJourneys>();
  /** Changes with every import and clear: what was worked out from the journeys before is stale. */
  version = 0;

  /** The journeys of one realm (created empty on first use). */
  of(realmPath: string): RealmJourneys {
    let journeys = this.realms.get(realmPath);
    if (!journeys) {
      journeys = { trees: new Map(), nodes: new Map(), scripts: new Map() };
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
    for (const [name, tree] of bundle.trees) journeys.trees.set(name, tree);
    return [...bundle.trees.keys()];
  }

  tree(realmPath: string, name: string): JourneyTree | undefined {
    return this.realms.get(realmPath)?.trees.get(name);
  }

  realmPaths(): string[] {
    return [...this.realms.keys()];
  }

  clear(): void {
    this.realms.clear();
    this.version += 1;
  }
}

/** What an import answers (the control API's `POST import` shape). */
export interface ImportResult {
  realm: string;
  imported: string[];
  problems: JourneyProblem[];
}
