/**
 * The AM path's parse caches (issue 22): a path and an Accept-API-Version header are parsed once
 * and the parse is shared by every request that sends them again. A shared parse must be
 * immutable, a refusal must never be remembered as a success (nor a success as a refusal), and a
 * client making up a new value per request must get correct answers all the same.
 */
import { describe, expect, it } from 'vitest';
import { AmError } from '../../../emulator/http/am/errors.js';
import { parseAmPath } from '../../../emulator/http/am/path.js';
import { parseAcceptApiVersion } from '../../../emulator/http/am/versioning.js';
import { RealmRegistry } from '../../../emulator/state/realms.js';

const realms = new RealmRegistry([{ path: '/' }, { path: '/alpha' }, { path: '/alpha/sub' }]);
const SESSIONS = '/am/json/realms/root/realms/alpha/sessions/';

function status(run: () => unknown): number {
  try {
    run();
    return 200;
  } catch (error) {
    return error instanceof AmError ? error.status : 500;
  }
}

describe('the AM path parse, kept per path', () => {
  it('gives every request for a path the same parse, which cannot be changed', () => {
    const first = parseAmPath(SESSIONS, realms, undefined);
    const again = parseAmPath(SESSIONS, realms, undefined);
    expect(again).toBe(first);
    expect(first).toMatchObject({ realm: { path: '/alpha' }, resource: ['sessions'], trailingSlash: true });
    expect(() => first.resource.push('x')).toThrow(TypeError);
    expect(() => {
      (first as { trailingSlash: boolean }).trailingSlash = false;
    }).toThrow(TypeError);
    expect(parseAmPath(SESSIONS, realms, undefined).resource).toEqual(['sessions']);
  });

  it('never keeps a refusal: an unknown realm is refused each time, and a known path still parses after it', () => {
    const unknown = '/am/json/realms/root/realms/nope/sessions';
    expect(status(() => parseAmPath(unknown, realms, undefined))).toBe(404);
    expect(status(() => parseAmPath(unknown, realms, undefined))).toBe(404);
    expect(status(() => parseAmPath('/am/json/realms/root/realms/alpha/users/%E0%A4%A', realms, undefined))).toBe(400);
    expect(parseAmPath('/am/json/realms/root/realms/alpha/sessions', realms, undefined).realm.path).toBe('/alpha');
  });

  it('answers a realm query parameter by itself, whatever the path parse kept', () => {
    parseAmPath(SESSIONS, realms, undefined);
    expect(parseAmPath(SESSIONS, realms, 'alpha/sub').realm.path).toBe('/alpha/sub');
    expect(status(() => parseAmPath(SESSIONS, realms, 'nope'))).toBe(400);
    expect(parseAmPath(SESSIONS, realms, undefined).realm.path).toBe('/alpha');
  });

  it('keeps answering correctly while a client makes up a new path per request (the cache is emptied, not grown)', () => {
    for (let i = 0; i < 5_000; i += 1) {
      const path = parseAmPath(`/am/json/realms/root/realms/alpha/users/user-${i}`, realms, undefined);
      expect(path.resource[1]).toBe(`user-${i}`);
    }
    expect(parseAmPath(SESSIONS, realms, undefined).resource).toEqual(['sessions']);
  });

  it('keeps parses apart per realm registry: another tenant’s realms are its own', () => {
    const other = new RealmRegistry([{ path: '/' }, { path: '/bravo' }]);
    parseAmPath(SESSIONS, realms, undefined);
    expect(status(() => parseAmPath(SESSIONS, other, undefined))).toBe(404);
  });
});

describe('Accept-API-Version, kept per header', () => {
  it('shares a frozen parse per header text', () => {
    const first = parseAcceptApiVersion('resource=4.0, protocol=1.0');
    expect(parseAcceptApiVersion('resource=4.0, protocol=1.0')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.resource)).toBe(true);
    expect(parseAcceptApiVersion(undefined).headerMissing).toBe(true);
  });

  it('never keeps a refusal, and a flood of distinct headers still parses each correctly', () => {
    expect(status(() => parseAcceptApiVersion('resource=x'))).toBe(400);
    expect(status(() => parseAcceptApiVersion('resource=x'))).toBe(400);
    for (let i = 0; i < 2_000; i += 1) {
      expect(parseAcceptApiVersion(`resource=${i}.${i % 7}`).resource).toEqual({ major: i, minor: i % 7 });
    }
    expect(parseAcceptApiVersion('resource=4.0, protocol=1.0').resource).toEqual({ major: 4, minor: 0 });
  });
});
