/**
 * The how-to's Single Logout journeys as a browser drives them: the stub standing in for Part 2's
 * external service, signing in through Login, and Part 3 answered step by step (Continue on its
 * two message nodes, then the user's credentials on the Login page it ends on).
 */
import type { Emulator } from '../../emulator/index.js';
import { http, type RawResponse } from './http.js';
import { JarClient, authenticate, fill } from './jar-client.js';
import { ALPHA, DEMO } from './tenant.js';

export const PT3_NAME = 'Pt 3_Terminate ForgeRock Session';
export const PT3 = `${ALPHA}/authenticate?authIndexType=service&authIndexValue=${encodeURIComponent(PT3_NAME)}`;
export const LOGIN = `${ALPHA}/authenticate?authIndexType=service&authIndexValue=Login`;

type User = { userName: string; password: string };

/** Part 2's external service (jsonplaceholder's /posts echoes the post with an id), offline. */
export async function stubExternalLogout(emulator: Emulator): Promise<void> {
  const response = await http(`${emulator.url}/__emulator/stubs`, {
    method: 'POST',
    body: JSON.stringify({
      method: 'POST',
      url: 'https://jsonplaceholder.typicode.com/posts',
      status: 201,
      body: { id: 101 },
      echoRequestBody: true,
    }),
  });
  if (response.status >= 300) throw new Error(`stub: ${response.status} ${response.text}`);
}

/** Signs the browser in through Login; the session's token. */
export async function signIn(browser: JarClient, user: User = DEMO): Promise<string> {
  const { final } = await authenticate(browser, LOGIN, (body) => {
    fill(body, 'NameCallback', user.userName);
    fill(body, 'PasswordCallback', user.password);
  });
  if (final.status !== 200) throw new Error(`sign-in of ${user.userName}: ${final.status} ${final.text}`);
  return final.json.tokenId as string;
}

/** Runs Part 3 in the browser to its end, signing in again as `user` on its Login page. */
export function runPart3(browser: JarClient, user: User = DEMO): Promise<{ steps: any[]; final: RawResponse }> {
  return authenticate(browser, PT3, (body, index) => {
    if (index < 2) fill(body, 'ConfirmationCallback', 0);
    else {
      fill(body, 'NameCallback', user.userName);
      fill(body, 'PasswordCallback', user.password);
    }
  });
}
