/** Test conveniences around an emulator: logging in, AM paths, admin headers. */
import { afterEach } from 'vitest';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { DEMO_PASSWORD } from '../../emulator/config/demo-tenant.js';
import { http, type RawResponse } from './http.js';

export const ALPHA = '/am/json/realms/root/realms/alpha';
export const ROOT = '/am/json/realms/root';

export const DEMO = { userName: 'demo', _id: '25cff7e1-0539-45b9-98cd-7f02b2463370', password: DEMO_PASSWORD } as const;
export const BJENSEN = {
  userName: 'bjensen',
  _id: '94a7ea72-615f-4514-b933-d25b0d3e33c7',
  password: DEMO_PASSWORD,
} as const;
export const SCARTER = {
  userName: 'scarter',
  _id: '62638df0-4ef3-4f5b-a894-c9b2b8768680',
  password: DEMO_PASSWORD,
} as const;

/** A started emulator on a free port, frozen clock by default so timestamps are deterministic. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return createEmulator({ clock: { start: '2026-07-10T01:34:08Z', frozen: true }, ...options });
}

/**
 * A `startEmulator` whose emulators are closed after each test of the file that calls this;
 * `closeAfterEach` adds one started otherwise.
 */
export function startEmulatorClosedAfterEach(): ((options?: EmulatorOptions) => Promise<Emulator>) & {
  closeAfterEach(emulator: Emulator): void;
} {
  const running: Emulator[] = [];
  afterEach(async () => {
    for (const emulator of running.splice(0)) await emulator.close();
  });
  const start = async (options: EmulatorOptions = {}) => {
    const emulator = await startEmulator(options);
    running.push(emulator);
    return emulator;
  };
  return Object.assign(start, { closeAfterEach: (emulator: Emulator) => void running.push(emulator) });
}

/** Zero-page login; returns the tokenId (throws if the login did not succeed). */
export async function login(
  emulator: Emulator,
  user: { userName: string; password: string },
  realmPath = ALPHA,
): Promise<string> {
  const response = await http(`${emulator.url}${realmPath}/authenticate`, {
    method: 'POST',
    headers: {
      'x-openam-username': user.userName,
      'x-openam-password': user.password,
      'accept-api-version': 'resource=2.0, protocol=1.0',
      'content-type': 'application/json',
    },
    body: '{}',
  });
  if (response.status !== 200 || typeof response.json?.tokenId !== 'string') {
    throw new Error(`login of ${user.userName} failed: ${response.status} ${response.text}`);
  }
  return response.json.tokenId as string;
}

/** POST a sessions action. */
export function sessionsAction(
  emulator: Emulator,
  action: string,
  options: {
    headers?: Record<string, string>;
    body?: unknown;
    realmPath?: string;
    version?: string | null;
    query?: string;
  } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.version !== null) headers['accept-api-version'] = options.version ?? 'resource=4.0, protocol=1.0';
  return http(`${emulator.url}${options.realmPath ?? ALPHA}/sessions/?_action=${action}${options.query ?? ''}`, {
    method: 'POST',
    headers,
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
}

export const asAdmin = (emulator: Emulator): Record<string, string> => ({
  authorization: `Bearer ${emulator.adminToken}`,
});
export const withToken = (emulator: Emulator, token: string): Record<string, string> => ({
  [emulator.cookieName]: token,
});
export const withCookie = (emulator: Emulator, token: string): Record<string, string> => ({
  cookie: `${emulator.cookieName}=${token}`,
});
