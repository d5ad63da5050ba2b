import { describe, expect, it } from 'vitest';
import { AmError } from '../../emulator/http/am/errors.js';
import { checkCrestProtocol, negotiate, parseAcceptApiVersion, v } from '../../emulator/http/am/versioning.js';

const available = ['2.0', '2.1', '3.0', '3.1', '4.0', '5.1'].map(v);

describe('Accept-API-Version', () => {
  it('parses resource and protocol in any order, with or without spaces and minor versions', () => {
    expect(parseAcceptApiVersion('resource=2.0, protocol=1.0')).toEqual({
      resource: v('2.0'),
      protocol: v('1.0'),
      headerMissing: false,
    });
    expect(parseAcceptApiVersion('protocol=2.1,resource=4')).toEqual({
      resource: v('4.0'),
      protocol: v('2.1'),
      headerMissing: false,
    });
    expect(parseAcceptApiVersion(undefined)).toEqual({ resource: undefined, protocol: undefined, headerMissing: true });
    expect(parseAcceptApiVersion('protocol=1.0').resource).toBeUndefined();
  });

  it.each(['resource', 'resource=', 'resource=a.b', 'resource=1.2.3', 'colour=2.0', 'resource=-1'])(
    'refuses %j with a 400',
    (header) => {
      try {
        parseAcceptApiVersion(header);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(AmError);
        expect((error as AmError).status).toBe(400);
      }
    },
  );

  it('serves the highest minor of the same major, the latest without a request, nothing across majors', () => {
    const pick = (header: string | undefined) => negotiate(available, parseAcceptApiVersion(header));
    expect(pick('resource=2.0')).toEqual(v('2.1'));
    expect(pick('resource=3.1')).toEqual(v('3.1'));
    expect(pick('resource=5.0')).toEqual(v('5.1'));
    expect(pick(undefined)).toEqual(v('5.1'));
    for (const header of ['resource=3.2', 'resource=1.0', 'resource=6.0']) {
      expect(() => pick(header)).toThrowError(expect.objectContaining({ status: 404, emptyBody: true }) as Error);
    }
  });

  it('accepts CREST protocols up to 2.1', () => {
    for (const ok of ['1.0', '1.1', '2.0', '2.1']) expect(() => checkCrestProtocol(v(ok))).not.toThrow();
    expect(() => checkCrestProtocol(v('3.0'))).toThrow('Unsupported major version: 3.0');
    expect(() => checkCrestProtocol(v('2.2'))).toThrow('Unsupported minor version: 2.2');
  });
});
