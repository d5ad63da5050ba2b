/**
 * The journey linter: what AIC would refuse, or what the emulator cannot run, found before
 * anything runs (`aic-emulator lint`, and every import). Problems name the journey, the node and
 * the script they concern.
 *
 * Errors make a journey unrunnable here: a node without configuration,
 * a missing inner journey or script, an outcome leading to a node that is not in the journey.
 * Warnings are worth knowing: an outcome nothing is connected to, a script that can set an outcome
 * its node does not declare (the seed's Part 3 export and its "No Session"), an ESV read but not
 * defined, a script AIC's Rhino would not parse, a node type the emulator does not implement (it
 * runs as a stub: journeys/node-stubs.ts).
 */
import {
  FAILURE_NODE_ID,
  SUCCESS_NODE_ID,
  own,
  type JourneyProblem,
  type NodeConfig,
  type TreeNode,
} from '../state/journeys/model.js';
import type { RealmJourneys } from '../state/journeys/registry.js';
import { substitutePlaceholders, unresolvedMessage, type PropertyResolver } from './placeholders.js';
import { runnableNodeType, stubOutcomes } from './node-stubs.js';

/** What the linter may ask of the tenant it lints for. */
export interface LintEnvironment {
  /** Is this ESV (`esv.x` as scripts name it) defined? */
  esvDefined(name: string): boolean;
  /** The value of a configuration expression's property (`esv.x`), when the tenant has it. */
  property?: PropertyResolver;
  /** The checks of a node's scripts (scripting/lint-scripts.ts), handed in by whoever lints. */
  scriptLinter?: ScriptLinter;
}

const ANY_ENVIRONMENT: LintEnvironment = { esvDefined: () => true };

/** Checks of a node's scripts, which the scripting layer provides (`LintEnvironment.scriptLinter`). */
export type ScriptLinter = (
  journeys: RealmJourneys,
  journey: string,
  node: TreeNode,
  config: NodeConfig,
  env: LintEnvironment,
) => JourneyProblem[];

/** Lints a journey and, once each, the journeys it runs as inner trees. */
export function lintJourney(
  journeys: RealmJourneys,
  name: string,
  visited = new Set<string>(),
  env: LintEnvironment = ANY_ENVIRONMENT,
): JourneyProblem[] {
  if (visited.has(name)) return [];
  visited.add(name);
  const tree = journeys.trees.get(name);
  if (!tree) return [{ severity: 'error', journey: name, message: `journey "${name}" does not exist in this realm` }];
  const problems: JourneyProblem[] = [];
  const at = (node: TreeNode) => ({ journey: name, node: `${node.displayName} (${node.id})` });
  if (
    !own(tree.nodes, tree.entryNodeId) &&
    tree.entryNodeId !== SUCCESS_NODE_ID &&
    tree.entryNodeId !== FAILURE_NODE_ID
  ) {
    problems.push({
      severity: 'error',
      journey: name,
      message: `the entry node ${tree.entryNodeId} is not in the journey`,
    });
  }
  for (const node of Object.values(tree.nodes)) {
    for (const [outcome, target] of Object.entries(node.connections)) {
      if (target !== SUCCESS_NODE_ID && target !== FAILURE_NODE_ID && !own(tree.nodes, target)) {
        problems.push({
          severity: 'error',
          ...at(node),
          message: `the outcome "${outcome}" leads to ${target}, which is not a node of the journey`,
        });
      }
    }
    problems.push(...lintNode(journeys, name, node, at(node), visited, env));
  }
  return problems;
}

/** Problems that stop the emulator from running a journey at all. */
export function blockingProblems(problems: JourneyProblem[]): JourneyProblem[] {
  return problems.filter((problem) => problem.severity === 'error' && problem.blocking !== false);
}

function lintNode(
  journeys: RealmJourneys,
  journey: string,
  node: TreeNode,
  where: { journey: string; node: string },
  visited: Set<string>,
  env: LintEnvironment,
  inPage = false,
): JourneyProblem[] {
  const problems: JourneyProblem[] = [];
  const implementation = runnableNodeType(journeys, node.nodeType);
  const config = journeys.nodes.get(node.id);
  if (!implementation) {
    const first = stubOutcomes(node, config)[0];
    problems.push({
      severity: 'warning',
      ...where,
      message:
        `${node.nodeType} is not implemented by the emulator: it runs as the node stub "${node.nodeType}" ` +
        `(or "${node.nodeType}/${node.id}"; config nodeStubs, PUT /__emulator/node-stubs/${node.nodeType}), ` +
        (first === undefined
          ? 'which must name its outcome: the node has none to take by default'
          : `else it takes its first outcome "${first}"`),
    });
  }
  if (!config) {
    problems.push({
      severity: 'error',
      ...where,
      message: `the node has no configuration in the export (nodes or innerNodes)`,
    });
    return problems;
  }
  // Checked as the node will run it: with its configuration expressions substituted (placeholders.ts).
  const resolve = env.property ?? (() => undefined);
  const substituted = substitutePlaceholders(config.config, (name) =>
    name === 'fqdn' ? 'tenant.example.com' : resolve(name),
  );
  for (const name of substituted.unresolved)
    problems.push({
      // An ESV the tenant lacks may be created before the journey runs (as for scripts' ESVs); any
      // other name never resolves here.
      severity: name.startsWith('esv.') ? 'warning' : 'error',
      ...where,
      message: `the configuration expression ${unresolvedMessage([name])}: the node fails when it runs`,
    });
  for (const message of implementation?.check?.(substituted.value) ?? [])
    problems.push({ severity: 'error', ...where, message });
  if (env.scriptLinter) problems.push(...env.scriptLinter(journeys, journey, node, config, env));

  if (node.nodeType === 'PageNode') {
    const children = Array.isArray(config.config['nodes'])
      ? (config.config['nodes'] as { _id?: unknown; nodeType?: unknown; displayName?: unknown }[])
      : [];
    for (const child of children) {
      if (typeof child?._id !== 'string' || typeof child.nodeType !== 'string') continue;
      const childNode: TreeNode = {
        id: child._id,
        nodeType: child.nodeType,
        displayName: typeof child.displayName === 'string' ? child.displayName : child.nodeType,
        connections: {},
      };
      problems.push(
        ...lintNode(
          journeys,
          journey,
          childNode,
          { journey, node: `${where.node} > ${childNode.displayName} (${child._id})` },
          visited,
          env,
          true,
        ),
      );
    }
  }
  if (node.nodeType === 'InnerTreeEvaluatorNode' && typeof config.config['tree'] === 'string') {
    const inner = journeys.trees.get(config.config['tree']);
    if (!inner)
      problems.push({
        severity: 'error',
        ...where,
        message: `the inner journey "${config.config['tree']}" is not imported`,
      });
    else {
      if (!inner.enabled)
        problems.push({ severity: 'error', ...where, message: `the inner journey "${inner.name}" is disabled` });
      problems.push(...lintJourney(journeys, inner.name, visited, env));
    }
  }
  if (!inPage) {
    const outcomes = outcomesOf(journeys, node, config);
    for (const outcome of outcomes) {
      if (!Object.hasOwn(node.connections, outcome))
        problems.push({ severity: 'warning', ...where, message: `the outcome "${outcome}" is not connected` });
    }
  }
  return problems;
}

/** The outcomes a node can take; for a page, its last child's (`<childId>-<outcome>` on version 2.0 pages). */
export function outcomesOf(journeys: RealmJourneys, node: TreeNode, config: NodeConfig): string[] {
  if (node.nodeType !== 'PageNode') {
    const implementation = runnableNodeType(journeys, node.nodeType);
    return implementation ? implementation.outcomes(config.config) : [...(config.outcomes ?? [])];
  }
  const children = Array.isArray(config.config['nodes'])
    ? (config.config['nodes'] as { _id?: unknown; nodeType?: unknown }[])
    : [];
  const last = children.at(-1);
  if (typeof last?._id !== 'string' || typeof last.nodeType !== 'string') return [];
  const lastConfig = journeys.nodes.get(last._id);
  const lastImplementation = runnableNodeType(journeys, last.nodeType);
  const lastOutcomes = lastConfig
    ? lastImplementation
      ? lastImplementation.outcomes(lastConfig.config)
      : [...(lastConfig.outcomes ?? [])]
    : [];
  return config.version === '2.0' ? lastOutcomes.map((outcome) => `${String(last._id)}-${outcome}`) : lastOutcomes;
}
