/**
 * The in-memory session store: the shared store suite (test/helpers/store-suite.ts, which the
 * Redis store passes too), plus what only the memory store has (state-file restore).
 */
import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../emulator/state/sessions/memory-store.js';
import { sessionInput, sessionStoreSuite } from '../helpers/store-suite.js';

sessionStoreSuite('MemorySessionStore', async (now) => ({ store: new MemorySessionStore({ now }) }));

describe('MemorySessionStore.restore', () => {
  it('puts a saved session back with its token, handle, times and properties; an expired one is dropped', async () => {
    let now = Date.UTC(2026, 6, 10);
    const before = new MemorySessionStore({ now: () => now });
    const kept = await before.create(sessionInput('u1', '/alpha', { properties: { colour: 'blue' } }));
    const stale = await before.create(sessionInput('u2', '/alpha', { maxIdleMinutes: 1 }));
    now += 2 * 60_000;
    const after = new MemorySessionStore({ now: () => now });
    expect(after.restore(kept)).toBe(true);
    expect(after.restore(stale)).toBe(false);
    expect(after.restore(kept)).toBe(false); // already there
    expect(await after.getByToken(kept.tokenId)).toEqual(kept);
    expect((await after.getByHandle(kept.handle))?.tokenId).toBe(kept.tokenId);
    expect(await after.listByUser('/alpha', 'u1')).toHaveLength(1);
    expect(await after.count()).toBe(1);
    expect(after.checkInvariants()).toEqual([]);
  });
});
