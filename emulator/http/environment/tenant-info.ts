/**
 * Two read-only resources of AIC's `/environment` API that frodo reads when it signs in, as a
 * real tenant answered them [real: frodo's recordings of AIC, aic-admin-oauth2-login-pkce.har #9
 * and #12]: the scopes a service account may be given (frodo asks its admin token for those of
 * them it knows) and the tenant's environment info.
 */

/** `GET /environment/scopes/service-accounts`, as recorded. */
export const SERVICE_ACCOUNT_SCOPES: readonly unknown[] = [
  { scope: 'fr:am:*', description: 'All Access Management APIs' },
  { scope: 'fr:idc:analytics:*', description: 'All Analytics APIs' },
  child('fr:idc:certificate', 'All TLS certificate APIs', [['read', 'Read TLS certificates']]),
  child('fr:idc:content-security-policy', 'All content security policy APIs', [
    ['read', 'Read content security policy'],
  ]),
  child('fr:idc:cookie-domain', 'All cookie domain APIs', [['read', 'Read cookie domains']]),
  child('fr:idc:custom-domain', 'All custom domain APIs', [['read', 'Read custom domains']]),
  child('fr:idc:dataset', 'All dataset deletion APIs', [['read', 'Read dataset deletions']]),
  child('fr:idc:esv', 'All ESV APIs', [
    ['read', 'Read ESVs, excluding values of secrets'],
    ['update', 'Create, modify, and delete ESVs'],
    ['restart', 'Restart workloads that consume ESVs'],
  ]),
  child('fr:idc:promotion', 'All configuration promotion APIs', [['read', 'Read configuration promotion']]),
  child('fr:idc:release', 'All product release APIs', [['read', 'Read product release']]),
  child('fr:idc:sso-cookie', 'All SSO cookie APIs', [['read', 'Read SSO cookie']]),
  child('fr:idc:telemetry', 'All telemetry APIs', [['read', 'Read telemetry']]),
  { scope: 'fr:idm:*', description: 'All Identity Management APIs' },
];

function child(prefix: string, description: string, children: [string, string][]): unknown {
  return {
    scope: `${prefix}:*`,
    description,
    childScopes: children.map(([name, text]) => ({ scope: `${prefix}:${name}`, description: text })),
  };
}

/**
 * `GET /environment/info`, as recorded in 2026 (a development tier tenant, not locked, customer
 * placeholder management), without the recorded tenant's own IP address.
 */
export const ENVIRONMENT_INFO = {
  backupRegion: 'us-south1',
  config_promotion_done: false,
  immutable: false,
  ipAddresses: [],
  locked: false,
  message_box_html: '',
  message_box_title: '',
  message_variant: '',
  placeholder_management_migration_date: '',
  placeholder_management: 'CUSTOMER',
  promotionTierInfo: {
    tierDisplayName: 'other',
    tiers: ['other'],
    upperTierDisplayName: null,
    lowerTierDisplayName: null,
  },
  region: 'us-central1',
  tier: 'other',
  warning_message_html: '',
} as const;
