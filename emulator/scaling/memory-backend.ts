/**
 * The default backend: everything in this process. With a state file, the tenant's state is
 * loaded from it at start and written back on shutdown and on request (state-file.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Tenant } from '../tenant/tenant.js';
import { ConfigError } from '../core/config-error.js';
import { captureControlState, restoreControlState } from '../tenant/control-state.js';
import { readStateFile, writeStateFile, STATE_FORMAT, STATE_VERSION, type StateFile } from '../tenant/state-file.js';
import { MemorySessionStore } from '../state/sessions/memory-store.js';
import type { SessionStore } from '../state/sessions/store.js';
import { MemoryJourneySessionStore } from '../state/journeys/journey-sessions.js';
import type { SaveResult, StateBackend } from './backend.js';

/** The memory store with a state file (backend.ts serves the plain memory store itself). */
export function openMemoryBackend(options: {
  stateFile: string;
  sessionStore?: SessionStore | undefined;
}): StateBackend {
  const path = options.stateFile;
  if (options.sessionStore && !(options.sessionStore instanceof MemorySessionStore)) {
    throw new ConfigError('a state file needs the memory session store, not the sessionStore given');
  }
  // Read before the tenant exists: the authId key of the saved journeys is needed to build it.
  const saved = readStateFile(path);
  const authIdSecret = saved?.authIdSecret ?? randomBytes(32).toString('base64url');
  let clockOf: Tenant | undefined;
  /** Set once the saved state is in: only then may closing write the file (never a half-loaded tenant over it). */
  let tenant: Tenant | undefined;
  const now = () => (clockOf as Tenant).clock.now();
  const sessions = options.sessionStore ?? new MemorySessionStore({ now });
  const journeySessions = new MemoryJourneySessionStore(now);
  let saving: Promise<unknown> = Promise.resolve();

  const save = async (): Promise<SaveResult> => {
    if (!tenant) throw new Error('the tenant is not started yet');
    const current = tenant;
    const control = captureControlState(current);
    const state: StateFile = {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      savedAt: new Date().toISOString(),
      cookieName: current.cookieName,
      clock: control.clock,
      esvs: control.esvs,
      ...(control.secretEsvs && control.secretEsvs.length > 0 ? { secretEsvs: control.secretEsvs } : {}),
      users: control.users,
      journeys: control.journeys,
      sessions: await sessions.listAll(),
      journeySessions: journeySessions.list(),
      authIdSecret,
    };
    const bytes = await writeStateFile(path, state);
    return {
      path,
      savedAt: state.savedAt,
      bytes,
      users: state.users.length,
      sessions: state.sessions.length,
      journeySessions: state.journeySessions.length,
    };
  };

  const load = async (built: Tenant, saved: StateFile, reimport: () => void): Promise<void> => {
    const realms = new Set(built.realms.list().map((realm) => realm.path));
    const unknown = [
      ...saved.users.map((user) => user.realm),
      ...saved.sessions.map((session) => session.realm),
      ...Object.keys(saved.journeys),
    ].find((realm) => !realms.has(realm));
    if (unknown !== undefined)
      throw new ConfigError(`the state file ${path} holds realm ${unknown}, which the tenant's config does not have`);
    try {
      // The saved clock (with the rest) before the sessions: those expired by then stay out.
      restoreControlState(built, {
        clock: saved.clock,
        esvs: saved.esvs,
        ...(saved.secretEsvs ? { secretEsvs: saved.secretEsvs } : {}),
        users: saved.users,
        journeys: saved.journeys,
      });
    } catch (error) {
      throw new ConfigError(`the state file ${path} could not be loaded: ${(error as Error).message}`);
    }
    reimport();
    for (const session of saved.sessions) sessions.restore(session);
    for (const journey of saved.journeySessions)
      if (journey.expiresAt > built.clock.now()) await journeySessions.put(journey);
  };

  return {
    description: `memory, state file ${path}${saved ? ` (loaded: ${saved.users.length} users, ${saved.sessions.length} sessions)` : ' (none yet: created on save)'}`,
    tenantOptions: { sessionStore: sessions, journeySessions, authIdSecret },
    attach: async (built, { reimport }) => {
      clockOf = built;
      if (saved) await load(built, saved, reimport);
      tenant = built;
    },
    flushed: async () => undefined,
    sharesChanges: false,
    readiness: async () => ({ ready: true, checks: { store: { ok: true } } }),
    // One save at a time: the route and a shutdown may ask at once.
    save: () => {
      const next = saving.then(save, save);
      saving = next.catch(() => undefined);
      return next;
    },
    status: () => ({ store: 'memory', stateFile: path }),
    close: async (saveNow = true) => {
      if (tenant && saveNow) {
        await saving;
        await save();
      }
    },
  };
}
