/**
 * Verification can fail: the same pact against a provider broken on purpose (a proxy in front of
 * the emulator that drops a field, changes a type, or answers another status) is refused, for
 * each breakage, while the unbroken emulator passes the very same interaction.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { EmulatorDriver } from './tenant-drivers.js';
import { COMMITTED_PACT, CONTRACT_TENANT, verifyAgainst } from './verify.js';

/** Headers a proxy does not forward (fetch refuses some of them). */
const HOP_BY_HOP = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'expect',
  'upgrade',
  'proxy-connection',
]);

type Breakage = (status: number, body: any) => { status: number; body: any };

/** A proxy that forwards to the emulator and breaks the answers of one action. */
async function brokenProxy(
  target: string,
  action: string,
  breakage: Breakage,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => void forward(request, response));
  async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
    ) as Record<string, string>;
    const upstream = await fetch(`${target}${request.url}`, {
      method: request.method as string,
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    let status = upstream.status;
    let text = await upstream.text();
    if (new URL(request.url as string, target).searchParams.get('_action') === action && text !== '') {
      const broken = breakage(status, JSON.parse(text));
      status = broken.status;
      text = JSON.stringify(broken.body);
    }
    response.writeHead(status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    response.end(text);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, server };
}

const tempDirs: string[] = [];

/** The committed pact cut down to the interactions with this description. */
function pactWith(description: string): string {
  const pact = JSON.parse(readFileSync(COMMITTED_PACT, 'utf8'));
  pact.interactions = pact.interactions.filter(
    (interaction: { description: string }) => interaction.description === description,
  );
  if (pact.interactions.length !== 1) throw new Error(`no interaction "${description}" in the committed pact`);
  const dir = mkdtempSync(join(tmpdir(), 'aic-broken-'));
  tempDirs.push(dir);
  const file = join(dir, 'pact.json');
  writeFileSync(file, JSON.stringify(pact));
  return file;
}

const CASES: { name: string; description: string; action: string; breakage: Breakage }[] = [
  {
    name: 'a field missing (getSessionInfo without maxIdleExpirationTime)',
    description: 'getSessionInfo with the session cookie',
    action: 'getSessionInfo',
    breakage: (status, body) => {
      delete body.maxIdleExpirationTime;
      return { status, body };
    },
  },
  {
    name: 'a field of the wrong type (validate answers valid: "true")',
    description: 'validate with the session cookie',
    action: 'validate',
    breakage: (status, body) => ({ status, body: { ...body, valid: 'true' } }),
  },
  {
    name: 'a wrong status (logoutByUser answers 500)',
    description: 'logoutByUser with an admin bearer token',
    action: 'logoutByUser',
    breakage: () => ({
      status: 500,
      body: { code: 500, reason: 'Internal Server Error', message: 'broken on purpose' },
    }),
  },
];

describe('verification fails against a broken provider', () => {
  let emulator: Emulator;
  const servers: Server[] = [];
  beforeAll(async () => {
    emulator = await createEmulator({ config: CONTRACT_TENANT });
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  });

  it.each(CASES)(
    '$name',
    async ({ description, action, breakage }) => {
      const pact = pactWith(description);
      const driver = new EmulatorDriver(emulator.url);
      // The same interaction passes against the emulator itself...
      await expect(verifyAgainst(driver, { pactUrls: [pact] })).resolves.toBeDefined();
      // ...and fails against the broken proxy.
      const proxy = await brokenProxy(emulator.url, action, breakage);
      servers.push(proxy.server);
      await expect(verifyAgainst(driver, { pactUrls: [pact], providerBaseUrl: proxy.url })).rejects.toThrow();
    },
    60_000,
  );
});
