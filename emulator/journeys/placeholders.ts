/**
 * AM's property value substitution in node configuration (PingAM "Property value substitution":
 * configuration expressions `&{name}` and `&{name|default}`, "Configuration within each node can
 * be substituted"; AIC resolves `esv.*` names from its ESVs, `esv.my.var` from ESV `esv-my-var`).
 * An expression may be the whole value or part of a string (`https://&{fqdn}/am`, as AIC's own
 * config has it); a typed wrapper `{"$int": "&{...}"}` (`$string`, `$int`, `$number`, `$bool`,
 * `$list`, `$array`, `$object`) turns the substituted text into that type, as AM's and amster's
 * "transforming data types" do.
 *
 * The emulator substitutes when a node runs, from the tenant's ESVs at that moment, so an ESV
 * changed through the control API applies to the next node that reads it (docs/fidelity.md,
 * "Property placeholders").
 */
export type PropertyResolver = (name: string) => string | undefined;

/** What the tenant resolves: its ESVs (`esv.*`) and `fqdn`, the tenant's host name. */
export function tenantProperties(
  esvs: { getForScript(name: string): string | undefined },
  hostname?: string,
): PropertyResolver {
  return (name) => {
    if (name.startsWith('esv.')) return esvs.getForScript(name);
    if (name === 'fqdn') return hostname;
    return undefined;
  };
}

export interface Substituted<T> {
  value: T;
  /** Expressions that resolved to nothing and had no default, by name. */
  unresolved: string[];
}

/** `&{name}` or `&{name|default}`; a name has no `}` or `|`, a default no `}`. */
const EXPRESSION = /&\{([^{}|]+)(?:\|([^{}]*))?\}/g;
const TYPED = new Set(['$string', '$int', '$number', '$bool', '$list', '$array', '$object']);
const MAX_DEPTH = 32;

/** Whether a value holds a configuration expression anywhere (the quick way out for most nodes). */
export function hasPlaceholders(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('&{');
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return false;
  return Object.values(value).some((item) => hasPlaceholders(item, depth + 1));
}

/**
 * Substitutes the expressions in a node's configuration. Values without any come back as they are
 * (the same object), so the common case costs a walk and no copy.
 */
export function substitutePlaceholders<T>(value: T, resolve: PropertyResolver): Substituted<T> {
  const unresolved: string[] = [];
  if (!hasPlaceholders(value)) return { value, unresolved };
  const result = walk(value, resolve, unresolved, 0) as T;
  return { value: result, unresolved: [...new Set(unresolved)] };
}

function walk(value: unknown, resolve: PropertyResolver, unresolved: string[], depth: number): unknown {
  if (typeof value === 'string') return substituteText(value, resolve, unresolved);
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null || !hasPlaceholders(value)) return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, resolve, unresolved, depth + 1));
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only !== undefined && TYPED.has(only)) {
    const inner = (value as Record<string, unknown>)[only];
    if (typeof inner === 'string') return coerce(only, substituteText(inner, resolve, unresolved));
  }
  // The copy keeps the original's prototype (a node config is a bare record).
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const key of keys) copy[key] = walk((value as Record<string, unknown>)[key], resolve, unresolved, depth + 1);
  return copy;
}

function substituteText(text: string, resolve: PropertyResolver, unresolved: string[]): string {
  if (!text.includes('&{')) return text;
  return text.replace(EXPRESSION, (whole, name: string, fallback: string | undefined) => {
    const resolved = resolve(name.trim());
    if (resolved !== undefined) return resolved;
    if (fallback !== undefined) return fallback;
    unresolved.push(name.trim());
    return whole;
  });
}

function coerce(type: string, text: string): unknown {
  switch (type) {
    case '$int': {
      const number = Number.parseInt(text, 10);
      return Number.isNaN(number) ? text : number;
    }
    case '$number': {
      const number = Number(text);
      return text.trim() === '' || Number.isNaN(number) ? text : number;
    }
    case '$bool':
      return text.trim().toLowerCase() === 'true';
    case '$list':
      return text === '' ? [] : text.split(',').map((item) => item.trim());
    case '$array':
    case '$object':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}

/** Names an unresolved expression and what would resolve it. */
export function unresolvedMessage(names: readonly string[]): string {
  return names
    .map((name) =>
      name.startsWith('esv.')
        ? `&{${name}} (no ESV esv-${name.slice(4).replace(/\./g, '-')} in this tenant, and no default)`
        : `&{${name}} (not a property the emulator resolves: only esv.* names and fqdn; give it a default, &{${name}|value})`,
    )
    .join(', ');
}
