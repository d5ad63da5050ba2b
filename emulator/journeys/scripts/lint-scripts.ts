/**
 * What the linter checks in a node's script (AM: ScriptedDecisionNode.java for outcomes; PingOne AIC
 * docs, "ESVs in scripts"; the Rhino dialect as measured on AIC, see rhino-dialect.ts):
 * - the script is imported;
 * - Rhino 1.7.14 would parse it (AIC fails such a journey with a 401 when it reaches the node);
 * - every outcome it can set is one its node declares (the Part 3 export's "No Session");
 * - the ESVs it reads are defined, with their `esv.` names;
 * - the Java classes it names are on AIC's allowlist for its engine, and the emulator has them.
 * Outcomes are found statically: string literals assigned to `outcome` or passed to
 * `action.goTo` / `Action.goTo`, directly, through a variable, or through an object of constants
 * (`OUTCOMES.NO_SESSION`).
 */
import { createHash } from 'node:crypto';
import { simple } from 'acorn-walk';
import type { LintEnvironment, ScriptLinter } from '../lint.js';
import type { EsvStore } from '../../state/esvs.js';
import type { JourneyProblem, ScriptDef } from '../../state/journeys/model.js';
import { declaredOutcomes } from '../nodes/scripted-decision-node.js';
import { checkDialect, parseScript } from './rhino-dialect.js';
import { tenantProperties } from '../placeholders.js';
import { EMULATED_CLASSES, allowedOnAic, javaClassesNamed } from './java-allowlist.js';

type AnyNode = Record<string, any>;

const SCRIPTED = new Set(['ScriptedDecisionNode', 'ConfigProviderNode']);

/** Constants a script defines: `var X = "a"` and `var O = {K: "a"}`. */
function constants(program: AnyNode): { strings: Map<string, string>; objects: Map<string, Map<string, string>> } {
  const strings = new Map<string, string>();
  const objects = new Map<string, Map<string, string>>();
  simple(program as never, {
    VariableDeclarator(node: AnyNode) {
      if (node.id?.type !== 'Identifier' || !node.init) return;
      if (node.init.type === 'Literal' && typeof node.init.value === 'string')
        strings.set(node.id.name, node.init.value);
      if (node.init.type === 'ObjectExpression') {
        const members = new Map<string, string>();
        for (const property of node.init.properties as AnyNode[]) {
          const key = property.key?.type === 'Identifier' ? property.key.name : property.key?.value;
          if (typeof key === 'string' && property.value?.type === 'Literal' && typeof property.value.value === 'string')
            members.set(key, property.value.value);
        }
        objects.set(node.id.name, members);
      }
    },
  });
  return { strings, objects };
}

function resolve(expression: AnyNode | undefined, known: ReturnType<typeof constants>): string[] {
  if (!expression) return [];
  switch (expression.type) {
    case 'Literal':
      return typeof expression.value === 'string' ? [expression.value] : [];
    case 'TemplateLiteral':
      return expression.expressions.length === 0
        ? [expression.quasis.map((quasi: AnyNode) => quasi.value.cooked).join('')]
        : [];
    case 'Identifier':
      return known.strings.has(expression.name) ? [known.strings.get(expression.name) as string] : [];
    case 'MemberExpression': {
      const object = expression.object?.type === 'Identifier' ? known.objects.get(expression.object.name) : undefined;
      const key = expression.computed ? expression.property?.value : expression.property?.name;
      return object && typeof key === 'string' && object.has(key) ? [object.get(key) as string] : [];
    }
    case 'ConditionalExpression':
      return [...resolve(expression.consequent, known), ...resolve(expression.alternate, known)];
    default:
      return [];
  }
}

function parsed(source: string): AnyNode | undefined {
  try {
    // The dialect's parser: acorn's own takes time quadratic in the names a scope declares.
    return parseScript(source, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch {
    return undefined;
  }
}

/** Outcome names a script can set, as far as can be seen without running it. */
export function possibleOutcomes(source: string): string[] {
  const program = parsed(source);
  return program ? outcomesOf(program) : [];
}

function outcomesOf(program: AnyNode): string[] {
  const known = constants(program);
  const found = new Set<string>();
  simple(program as never, {
    AssignmentExpression(node: AnyNode) {
      if (node.left?.type === 'Identifier' && node.left.name === 'outcome')
        for (const value of resolve(node.right, known)) found.add(value);
    },
    CallExpression(node: AnyNode) {
      const callee = node.callee;
      if (callee?.type === 'MemberExpression' && !callee.computed && callee.property?.name === 'goTo')
        for (const value of resolve(node.arguments?.[0], known)) found.add(value);
    },
  });
  return [...found];
}

/** `systemEnv.getProperty("...")` names a script reads. */
export function esvsRead(source: string): string[] {
  const program = parsed(source);
  return program ? esvsOf(program) : [];
}

function esvsOf(program: AnyNode): string[] {
  const names = new Set<string>();
  simple(program as never, {
    CallExpression(node: AnyNode) {
      const callee = node.callee;
      if (
        callee?.type === 'MemberExpression' &&
        callee.object?.name === 'systemEnv' &&
        callee.property?.name === 'getProperty' &&
        node.arguments?.[0]?.type === 'Literal'
      ) {
        names.add(String(node.arguments[0].value));
      }
    },
  });
  return [...names];
}

/** The member chains of a script (`a.b.c` as ['a', 'b', 'c']), for javaClassesNamed. */
function memberChains(program: AnyNode): string[][] {
  const chains: string[][] = [];
  simple(program as never, {
    MemberExpression(node: AnyNode) {
      const chain: string[] = [];
      let at: AnyNode | undefined = node;
      while (at?.type === 'MemberExpression' && !at.computed && at.property?.type === 'Identifier') {
        chain.unshift(at.property.name);
        at = at.object;
      }
      if (at?.type === 'Identifier') chains.push([at.name, ...chain]);
    },
  });
  return chains;
}

/**
 * The largest script the emulator analyses and runs. Real scripts are kilobytes; parsing takes
 * about half a second per MiB on the main thread, which a shared instance cannot spare.
 */
export const MAX_SCRIPT_CHARS = 1024 * 1024;

interface ScriptAnalysis {
  tooLarge: boolean;
  dialectErrors: ReturnType<typeof checkDialect>['errors'];
  outcomes: string[];
  esvs: string[];
  javaClasses: string[];
}

/** What the linter needs from a script, worked out once per version of it (the console relints often). */
const analyses = new Map<string, ScriptAnalysis>();
function analysisOf(script: ScriptDef): ScriptAnalysis {
  const key = `${script.id}\u0000${createHash('sha1').update(script.source).digest('hex')}`;
  let result = analyses.get(key);
  if (!result) {
    if (script.source.length > MAX_SCRIPT_CHARS) {
      result = { tooLarge: true, dialectErrors: [], outcomes: [], esvs: [], javaClasses: [] };
    } else {
      const program = parsed(script.source);
      result = {
        tooLarge: false,
        dialectErrors: checkDialect(script.source).errors,
        outcomes: program ? outcomesOf(program) : [],
        esvs: program ? esvsOf(program) : [],
        javaClasses: program ? javaClassesNamed(memberChains(program)) : [],
      };
    }
    if (analyses.size > 1000) analyses.clear();
    analyses.set(key, result);
  }
  return result;
}

/** The script checks of a Scripted Decision or Configuration Provider node, for the journey linter. */
export const lintScripts: ScriptLinter = (journeys, journey, node, config, env) => {
  if (!SCRIPTED.has(config.type)) return [];
  const where = { journey, node: `${node.displayName} (${node.id})` };
  const scriptId = config.config['script'];
  if (typeof scriptId !== 'string') return [];
  const script = journeys.scripts.get(scriptId);
  if (!script)
    return [{ severity: 'error', ...where, script: scriptId, message: `the script ${scriptId} is not imported` }];
  const problems: JourneyProblem[] = [];
  const at = { ...where, script: `${script.name} (${script.id})` };
  const analysis = analysisOf(script);
  if (analysis.tooLarge) {
    return [
      {
        severity: 'error',
        ...at,
        message: `the script has ${script.source.length} characters, more than the emulator runs (${MAX_SCRIPT_CHARS})`,
      },
    ];
  }
  for (const error of analysis.dialectErrors) {
    problems.push({
      severity: 'error',
      blocking: false,
      ...at,
      message: `Rhino would not parse this script: ${error.message} (${script.name}#${error.line}); AIC fails the journey when it reaches the node`,
    });
  }
  if (config.type === 'ScriptedDecisionNode') {
    const declared = declaredOutcomes(config.config);
    for (const name of analysis.outcomes) {
      if (!declared.includes(name)) {
        problems.push({
          severity: 'warning',
          ...at,
          message: `the script can set the outcome "${name}", which the node does not declare (${declared.map((d) => `"${d}"`).join(', ')}): AM ends the journey with "Invalid outcome from script, '${name}'"`,
        });
      }
    }
  }
  for (const name of analysis.esvs) {
    if (!name.startsWith('esv.'))
      problems.push({
        severity: 'warning',
        ...at,
        message: `reads the property "${name}": only "esv."-prefixed names resolve on AIC`,
      });
    else if (!env.esvDefined(name))
      problems.push({
        severity: 'warning',
        ...at,
        message: `reads the ESV ${name} (esv-${name.slice(4).replace(/\./g, '-')}), which is not defined in this tenant`,
      });
  }
  const engine = script.evaluatorVersion === '1.0' ? '1.0' : '2.0';
  const kind = engine === '1.0' ? 'legacy' : 'next-generation';
  // The allowlists are the decision scripts' (a Configuration Provider's context has its own).
  for (const name of config.type === 'ScriptedDecisionNode' ? analysis.javaClasses : []) {
    if (!allowedOnAic(name, engine))
      problems.push({
        severity: 'warning',
        ...at,
        message: `names the Java class ${name}, which is not on AIC's allowlist for ${kind} decision scripts: AIC sees a Java package there ("TypeError: [JavaPackage ${name}] is not a function" where it is called)`,
      });
    else if (!EMULATED_CLASSES[engine].includes(name))
      problems.push({
        severity: 'warning',
        ...at,
        message: `names the Java class ${name}, which AIC allows in ${kind} decision scripts and the emulator does not provide: the script fails here where it is used`,
      });
  }
  return problems;
};

/** What journeys are linted against in a tenant: its ESVs, and these checks of their scripts. */
export function lintEnvironmentOf(esvs: EsvStore): LintEnvironment {
  return {
    esvDefined: (name) => esvs.getForScript(name) !== undefined,
    property: tenantProperties(esvs),
    scriptLinter: lintScripts,
  };
}
