/**
 * `GET /am/json[/realms/...]/serverinfo/*` and `serverinfo/version` (recorded on AIC, 2026; AM source:
 * CoreRestRouteProvider).
 *
 * `serverinfo/*` is readable without a session; it is how clients discover the tenant cookie's
 * name. Its `_rev` is a hash of its content and is also the `etag`. `serverinfo/version` needs
 * a caller (AM's privilege check answers 403 "No session for request." without one).
 */
import type { AmAnswer, AmRequest, AmResource } from '../context.js';
import { isLoopbackHost } from '../cookies.js';
import { resolveCaller } from '../caller.js';
import { prepareCrest, projectFields, unsupportedOperation } from '../crest.js';
import { AmError, Errors } from '../errors.js';
import { resourceNotFound } from '../path.js';
import { negotiate, v } from '../versioning.js';
import { javaStringHash } from '../sessions/views.js';

/**
 * `resource=1.1` is served 1.1 and `resource=2.0` is served 2.0 [real: the 2026 admin-login and serverinfo
 * recordings].
 */
export const SERVERINFO_VERSIONS = [v('1.1'), v('2.0')];
/** `serverinfo/version` is served 1.0 [real: the 2026 admin-login and serverinfo recordings]. */
export const VERSION_INFO_VERSIONS = [v('1.0')];

/** The AM build an AIC tenant reported in July 2026 [real: the 2026 admin-login recording]. */
export const AM_VERSION = {
  version: '9.0.0-SNAPSHOT',
  revision: 'c6c99b2f35d4d905937aeef7e7b8426bf5d8e820',
  date: '2026-June-12 09:10',
  /** The `_rev` (and etag) the tenant answered for this build. */
  rev: '-1986495916',
} as const;

export const serverInfoResource: AmResource = {
  kind: 'serverinfo',
  async handle(request: AmRequest): Promise<AmAnswer> {
    const [, id, ...deeper] = request.resource;
    if (deeper.length > 0) throw resourceNotFound(request.resource);
    const operation = prepareCrest(request);
    if (operation !== 'read') {
      // Only reads are open to anonymous callers; everything else needs a caller, then is unsupported.
      const caller = await resolveCaller(request);
      if (caller.kind === 'anonymous') throw Errors.accessDenied();
      throw unsupportedOperation();
    }
    if (id === 'version') return versionInfo(request);
    request.servedVersion = negotiate(SERVERINFO_VERSIONS, request.requestedVersion);
    if (id === '*') return withEtag(projectFields(serverInfo(request), request.query));
    if (id === 'cookieDomains') return { status: 200, body: { domains: request.tenant.config.cookieDomains } };
    if (id === undefined) throw unsupportedOperation();
    throw new AmError(501, `ResourceId not supported: ${id}`);
  },
};

function serverInfo(request: AmRequest): Record<string, unknown> {
  const { tenant, realm } = request;
  const setting = tenant.config.secureCookie;
  const secureCookie = setting === 'auto' ? request.secure || isLoopbackHost(request.hostname) : setting;
  const content = {
    domains: tenant.config.cookieDomains,
    protectedUserAttributes: ['telephoneNumber', 'mail'],
    cookieName: tenant.cookieName,
    secureCookie,
    forgotPassword: 'false',
    forgotUsername: 'false',
    kbaEnabled: 'false',
    selfRegistration: 'false',
    lang: 'en-US',
    successfulUserRegistrationDestination: 'default',
    socialImplementations: [],
    referralsEnabled: 'false',
    zeroPageLogin: { enabled: false, refererWhitelist: [], allowedWithoutReferer: true },
    realm: realm.path,
    xuiUserSessionValidationEnabled: true,
    fileBasedConfiguration: true,
    userIdAttributes: ['fr-idm-uuid'],
    cloudOnlyFeaturesEnabled: true,
    oauth2AIAgentsEnabled: true,
  };
  return { _id: '*', _rev: String(javaStringHash(JSON.stringify(content))), ...content };
}

async function versionInfo(request: AmRequest): Promise<AmAnswer> {
  const caller = await resolveCaller(request);
  if (caller.kind === 'anonymous') throw new AmError(403, 'No session for request.');
  request.servedVersion = negotiate(VERSION_INFO_VERSIONS, request.requestedVersion);
  const content = {
    version: AM_VERSION.version,
    fullVersion: `ForgeRock Access Management ${AM_VERSION.version} Build ${AM_VERSION.revision} (${AM_VERSION.date})`,
    revision: AM_VERSION.revision,
    date: AM_VERSION.date,
  };
  return withEtag({ _id: 'version', _rev: AM_VERSION.rev, ...content });
}

function withEtag(body: Record<string, unknown>): AmAnswer {
  return { status: 200, body, headers: { etag: `"${String(body['_rev'])}"` } };
}
