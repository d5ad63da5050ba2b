/**
 * Paused journeys are bounded in number and in size: a client that leaves journeys waiting, each
 * holding a script's whole allowed state, cannot take the emulator's memory; the oldest go first.
 */
import { describe, expect, it } from 'vitest';
import { MemoryJourneySessionStore, type JourneySession } from '../../emulator/state/journeys/journey-sessions.js';
import { newTreeState } from '../../emulator/state/journeys/tree-state.js';

const session = (id: string, payloadChars: number): JourneySession => ({
  id,
  realm: '/alpha',
  journey: 'Login',
  otk: 'otk',
  state: newTreeState({ payload: 'x'.repeat(payloadChars) }),
  pending: [],
  authIdDigest: 'digest',
  expiresAt: Number.MAX_SAFE_INTEGER,
  steps: 1,
  runId: 'run',
  options: {
    noSession: false,
    forceAuth: false,
    goto: undefined,
    gotoOnFail: undefined,
    existingSessionToken: undefined,
  },
});

describe('the memory journey session store', () => {
  it('keeps at most its capacity of sessions, the oldest going first', async () => {
    const store = new MemoryJourneySessionStore(() => 0, 3);
    for (const id of ['a', 'b', 'c', 'd']) await store.put(session(id, 10));
    expect(store.size).toBe(3);
    expect(await store.get('a')).toBeUndefined();
    expect((await store.get('d'))?.id).toBe('d');
  });

  it('keeps at most its capacity in characters of state, the oldest going first, and counts what it lets go', async () => {
    const store = new MemoryJourneySessionStore(() => 0, 1_000, 10_000);
    for (let i = 0; i < 20; i += 1) await store.put(session(`s${i}`, 3_000));
    // Three sessions of ~3,100 characters fit in 10,000; the other seventeen were let go.
    expect(store.size).toBe(3);
    expect(store.sizeChars).toBeLessThanOrEqual(10_000);
    expect(await store.get('s16')).toBeUndefined();
    expect((await store.get('s19'))?.id).toBe('s19');
    await store.delete('s19');
    await store.delete('s18');
    await store.delete('s17');
    expect(store.sizeChars).toBe(0);
  });

  it('a session put again is counted once, at its new size', async () => {
    const store = new MemoryJourneySessionStore(() => 0, 10, 1_000_000);
    await store.put(session('a', 1_000));
    const first = store.sizeChars;
    await store.put(session('a', 5_000));
    expect(store.size).toBe(1);
    expect(store.sizeChars).toBe(first + 4_000);
  });
});
