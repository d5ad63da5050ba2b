import { writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/temp-dir.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, deepMerge, readConfigFile, resolveConfig } from '../../emulator/config/config.js';
import { RealmRegistry, universalIdOf } from '../../emulator/state/realms.js';
import { validateConfig } from '../../emulator/config/config-schema.js';
import { DEMO_TENANT } from '../../emulator/config/demo-tenant.js';

describe('tenant config', () => {
  it('the demo tenant: realms root and alpha, a 15-hex cookie name stable across runs, demo users', () => {
    const a = resolveConfig();
    const b = resolveConfig();
    expect(a.cookieName).toMatch(/^[0-9a-f]{15}$/);
    expect(b.cookieName).toBe(a.cookieName);
    expect(a.realms.map((realm) => realm.path)).toEqual(['/', '/alpha']);
    expect(a.users.filter((user) => user.realm === 'alpha').map((user) => user.userName)).toEqual([
      'demo',
      'bjensen',
      'scarter',
    ]);
    expect(a.users.find((user) => user.admin)?.realm).toBe('root');
    expect(a.session).toMatchObject({
      maxIdleMinutes: 30,
      maxSessionMinutes: 120,
      latestAccessUpdateSeconds: 60,
      quota: { enabled: false },
    });
  });

  it('the demo tenant passes the schema (resolveConfig checks only what users give)', () => {
    expect(() => validateConfig(structuredClone(DEMO_TENANT))).not.toThrow();
  });

  it('a different config gets a different derived cookie name; --cookie-name sets it', () => {
    expect(resolveConfig({ session: { maxIdleMinutes: 5 } }).cookieName).not.toBe(resolveConfig().cookieName);
    expect(resolveConfig({ cookieName: '0123456789abcde' }).cookieName).toBe('0123456789abcde');
    expect(() => resolveConfig({ cookieName: 'iPlanetDirectoryPro' })).toThrow(ConfigError);
  });

  it('merges objects key by key and replaces arrays', () => {
    expect(deepMerge({ a: { b: 1, c: 2 }, d: [1, 2] }, { a: { c: 3 }, d: [9] })).toEqual({ a: { b: 1, c: 3 }, d: [9] });
    expect(deepMerge({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}'))).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const config = resolveConfig({ session: { maxIdleMinutes: 5 } });
    expect(config.session.maxSessionMinutes).toBe(120);
  });

  it('reports every problem with its path', () => {
    try {
      resolveConfig({ session: { maxIdleMinutes: -1 }, users: [{ realm: 3 } as never], colour: 'blue' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('config/session/maxIdleMinutes must be > 0');
      expect(message).toContain('config/users/0/realm must be string');
      expect(message).toContain('config has an unknown key "colour"');
    }
  });

  it('reads JSON and YAML files, and says which file is broken', () => {
    const dir = tempDir('aic-config-');
    writeFileSync(join(dir, 't.yaml'), 'session:\n  maxIdleMinutes: 7\nesvs:\n  esv-greeting: hello\n');
    writeFileSync(join(dir, 't.json'), '{"session": {"maxIdleMinutes": 8}}');
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(resolveConfig(readConfigFile(join(dir, 't.yaml'))).session.maxIdleMinutes).toBe(7);
    expect(resolveConfig(readConfigFile(join(dir, 't.yaml'))).esvs).toEqual({ 'esv-greeting': 'hello' });
    expect(resolveConfig(readConfigFile(join(dir, 't.json'))).session.maxIdleMinutes).toBe(8);
    expect(() => readConfigFile(join(dir, 'bad.json'))).toThrow(/bad\.json is not valid JSON/);
    expect(() => readConfigFile(join(dir, 'missing.yaml'))).toThrow(/cannot read config file/);
  });
});

describe('realms', () => {
  it('needs parents, resolves names and paths, and builds AM universal ids', () => {
    const realms = new RealmRegistry([{ path: '/alpha' }, { path: '/alpha/kids' }]);
    expect(realms.resolve('alpha')?.path).toBe('/alpha');
    expect(realms.resolve('/alpha/kids/')?.name).toBe('kids');
    expect(realms.resolve('root')?.path).toBe('/');
    expect(realms.resolve('beta')).toBeUndefined();
    expect(() => new RealmRegistry([{ path: '/a/b' }])).toThrow(/needs its parent realm \/a/);
    expect(universalIdOf('u', '/')).toBe('id=u,ou=user,ou=am-config');
    expect(universalIdOf('u', '/alpha')).toBe('id=u,ou=user,o=alpha,ou=services,ou=am-config');
    expect(universalIdOf('u', '/alpha/kids')).toBe('id=u,ou=user,o=kids,o=alpha,ou=services,ou=am-config');
  });
});
