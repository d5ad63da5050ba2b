/**
 * The engines that work on a tenant's state, built and wired in one place: the script runner
 * (scripts in the sandbox, their host calls back into the tenant) and the journey engine
 * (`/authenticate`), with what the linter checks journeys against. The tenant holds state only;
 * the HTTP layer is handed these beside it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Logger } from '../core/logger.js';
import type { Tenant } from '../tenant/tenant.js';
import { Mailer } from '../journeys/email/mailer.js';
import { JourneyEngine } from '../journeys/engine.js';
import type { LintEnvironment } from '../journeys/lint.js';
import { lintEnvironmentOf } from '../journeys/scripts/lint-scripts.js';
import { socialServices } from '../journeys/scripts/social-http.js';
import { DEFAULT_SCRIPT_LIMITS, ScriptRunner } from '../journeys/scripts/script-runner.js';
import { lazySigningKeys } from '../oauth2/keys.js';
import { serviceAccountScopes } from '../oauth2/service-accounts.js';
import { liveToken } from '../oauth2/access.js';
import type { OAuth2Services } from '../oauth2/services.js';

export interface Engines {
  readonly scripts: ScriptRunner;
  readonly journeys: JourneyEngine;
  readonly lintEnvironment: LintEnvironment;
  /** Marks the emulator's in-process calls to itself (a script's httpClient to the tenant's own host). */
  readonly inProcessSecret: string;
  /** What the OAuth2 provider works with (the tenant's clients and grants, its keys). */
  readonly oauth2: OAuth2Services;
  /** Does a bearer token make its caller an AM administrator (HttpServices.adminBearer)? */
  readonly adminBearer: (token: string) => Promise<boolean>;
  /** The scopes of a live service account or OAuth2 access token (HttpServices.bearerScopes). */
  readonly bearerScopes: (token: string) => Promise<string[] | undefined>;
}

/** What the engines need from the server, which is built after them: asked for only when used. */
export interface ServerHooks {
  /** The host names that are the tenant's own (they change once the server listens). */
  hosts(): string[];
  /** Serves a request in-process (a script's httpClient to the tenant's own host). */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  readonly log: Logger;
}

export function buildEngines(tenant: Tenant, server: ServerHooks): Engines {
  const inProcessSecret = randomBytes(16).toString('hex');
  const lintEnvironment = lintEnvironmentOf(tenant.esvs);
  const hosts = () => server.hosts();
  const scriptTenant = {
    cookieName: tenant.cookieName,
    esvs: tenant.esvs,
    users: tenant.users,
    clock: tenant.clock,
    journal: tenant.journal,
    stubs: tenant.stubs,
    allowOutbound: tenant.config.allowOutbound,
    inProcessSecret,
    hosts,
    inject: (options: InjectOptions) => server.inject(options),
  };
  const scriptLimits = { ...DEFAULT_SCRIPT_LIMITS, ...tenant.config.scriptLimits };
  const scripts = new ScriptRunner(scriptTenant, scriptLimits);
  // IDM's email service: the tenant's email templates, rendered into its outbox.
  const mailer = new Mailer((name) => tenant.emailTemplate(name), tenant.outbox);
  const journeys = new JourneyEngine(
    {
      users: tenant.users,
      clock: tenant.clock,
      mailer,
      idmConfig: tenant.idmConfig,
      // The persistent cookie nodes' signing key, the tenant's own (stable across instances).
      persistentCookieKey: createHash('sha256').update(`persistent-cookie:${tenant.authIdSecret}`).digest(),
      esvs: tenant.esvs,
      nodeStubs: tenant.nodeStubs,
      journeys: tenant.journeys,
      runs: tenant.runs,
      scripts,
      // The social login nodes' providers, reached as scripts reach hosts (their httpClient's rules).
      social: socialServices(tenant.socialProviders, scriptTenant, scriptLimits.timeoutMs),
      hosts,
      log: { warn: (details, message) => server.log.warn(details, message) },
      lintEnvironment,
    },
    { authIdSecret: tenant.authIdSecret, sessions: tenant.journeySessions },
  );
  const { clients: _clients, serviceAccounts, ...settings } = tenant.config.oauth2;
  const oauth2: OAuth2Services = {
    settings,
    clients: tenant.oauth2Clients,
    grants: tenant.oauth2Grants,
    users: tenant.users,
    sessions: tenant.sessions,
    clock: tenant.clock,
    keys: lazySigningKeys(tenant.authIdSecret),
    serviceAccounts: () => serviceAccounts,
  };
  const adminBearer = async (token: string) =>
    tenant.isAdminToken(token) || ((await serviceAccountScopes(oauth2, token))?.includes('fr:am:*') ?? false);
  const bearerScopes = async (token: string): Promise<string[] | undefined> => {
    const accountScopes = await serviceAccountScopes(oauth2, token);
    if (accountScopes) return accountScopes;
    const claims = await liveToken(oauth2, undefined, token, 'access_token');
    if (!claims) return undefined;
    // A client's own token carries the scopes an administrator configured it with; a token a
    // user consented to reaches the admin APIs only if that user is a tenant administrator (on
    // AIC, IDM's access rules hold an end user with fr:idm:* to their own object, which the
    // emulator does not serve: their token is known and refused).
    if (claims.grant_type === 'client_credentials') return claims.scope;
    return tenant.users.getInRealm(claims.realm, claims.sub)?.admin === true ? claims.scope : [];
  };
  return { scripts, journeys, lintEnvironment, inProcessSecret, oauth2, adminBearer, bearerScopes };
}
