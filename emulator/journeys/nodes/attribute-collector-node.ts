/**
 * Attribute Collector (AM: AttributeCollectorNode.java; configured as in AIC's ProgressiveProfile
 * journey): asks for IDM attributes with the attribute input callbacks AIC's login UI renders
 * (String/Boolean/Number), prefilled from the journey's state or the user; answers go to shared
 * `objectAttributes` (`preferences/updates` → nested). `required` attributes must be answered, or
 * the page asks again with a failed policy.
 */
import { Callbacks, type CallbackSpec } from '../../state/journeys/callbacks.js';
import { setOwn, type JsonObject, type JsonValue } from '../../state/journeys/tree-state.js';
import { valueAt } from '../../core/query-filter.js';
import { findJourneyUser, identityAttributeOf, stringConfig } from './identity.js';
import { ask, outcome, type NodeType } from './node.js';

interface AttributeSchema {
  title: string;
  kind: 'String' | 'Boolean' | 'Number';
}

/**
 * Titles and types of the managed-user properties the emulator knows (IDM's alpha_user schema), by
 * the name a journey's configuration gives: a Map, so that a name like `constructor` or
 * `__proto__` is not found in it (an object literal would answer Object.prototype's members).
 */
const SCHEMA: ReadonlyMap<string, AttributeSchema> = new Map(
  Object.entries({
    userName: { title: 'Username', kind: 'String' },
    givenName: { title: 'First Name', kind: 'String' },
    sn: { title: 'Last Name', kind: 'String' },
    mail: { title: 'Email Address', kind: 'String' },
    telephoneNumber: { title: 'Telephone Number', kind: 'String' },
    description: { title: 'Description', kind: 'String' },
    'preferences/updates': { title: 'Send me news and updates', kind: 'Boolean' },
    'preferences/marketing': { title: 'Send me special offers and services', kind: 'Boolean' },
    ...Object.fromEntries(
      [1, 2, 3, 4, 5].map((n) => [
        `frUnindexedString${n}`,
        { title: `Generic Unindexed String ${n}`, kind: 'String' as const },
      ]),
    ),
    ...Object.fromEntries(
      [1, 2, 3, 4, 5].map((n) => [
        `frIndexedString${n}`,
        { title: `Generic Indexed String ${n}`, kind: 'String' as const },
      ]),
    ),
  } satisfies Record<string, AttributeSchema>),
);

/**
 * What an attribute is shown as: its schema entry, else a String input titled with its name. AM
 * reads the type from IDM's schema, defaulting to String when IDM is not available
 * (AttributeCollectorNode.java; one its schema lacks fails the node there). The emulator knows
 * only part of that schema, so an attribute it does not know, `constructor` and `__proto__`
 * included, is that String input rather than an error.
 */
const schemaOf = (name: string): AttributeSchema => SCHEMA.get(name) ?? { title: name, kind: 'String' };

function attributes(config: Readonly<Record<string, unknown>>): string[] {
  const list = config['attributesToCollect'];
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
}

function toValue(kind: 'String' | 'Boolean' | 'Number', raw: unknown): JsonValue {
  if (kind === 'Boolean') return raw === true || raw === 'true';
  if (kind === 'Number')
    return typeof raw === 'number' ? raw : raw === '' || raw === undefined || raw === null ? null : Number(raw);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a client's value as text, whatever it sent
  return raw === undefined || raw === null ? '' : String(raw);
}

function setPath(target: JsonObject, path: string, value: JsonValue): void {
  const parts = path.split('/').filter((part) => part !== '' && part !== '__proto__');
  let cursor = target;
  for (const part of parts.slice(0, -1)) {
    const next = Object.hasOwn(cursor, part) ? cursor[part] : undefined;
    if (!next || typeof next !== 'object' || Array.isArray(next)) setOwn(cursor, part, {});
    cursor = cursor[part] as JsonObject;
  }
  const last = parts.at(-1);
  if (last !== undefined) setOwn(cursor, last, value);
}

export const AttributeCollectorNode: NodeType = {
  type: 'AttributeCollectorNode',
  outcomes: () => ['outcome'],
  inputs: (config) => [identityAttributeOf(config)],
  async process(context) {
    const names = attributes(context.config);
    const required = context.config['required'] === true;
    const user = findJourneyUser(context, stringConfig(context.config, 'identityAttribute', 'userName'));
    const current = {
      ...(user ? context.tenant.users.idmView(user) : {}),
      ...((context.state.shared['objectAttributes'] as JsonObject | undefined) ?? {}),
    };
    const render = (failed: Set<string>): CallbackSpec[] =>
      names.map((name) => {
        const schema = schemaOf(name);
        const value = toValue(schema.kind, valueAt(current, name));
        return Callbacks.attributeInput(
          schema.kind,
          name,
          schema.title,
          value,
          required,
          failed.has(name) ? ['{"policyRequirement":"REQUIRED"}'] : [],
        );
      });
    if (context.callbacks.length === 0) return ask(render(new Set()));
    const answers = new Map<string, JsonValue>();
    const failed = new Set<string>();
    names.forEach((name, index) => {
      const schema = schemaOf(name);
      const value = toValue(schema.kind, context.callbacks[index]?.values.get(''));
      if (required && schema.kind !== 'Boolean' && (value === '' || value === null)) failed.add(name);
      answers.set(name, value);
    });
    if (failed.size > 0) return ask(render(failed));
    const objectAttributes: JsonObject = structuredClone(
      (context.state.shared['objectAttributes'] as JsonObject | undefined) ?? {},
    );
    for (const [name, value] of answers) setPath(objectAttributes, name, value);
    context.state.shared['objectAttributes'] = objectAttributes;
    return outcome('outcome');
  },
};
