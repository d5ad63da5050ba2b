/**
 * State files for the memory store (`--state-file F`): a tenant's users, ESVs, journeys, clock,
 * sessions and journeys in progress, as JSON, so that a restart picks up where the last run
 * stopped. Loaded at start, saved on shutdown and on `POST /__emulator/state/save`.
 *
 * Writes are atomic: a temporary file in the same folder, flushed to disk, then renamed over the
 * old one, so a crash mid-save leaves the previous state, never half of the new. A file that
 * cannot be read, parsed or checked is a ConfigError naming what is wrong (the CLI exits 2): the
 * emulator does not start on a state it does not understand.
 *
 * The file holds secrets (passwords, session tokens, the authId key): written readable by its
 * owner only.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { lazyValidator } from '../core/json-schema.js';
import { ConfigError } from '../core/config-error.js';
import type { ClockState } from '../core/clock.js';
import type { RealmJourneysData } from './control-state.js';
import type { User } from '../state/user-directory.js';
import type { Session } from '../state/sessions/session.js';
import type { JourneySession } from '../state/journeys/journey-sessions.js';

export const STATE_FORMAT = 'aic-emulator-state';
export const STATE_VERSION = 1;

export interface StateFile {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  savedAt: string;
  /** The tenant that saved it (information only: a config change may change the cookie name). */
  cookieName: string;
  clock: ClockState;
  esvs: Record<string, string>;
  /** ESVs made secrets otherwise than by their names (absent in files written before them). */
  secretEsvs?: string[];
  users: User[];
  journeys: Record<string, RealmJourneysData>;
  sessions: Session[];
  journeySessions: JourneySession[];
  /** The key authIds are signed with: journeys in progress continue after a restart. */
  authIdSecret: string;
}

const string = { type: 'string' } as const;
const number = { type: 'number' } as const;
const object = { type: 'object' } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const schema = {
  type: 'object',
  required: ['format', 'version', 'clock', 'esvs', 'users', 'journeys', 'sessions', 'journeySessions', 'authIdSecret'],
  properties: {
    format: { const: STATE_FORMAT },
    version: { const: STATE_VERSION },
    savedAt: string,
    cookieName: string,
    clock: {
      type: 'object',
      required: ['offsetMs', 'frozenAt'],
      properties: { offsetMs: number, frozenAt: { type: ['number', 'null'] } },
    },
    esvs: stringMap,
    secretEsvs: { type: 'array', items: string },
    users: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          '_id',
          'realm',
          'userName',
          'password',
          'accountStatus',
          'admin',
          'attributes',
          'createdAt',
          'modifiedAt',
        ],
        properties: {
          _id: { type: 'string', minLength: 1 },
          realm: string,
          userName: { type: 'string', minLength: 1 },
          password: string,
          accountStatus: { enum: ['active', 'inactive'] },
          admin: { type: 'boolean' },
          attributes: object,
          createdAt: number,
          modifiedAt: number,
        },
      },
    },
    journeys: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['trees', 'nodes', 'scripts'],
        properties: {
          trees: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'entryNodeId', 'nodes'],
              properties: { name: string, entryNodeId: string, nodes: object },
            },
          },
          nodes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'type', 'config'],
              properties: { id: string, type: string, config: object },
            },
          },
          scripts: {
            type: 'array',
            items: { type: 'object', required: ['id', 'source'], properties: { id: string, source: string } },
          },
          // Node Designer custom node types (journeys/nodes/designer-node.ts); absent in older files.
          nodeTypes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'serviceName', 'script'],
              properties: { id: string, serviceName: string, script: string },
            },
          },
        },
      },
    },
    sessions: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'tokenId',
          'handle',
          'ctxId',
          'realm',
          'userId',
          'universalId',
          'creationTime',
          'latestAccessTime',
          'maxIdleMinutes',
          'maxSessionMinutes',
          'properties',
          'service',
          'successUrl',
        ],
        properties: {
          tokenId: string,
          handle: string,
          ctxId: string,
          realm: string,
          userId: string,
          universalId: string,
          creationTime: number,
          latestAccessTime: number,
          maxIdleMinutes: { type: 'number', exclusiveMinimum: 0 },
          maxSessionMinutes: { type: 'number', exclusiveMinimum: 0 },
          properties: stringMap,
          service: string,
          successUrl: string,
        },
      },
    },
    journeySessions: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'id',
          'realm',
          'journey',
          'otk',
          'state',
          'pending',
          'authIdDigest',
          'expiresAt',
          'steps',
          'runId',
          'options',
        ],
        properties: {
          id: string,
          realm: string,
          journey: string,
          otk: string,
          state: object,
          pending: { type: 'array' },
          authIdDigest: string,
          expiresAt: number,
          steps: number,
          runId: string,
          options: object,
        },
      },
    },
    authIdSecret: { type: 'string', minLength: 16 },
  },
} as const;

const checker = lazyValidator(schema);

function describe(error: ErrorObject): string {
  return `${error.instancePath === '' ? 'the file' : error.instancePath} ${error.message ?? 'is invalid'}`;
}

/**
 * Reads a state file: undefined when there is none yet (a first run), a ConfigError when it
 * cannot be read or is not a state file this version understands.
 */
export function readStateFile(path: string): StateFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read the state file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `the state file ${path} is not valid JSON (${(error as Error).message}); move it away to start afresh`,
    );
  }
  const check = checker();
  if (!check(parsed)) {
    const problems = (check.errors ?? []).slice(0, 10).map(describe);
    throw new ConfigError(
      `the state file ${path} is not an aic-emulator state file of version ${STATE_VERSION}:\n  - ${problems.join('\n  - ')}`,
    );
  }
  return parsed as StateFile;
}

/** Writes a state file atomically (temporary file, fsync, rename), readable by its owner only. */
export async function writeStateFile(path: string, state: StateFile): Promise<number> {
  const text = `${JSON.stringify(state)}\n`;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return Buffer.byteLength(text);
}
