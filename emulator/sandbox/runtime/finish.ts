import type { Rt, LegacyActionDescriptor } from './types.js';

/**
 * Makes `finish`, which the worker calls after the script ran (and after it failed, for its logs):
 * the JSON text of what the script did, its outcome, action, callbacks, state, config and logs.
 * Legacy scripts work on copies of shared and transient state; finish copies them back.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function makeFinish(rt: Rt): () => string {
  const { g, input, legacy, state, bindings, JSON: _JSON, String: _String } = rt;
  const nextGenAction = legacy ? undefined : bindings['action'];

  /** Legacy: shared and transient state copied back, as the node's outputs allow; what is missing. */
  function copyBackLegacyState(): string[] {
    const missingOutputs: string[] = [];
    const outputs = input.outputs;
    const all = outputs.includes('*');
    const shared = bindings['sharedState']._entries as [string, any][];
    const transient = bindings['transientState']._entries as [string, any][];
    for (const [key, value] of shared) if (all || outputs.includes(key)) rt.setState(state.shared, key, value);
    for (const [key, value] of transient) if (all || outputs.includes(key)) rt.setState(state.transient, key, value);
    if (!all)
      for (const name of outputs)
        if (!shared.some(([k]) => k === name) && !transient.some(([k]) => k === name)) missingOutputs.push(name);
    return missingOutputs;
  }

  function resultAction(legacyAction: LegacyActionDescriptor | null): any {
    if (legacyAction) {
      if (legacyAction.replaceShared) state.shared = legacyAction.replaceShared;
      if (legacyAction.replaceTransient) state.transient = legacyAction.replaceTransient;
      return {
        ...(legacyAction.goTo !== undefined ? { goTo: legacyAction.goTo } : {}),
        callbacks: [],
        legacyCallbacks: legacyAction.send ?? [],
        sessionProperties: legacyAction.sessionProperties ?? {},
        removedSessionProperties: [],
        ...(legacyAction.errorMessage ? { errorMessage: legacyAction.errorMessage } : {}),
        ...(legacyAction.header ? { header: legacyAction.header } : {}),
        ...(legacyAction.description ? { description: legacyAction.description } : {}),
        ...(legacyAction.stage ? { stage: legacyAction.stage } : {}),
      };
    }
    if (!legacy && rt.actionUsed && nextGenAction) return { ...rt.action, legacyCallbacks: [] };
    if (!legacy) return { ...rt.action, legacyCallbacks: [], unused: true };
    return null;
  }

  return function finish(): string {
    let outcomeValue: any = g.outcome;
    let legacyAction: LegacyActionDescriptor | null = null;
    const scriptAction = g.action;
    if (legacy && scriptAction && rt.builtActions.has(scriptAction)) legacyAction = scriptAction._descriptor;
    if (outcomeValue instanceof rt.JsonValue) outcomeValue = outcomeValue._value;
    const outcomeType = outcomeValue === null ? 'null' : typeof outcomeValue;
    const missingOutputs = legacy ? copyBackLegacyState() : [];
    const action = resultAction(legacyAction);
    let configValue: any = g.config;
    const configType = configValue === null ? 'null' : configValue instanceof rt.JavaMap ? 'map' : typeof configValue;
    if (configValue instanceof rt.JavaMap) configValue = rt.toJson(configValue);
    let jsonOutcome: any;
    try {
      jsonOutcome = outcomeType === 'object' || outcomeType === 'function' ? _String(outcomeValue) : outcomeValue;
    } catch {
      jsonOutcome = null;
    }
    return _JSON.stringify({
      outcome: { set: outcomeValue !== undefined, type: outcomeType, value: jsonOutcome ?? null },
      action,
      builderCallbacks: rt.builderCallbacks,
      state,
      missingOutputs,
      config: {
        set: configValue !== undefined,
        type: configType,
        value: configType === 'object' || configType === 'map' ? rt.toJson(configValue) : null,
      },
      logs: rt.logs,
    });
  };
}
