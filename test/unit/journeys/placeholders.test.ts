/** AM's property value substitution in node configuration (journeys/placeholders.ts). */
import { describe, expect, it } from 'vitest';
import { hasPlaceholders, substitutePlaceholders, tenantProperties } from '../../../emulator/journeys/placeholders.js';
import { EsvStore } from '../../../emulator/state/esvs.js';
import { bareRecord } from '../../../emulator/state/journeys/model.js';

describe('configuration expressions', () => {
  const esvs = new EsvStore();
  esvs.set('esv-my-var', 'from the ESV');
  esvs.set('esv-retry-limit', '5');
  esvs.set('esv-enabled', 'true');
  const resolve = tenantProperties(esvs, 'tenant.example.com');

  it('&{esv.my.var} is ESV esv-my-var; a default is used when nothing resolves; fqdn is the tenant host', () => {
    const { value, unresolved } = substitutePlaceholders(
      {
        whole: '&{esv.my.var}',
        embedded: 'https://&{fqdn}/am/XUI/?realm=alpha',
        defaulted: '&{am.platform.url|https://example.com}',
        emptyDefault: '&{esv.nothing|}',
        nested: { list: ['&{esv.my.var}', 'plain'], en: 'Hello &{esv.missing|there}' },
      },
      resolve,
    );
    expect(unresolved).toEqual([]);
    expect(value).toEqual({
      whole: 'from the ESV',
      embedded: 'https://tenant.example.com/am/XUI/?realm=alpha',
      defaulted: 'https://example.com',
      emptyDefault: '',
      nested: { list: ['from the ESV', 'plain'], en: 'Hello there' },
    });
  });

  it('typed wrappers turn the text into their type', () => {
    const { value } = substitutePlaceholders(
      {
        retries: { $int: '&{esv.retry.limit}' },
        on: { $bool: '&{esv.enabled}' },
        ratio: { $number: '&{esv.ratio|0.5}' },
        hosts: { $list: '&{esv.hosts|a.example.com, b.example.com}' },
      },
      resolve,
    );
    expect(value).toEqual({ retries: 5, on: true, ratio: 0.5, hosts: ['a.example.com', 'b.example.com'] });
  });

  it('an expression without default that nothing resolves is reported by name and left as it is', () => {
    const { value, unresolved } = substitutePlaceholders({ a: '&{esv.not.set}', b: 'x&{am.other}y' }, resolve);
    expect(unresolved).toEqual(['esv.not.set', 'am.other']);
    expect(value).toEqual({ a: '&{esv.not.set}', b: 'x&{am.other}y' });
  });

  it('a config without expressions comes back as the same object; a bare record stays bare', () => {
    const plain = { message: { en: 'no expression' }, n: 3 };
    expect(substitutePlaceholders(plain, resolve).value).toBe(plain);
    expect(hasPlaceholders(plain)).toBe(false);
    const bare = bareRecord<unknown>();
    bare['x'] = '&{esv.my.var}';
    const substituted = substitutePlaceholders(bare, resolve).value;
    expect(Object.getPrototypeOf(substituted)).toBe(null);
    expect(substituted['x']).toBe('from the ESV');
  });
});
