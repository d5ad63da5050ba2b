/**
 * Hostile and broken input: every request in the batch gets an AM-shaped 4xx (never a 5xx, a
 * crash or a hang), and the sessions that existed before are untouched afterwards.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { ALPHA, BJENSEN, DEMO, asAdmin, login, startEmulator } from '../helpers/tenant.js';
import { http, type RawResponse } from '../helpers/http.js';
import { rawRequest } from '../helpers/raw-socket.js';

let emulator: Emulator;
let tokens: string[];
let before: string;

beforeAll(async () => {
  emulator = await startEmulator();
  tokens = [await login(emulator, DEMO), await login(emulator, DEMO), await login(emulator, BJENSEN)];
  before = JSON.stringify(await emulator.tenant.sessions.listAll());
});
afterAll(() => emulator.close());

const V = { 'accept-api-version': 'resource=4.0, protocol=1.0', 'content-type': 'application/json' };
const action = (name: string) => `${ALPHA}/sessions/?_action=${name}`;

function expectAmError(response: RawResponse, status: number): void {
  expect(response.status, response.text).toBe(status);
  expect(response.json).toMatchObject({ code: status, reason: expect.any(String), message: expect.any(String) });
  expect(Object.keys(response.json).filter((key) => key !== 'detail')).toEqual(['code', 'reason', 'message']);
}

type Case = [
  name: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
  status: number,
];

const cases = (): Case[] => [
  ['malformed JSON', action('validate'), { method: 'POST', headers: V, body: '{"tokenId":' }, 400],
  [
    'a JSON array body',
    action('getSessionInfo'),
    { method: 'POST', headers: { ...V, ...asAdmin(emulator) }, body: '[1,2]' },
    400,
  ],
  [
    'a JSON string body',
    action('logout'),
    { method: 'POST', headers: { ...V, ...asAdmin(emulator) }, body: '"x"' },
    400,
  ],
  ['tokenId of the wrong type', action('validate'), { method: 'POST', headers: V, body: '{"tokenId":42}' }, 400],
  [
    'username of the wrong type',
    action('logoutByUser'),
    { method: 'POST', headers: { ...V, ...asAdmin(emulator) }, body: '{"username":["x"]}' },
    400,
  ],
  [
    'sessionHandles of the wrong type',
    action('logoutByHandle'),
    { method: 'POST', headers: { ...V, ...asAdmin(emulator) }, body: '{"sessionHandles":{"a":1}}' },
    400,
  ],
  [
    'invalid UTF-8 in the body',
    action('validate'),
    { method: 'POST', headers: V, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    400,
  ],
  [
    'deeply nested JSON',
    action('validate'),
    { method: 'POST', headers: V, body: `${'['.repeat(50_000)}${']'.repeat(50_000)}` },
    400,
  ],
  [
    'an oversized body',
    action('validate'),
    { method: 'POST', headers: V, body: `{"tokenId":"${'a'.repeat(2 * 1024 * 1024)}"}` },
    413,
  ],
  [
    'an unknown realm',
    '/am/json/realms/root/realms/nowhere/sessions/?_action=validate',
    { method: 'POST', headers: V, body: '{}' },
    404,
  ],
  [
    'a sub-realm that does not exist',
    '/am/json/realms/root/realms/alpha/realms/nope/sessions/?_action=validate',
    { method: 'POST', headers: V, body: '{}' },
    404,
  ],
  [
    'a POST without _action (protocol 1.0)',
    `${ALPHA}/sessions`,
    { method: 'POST', headers: { ...V, ...asAdmin(emulator) }, body: '{}' },
    400,
  ],
  ['_action on a GET', `${ALPHA}/sessions?_action=validate`, { headers: V }, 400],
  [
    'an unknown _ parameter',
    `${ALPHA}/sessions/?_action=validate&_bogus=1`,
    { method: 'POST', headers: V, body: '{}' },
    400,
  ],
  [
    'a repeated parameter',
    `${ALPHA}/sessions/?_action=validate&_action=logout`,
    { method: 'POST', headers: V, body: '{}' },
    400,
  ],
  [
    'a CREST body of another content type',
    action('validate'),
    { method: 'POST', headers: { ...V, 'content-type': 'text/plain' }, body: '{}' },
    400,
  ],
  ['an unsupported HTTP method', `${ALPHA}/sessions`, { method: 'OPTIONS', headers: V }, 501],
  ['an unknown resource', `${ALPHA}/nothing-here`, { headers: V }, 404],
  [
    'an unknown realm query parameter',
    '/am/json/sessions/?_action=validate&realm=/nowhere',
    { method: 'POST', headers: V, body: '{}' },
    400,
  ],
  ['a bad percent-encoding in the path', `${ALPHA}/users/%E0%A4%A`, { headers: { ...V, ...asAdmin(emulator) } }, 400],
  [
    'a garbage query filter',
    `${ALPHA}/sessions?_queryFilter=${encodeURIComponent('((( eq')}`,
    { headers: { ...V, ...asAdmin(emulator) } },
    400,
  ],
  [
    'a query filter on an unsupported field',
    `${ALPHA}/sessions?_queryFilter=${encodeURIComponent('mail eq "x" and realm eq "/alpha"')}`,
    { headers: { ...V, ...asAdmin(emulator) } },
    400,
  ],
  [
    'a query filter with or',
    `${ALPHA}/sessions?_queryFilter=${encodeURIComponent('realm eq "/alpha" or realm eq "/"')}`,
    { headers: { ...V, ...asAdmin(emulator) } },
    400,
  ],
  [
    'a query filter without a realm',
    `${ALPHA}/sessions?_queryFilter=${encodeURIComponent(`username eq "${DEMO._id}"`)}`,
    { headers: { ...V, ...asAdmin(emulator) } },
    400,
  ],
  [
    'a query filter for a realm outside the request realm',
    `${ALPHA}/sessions?_queryFilter=${encodeURIComponent('realm eq "/"')}`,
    { headers: { ...V, ...asAdmin(emulator) } },
    403,
  ],
  ['a query with _queryId only', `${ALPHA}/sessions?_queryId=all`, { headers: { ...V, ...asAdmin(emulator) } }, 400],
  [
    'a malformed version header',
    action('validate'),
    { method: 'POST', headers: { ...V, 'accept-api-version': 'resource=x.y' }, body: '{}' },
    400,
  ],
  [
    'a cookie header of garbage',
    action('getSessionInfo'),
    { method: 'POST', headers: { ...V, cookie: ';;==;=x; a' }, body: '{}' },
    401,
  ],
  [
    'a token of garbage',
    action('getSessionInfo'),
    { method: 'POST', headers: { ...V, [emulator.cookieName]: '\u00ff\u00fe' }, body: '{}' },
    401,
  ],
  [
    'an authenticate body that is not JSON',
    `${ALPHA}/authenticate`,
    {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=2.0', 'content-type': 'application/json' },
      body: 'not json',
    },
    400,
  ],
  [
    'an authenticate body of another content type',
    `${ALPHA}/authenticate`,
    { method: 'POST', headers: { 'accept-api-version': 'resource=2.0', 'content-type': 'text/plain' }, body: 'x=1' },
    415,
  ],
  [
    'an unknown authIndexType',
    `${ALPHA}/authenticate?authIndexType=bogus&authIndexValue=x`,
    { method: 'POST', headers: { 'accept-api-version': 'resource=2.0' } },
    400,
  ],
  [
    'wrong credentials',
    `${ALPHA}/authenticate`,
    {
      method: 'POST',
      headers: { 'accept-api-version': 'resource=2.0', 'x-openam-username': 'demo', 'x-openam-password': 'wrong' },
    },
    401,
  ],
  [
    'a control API body that is not JSON',
    '/__emulator/clock',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' },
    400,
  ],
  [
    'a control API clock of the wrong type',
    '/__emulator/clock',
    { method: 'POST', body: '{"advanceSeconds":"soon"}' },
    400,
  ],
  [
    'a control API clock moving backwards',
    '/__emulator/clock',
    { method: 'POST', body: '{"set":"2000-01-01T00:00:00Z"}' },
    400,
  ],
  [
    'a control API user without a realm',
    '/__emulator/users',
    { method: 'POST', body: '{"userName":"x","password":"y"}' },
    400,
  ],
  [
    'a control API user with a duplicate userName',
    '/__emulator/users',
    { method: 'POST', body: '{"realm":"alpha","userName":"DEMO","password":"y"}' },
    409,
  ],
  ['a control API fault with an unknown field', '/__emulator/faults', { method: 'POST', body: '{"statuss":500}' }, 400],
  [
    'a control API fault with a header injection',
    '/__emulator/faults',
    { method: 'POST', body: '{"status":500,"headers":{"x":"a\\r\\nb: c"}}' },
    400,
  ],
  ['a control API ESV with a bad name', '/__emulator/esvs/NOT_AN_ESV', { method: 'PUT', body: '{"value":"x"}' }, 400],
  ['an unknown control route', '/__emulator/nothing', {}, 404],
  ['an unknown top-level path', '/nothing', {}, 404],
];

describe('bad input', () => {
  it('gets an AM-shaped 4xx for every request in the batch, never a 5xx', async () => {
    for (const [name, path, init, status] of cases()) {
      const response = await http(`${emulator.url}${path}`, init);
      expect.soft(response.status, `${name}: ${response.text.slice(0, 200)}`).toBe(status);
      expectAmError(response, status);
    }
  });

  it('says which realm or resource it could not find', async () => {
    const realm = await http(`${emulator.url}/am/json/realms/root/realms/alpha/realms/nope/authenticate`, {
      method: 'POST',
      headers: V,
    });
    expect(realm.json).toEqual({ code: 404, reason: 'Not Found', message: 'Realm "/alpha/nope" not found' });
    const resource = await http(`${emulator.url}${ALPHA}/foo/bar`, { headers: V });
    expect(resource.json).toEqual({ code: 404, reason: 'Not Found', message: "Resource 'foo/bar' not found" });
    const param = await http(`${emulator.url}${ALPHA}/sessions/?_action=validate&_bogus=1`, {
      method: 'POST',
      headers: V,
      body: '{}',
    });
    expect(param.json.message).toBe("Unrecognized request parameter '_bogus'");
    const type = await http(`${emulator.url}${action('validate')}`, {
      method: 'POST',
      headers: { ...V, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(type.json.message).toBe(
      "The request could not be processed because it specified the content-type 'text/plain' when only the content-type 'application/json' and 'multipart/form-data' are supported",
    );
  });

  it('answers garbled headers and oversized headers at the HTTP parser with AM-shaped errors', async () => {
    const garbled = await rawRequest(
      emulator.url,
      'GET /am/json/serverinfo/* HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
    );
    expect(garbled.status).toBe(400);
    expect(JSON.parse(garbled.body)).toMatchObject({ code: 400, reason: 'Bad Request' });
    const huge = await rawRequest(
      emulator.url,
      `GET /am/json/serverinfo/* HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
    );
    expect(huge.status).toBe(431);
    expect(JSON.parse(huge.body)).toMatchObject({ code: 431 });
    const nonsense = await rawRequest(emulator.url, 'HELLO\r\n\r\n');
    expect(nonsense.status).toBe(400);
    const badLine = await rawRequest(emulator.url, 'GET /am/json/serverinfo/* HTTP/9.9 extra\r\nHost: x\r\n\r\n');
    expect(badLine.status).toBe(400);
    expect(JSON.parse(badLine.body)).toMatchObject({ code: 400, reason: 'Bad Request' });
  });

  it('answers an oversized header whole although the client sent more than the parser read', async () => {
    // The rest of the header is read and thrown away before the close: on Node 24 the answer was
    // lost to the reset that closing with unread bytes makes.
    const huge = await rawRequest(
      emulator.url,
      `GET /am/json/serverinfo/* HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(200_000)}\r\n\r\n`,
    );
    expect(huge.status).toBe(431);
    expect(JSON.parse(huge.body)).toMatchObject({ code: 431, reason: 'Request Header Fields Too Large' });
  });

  it('a client sending megabytes past the header limit gets the 431 or a reset, never a hang, and the next request is answered', async () => {
    const ended = await rawRequest(
      emulator.url,
      `GET /am/json/serverinfo/* HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4 * 1024 * 1024)}\r\n\r\n`,
    ).then(
      (answer) => answer.status,
      (error: NodeJS.ErrnoException) => error.code,
    );
    // Either the 431 arrived before the close, or the close came as a reset: never a hang.
    expect([431, 'ECONNRESET', 'EPIPE']).toContain(ended);
    expect((await http(`${emulator.url}/am/json/serverinfo/*`)).status).toBe(200);
  });

  it('answers a client too slow to send its headers with a 408 in AM’s shape', async () => {
    const slow = await startEmulator({ headersTimeoutMs: 200 });
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const { hostname, port } = new URL(slow.url);
        const socket = connect(Number(port), hostname);
        const chunks: Buffer[] = [];
        // Half a request, then nothing: the server's headers timeout decides.
        socket.on('connect', () => socket.write('GET /am/json/serverinfo/* HTTP/1.1\r\nHost: x\r\n'));
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('close', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
            body: text.slice(text.indexOf('\r\n\r\n') + 4),
          });
        });
      });
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 408, reason: 'Request Time-out' });
    } finally {
      await slow.close();
    }
  });

  it('leaves the existing sessions exactly as they were, and still serves them', async () => {
    expect(JSON.stringify(await emulator.tenant.sessions.listAll())).toBe(before);
    for (const token of tokens) {
      const response = await http(`${emulator.url}${action('validate')}&refresh=false`, {
        method: 'POST',
        headers: V,
        body: JSON.stringify({ tokenId: token }),
      });
      expect(response.json.valid).toBe(true);
    }
  });
});
