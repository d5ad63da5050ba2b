/**
 * The realms' social identity providers (AM's Social Identity Provider Service), as the config
 * sets them (config/social-providers.ts). Read by the social login nodes; fixed for the life of
 * the tenant (the config is read again only by a new tenant).
 */
import { ConfigError } from '../core/config-error.js';
import type { SocialIdentityProviderConfig, SocialIdentityProvidersConfig } from '../config/social-providers.js';
import type { RealmRegistry } from './realms.js';

/** A provider with its name (the service's `_id`). */
export type SocialIdentityProvider = SocialIdentityProviderConfig & { readonly _id: string };

export class SocialIdentityProviders {
  /** realm path → providers in the order the config lists them. */
  private readonly byRealm = new Map<string, SocialIdentityProvider[]>();

  /** Throws ConfigError for a realm the tenant does not have. */
  constructor(realms: RealmRegistry, config: SocialIdentityProvidersConfig = {}) {
    for (const [realmName, providers] of Object.entries(config)) {
      const realm = realms.resolve(realmName);
      if (!realm) throw new ConfigError(`config/socialIdentityProviders/${realmName}: no such realm`);
      const list = this.byRealm.get(realm.path) ?? [];
      for (const [name, provider] of Object.entries(providers)) {
        list.push({ ...structuredClone(provider), _id: provider._id ?? name });
      }
      this.byRealm.set(realm.path, list);
    }
  }

  /** The realm's enabled providers (AM's SocialIdentityProviders.getProviders: `enabled` ones only). */
  list(realmPath: string): SocialIdentityProvider[] {
    return (this.byRealm.get(realmPath) ?? []).filter((provider) => provider.enabled !== false);
  }

  /** An enabled provider of the realm by name. */
  get(realmPath: string, name: string): SocialIdentityProvider | undefined {
    return this.list(realmPath).find((provider) => provider._id === name);
  }
}
