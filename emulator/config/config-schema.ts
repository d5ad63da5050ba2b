/**
 * The config file's JSON Schema, checked with ajv so that a typo or a wrong type is reported
 * with its path (`/users/2/realm must be string`) before the tenant starts.
 */
import type { ErrorObject } from 'ajv';
import { lazyValidator } from '../core/json-schema.js';
import { ConfigError } from '../core/config-error.js';
import { SOCIAL_IDENTITY_PROVIDERS_SCHEMA } from './social-providers.js';

const minutes = { type: 'number', exclusiveMinimum: 0, maximum: 525_600 } as const;
const seconds = { type: 'integer', minimum: 1, maximum: 31_536_000 } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

const NAME_VALUES = {
  type: 'array',
  maxItems: 50,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: { name: { type: 'string', minLength: 1 }, value: {} },
  },
} as const;

/** A node stub's outcome and callbacks, as the config and the control API take them (state/node-stubs.ts). */
export const NODE_STUB_SPEC_PROPERTIES = {
  outcome: { type: 'string', minLength: 1, maxLength: 200 },
  callbacks: {
    type: 'array',
    maxItems: 50,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$', maxLength: 100 },
        output: NAME_VALUES,
        input: NAME_VALUES,
        _id: { type: 'integer' },
      },
    },
  },
} as const;

/** A node stub in the config: `{nodeType, nodeId?, outcome?, callbacks?}`. */
export const NODE_STUB_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['nodeType'],
  properties: {
    nodeType: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,200}$' },
    nodeId: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,200}$' },
    ...NODE_STUB_SPEC_PROPERTIES,
  },
} as const;

/** An OAuth2 client as the config and the control API take it (OAuth2ClientSeed). */
export const OAUTH2_CLIENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['realm', 'clientId'],
  properties: {
    realm: { type: 'string' },
    clientId: { type: 'string', minLength: 1, maxLength: 200 },
    clientType: { enum: ['Public', 'Confidential'] },
    clientSecret: { type: 'string', minLength: 1 },
    tokenEndpointAuthMethod: { enum: ['none', 'client_secret_basic', 'client_secret_post'] },
    redirectionUris: strings,
    loopbackInterfaceRedirection: { type: 'boolean' },
    postLogoutRedirectUri: strings,
    scopes: strings,
    defaultScopes: strings,
    grantTypes: {
      type: 'array',
      items: { enum: ['authorization_code', 'refresh_token', 'client_credentials'] },
    },
    javascriptOrigins: strings,
  },
} as const;

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['adminToken', 'realms', 'users', 'session', 'esvs'],
  properties: {
    cookieName: { type: 'string' },
    adminToken: { type: 'string', minLength: 16 },
    controlToken: { type: 'string', minLength: 16 },
    hosts: { type: 'array', items: { type: 'string', minLength: 1 } },
    cookieDomains: { type: 'array', items: { type: 'string', minLength: 1 } },
    secureCookie: { anyOf: [{ type: 'boolean' }, { const: 'auto' }] },
    realms: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path'],
        properties: {
          path: { type: 'string', pattern: '^/([A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*)?$' },
          defaultJourney: { type: 'string' },
          suspendedAuthenticationTimeout: { type: 'integer', minimum: 1, maximum: 525600 },
          successUrl: { type: 'string' },
        },
      },
    },
    users: {
      type: 'array',
      items: {
        type: 'object',
        required: ['realm', 'userName', 'password'],
        properties: {
          realm: { type: 'string' },
          _id: { type: 'string', minLength: 1 },
          userName: { type: 'string', minLength: 1 },
          password: { type: 'string' },
          givenName: { type: 'string' },
          sn: { type: 'string' },
          mail: { type: 'string' },
          accountStatus: { enum: ['active', 'inactive'] },
          admin: { type: 'boolean' },
        },
      },
    },
    session: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxIdleMinutes: minutes,
        maxSessionMinutes: minutes,
        latestAccessUpdateSeconds: { type: 'number', minimum: 0, maximum: 86_400 },
        propertyAllowList: { type: 'array', items: { type: 'string' } },
        returnedProperties: { type: 'array', items: { type: 'string' } },
        quota: {
          type: 'object',
          additionalProperties: false,
          properties: { enabled: { type: 'boolean' }, limit: { type: 'integer', minimum: 1 } },
        },
      },
    },
    esvs: { type: 'object', additionalProperties: { type: 'string' } },
    clock: {
      type: 'object',
      additionalProperties: false,
      properties: { start: { type: 'string' }, frozen: { type: 'boolean' } },
    },
    journalSize: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    runHistorySize: { type: 'integer', minimum: 0, maximum: 100_000 },
    journeys: { type: 'array', items: { type: 'string', minLength: 1 } },
    allowOutbound: { type: 'boolean' },
    scriptLimits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeoutMs: { type: 'integer', minimum: 10, maximum: 600_000 },
        memoryMb: { type: 'integer', minimum: 16, maximum: 4096 },
        workers: { type: 'integer', minimum: 1, maximum: 64 },
        maxWorkers: { type: 'integer', minimum: 1, maximum: 256 },
        hostCallTimeoutMs: { type: 'integer', minimum: 10, maximum: 600_000 },
        maxNesting: { type: 'integer', minimum: 1, maximum: 32 },
      },
    },
    stubs: { type: 'array', items: { type: 'object' } },
    nodeStubs: { type: 'array', items: NODE_STUB_SCHEMA },
    socialIdentityProviders: SOCIAL_IDENTITY_PROVIDERS_SCHEMA,
    cors: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: {
          id: { type: 'string', minLength: 1 },
          enabled: { type: 'boolean' },
          acceptedOrigins: strings,
          acceptedMethods: strings,
          acceptedHeaders: strings,
          exposedHeaders: strings,
          allowCredentials: { type: 'boolean' },
          maxAge: { type: 'integer', minimum: 0, maximum: 86_400 },
          acceptLoopbackOrigins: { type: 'boolean' },
        },
      },
    },
    oauth2: {
      type: 'object',
      additionalProperties: false,
      properties: {
        accessTokenLifetime: seconds,
        refreshTokenLifetime: seconds,
        codeLifetime: seconds,
        idTokenLifetime: seconds,
        codeVerifierEnforced: { type: 'boolean' },
        clients: {
          type: 'array',
          items: OAUTH2_CLIENT_SCHEMA,
        },
        serviceAccounts: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'name', 'scopes', 'jwks'],
            properties: {
              id: { type: 'string', minLength: 1, maxLength: 200 },
              name: { type: 'string' },
              scopes: strings,
              jwks: {
                type: 'object',
                required: ['keys'],
                properties: { keys: { type: 'array', items: { type: 'object' } } },
              },
            },
          },
        },
      },
    },
    // Where the state lives (emulator/scaling/backend.ts): which keys go with which kind is
    // checked when the store is opened, with a message naming the key.
    store: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: { enum: ['memory', 'redis'] },
        stateFile: { type: 'string', minLength: 1 },
        redisUrl: { type: 'string', minLength: 1 },
        keyPrefix: { type: 'string', minLength: 1, maxLength: 200 },
        timeoutMs: { type: 'integer', minimum: 50, maximum: 60_000 },
      },
    },
  },
} as const;

const checker = lazyValidator(schema);

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'config' : `config${error.instancePath}`;
  if (error.keyword === 'additionalProperties') {
    return `${where} has an unknown key ${JSON.stringify((error.params as { additionalProperty: string }).additionalProperty)}`;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}

export function validateConfig(config: unknown): void {
  const check = checker();
  if (check(config)) return;
  const problems = (check.errors ?? []).map(describe);
  throw new ConfigError(`invalid tenant config:\n  - ${problems.join('\n  - ')}`);
}
