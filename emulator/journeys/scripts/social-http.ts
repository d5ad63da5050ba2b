/**
 * How the social login nodes reach a provider's token and user info endpoints: as a script's
 * httpClient does (host.ts), so the emulator's own OAuth2 provider is served in-process, a stub
 * answers any other provider (`POST /__emulator/stubs`), a real tenant's host is refused, and the
 * network is reached only with `allowOutbound`. The calls are journaled and shown in the run.
 */
import type { SocialIdentityProviders } from '../../state/social-providers.js';
import type { NodeContext, SocialServices } from '../nodes/node.js';
import { scriptHost, type ScriptHostTenant } from './host.js';

export function socialServices(
  providers: SocialIdentityProviders,
  tenant: ScriptHostTenant,
  timeoutMs: number,
): SocialServices {
  return {
    providers: (realmPath) => providers.list(realmPath),
    http: (context: NodeContext, request) =>
      scriptHost({
        tenant,
        realm: context.realm,
        requestHostname: context.request.hostname,
        run: context.run,
        caller: { depth: 0, deadline: Date.now() + timeoutMs },
      })({ op: 'http', payload: request }),
  };
}
