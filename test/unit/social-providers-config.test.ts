/**
 * The config's `socialIdentityProviders` (config/social-providers.ts, state/social-providers.ts):
 * checked with its path before the tenant starts, realms resolved, disabled providers hidden, and
 * not part of the tenant's identity (the derived cookie name).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../emulator/config/config.js';
import type { TenantConfigInput } from '../../emulator/config/config-types.js';
import { RealmRegistry } from '../../emulator/state/realms.js';
import { SocialIdentityProviders } from '../../emulator/state/social-providers.js';

const GOOGLE = {
  _type: { _id: 'googleConfig' },
  clientId: 'id',
  clientSecret: 'secret',
  authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://www.googleapis.com/oauth2/v4/token',
  userInfoEndpoint: 'https://www.googleapis.com/oauth2/v3/userinfo',
  redirectURI: 'https://tenant.example.com/login',
  scopes: ['openid', 'profile', 'email'],
  // Attributes the emulator does not use are kept as frodo exports them.
  jwtEncryptionAlgorithm: 'NONE',
};

describe('socialIdentityProviders in the config', () => {
  it('is accepted in frodo’s shape and does not change the derived cookie name', () => {
    const plain = resolveConfig();
    const withProviders = resolveConfig({ socialIdentityProviders: { alpha: { google: GOOGLE } } });
    expect(withProviders.socialIdentityProviders?.['alpha']?.['google']).toMatchObject(GOOGLE);
    expect(withProviders.cookieName).toBe(plain.cookieName);
  });

  it('a provider without its endpoints, or with a wrong type, is refused with its path', () => {
    const { tokenEndpoint: _omitted, ...noToken } = GOOGLE;
    expect(() =>
      resolveConfig({ socialIdentityProviders: { alpha: { google: noToken } } } as unknown as TenantConfigInput),
    ).toThrow(/socialIdentityProviders\/alpha\/google must have required property 'tokenEndpoint'/);
    expect(() =>
      resolveConfig({
        socialIdentityProviders: { alpha: { google: { ...GOOGLE, scopes: 'email' } } },
      } as unknown as TenantConfigInput),
    ).toThrow(ConfigError);
    expect(() =>
      resolveConfig({ socialIdentityProviders: { alpha: { google: { ...GOOGLE, pkceMethod: 'S512' } } } }),
    ).toThrow(/pkceMethod must be equal to one of the allowed values/);
  });

  it('the tenant reads them by realm (any spelling), named by their key, and lists only enabled ones', () => {
    const realms = new RealmRegistry([{ path: '/alpha' }]);
    const providers = new SocialIdentityProviders(realms, {
      '/alpha': { google: GOOGLE, old: { ...GOOGLE, enabled: false } },
      root: { admin: { ...GOOGLE, _id: 'rootGoogle' } },
    });
    expect(providers.list('/alpha').map((provider) => provider._id)).toEqual(['google']);
    expect(providers.get('/alpha', 'old')).toBeUndefined();
    expect(providers.list('/').map((provider) => provider._id)).toEqual(['rootGoogle']);
    expect(providers.list('/bravo')).toEqual([]);
    expect(() => new SocialIdentityProviders(realms, { bravo: { google: GOOGLE } })).toThrow(
      'config/socialIdentityProviders/bravo: no such realm',
    );
  });
});
