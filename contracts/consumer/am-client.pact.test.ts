/**
 * Consumer contracts: what AmClient sends for each call, and what it relies on in AM's answer.
 * Every expectation comes from a public source (contracts/README.md maps each interaction to the
 * AIC docs, AM source or recorded AIC traffic behind it); values that differ per tenant or per run are matched by their format, and those the
 * provider must set up (tokens, ids, the admin token, credentials) come from provider states.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { MatchersV3, type PactV4 } from '@pact-foundation/pact';
import { AmError, AmOAuth2Error, JourneyStep, createPkce } from '../../client/index.js';
import {
  CONTRACT_COOKIE_NAME,
  CONTRACT_POST_LOGOUT_URI,
  CONTRACT_PUBLIC_CLIENT,
  CONTRACT_REDIRECT_URI,
  CONTRACT_SCOPE,
  EXAMPLE_HANDLE,
  EXAMPLE_TOKEN,
  EXAMPLE_USER_ID,
  HANDLE_PATTERN,
  amCtxId,
  authId,
  fromState,
  isoSeconds,
  jwt,
  pkceChallenge,
  token,
  universalId,
  uuid,
} from './matchers.js';
import {
  EXAMPLE_ADMIN_TOKEN,
  EXAMPLE_CLIENT_BASIC,
  SESSION,
  clientFor,
  formBody,
  newPact,
  recorded,
  writesCommittedPact,
} from './pact-setup.js';
import { expectNoDrift } from './drift.js';
import { STATES } from '../provider/states.js';

const { like, string, integer, boolean, regex, atLeastLike, eachKeyMatches, nullValue, arrayContaining } = MatchersV3;

const ALPHA = '/am/json/realms/root/realms/alpha';
const SESSIONS = `${ALPHA}/sessions/`;
const CREST_JSON = {
  'Content-Type': regex('^application/json(;\\s?charset=UTF-8)?$', 'application/json;charset=UTF-8'),
};
const AUTH_JSON = { 'Content-Type': regex('^application/json(;\\s?charset=UTF-8)?$', 'application/json') };
const V = {
  auth: 'resource=2.0, protocol=1.0',
  sessions4: 'resource=4.0, protocol=1.0',
  sessions31: 'resource=3.1, protocol=1.0',
  logoutByUser: 'resource=5.1, protocol=1.0',
};
const DEMO_PASSWORD = 'Ch4ng3-it!';

const { pact, dir } = newPact();

afterAll(() => {
  if (writesCommittedPact) return;
  try {
    expectNoDrift(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The jar's session cookie, named as the contract names it, with the state's token. */
const sessionCookie = {
  Cookie: fromState(`${CONTRACT_COOKIE_NAME}=\${tokenId}`, `${CONTRACT_COOKIE_NAME}=${SESSION}`),
};
const tokenHeader = { [CONTRACT_COOKIE_NAME]: fromState('${tokenId}', SESSION) };
const bearer = { Authorization: fromState('Bearer ${adminToken}', `Bearer ${EXAMPLE_ADMIN_TOKEN}`) };
const postHeaders = (version: string, extra: Record<string, unknown> = {}) => ({
  'Accept-API-Version': version,
  'X-Requested-With': 'forgerock-sdk',
  ...extra,
});
const jsonPostHeaders = (version: string, extra: Record<string, unknown> = {}) =>
  postHeaders(version, { 'Content-Type': 'application/json', ...extra });

const errorBody = (code: number, reason: string, message: string) => ({ code, reason, message });

/** A session as getSessionInfo shows it (AIC docs, "Manage sessions over REST"). */
const sessionInfo = {
  username: uuid(),
  universalId: universalId(),
  realm: '/alpha',
  latestAccessTime: isoSeconds(),
  maxIdleExpirationTime: isoSeconds('2024-01-12T14:19:25Z'),
  maxSessionExpirationTime: isoSeconds('2024-01-12T15:49:24Z'),
  properties: { AMCtxId: amCtxId() },
};

type Interaction = ReturnType<PactV4['addInteraction']>;
const given = (interaction: Interaction, ...states: string[]) =>
  states.reduce((built, state) => built.given(state), interaction);

describe('serverinfo', () => {
  it('GET serverinfo/* names the tenant cookie, without credentials', () =>
    pact
      .addInteraction()
      .uponReceiving('a request for the realm’s server info')
      .withRequest('GET', `${ALPHA}/serverinfo/*`, (builder) =>
        builder.headers({ 'Accept-API-Version': 'resource=1.1' }),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(CREST_JSON).jsonBody({
          cookieName: string(CONTRACT_COOKIE_NAME),
          realm: '/alpha',
          secureCookie: boolean(true),
          zeroPageLogin: like({ enabled: false, refererWhitelist: [], allowedWithoutReferer: true }),
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          const info = await client.serverInfo();
          expect(info.cookieName).toBe(CONTRACT_COOKIE_NAME);
          expect(info.realm).toBe('/alpha');
        }),
      ));
});

describe('authenticate', () => {
  it('zero-page login with the realm’s default journey', () =>
    given(pact.addInteraction(), STATES.credentials)
      .uponReceiving('a zero-page login with a good password')
      .withRequest('POST', `${ALPHA}/authenticate`, (builder) =>
        builder
          .headers(
            jsonPostHeaders(V.auth, {
              'X-OpenAM-Username': fromState('${username}', 'demo'),
              'X-OpenAM-Password': fromState('${password}', DEMO_PASSWORD),
            }),
          )
          .jsonBody({}),
      )
      .willRespondWith(200, (builder) =>
        builder
          .headers(AUTH_JSON)
          .jsonBody({ tokenId: token(), successUrl: string('/enduser/?realm=/alpha'), realm: '/alpha' }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          const success = await client.login({ username: 'demo', password: DEMO_PASSWORD });
          expect(success.tokenId).toBe(EXAMPLE_TOKEN);
          expect(success.realm).toBe('/alpha');
        }),
      ));

  it('a wrong password: 401 Login failure', () =>
    given(pact.addInteraction(), STATES.credentials)
      .uponReceiving('a zero-page login with a wrong password')
      .withRequest('POST', `${ALPHA}/authenticate`, (builder) =>
        builder
          .headers(
            jsonPostHeaders(V.auth, {
              'X-OpenAM-Username': fromState('${username}', 'demo'),
              'X-OpenAM-Password': 'not-the-password',
            }),
          )
          .jsonBody({}),
      )
      .willRespondWith(401, (builder) =>
        builder.headers(AUTH_JSON).jsonBody(errorBody(401, 'Unauthorized', 'Login failure')),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          const error = await client
            .login({ username: 'demo', password: 'not-the-password' })
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(AmError);
          expect((error as AmError).status).toBe(401);
          expect((error as AmError).amMessage).toBe('Login failure');
          expect((error as AmError).detail).toBeUndefined();
        }),
      ));

  it('a wrong password with gotoOnFail: 401 Login failure with detail.failureUrl', () =>
    given(pact.addInteraction(), STATES.credentials)
      .uponReceiving('a zero-page login with a wrong password and gotoOnFail')
      .withRequest('POST', `${ALPHA}/authenticate`, (builder) =>
        builder
          .query({ gotoOnFail: '/login-failed' })
          .headers(
            jsonPostHeaders(V.auth, {
              'X-OpenAM-Username': fromState('${username}', 'demo'),
              'X-OpenAM-Password': 'not-the-password',
            }),
          )
          .jsonBody({}),
      )
      .willRespondWith(401, (builder) =>
        builder
          .headers(AUTH_JSON)
          .jsonBody({ ...errorBody(401, 'Unauthorized', 'Login failure'), detail: { failureUrl: '/login-failed' } }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          const error = await client
            .login({ username: 'demo', password: 'not-the-password', query: { gotoOnFail: '/login-failed' } })
            .catch((caught: unknown) => caught);
          expect((error as AmError).detail).toEqual({ failureUrl: '/login-failed' });
        }),
      ));

  it('an unknown journey: 400 No Configuration found', () =>
    pact
      .addInteraction()
      .uponReceiving('the start of a journey that does not exist')
      .withRequest('POST', `${ALPHA}/authenticate`, (builder) =>
        builder
          .query({ authIndexType: 'service', authIndexValue: 'NoSuchJourney' })
          .headers(jsonPostHeaders(V.auth))
          .jsonBody({}),
      )
      .willRespondWith(400, (builder) =>
        builder.headers(AUTH_JSON).jsonBody(errorBody(400, 'Bad Request', 'No Configuration found')),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          const error = await client.startJourney('NoSuchJourney').catch((caught: unknown) => caught);
          expect((error as AmError).status).toBe(400);
          expect((error as AmError).amMessage).toBe('No Configuration found');
        }),
      ));

  const loginStep = (username: unknown, password: unknown) => ({
    authId: authId(),
    callbacks: [
      {
        type: 'NameCallback',
        output: [{ name: 'prompt', value: string('User Name') }],
        input: [{ name: 'IDToken1', value: username }],
        _id: integer(0),
      },
      {
        type: 'PasswordCallback',
        output: [{ name: 'prompt', value: string('Password') }],
        input: [{ name: 'IDToken2', value: password }],
        _id: integer(1),
      },
    ],
  });

  it('the Login journey’s first step asks for a username and a password', () =>
    pact
      .addInteraction()
      .uponReceiving('the start of the Login journey')
      .withRequest('POST', `${ALPHA}/authenticate`, (builder) =>
        builder
          .query({ authIndexType: 'service', authIndexValue: 'Login' })
          .headers(jsonPostHeaders(V.auth))
          .jsonBody({}),
      )
      .willRespondWith(200, (builder) => builder.headers(AUTH_JSON).jsonBody(loginStep('', '')))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          const step = await client.startJourney('Login');
          if (step.type !== 'step') throw new Error('expected a step');
          expect(step.callbacks.map((callback) => callback.type)).toEqual(['NameCallback', 'PasswordCallback']);
        }),
      ));

  it('the Login journey’s step answered: a session', () =>
    given(pact.addInteraction(), STATES.loginStep)
      .uponReceiving('the Login journey’s username and password')
      .withRequest('POST', `${ALPHA}/authenticate`, (builder) =>
        builder
          .query({ authIndexType: 'service', authIndexValue: 'Login' })
          .headers(jsonPostHeaders(V.auth))
          .jsonBody({
            ...loginStep(fromState('${username}', 'demo'), fromState('${password}', DEMO_PASSWORD)),
            authId: fromState('${authId}', 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl'),
          }),
      )
      .willRespondWith(200, (builder) =>
        builder
          .headers(AUTH_JSON)
          .jsonBody({ tokenId: token(), successUrl: string('/enduser/?realm=/alpha'), realm: '/alpha' }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          const step = new JourneyStep(
            {
              authId: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl',
              callbacks: [
                {
                  type: 'NameCallback',
                  output: [{ name: 'prompt', value: 'User Name' }],
                  input: [{ name: 'IDToken1', value: '' }],
                  _id: 0,
                },
                {
                  type: 'PasswordCallback',
                  output: [{ name: 'prompt', value: 'Password' }],
                  input: [{ name: 'IDToken2', value: '' }],
                  _id: 1,
                },
              ],
            },
            `${ALPHA}/authenticate?authIndexType=service&authIndexValue=Login`,
          );
          step.fill({ NameCallback: 'demo', PasswordCallback: DEMO_PASSWORD });
          const result = await client.next(step);
          expect(result.type).toBe('success');
        }),
      ));
});

describe('sessions', () => {
  it('getSessionInfo of the caller’s own session (the jar’s cookie)', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('getSessionInfo with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'getSessionInfo' }).headers(postHeaders(V.sessions4, sessionCookie)),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody(sessionInfo))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { session: SESSION });
          const info = await client.getSessionInfo();
          expect(info).toMatchObject({ username: EXAMPLE_USER_ID, realm: '/alpha' });
        }),
      ));

  it('getSessionInfo of a token, as an administrator', () =>
    given(pact.addInteraction(), STATES.adminToken, STATES.activeSession)
      .uponReceiving('getSessionInfo of a tokenId with an admin bearer token')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'getSessionInfo' })
          .headers(jsonPostHeaders(V.sessions4, bearer))
          .jsonBody({ tokenId: fromState('${tokenId}', SESSION) }),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody(sessionInfo))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { admin: true });
          const info = await client.getSessionInfo(SESSION, { credentials: { admin: true } });
          expect(info).toMatchObject({ realm: '/alpha' });
        }),
      ));

  it('getSessionInfoAndResetIdleTime of the caller’s own session', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('getSessionInfoAndResetIdleTime with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'getSessionInfoAndResetIdleTime' }).headers(postHeaders(V.sessions4, sessionCookie)),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody(sessionInfo))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { session: SESSION });
          expect(await client.getSessionInfoAndResetIdleTime()).toMatchObject({ realm: '/alpha' });
        }),
      ));

  it('validate of the caller’s own session', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('validate with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'validate' }).headers(postHeaders(V.sessions4, sessionCookie)),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(CREST_JSON).jsonBody({
          valid: true,
          sessionUid: string('8b4ac2fb-e3a4-4a0d-9e3d-fc8e3c0fd4f9-1234'),
          uid: uuid(),
          realm: '/alpha',
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { session: SESSION });
          expect(await client.validate()).toMatchObject({ valid: true, uid: EXAMPLE_USER_ID });
        }),
      ));

  it('validate of a token that was logged out: valid false', () =>
    given(pact.addInteraction(), STATES.adminToken, STATES.endedSession)
      .uponReceiving('validate of a logged-out tokenId with an admin bearer token')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'validate' })
          .headers(jsonPostHeaders(V.sessions4, bearer))
          .jsonBody({ tokenId: fromState('${tokenId}', SESSION) }),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody({ valid: false }))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { admin: true });
          expect(await client.validate(SESSION, { credentials: { admin: true } })).toEqual({ valid: false });
        }),
      ));

  it('refresh of a token, as an administrator', () =>
    given(pact.addInteraction(), STATES.adminToken, STATES.activeSession)
      .uponReceiving('refresh of a tokenId with an admin bearer token')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'refresh' })
          .headers(jsonPostHeaders(V.sessions4, bearer))
          .jsonBody({ tokenId: fromState('${tokenId}', SESSION) }),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(CREST_JSON).jsonBody({
          uid: uuid(),
          realm: '/alpha',
          idletime: integer(0),
          maxidletime: integer(30),
          maxsessiontime: integer(120),
          maxtime: integer(7199),
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { admin: true });
          expect(await client.refresh(SESSION)).toMatchObject({ realm: '/alpha', maxidletime: 30 });
        }),
      ));

  it('logout of the caller’s own session', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('logout with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'logout' }).headers(postHeaders(V.sessions31, sessionCookie)),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody({ result: 'Successfully logged out' }))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { session: SESSION });
          expect(await client.logout()).toEqual({ result: 'Successfully logged out' });
        }),
      ));

  it('logout of a token that was already logged out', () =>
    given(pact.addInteraction(), STATES.adminToken, STATES.endedSession)
      .uponReceiving('logout of a logged-out tokenId with an admin bearer token')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'logout' })
          .headers(jsonPostHeaders(V.sessions4, bearer))
          .jsonBody({ tokenId: fromState('${tokenId}', SESSION) }),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody({ result: 'Token has expired' }))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { admin: true });
          expect(await client.logout(SESSION, { credentials: { admin: true } })).toEqual({
            result: 'Token has expired',
          });
        }),
      ));

  it('logoutByUser of the user’s own sessions, with their token in the cookie-named header', () =>
    given(pact.addInteraction(), STATES.threeSessions)
      .uponReceiving('logoutByUser of the caller themselves')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'logoutByUser' })
          .headers(jsonPostHeaders(V.logoutByUser, tokenHeader))
          .jsonBody({ username: fromState('${userId}', EXAMPLE_USER_ID) }),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody({ result: true }))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          expect(await client.logoutByUser(EXAMPLE_USER_ID, { credentials: { token: SESSION } })).toEqual({
            result: true,
          });
        }),
      ));

  it('terminateAllSessions: the how-to’s Part 3 call, its content type included', () =>
    given(pact.addInteraction(), STATES.threeSessions)
      .uponReceiving('logoutByUser as the single-logout script sends it')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'logoutByUser' })
          .headers(postHeaders(V.logoutByUser, { ...tokenHeader, 'Content-Type': 'application/json; charset=UTF-8' }))
          .jsonBody({ username: fromState('${userId}', EXAMPLE_USER_ID) }),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody({ result: true }))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          const result = await client.terminateAllSessions({ token: SESSION, userId: EXAMPLE_USER_ID });
          expect(result.outcome).toBe('Success');
        }),
      ));

  it('logoutByUser of anyone, as an administrator', () =>
    given(pact.addInteraction(), STATES.adminToken, STATES.threeSessions)
      .uponReceiving('logoutByUser with an admin bearer token')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'logoutByUser' })
          .headers(jsonPostHeaders(V.logoutByUser, bearer))
          .jsonBody({ username: fromState('${userId}', EXAMPLE_USER_ID) }),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody({ result: true }))
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { admin: true });
          expect(await client.logoutByUser(EXAMPLE_USER_ID, { credentials: { admin: true } })).toEqual({
            result: true,
          });
        }),
      ));

  it('logoutByHandle, as an administrator', () =>
    given(pact.addInteraction(), STATES.adminToken, STATES.threeSessions)
      .uponReceiving('logoutByHandle of one of the user’s sessions')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'logoutByHandle' })
          .headers(jsonPostHeaders(V.sessions4, bearer))
          .jsonBody({ sessionHandles: [fromState('${sessionHandle}', EXAMPLE_HANDLE)] }),
      )
      .willRespondWith(200, (builder) =>
        builder
          .headers(CREST_JSON)
          .jsonBody({ result: eachKeyMatches({ [EXAMPLE_HANDLE]: true }, regex(HANDLE_PATTERN, EXAMPLE_HANDLE)) }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { admin: true });
          expect(await client.logoutByHandle([EXAMPLE_HANDLE])).toEqual({ result: { [EXAMPLE_HANDLE]: true } });
        }),
      ));

  it('the query of a user’s sessions, as an administrator', () =>
    given(pact.addInteraction(), STATES.adminToken, STATES.threeSessions)
      .uponReceiving('a query of the user’s sessions in alpha')
      .withRequest('GET', `${ALPHA}/sessions`, (builder) =>
        builder
          .query({
            _queryFilter: fromState(
              'username eq "${userId}" and realm eq "/alpha"',
              `username eq "${EXAMPLE_USER_ID}" and realm eq "/alpha"`,
            ),
          })
          .headers({ 'Accept-API-Version': V.sessions4, ...bearer }),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(CREST_JSON).jsonBody({
          result: atLeastLike(
            {
              username: uuid(),
              universalId: universalId(),
              realm: '/alpha',
              sessionHandle: regex(HANDLE_PATTERN, EXAMPLE_HANDLE),
              latestAccessTime: regex(
                '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z$',
                '2024-01-15T07:42:42.544Z',
              ),
              maxIdleExpirationTime: isoSeconds(),
              maxSessionExpirationTime: isoSeconds(),
            },
            3,
          ),
          resultCount: integer(3),
          pagedResultsCookie: nullValue(),
          totalPagedResultsPolicy: 'NONE',
          totalPagedResults: -1,
          remainingPagedResults: -1,
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { admin: true });
          const sessions = await client.querySessions({ userId: EXAMPLE_USER_ID });
          expect(sessions.result).toHaveLength(3);
          expect(sessions.result[0]?.sessionHandle).toBe(EXAMPLE_HANDLE);
        }),
      ));

  it('getSessionProperties of the caller’s own session', () =>
    given(pact.addInteraction(), STATES.activeSession, STATES.loginLocationAllowed)
      .uponReceiving('getSessionProperties with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'getSessionProperties' }).headers(postHeaders(V.sessions31, sessionCookie)),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(CREST_JSON).jsonBody({ AMCtxId: amCtxId(), LoginLocation: '' }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { session: SESSION });
          expect(await client.getSessionProperties()).toMatchObject({ LoginLocation: '' });
        }),
      ));

  it('updateSessionProperties of the caller’s own session', () =>
    given(pact.addInteraction(), STATES.activeSession, STATES.loginLocationAllowed)
      .uponReceiving('updateSessionProperties of LoginLocation with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'updateSessionProperties' })
          .headers(jsonPostHeaders(V.sessions31, sessionCookie))
          .jsonBody({ LoginLocation: '40.748440, -73.984559' }),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(CREST_JSON).jsonBody({ AMCtxId: amCtxId(), LoginLocation: '40.748440, -73.984559' }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { session: SESSION });
          expect(await client.updateSessionProperties({ LoginLocation: '40.748440, -73.984559' })).toMatchObject({
            LoginLocation: '40.748440, -73.984559',
          });
        }),
      ));
});

describe('error answers', () => {
  it('no credentials at all: 401 Access Denied', () =>
    pact
      .addInteraction()
      .uponReceiving('getSessionInfo with no credentials and no tokenId')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'getSessionInfo' }).headers(postHeaders(V.sessions4)),
      )
      .willRespondWith(401, (builder) =>
        builder.headers(CREST_JSON).jsonBody(errorBody(401, 'Unauthorized', 'Access Denied')),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url);
          const error = await client
            .getSessionInfo(undefined, { credentials: { anonymous: true } })
            .catch((caught: unknown) => caught);
          expect((error as AmError).status).toBe(401);
          expect((error as AmError).amMessage).toBe('Access Denied');
        }),
      ));

  it('a user who queries sessions: 403 Forbidden', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('a query of sessions by a user without admin rights')
      .withRequest('GET', `${ALPHA}/sessions`, (builder) =>
        builder
          .query({
            _queryFilter: fromState(
              'username eq "${userId}" and realm eq "/alpha"',
              `username eq "${EXAMPLE_USER_ID}" and realm eq "/alpha"`,
            ),
          })
          .headers({ 'Accept-API-Version': V.sessions4, ...sessionCookie }),
      )
      .willRespondWith(403, (builder) =>
        builder.headers(CREST_JSON).jsonBody({ code: 403, reason: 'Forbidden', message: string('Forbidden') }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { session: SESSION });
          const error = await client
            .querySessions({ userId: EXAMPLE_USER_ID }, { credentials: { jar: true } })
            .catch((caught: unknown) => caught);
          expect((error as AmError).status).toBe(403);
        }),
      ));

  it('an API version the tenant does not serve: 404 with an empty body', () =>
    given(pact.addInteraction(), STATES.adminToken, STATES.activeSession)
      .uponReceiving('getSessionInfo at resource version 9.0')
      .withRequest('POST', SESSIONS, (builder) =>
        builder
          .query({ _action: 'getSessionInfo' })
          .headers(jsonPostHeaders('resource=9.0', bearer))
          .jsonBody({ tokenId: fromState('${tokenId}', SESSION) }),
      )
      .willRespondWith(404)
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { admin: true });
          const error = await client
            .getSessionInfo(SESSION, { credentials: { admin: true }, apiVersion: 'resource=9.0' })
            .catch((caught: unknown) => caught);
          expect((error as AmError).status).toBe(404);
        }),
      ));

  it('an action AM does not know: 501', () =>
    given(pact.addInteraction(), STATES.adminToken)
      .uponReceiving('an unknown sessions action with an admin bearer token')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'notAnAction' }).headers(postHeaders(V.sessions4, bearer)),
      )
      .willRespondWith(501, (builder) =>
        builder
          .headers(CREST_JSON)
          .jsonBody({ code: 501, reason: 'Not Implemented', message: string('Action notAnAction not implemented') }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { admin: true });
          const error = await client
            .sessionsActionByName('notAnAction', undefined, { credentials: { admin: true } })
            .catch((caught: unknown) => caught);
          expect((error as AmError).status).toBe(501);
        }),
      ));
});

describe('users', () => {
  it('idFromSession names the session’s user', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('idFromSession with the session cookie')
      .withRequest('POST', `${ALPHA}/users`, (builder) =>
        builder.query({ _action: 'idFromSession' }).headers(postHeaders('resource=2.0, protocol=1.0', sessionCookie)),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(CREST_JSON).jsonBody({
          id: uuid(),
          realm: '/alpha',
          dn: universalId(),
          successURL: string('/enduser/?realm=/alpha'),
          fullLoginURL: string('/am/XUI/?realm=%2Falpha'),
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { session: SESSION });
          expect((await client.idFromSession()).id).toBe(EXAMPLE_USER_ID);
        }),
      ));

  it('a user reads themselves', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('a read of the session’s own user')
      .withRequest('GET', fromState(`${ALPHA}/users/\${userId}`, `${ALPHA}/users/${EXAMPLE_USER_ID}`), (builder) =>
        builder.headers({ 'Accept-API-Version': 'resource=4.0, protocol=2.0', ...sessionCookie }),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(CREST_JSON).jsonBody({
          _id: uuid(),
          _rev: string('-1'),
          realm: '/alpha',
          username: string('demo'),
          'fr-idm-uuid': [uuid()],
          uid: [string('demo')],
          universalid: [universalId()],
          inetUserStatus: ['Active'],
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const client = await clientFor(server.url, { session: SESSION });
          const user = await client.getUser(EXAMPLE_USER_ID);
          expect(user._id).toBe(EXAMPLE_USER_ID);
        }),
      ));
});

describe('OAuth 2.0 and OpenID Connect', () => {
  const OAUTH2 = '/am/oauth2/realms/root/realms/alpha';
  /** The token endpoint's headers, success and error alike, as recorded on AIC. */
  const TOKEN_HEADERS = {
    'Content-Type': 'application/json;charset=UTF-8',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
  };
  /** The other endpoints' JSON: AIC's exact content type there is not recorded (a charset's name is case-insensitive). */
  const OAUTH_JSON = {
    'Content-Type': regex('^application/json(;\\s?charset=[Uu][Tt][Ff]-8)?$', 'application/json'),
  };
  const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const clientBasic = { Authorization: fromState('${clientAuthorization}', EXAMPLE_CLIENT_BASIC) };
  /** OAuth's error body, in AIC's key order (description first). */
  const oauthErrorBody = (error: string, description: string) => ({ error_description: string(description), error });

  const PKCE = createPkce('contract-code-verifier-0123456789-abcdefghijklmnop');
  const STATE = 'contract-state-1';
  const EXAMPLE_CODE = 'Xq3fj0R2cGk2hB2n5JbZqg1QeYk';
  const EXAMPLE_ACCESS_TOKEN =
    'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiMGYzMGRmYiIsInRva2VuTmFtZSI6ImFjY2Vzc190b2tlbiJ9.c2lnbmF0dXJl';
  const EXAMPLE_REFRESH_TOKEN =
    'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiMGYzMGRmYiIsInRva2VuTmFtZSI6InJlZnJlc2hfdG9rZW4ifQ.c2lnbmF0dXJl';
  const EXAMPLE_ID_TOKEN =
    'eyJ0eXAiOiJKV1QiLCJraWQiOiJob0tZU0FMdEM3NHlkOUg0K0tBdHhTbkZzcXc9IiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJiMGYzMGRmYiJ9.c2lnbmF0dXJl';
  const ISSUER = regex('^https?://.+/am/oauth2/alpha$', 'https://openam-example.forgeblocks.com:443/am/oauth2/alpha');
  const endpoint = (path: string) =>
    regex(
      `^https?://.+/${path.replace(/[.]/g, '\\.')}$`,
      `https://openam-example.forgeblocks.com/am/oauth2/realms/root/realms/alpha/${path}`,
    );
  const escaped = (uri: string) => uri.replace(/[.?/]/g, (ch) => `\\${ch}`);
  const REDIRECT = escaped(CONTRACT_REDIRECT_URI);

  const authorizeQuery = {
    client_id: CONTRACT_PUBLIC_CLIENT,
    response_type: 'code',
    redirect_uri: CONTRACT_REDIRECT_URI,
    scope: CONTRACT_SCOPE,
    state: regex('^[A-Za-z0-9_-]{16,}$', STATE),
    code_challenge: pkceChallenge(PKCE.codeChallenge),
    code_challenge_method: 'S256',
    prompt: 'none',
  };
  const publicOAuth = (client: Awaited<ReturnType<typeof clientFor>>) =>
    client.oauth2({ clientId: CONTRACT_PUBLIC_CLIENT, redirectUri: CONTRACT_REDIRECT_URI });
  const confidentialOAuth = (client: Awaited<ReturnType<typeof clientFor>>) =>
    client.oauth2({ clientId: 'contractConfidentialClient', clientSecret: 'example-secret' });

  it('discovery names the realm’s endpoints under AIC’s issuer', () =>
    pact
      .addInteraction()
      .uponReceiving('a request for the realm’s OpenID Connect discovery document')
      .withRequest('GET', `${OAUTH2}/.well-known/openid-configuration`)
      .willRespondWith(200, (builder) =>
        builder.headers(OAUTH_JSON).jsonBody({
          issuer: ISSUER,
          authorization_endpoint: endpoint('authorize'),
          token_endpoint: endpoint('access_token'),
          userinfo_endpoint: endpoint('userinfo'),
          introspection_endpoint: endpoint('introspect'),
          revocation_endpoint: endpoint('token/revoke'),
          end_session_endpoint: endpoint('connect/endSession'),
          jwks_uri: endpoint('connect/jwk_uri'),
          code_challenge_methods_supported: arrayContaining('S256'),
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const config = await publicOAuth(await clientFor(server.url)).discovery();
          expect(config.issuer).toMatch(/\/am\/oauth2\/alpha$/);
          expect(config.code_challenge_methods_supported).toContain('S256');
        }),
      ));

  it('authorize with the session cookie: the code comes back in the redirect’s Location, not followed', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('an authorize request with the session cookie, PKCE S256 and prompt=none')
      .withRequest('GET', `${OAUTH2}/authorize`, (builder) => builder.query(authorizeQuery).headers(sessionCookie))
      .willRespondWith(302, (builder) =>
        builder.headers({
          Location: regex(
            `^${REDIRECT}\\?(?:[^#]*&)?(?:code=[^&#]+&(?:[^#]*&)?state=${STATE}|state=${STATE}&(?:[^#]*&)?code=[^&#]+)(?:&[^#]*)?$`,
            `${CONTRACT_REDIRECT_URI}?code=${EXAMPLE_CODE}&iss=https%3A%2F%2Fopenam-example.forgeblocks.com%3A443%2Fam%2Foauth2%2Falpha&state=${STATE}&client_id=${CONTRACT_PUBLIC_CLIENT}`,
          ),
          'Cache-Control': 'no-store',
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const oauth = publicOAuth(await clientFor(server.url, { session: SESSION }));
          const code = await oauth.authorize({ scope: CONTRACT_SCOPE, state: STATE, pkce: PKCE });
          expect(code).toMatchObject({ code: EXAMPLE_CODE, state: STATE, codeVerifier: PKCE.codeVerifier });
        }),
      ));

  it('authorize with prompt=none and no session: interaction_required, by redirect', () =>
    pact
      .addInteraction()
      .uponReceiving('an authorize request with prompt=none and no session')
      .withRequest('GET', `${OAUTH2}/authorize`, (builder) => builder.query(authorizeQuery))
      .willRespondWith(302, (builder) =>
        builder.headers({
          Location: regex(
            `^${REDIRECT}\\?(?:[^#]*&)?error=interaction_required(?:&[^#]*)?$`,
            `${CONTRACT_REDIRECT_URI}?error_description=The+request+requires+some+interaction+that+is+not+allowed.&error=interaction_required&state=${STATE}`,
          ),
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const oauth = publicOAuth(await clientFor(server.url));
          const error = await oauth
            .authorize({ scope: CONTRACT_SCOPE, state: STATE, pkce: PKCE })
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(AmOAuth2Error);
          expect(error).toMatchObject({ status: 302, error: 'interaction_required', state: STATE });
        }),
      ));

  const tokenBody = {
    access_token: string(EXAMPLE_ACCESS_TOKEN),
    refresh_token: string(EXAMPLE_REFRESH_TOKEN),
    scope: string(CONTRACT_SCOPE),
    id_token: jwt(),
    token_type: 'Bearer',
    expires_in: integer(3599),
  };

  it('the code exchange, with the PKCE verifier: access, refresh and ID token', () =>
    given(pact.addInteraction(), STATES.authorizationCode)
      .uponReceiving('the code exchange of the public client with its PKCE verifier')
      .withRequest('POST', `${OAUTH2}/access_token`, (builder) =>
        formBody(builder.headers(FORM), {
          grant_type: 'authorization_code',
          code: fromState('${code}', EXAMPLE_CODE),
          redirect_uri: CONTRACT_REDIRECT_URI,
          code_verifier: fromState('${codeVerifier}', PKCE.codeVerifier),
          client_id: CONTRACT_PUBLIC_CLIENT,
        }),
      )
      .willRespondWith(200, (builder) => builder.headers(TOKEN_HEADERS).jsonBody(tokenBody))
      .executeTest(
        recorded(pact, async (server) => {
          const oauth = publicOAuth(await clientFor(server.url));
          const tokens = await oauth.exchangeCode({ code: EXAMPLE_CODE, codeVerifier: PKCE.codeVerifier });
          expect(tokens).toMatchObject({ access_token: EXAMPLE_ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3599 });
          expect(tokens.id_token).toEqual(expect.any(String));
        }),
      ));

  it('refresh: new tokens, a new refresh token among them', () =>
    given(pact.addInteraction(), STATES.oauth2Tokens)
      .uponReceiving('a refresh of the public client’s refresh token')
      .withRequest('POST', `${OAUTH2}/access_token`, (builder) =>
        formBody(builder.headers(FORM), {
          grant_type: 'refresh_token',
          refresh_token: fromState('${refreshToken}', EXAMPLE_REFRESH_TOKEN),
          client_id: CONTRACT_PUBLIC_CLIENT,
        }),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(TOKEN_HEADERS).jsonBody({
          access_token: string(EXAMPLE_ACCESS_TOKEN),
          refresh_token: string(EXAMPLE_REFRESH_TOKEN),
          scope: string(CONTRACT_SCOPE),
          token_type: 'Bearer',
          expires_in: integer(3599),
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const tokens = await publicOAuth(await clientFor(server.url)).refresh(EXAMPLE_REFRESH_TOKEN);
          expect(tokens.refresh_token).toBe(EXAMPLE_REFRESH_TOKEN);
        }),
      ));

  it('refresh with a token that is not one: invalid_grant', () =>
    pact
      .addInteraction()
      .uponReceiving('a refresh with a refresh token that is not one')
      .withRequest('POST', `${OAUTH2}/access_token`, (builder) =>
        formBody(builder.headers(FORM), {
          grant_type: 'refresh_token',
          refresh_token: 'not-a-refresh-token',
          client_id: CONTRACT_PUBLIC_CLIENT,
        }),
      )
      .willRespondWith(400, (builder) =>
        builder.headers(TOKEN_HEADERS).jsonBody(oauthErrorBody('invalid_grant', 'grant is invalid')),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const error = await publicOAuth(await clientFor(server.url))
            .refresh('not-a-refresh-token')
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(AmOAuth2Error);
          expect(error).toMatchObject({ status: 400, error: 'invalid_grant', error_description: 'grant is invalid' });
        }),
      ));

  it('client credentials with HTTP Basic: a token for the client itself', () =>
    given(pact.addInteraction(), STATES.confidentialClient)
      .uponReceiving('a client credentials grant with HTTP Basic client authentication')
      .withRequest('POST', `${OAUTH2}/access_token`, (builder) =>
        formBody(builder.headers({ ...FORM, ...clientBasic }), { grant_type: 'client_credentials' }),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(TOKEN_HEADERS).jsonBody({
          access_token: string(EXAMPLE_ACCESS_TOKEN),
          scope: string('am-introspect-all-tokens'),
          token_type: 'Bearer',
          expires_in: integer(3599),
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const tokens = await confidentialOAuth(await clientFor(server.url)).clientCredentials();
          expect(tokens).toMatchObject({ access_token: EXAMPLE_ACCESS_TOKEN, token_type: 'Bearer' });
        }),
      ));

  it('client credentials with a wrong secret: 401 invalid_client with a Basic challenge', () =>
    given(pact.addInteraction(), STATES.confidentialClient)
      .uponReceiving('a client credentials grant with a wrong client secret in HTTP Basic')
      .withRequest('POST', `${OAUTH2}/access_token`, (builder) =>
        formBody(
          builder.headers({
            ...FORM,
            Authorization: fromState('${wrongClientAuthorization}', EXAMPLE_CLIENT_BASIC),
          }),
          { grant_type: 'client_credentials' },
        ),
      )
      .willRespondWith(401, (builder) =>
        builder
          .headers({ ...TOKEN_HEADERS, 'WWW-Authenticate': regex('^Basic realm="[^"]*"$', 'Basic realm="/alpha"') })
          .jsonBody(oauthErrorBody('invalid_client', 'Client authentication failed')),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const error = await confidentialOAuth(await clientFor(server.url))
            .clientCredentials()
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(AmOAuth2Error);
          expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
        }),
      ));

  it('introspect, by a client with am-introspect-all-tokens: another client’s live token', () =>
    given(pact.addInteraction(), STATES.confidentialClient, STATES.oauth2Tokens)
      .uponReceiving('an introspection of the public client’s access token by the confidential client')
      .withRequest('POST', `${OAUTH2}/introspect`, (builder) =>
        formBody(builder.headers({ ...FORM, ...clientBasic }), {
          token: fromState('${accessToken}', EXAMPLE_ACCESS_TOKEN),
        }),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(OAUTH_JSON).jsonBody({
          active: true,
          scope: string(CONTRACT_SCOPE),
          client_id: CONTRACT_PUBLIC_CLIENT,
          user_id: string(EXAMPLE_USER_ID),
          token_type: string('Bearer'),
          exp: integer(1736690965),
          sub: uuid(),
          iss: ISSUER,
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const introspection = await confidentialOAuth(await clientFor(server.url)).introspect(EXAMPLE_ACCESS_TOKEN);
          expect(introspection).toMatchObject({
            active: true,
            client_id: CONTRACT_PUBLIC_CLIENT,
            sub: EXAMPLE_USER_ID,
          });
        }),
      ));

  it('introspect of a token that is not one: active false', () =>
    given(pact.addInteraction(), STATES.confidentialClient)
      .uponReceiving('an introspection of a token that is not one')
      .withRequest('POST', `${OAUTH2}/introspect`, (builder) =>
        formBody(builder.headers({ ...FORM, ...clientBasic }), { token: 'not-a-token' }),
      )
      .willRespondWith(200, (builder) => builder.headers(OAUTH_JSON).jsonBody({ active: false }))
      .executeTest(
        recorded(pact, async (server) => {
          expect(await confidentialOAuth(await clientFor(server.url)).introspect('not-a-token')).toEqual({
            active: false,
          });
        }),
      ));

  it('revoke of the public client’s refresh token: 200 {}', () =>
    given(pact.addInteraction(), STATES.oauth2Tokens)
      .uponReceiving('a revocation of the public client’s refresh token')
      .withRequest('POST', `${OAUTH2}/token/revoke`, (builder) =>
        formBody(builder.headers(FORM), {
          token: fromState('${refreshToken}', EXAMPLE_REFRESH_TOKEN),
          client_id: CONTRACT_PUBLIC_CLIENT,
        }),
      )
      .willRespondWith(200, (builder) => builder.headers(OAUTH_JSON).jsonBody({}))
      .executeTest(
        recorded(pact, async (server) => {
          await expect(publicOAuth(await clientFor(server.url)).revoke(EXAMPLE_REFRESH_TOKEN)).resolves.toBeUndefined();
        }),
      ));

  it('userinfo with the access token as a bearer: the user’s claims', () =>
    given(pact.addInteraction(), STATES.oauth2Tokens)
      .uponReceiving('a userinfo request with the public client’s access token')
      .withRequest('GET', `${OAUTH2}/userinfo`, (builder) =>
        builder.headers({ Authorization: fromState('Bearer ${accessToken}', `Bearer ${EXAMPLE_ACCESS_TOKEN}`) }),
      )
      .willRespondWith(200, (builder) => builder.headers(OAUTH_JSON).jsonBody({ sub: uuid(), subname: uuid() }))
      .executeTest(
        recorded(pact, async (server) => {
          const info = await publicOAuth(await clientFor(server.url)).userInfo(EXAMPLE_ACCESS_TOKEN);
          expect(info.sub).toBe(EXAMPLE_USER_ID);
        }),
      ));

  it('endSession with the ID token: 204', () =>
    given(pact.addInteraction(), STATES.oauth2Tokens)
      .uponReceiving('an endSession with the ID token as id_token_hint')
      .withRequest('GET', `${OAUTH2}/connect/endSession`, (builder) =>
        builder.query({ id_token_hint: fromState('${idToken}', EXAMPLE_ID_TOKEN) }),
      )
      .willRespondWith(204)
      .executeTest(
        recorded(pact, async (server) => {
          expect(await publicOAuth(await clientFor(server.url)).endSession({ idTokenHint: EXAMPLE_ID_TOKEN })).toEqual({
            status: 204,
            location: undefined,
          });
        }),
      ));

  it('endSession with a registered post_logout_redirect_uri and a state: the 302 there, not followed', () =>
    given(pact.addInteraction(), STATES.oauth2Tokens)
      .uponReceiving('an endSession with a post_logout_redirect_uri and a state')
      .withRequest('GET', `${OAUTH2}/connect/endSession`, (builder) =>
        builder.query({
          id_token_hint: fromState('${idToken}', EXAMPLE_ID_TOKEN),
          post_logout_redirect_uri: CONTRACT_POST_LOGOUT_URI,
          state: 'contract-logout-state',
        }),
      )
      .willRespondWith(302, (builder) =>
        builder.headers({
          Location: regex(
            `^${escaped(CONTRACT_POST_LOGOUT_URI)}\\?(?:[^#]*&)?state=contract-logout-state(?:&[^#]*)?$`,
            `${CONTRACT_POST_LOGOUT_URI}?state=contract-logout-state`,
          ),
        }),
      )
      .executeTest(
        recorded(pact, async (server) => {
          const result = await publicOAuth(await clientFor(server.url)).endSession({
            idTokenHint: EXAMPLE_ID_TOKEN,
            postLogoutRedirectUri: CONTRACT_POST_LOGOUT_URI,
            state: 'contract-logout-state',
          });
          expect(result).toEqual({ status: 302, location: `${CONTRACT_POST_LOGOUT_URI}?state=contract-logout-state` });
        }),
      ));
});
