/**
 * Scripted Decision (AM: ScriptedDecisionNode.java, ScriptedNodeHelper.java, ActionWrapper.java):
 * runs the node's script (legacy or next-gen by its `evaluatorVersion`) and takes the outcome it
 * chose, validated as AM validates it:
 * - next-gen `action`: callbacks win over `goTo`; `goTo` must name a declared outcome;
 * - else the `outcome` global: it must be a string (`Script must set 'outcome' to a string.`)
 *   and a declared outcome (`Invalid outcome from script, '<x>'`);
 * - legacy: `action = Action.goTo(x).build()` or `Action.send(callbacks).build()`, then `outcome`;
 *   declared outputs must be provided (`Script did not provide all declared outputs`).
 */
import type { CallbackSpec } from '../../state/journeys/callbacks.js';
import {
  NodeProcessException,
  ask,
  outcome,
  type NodeContext,
  type NodeResult,
  type NodeType,
  configText,
} from './node.js';
import { scriptCallback } from './script-callbacks.js';
import { setOwn } from '../../state/journeys/tree-state.js';
import type { ScriptOutcome } from '../../sandbox/protocol.js';

export function declaredOutcomes(config: Readonly<Record<string, unknown>>): string[] {
  return Array.isArray(config['outcomes'])
    ? (config['outcomes'] as unknown[]).filter((item): item is string => typeof item === 'string')
    : [];
}

/** Applies what a script did to the journey: state, session properties and timeouts, logs. */
export function applyScriptEffects(context: NodeContext, result: ScriptOutcome): void {
  context.state.shared = result.state.shared;
  context.state.transient = result.state.transient;
  context.state.secure = result.state.secure;
  const action = result.action;
  if (action) {
    for (const [name, value] of Object.entries(action.sessionProperties))
      setOwn(context.state.sessionProperties, name, value);
    for (const name of action.removedSessionProperties) delete context.state.sessionProperties[name];
    if (action.maxSessionTime !== undefined) context.state.maxSessionMinutes = action.maxSessionTime;
    if (action.maxIdleTime !== undefined) context.state.maxIdleMinutes = action.maxIdleTime;
    if (action.identifiedUser !== undefined) {
      const user =
        context.tenant.users.getInRealm(context.realm.path, action.identifiedUser) ??
        context.tenant.users.findByUserName(context.realm.path, action.identifiedUser);
      if (user) context.state.identifiedUserId = user._id;
    }
  }
}

/** The node's `inputs` (AM's default `["*"]`: the script may read everything). */
function declaredInputs(value: unknown): string[] {
  if (!Array.isArray(value)) return ['*'];
  return value.filter((item): item is string => typeof item === 'string');
}

export const ScriptedDecisionNode: NodeType = {
  type: 'ScriptedDecisionNode',
  outcomes: declaredOutcomes,
  inputs: (config) => declaredInputs(config['inputs']),
  check: (config) => (typeof config['script'] === 'string' && config['script'] !== '' ? [] : ['script is required']),
  async process(context: NodeContext): Promise<NodeResult> {
    const scriptId = configText(context.config, 'script');
    const script = context.journeys.scripts.get(scriptId);
    if (!script)
      throw new NodeProcessException(`the script ${scriptId} of node "${context.node.displayName}" is not imported`);
    const result = await context.tenant.scripts.run(script, 'decision', context);
    if (result.missingOutputs.length > 0) throw new NodeProcessException('Script did not provide all declared outputs');
    applyScriptEffects(context, result);
    const outcomes = declaredOutcomes(context.config);
    const action = result.action;
    const callbacks: CallbackSpec[] = [
      ...result.builderCallbacks.map(scriptCallback),
      ...(action?.legacyCallbacks ?? []).map(scriptCallback),
    ];
    const extra = {
      ...(action?.header ? { header: action.header } : {}),
      ...(action?.description ? { description: action.description } : {}),
      ...(action?.stage ? { stage: action.stage } : {}),
    };
    if (callbacks.length > 0) return ask(callbacks, extra);
    const used = action && !action.unused;
    if (used && action.goTo !== undefined) {
      if (!outcomes.includes(action.goTo))
        throw new NodeProcessException(`Invalid outcome from script, '${action.goTo}'`);
      return outcome(action.goTo);
    }
    const chosen = result.outcome;
    if (!chosen.set || chosen.type !== 'string')
      throw new NodeProcessException("Script must set 'outcome' to a string.");
    const name = chosen.value as string;
    if (!outcomes.includes(name)) throw new NodeProcessException(`Invalid outcome from script, '${name}'`);
    return outcome(name);
  },
};
