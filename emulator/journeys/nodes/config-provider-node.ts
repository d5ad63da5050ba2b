/**
 * Configuration Provider (AM: ConfigProviderNode.java): runs a script that sets `config`, and
 * processes a node of type `nodeType` configured with it; that node's outcome is this node's. A
 * script that fails, or sets no map, ends in `CONFIGURATION_FAILED` ("Script must set 'config' to a
 * Map.").
 *
 * It needs the catalog of node types (its delegate is one), which itself holds this node: the
 * catalog hands its lookup in (nodes/index.ts), so this module does not import it back.
 */
import { NodeProcessException, outcome, type NodeType, configText } from './node.js';
import { applyScriptEffects } from './scripted-decision-node.js';

export function configProviderNode(nodeType: (name: string) => NodeType | undefined): NodeType {
  return {
    type: 'ConfigProviderNode',
    outcomes: (config) => [...(nodeType(configText(config, 'nodeType'))?.outcomes({}) ?? []), 'CONFIGURATION_FAILED'],
    // Its script's inputs (`scriptInputs`, `*` by default).
    inputs: (config) =>
      Array.isArray(config['scriptInputs'])
        ? config['scriptInputs'].filter((item): item is string => typeof item === 'string')
        : ['*'],
    check(config) {
      const problems: string[] = [];
      if (typeof config['script'] !== 'string' || config['script'] === '') problems.push('script is required');
      if (typeof config['nodeType'] !== 'string' || !nodeType(config['nodeType']))
        problems.push(`nodeType ${String(config['nodeType'])} is not a node type the emulator supports`);
      return problems;
    },
    async process(context) {
      const scriptId = configText(context.config, 'script');
      const script = context.journeys.scripts.get(scriptId);
      if (!script)
        throw new NodeProcessException(`the script ${scriptId} of node "${context.node.displayName}" is not imported`);
      const delegate = configText(context.config, 'nodeType');
      let result;
      try {
        result = await context.tenant.scripts.run(script, 'config', context);
      } catch (error) {
        context.run.log('error', `Configuration Provider: ${(error as Error).message}`);
        return outcome('CONFIGURATION_FAILED');
      }
      applyScriptEffects(context, result);
      if (
        !result.config.set ||
        (result.config.type !== 'object' && result.config.type !== 'map') ||
        result.config.value === null
      ) {
        context.run.log('error', "Script must set 'config' to a Map.");
        return outcome('CONFIGURATION_FAILED');
      }
      return context.processChild(
        {
          id: context.node.id,
          nodeType: delegate,
          displayName: `${context.node.displayName} (${delegate})`,
          connections: {},
        },
        result.config.value as Record<string, unknown>,
        context.callbacks,
      );
    },
  };
}
