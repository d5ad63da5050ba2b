/**
 * The README's test recipes ("In tests: createEmulator()"), run as tests. Each `#region recipe:
 * <name>` below is a code block of the README marked `<!-- recipe: <name> -->`, character for
 * character: the last test checks it, so a recipe the README shows is a recipe that passes. The
 * one difference allowed is where the imports come from: the package's names in the README, the
 * sources here (IMPORTS).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { PROJECT_ROOT } from '../helpers/optional.js';

// #region recipe: setup
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { AmClient, AmError } from '../../client/index.js';

let emulator: Emulator;
let client: AmClient;
beforeEach(async () => {
  emulator = await createEmulator({ clock: { frozen: true } }); // a tenant of its own, on a free port
  client = new AmClient({ baseUrl: emulator.url }); // realm /alpha, a cookie jar of its own
});
afterEach(async () => {
  await client.close();
  await emulator.close();
});
// #endregion

// #region recipe: expire-session
it('a session idle for 31 minutes is gone', async () => {
  await client.login({ username: 'demo', password: 'Ch4ng3-it!' }); // the session cookie goes in the jar
  expect(await client.getSessionInfo()).toMatchObject({ realm: '/alpha' });

  await emulator.clock.advance(31 * 60); // idle timeout: 30 minutes

  const error = await client.getSessionInfo().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AmError);
  expect(error).toMatchObject({ status: 401, reason: 'Unauthorized', amMessage: 'Access Denied' });
  expect(String(error)).toBe(
    'AmError: 401 Access Denied (POST /am/json/realms/root/realms/alpha/sessions/?_action=getSessionInfo)',
  );
  expect(await emulator.sessions.list({ userName: 'demo' })).toEqual([]);
});
// #endregion

// #region recipe: fault
it('when logoutByUser fails, TerminateSession shows an error and the session lives on', async () => {
  await client.login({ username: 'demo', password: 'Ch4ng3-it!' });
  await emulator.faults.add({
    action: 'logoutByUser', // AM's sessions?_action=logoutByUser, as the journey's script calls it
    status: 500,
    body: { code: 500, reason: 'Internal Server Error', message: 'boom' },
    times: 1,
  });

  const step = await client.startJourney('TerminateSession');
  if (step.type !== 'step') throw new Error(`expected the error message, got ${step.type}`);
  expect(step.callback('TextOutputCallback').message).toBe('An error occurred. Please view the logs.');
  expect(await emulator.sessions.list({ userName: 'demo' })).toHaveLength(1);
});
// #endregion

// #region recipe: run-path
it('TerminateSession takes the path of the how-to', async () => {
  await client.login({ username: 'demo', password: 'Ch4ng3-it!' });
  await client.startJourney('TerminateSession'); // ends the sessions, then shows the Login page

  const [run] = await emulator.runs.list({ journey: 'TerminateSession', user: 'demo' });
  const path = run?.visits.filter((v) => v.outcome !== undefined).map((v) => `${v.displayName}: ${v.outcome}`);
  expect(path).toEqual([
    'Capture Browser Session: true', // inner journey CaptureSession
    'Get Session Cookie: Session Found',
    'Terminate External Sessions: true', // inner journey TerminateExternalSession
    'Identify Existing User: true',
    'Send Logout Request: Success', // the external application: a stub
    'Terminate Sessions: Success', // logoutByUser
  ]);
  expect(await emulator.sessions.list({ userName: 'demo' })).toEqual([]);
});
// #endregion

/** What the README imports, for what this file imports. */
const IMPORTS: [string, string][] = [
  ["'../../emulator/index.js'", "'aic-emulator'"],
  ["'../../client/index.js'", "'aic-emulator/client'"],
];

/** This file's `#region recipe:` blocks, by name, with the README's imports. */
function recipesHere(): Map<string, string> {
  const text = readFileSync(new URL(import.meta.url), 'utf8');
  const recipes = new Map<string, string>();
  for (const match of text.matchAll(/^\/\/ #region recipe: (\S+)\n([\s\S]*?)^\/\/ #endregion$/gm)) {
    const code = IMPORTS.reduce((result, [here, there]) => result.replaceAll(here, there), match[2] ?? '');
    recipes.set(match[1] ?? '', code.trimEnd());
  }
  return recipes;
}

/** The README's code blocks marked `<!-- recipe: <name> -->`, by name (marked reads the Markdown). */
function recipesInReadme(): Map<string, string> {
  const tokens = marked.lexer(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8'));
  const recipes = new Map<string, string>();
  tokens.forEach((token, index) => {
    const name = token.type === 'html' ? /^<!-- recipe: (\S+) -->\s*$/.exec(token.raw)?.[1] : undefined;
    if (name === undefined) return;
    const code = tokens.slice(index + 1).find((next) => next.type !== 'space');
    if (code?.type !== 'code') throw new Error(`README: <!-- recipe: ${name} --> is not followed by a code block`);
    recipes.set(name, (code as { text: string }).text.trimEnd());
  });
  return recipes;
}

it('the README shows these recipes, character for character', () => {
  const here = recipesHere();
  expect([...here.keys()]).toEqual(['setup', 'expire-session', 'fault', 'run-path']);
  const readme = recipesInReadme();
  expect([...readme.keys()]).toEqual([...here.keys()]);
  for (const [name, code] of here) expect(readme.get(name), `README recipe ${name}`).toBe(code);
});
