import { describe, expect, it } from 'vitest';
import { ClockError, TenantClock, isoMillis, isoSeconds, parseIsoTime } from '../../emulator/core/clock.js';

describe('TenantClock', () => {
  it('follows real time plus an offset, which advance and set move', () => {
    let real = 1_000_000;
    const clock = new TenantClock({}, () => real);
    expect(clock.now()).toBe(1_000_000);
    real += 500;
    expect(clock.now()).toBe(1_000_500);
    clock.advance(60);
    expect(clock.now()).toBe(1_060_500);
    clock.set('2030-01-01T00:00:00Z');
    real += 1;
    expect(clock.now()).toBe(Date.UTC(2030, 0, 1) + 1);
  });

  it('stands still when frozen, and starts where told', () => {
    let real = 0;
    const clock = new TenantClock({ start: '2026-07-10T01:34:08Z', frozen: true }, () => real);
    real += 10_000;
    expect(isoSeconds(clock.now())).toBe('2026-07-10T01:34:08Z');
    clock.advance(1.5);
    expect(isoMillis(clock.now())).toBe('2026-07-10T01:34:09.500Z');
    clock.freeze(false);
    real += 1000;
    expect(isoMillis(clock.now())).toBe('2026-07-10T01:34:10.500Z');
  });

  it('never moves backwards, and refuses nonsense', () => {
    const clock = new TenantClock({ start: '2026-07-10T00:00:00Z', frozen: true });
    expect(() => clock.set('2026-07-09T23:59:59Z')).toThrow(ClockError);
    for (const bad of [-1, Number.NaN, Infinity, 1e12]) expect(() => clock.advance(bad)).toThrow(ClockError);
    expect(() => clock.set('next tuesday')).toThrow(ClockError);
  });

  it('tells listeners about moves and resets to its start', () => {
    const clock = new TenantClock({ start: '2026-07-10T00:00:00Z', frozen: true });
    const seen: number[] = [];
    clock.onChange((now) => seen.push(now));
    clock.advance(10);
    expect(seen).toEqual([Date.UTC(2026, 6, 10, 0, 0, 10)]);
    clock.reset();
    expect(isoSeconds(clock.now())).toBe('2026-07-10T00:00:00Z');
  });

  it('formats AM timestamps: seconds without a fraction, or milliseconds', () => {
    expect(isoSeconds(Date.UTC(2026, 6, 10, 1, 34, 8, 999))).toBe('2026-07-10T01:34:08Z');
    expect(isoMillis(Date.UTC(2024, 0, 15, 7, 42, 42, 544))).toBe('2024-01-15T07:42:42.544Z');
    expect(parseIsoTime('2026-07-10')).toBe(Date.UTC(2026, 6, 10));
    expect(parseIsoTime('July 10')).toBeUndefined();
  });
});
