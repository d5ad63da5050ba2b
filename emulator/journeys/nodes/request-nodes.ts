/**
 * Nodes that copy the request into shared state (am-external 8.0.2, auth-nodes, with their
 * .properties and config validators): Query Parameter (QueryParameterNode.java) and Request Header
 * (RequestHeaderNode.java). Each configured name maps to a shared state key, which gets the list
 * of the request's values for it (an empty list when it has none); a name listed as "to be
 * delimited" with a single value gets that value split at commas.
 */
import { NodeProcessException, outcome, type NodeContext, type NodeType } from './node.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Java's `String.split(",")`: trailing empty strings dropped. */
function splitAtCommas(value: string): string[] {
  const parts = value.split(',');
  while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts;
}

function checkConfig(
  config: Readonly<Record<string, unknown>>,
  mapKey: string,
  delimitedKey: string,
  what: 'parameters' | 'headers',
): string[] {
  const allowed = config[mapKey];
  if (allowed !== undefined && !isObject(allowed)) return [`${mapKey} must be a map of names to shared state keys`];
  const entries = isObject(allowed) ? Object.entries(allowed) : [];
  if (entries.length === 0) return [`No ${what} configured - this node is redundant`];
  const problems: string[] = [];
  if (entries.some(([, key]) => typeof key !== 'string' || key === ''))
    problems.push(`${mapKey} must map each name to a shared state key`);
  const delimited = config[delimitedKey];
  if (delimited !== undefined && !Array.isArray(delimited)) problems.push(`${delimitedKey} must be a list of names`);
  const allowedNames = new Set(entries.map(([name]) => name));
  if (names(delimited).some((name) => !allowedNames.has(name)))
    problems.push(`Invalid ${what === 'parameters' ? 'parameter' : 'header'} to be delimited configured`);
  return problems;
}

function copyIntoShared(
  context: NodeContext,
  mapKey: string,
  delimitedKey: string,
  valuesOf: (name: string) => string[],
): void {
  const allowed = context.config[mapKey];
  if (!isObject(allowed)) return;
  const delimited = new Set(names(context.config[delimitedKey]));
  for (const [name, key] of Object.entries(allowed)) {
    if (typeof key !== 'string' || key === '') continue;
    const values = valuesOf(name);
    const first = values[0];
    context.nodeState.putShared(
      key,
      values.length === 1 && first !== undefined && delimited.has(name) ? splitAtCommas(first) : values,
    );
  }
}

/**
 * Query Parameter: the `/authenticate` request's query parameters. AM URL-decodes each value once
 * more (`URLDecoder.decode`: `+` is a space, `%xx` a byte); a value that does not decode fails the
 * node, as AM's throws.
 */
export const QueryParameterNode: NodeType = {
  type: 'QueryParameterNode',
  outcomes: () => ['outcome'],
  check: (config) => checkConfig(config, 'allowedQueryParameters', 'queryParametersToBeDelimited', 'parameters'),
  async process(context) {
    copyIntoShared(context, 'allowedQueryParameters', 'queryParametersToBeDelimited', (name) =>
      context.request.query.getAll(name).map((value) => {
        try {
          return decodeURIComponent(value.replace(/\+/g, ' '));
        } catch {
          throw new NodeProcessException(`Query Parameter: the value of ${name} is not URL-encoded text`);
        }
      }),
    );
    return outcome('outcome');
  },
};

/** Request Header: the request's headers, by name in any case. */
export const RequestHeaderNode: NodeType = {
  type: 'RequestHeaderNode',
  outcomes: () => ['outcome'],
  check: (config) => checkConfig(config, 'allowedHeaders', 'headersToBeDelimited', 'headers'),
  async process(context) {
    copyIntoShared(context, 'allowedHeaders', 'headersToBeDelimited', (name) => {
      const value: unknown = context.request.headers[name.toLowerCase()];
      if (typeof value === 'string') return [value];
      return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    });
    return outcome('outcome');
  },
};
