/**
 * The `store` section of the config (where the state lives): checked by the schema, the keys of
 * each kind checked when the store opens, and never part of the tenant's identity (cookie name).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../emulator/config/config.js';
import { openBackend } from '../../emulator/scaling/open-backend.js';
import { redactUrl } from '../../emulator/core/redis-connection.js';

describe('config store', () => {
  it('is accepted for both kinds and does not change the derived cookie name', () => {
    const plain = resolveConfig({});
    expect(resolveConfig({ store: { kind: 'memory', stateFile: 'state.json' } }).cookieName).toBe(plain.cookieName);
    expect(
      resolveConfig({ store: { kind: 'redis', redisUrl: 'redis://10.0.0.1:6379', keyPrefix: 'workshop:' } }).cookieName,
    ).toBe(plain.cookieName);
  });

  it.each([
    [{ kind: 'disk' }, /config\/store\/kind must be equal to one of the allowed values/],
    [{ kind: 'redis', url: 'redis://x' }, /config\/store has an unknown key "url"/],
    [{ redisUrl: 'redis://x' }, /config\/store must have required property 'kind'/],
    [{ kind: 'redis', keyPrefix: '' }, /config\/store\/keyPrefix must NOT have fewer than 1 characters/],
  ])('the schema refuses %j, saying where', (store, message) => {
    expect(() => resolveConfig({ store } as never)).toThrow(message);
  });

  it.each([
    [{ kind: 'memory', redisUrl: 'redis://127.0.0.1:6379' }, /store.redisUrl goes with store.kind "redis"/],
    [{ kind: 'redis', stateFile: 'x.json' }, /store.stateFile goes with the memory store/],
  ])('opening %j is a ConfigError naming the key', async (store, message) => {
    const error = await openBackend(store as never, { cookieName: '0123456789abcde' }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('a Redis that does not answer is a ConfigError naming the URL, never its password', async () => {
    const error = await openBackend(
      { kind: 'redis', redisUrl: 'redis://user:secret@127.0.0.1:1' },
      { cookieName: '0123456789abcde' },
    ).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toMatch(/cannot use Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1/);
    expect(error?.message).not.toContain('secret');
  });
});

describe('Redis URLs in messages', () => {
  it.each([
    ['redis://:s3cret@10.0.0.1:6379', 'redis://:***@10.0.0.1:6379'],
    ['rediss://user:s3cret@cache.internal:6380/2', 'rediss://user:***@cache.internal:6380/2'],
    ['redis://10.0.0.1:6379', 'redis://10.0.0.1:6379'],
    ['redis://user:s3 cr%t@host with space', 'redis://***@host with space'],
  ])('%s is shown as %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
    expect(redactUrl(url)).not.toContain('s3');
  });
});
