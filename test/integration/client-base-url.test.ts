/**
 * AmClient's `baseUrl` as users write it (issue 15): the origin, as this client always took it,
 * and AM's base URL, as the ForgeRock/Ping JavaScript SDK takes it (`https://<tenant>/am/`; the
 * SDK adds the slash to `.../am`). Each accepted spelling really reaches an emulator: serverinfo,
 * a login, the session it made. A tenant behind a reverse proxy's path prefix is reached through
 * a proxy that only answers under that prefix. Every other spelling is refused at construction
 * with a TypeError that names the value and the accepted forms, instead of a 404 later.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { AmClient, type SessionInfo } from '../../client/index.js';
import { DEMO, startEmulator } from '../helpers/tenant.js';
import { http } from '../helpers/http.js';

let emulator: Emulator;
let proxy: PrefixProxy;
const clients: AmClient[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  proxy = await startPrefixProxy(emulator.url, '/idp');
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});
beforeEach(async () => {
  await emulator.reset();
  proxy.seen.length = 0;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** A reverse proxy that serves the emulator under `prefix` only (and 404 elsewhere), recording the paths asked. */
interface PrefixProxy {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

async function startPrefixProxy(target: string, prefix: string): Promise<PrefixProxy> {
  const seen: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const path = incoming.url ?? '/';
    seen.push(path);
    if (!path.startsWith(`${prefix}/`)) {
      outgoing.writeHead(404, { 'content-type': 'text/plain' }).end('not under the prefix');
      return;
    }
    const upstream = httpRequest(
      new URL(path.slice(prefix.length), target),
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const journal = async (): Promise<{ url: string }[]> => (await http(`${emulator.url}/__emulator/journal`)).json.result;

/** serverinfo, a zero-page login, and the session it made read back through the jar: the client works at this base URL. */
async function reachesTheTenant(baseUrl: string): Promise<void> {
  const client = new AmClient({ baseUrl });
  clients.push(client);
  const info = await client.serverInfo();
  expect(info.cookieName).toBe(emulator.cookieName);
  const success = await client.login({ username: DEMO.userName, password: DEMO.password });
  expect(success.type).toBe('success');
  expect(success.tokenId).toEqual(expect.any(String));
  const session = (await client.getSessionInfo()) as SessionInfo;
  expect(session.username).toBe(DEMO._id);
  expect(session.realm).toBe('/alpha');
  expect(await client.sessionToken()).toBe(success.tokenId);
}

describe('accepted: the origin and AM’s base URL, each reaching the emulator', () => {
  const spellings: [string, (origin: string) => string][] = [
    ['the origin', (origin) => origin],
    ['the origin with a slash', (origin) => `${origin}/`],
    ['AM’s base URL, .../am', (origin) => `${origin}/am`],
    ['AM’s base URL as the SDK writes it, .../am/', (origin) => `${origin}/am/`],
  ];
  it.each(spellings)('%s', async (_name, spell) => {
    await reachesTheTenant(spell(emulator.url));
    const urls = (await journal()).map((entry) => entry.url);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    // Never /am/am/...: every call went to /am/json/realms/root/realms/alpha.
    for (const url of urls) expect(url.startsWith('/am/json/realms/root/realms/alpha/')).toBe(true);
  });

  it('an uppercase scheme, .../am/', async () => {
    await reachesTheTenant(`${emulator.url.replace(/^http:/, 'HTTP:')}/am/`);
    for (const { url } of await journal()) expect(url.startsWith('/am/json/realms/root/realms/alpha/')).toBe(true);
  });
});

describe('accepted: a path prefix before /am (a tenant behind a reverse proxy)', () => {
  it.each(['/idp/am', '/idp/am/'])('<proxy>%s calls <prefix>/am/json/...', async (path) => {
    await reachesTheTenant(`${proxy.url}${path}`);
    expect(proxy.seen.length).toBeGreaterThanOrEqual(3);
    for (const seen of proxy.seen) expect(seen.startsWith('/idp/am/json/realms/root/realms/alpha/')).toBe(true);
  });
});

describe('refused at construction, naming the value and the accepted forms', () => {
  const ORIGIN = 'http://127.0.0.1:8080';
  const refused: [string, unknown, RegExp][] = [
    [
      'a path other than /am',
      `${ORIGIN}/idp`,
      /has the path \/idp, not \/am \(if \/idp is a reverse proxy's prefix in front of AM, write http:\/\/127\.0\.0\.1:8080\/idp\/am\/\)/,
    ],
    ['another context path', 'https://am.example.com/openam/', /has the path \/openam\/, not \/am/],
    [
      'a path past /am',
      `${ORIGIN}/am/json/realms/root/realms/alpha`,
      /not \/am \(give the URL up to \/am: http:\/\/127\.0\.0\.1:8080\/am\/; the client adds json\/realms\/\.\.\.\)/,
    ],
    ['an empty path segment', `${ORIGIN}//am`, /has the path \/\/am, not \/am/],
    ['a query', `${ORIGIN}/am?realm=alpha`, /has a query/],
    ['an empty query', `${ORIGIN}/am/?`, /has a query/],
    ['a fragment', `${ORIGIN}/am/#/`, /has a fragment/],
    [
      'userinfo',
      'https://admin:s3cret@tenant.example.com/am/',
      /"https:\/\/\*\*\*@tenant\.example\.com\/am\/" has credentials in it/,
    ],
    ['a non-http(s) scheme', 'ftp://tenant.example.com/am', /has the scheme ftp:, not http: or https:/],
    [
      'host:port without a scheme',
      'localhost:8080',
      /has the scheme localhost:, not http: or https: \(no scheme: write https:\/\/\.\.\.\)/,
    ],
    ['a host without a scheme', 'openam-x.forgeblocks.com/am/', /is not a URL \(no scheme: write https:\/\/\.\.\.\)/],
    ['an unparsable URL', 'https://exa mple.com/am', /is not a URL;/],
    ['an empty string', '', /"" is not a URL/],
    ['not a string', undefined, /baseUrl must be a string, got undefined/],
  ];
  it.each(refused)('%s', (_name, baseUrl, reason) => {
    let error: unknown;
    try {
      clients.push(new AmClient({ baseUrl: baseUrl as string }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    const message = (error as TypeError).message;
    expect(message).toMatch(reason);
    expect(message).toMatch(/^AmClient: baseUrl /);
    if (typeof baseUrl === 'string' && !baseUrl.includes('@')) expect(message).toContain(JSON.stringify(baseUrl));
    expect(message).toContain('https://<tenant>, https://<tenant>/, https://<tenant>/am or https://<tenant>/am/');
    expect(message).toContain('https://<host>/<prefix>/am/');
    expect(message).not.toContain('s3cret');
  });
});
