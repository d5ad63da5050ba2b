/** The one error path (emulator/http/error-reply.ts) and the JSON body reader the AM routes and the control API share. */
import { describe, expect, it, vi } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { AmError } from '../../../emulator/http/am/errors.js';
import { UNEXPECTED_ERROR_MESSAGE, toAmError } from '../../../emulator/http/error-reply.js';
import { JsonBodyError, readJsonBody } from '../../../emulator/http/json-body.js';

const request = (bodyLimit = 1024) => {
  const error = vi.fn();
  return { log: { error }, routeOptions: { bodyLimit } } as unknown as FastifyRequest & {
    log: { error: typeof error };
  };
};

const fastifyError = (code: string, statusCode: number, message: string) =>
  Object.assign(new Error(message), { code, statusCode });

describe('toAmError', () => {
  it('keeps an AmError as it is', () => {
    const error = new AmError(409, 'taken', { detail: { a: 1 } });
    expect(toAmError(error, request())).toBe(error);
  });

  it("keeps the status and message of Fastify's own 4xx errors; a body too large names the route's limit", () => {
    expect(
      toAmError(fastifyError('FST_ERR_BAD_URL', 400, "'/%E0' is not a valid url component"), request()).toBody(),
    ).toEqual({
      code: 400,
      reason: 'Bad Request',
      message: "'/%E0' is not a valid url component",
    });
    expect(
      toAmError(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'), request(16)).toBody(),
    ).toEqual({
      code: 413,
      reason: 'Request Entity Too Large',
      message: 'The request body is larger than the limit of 16 bytes',
    });
  });

  it('answers anything else 500 without its details, and logs it', () => {
    for (const thrown of [
      new TypeError('x is undefined'),
      'a string',
      Object.assign(new Error('s'), { statusCode: 404 }),
    ]) {
      const req = request();
      expect(toAmError(thrown, req).toBody()).toEqual({
        code: 500,
        reason: 'Internal Server Error',
        message: UNEXPECTED_ERROR_MESSAGE,
      });
      expect(req.log.error).toHaveBeenCalledOnce();
    }
  });
});

describe('readJsonBody', () => {
  const messages = { notJson: 'not JSON', tooDeep: 'too deep' };
  const read = (text: string | undefined) => readJsonBody(text === undefined ? undefined : Buffer.from(text), messages);

  it('reads no body, or only whitespace, as undefined', () => {
    expect(read(undefined)).toBeUndefined();
    expect(read('')).toBeUndefined();
    expect(read(' \n\t')).toBeUndefined();
    expect(readJsonBody('{"a":1}', messages)).toBeUndefined(); // not a Buffer: not a body
  });

  it('parses JSON up to 1000 levels deep; deeper, or not JSON, is a 400 saying which', () => {
    expect(read(`${'['.repeat(1000)}${']'.repeat(1000)}`)).toBeInstanceOf(Array);
    expect(read(`"${'['.repeat(5000)}"`)).toBe('['.repeat(5000));
    const tooDeep = (() => {
      try {
        return read(`${'['.repeat(1001)}${']'.repeat(1001)}`);
      } catch (error) {
        return error;
      }
    })();
    expect(tooDeep).toBeInstanceOf(JsonBodyError);
    expect(tooDeep).toMatchObject({ status: 400, problem: 'too-deep', message: 'too deep' });
    expect(() => read('{')).toThrow(expect.objectContaining({ status: 400, problem: 'not-json', message: 'not JSON' }));
  });
});
