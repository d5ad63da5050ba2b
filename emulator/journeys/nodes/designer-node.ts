/**
 * Node Designer custom nodes (AIC docs, "Custom nodes" / "Node designer"; AIC's
 * `/am/json/node-designer/node-type` objects as recorded in frodo-lib's mock recordings): a
 * journey's node `designer-<serviceName>` runs its type's next-gen script with the bindings of a
 * Scripted Decision node, plus `properties`: the type's property defaults under the node's own
 * values (a node's configuration holds them as top-level keys, `operator: "ADD"`). The outcome is
 * the one `action.goTo` names (or `outcome`), one of the type's `outcomes`; with `errorOutcome`, a
 * script that throws takes `Script Error` instead of ending the journey.
 */
import type { CallbackSpec } from '../../state/journeys/callbacks.js';
import type { CustomNodeType, ScriptDef } from '../../state/journeys/model.js';
import { NodeProcessException, ask, outcome, type NodeContext, type NodeResult, type NodeType } from './node.js';
import { applyScriptEffects } from './scripted-decision-node.js';
import { scriptCallback } from './script-callbacks.js';

/** The outcome AIC adds to a custom node whose type has `errorOutcome`. */
export const SCRIPT_ERROR_OUTCOME = 'Script Error';

export function customNodeOutcomes(type: CustomNodeType): string[] {
  return type.errorOutcome ? [...type.outcomes, SCRIPT_ERROR_OUTCOME] : [...type.outcomes];
}

/** The `properties` binding: each declared property's value on the node, else its default. */
export function customNodeProperties(
  type: CustomNodeType,
  config: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(type.properties)) {
    const value = Object.hasOwn(config, name) ? config[name] : property.defaultValue;
    if (value !== undefined) properties[name] = value;
  }
  return properties;
}

/** A declared list, or every name when the type declares none. */
const orEverything = (names: readonly string[]) => (names.length > 0 ? [...names] : ['*']);

export function customNode(type: CustomNodeType): NodeType {
  const script: ScriptDef = {
    id: type.id,
    name: type.displayName,
    source: type.script,
    language: 'JAVASCRIPT',
    context: 'SCRIPTED_DECISION_NODE',
    evaluatorVersion: '2.0',
    description: type.description,
  };
  return {
    type: `designer-${type.serviceName}`,
    outcomes: () => customNodeOutcomes(type),
    inputs: () => orEverything(type.inputs),
    check: (config) =>
      Object.entries(type.properties)
        .filter(
          ([name, property]) =>
            property.required === true && property.defaultValue === undefined && !Object.hasOwn(config, name),
        )
        .map(([name]) => `the property "${name}" of custom node type ${type.displayName} is required`),
    async process(context: NodeContext): Promise<NodeResult> {
      const outcomes = customNodeOutcomes(type);
      // The script sees the type's declared inputs and outputs, as a Scripted Decision node's.
      const scriptContext: NodeContext = {
        ...context,
        config: { ...context.config, inputs: orEverything(type.inputs), outputs: orEverything(type.outputs) },
      };
      let result;
      try {
        result = await context.tenant.scripts.run(script, 'decision', scriptContext, {
          properties: customNodeProperties(type, context.config),
        });
        if (result.missingOutputs.length > 0)
          throw new NodeProcessException('Script did not provide all declared outputs');
      } catch (error) {
        if (!type.errorOutcome || !(error instanceof NodeProcessException)) throw error;
        context.run.log('error', error.message);
        return outcome(SCRIPT_ERROR_OUTCOME);
      }
      applyScriptEffects(context, result);
      const action = result.action;
      const callbacks: CallbackSpec[] = result.builderCallbacks.map(scriptCallback);
      if (callbacks.length > 0)
        return ask(callbacks, {
          ...(action?.header ? { header: action.header } : {}),
          ...(action?.description ? { description: action.description } : {}),
          ...(action?.stage ? { stage: action.stage } : {}),
        });
      const chosen =
        action && !action.unused && action.goTo !== undefined
          ? action.goTo
          : result.outcome.set && result.outcome.type === 'string'
            ? (result.outcome.value as string)
            : undefined;
      if (chosen === undefined) throw new NodeProcessException("Script must set 'outcome' to a string.");
      if (!outcomes.includes(chosen)) throw new NodeProcessException(`Invalid outcome from script, '${chosen}'`);
      return outcome(chosen);
    },
  };
}
