/**
 * Consumer contracts: what AmClient sends for each call, and what it relies on in AM's answer.
 * Every expectation comes from a public source (contracts/README.md maps each interaction to the
 * AIC docs, AM source or recorded AIC traffic behind it); values that differ per tenant or per run are matched by their format, and those the
 * provider must set up (tokens, ids, the admin token, credentials) come from provider states.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { MatchersV3, type PactV4 } from '@pact-foundation/pact';
import { AmError, JourneyStep } from '../../client/index.js';
import {
  CONTRACT_COOKIE_NAME,
  EXAMPLE_HANDLE,
  EXAMPLE_TOKEN,
  EXAMPLE_USER_ID,
  HANDLE_PATTERN,
  amCtxId,
  authId,
  fromState,
  isoSeconds,
  token,
  universalId,
  uuid,
} from './matchers.js';
import { EXAMPLE_ADMIN_TOKEN, SESSION, clientFor, newPact, writesCommittedPact } from './pact-setup.js';
import { expectNoDrift } from './drift.js';
import { STATES } from '../provider/states.js';

const { like, string, integer, boolean, regex, atLeastLike, eachKeyMatches, nullValue } = MatchersV3;

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url);
        const info = await client.serverInfo();
        expect(info.cookieName).toBe(CONTRACT_COOKIE_NAME);
        expect(info.realm).toBe('/alpha');
      }));
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
      .executeTest(async (server) => {
        const client = await clientFor(server.url);
        const success = await client.login({ username: 'demo', password: DEMO_PASSWORD });
        expect(success.tokenId).toBe(EXAMPLE_TOKEN);
        expect(success.realm).toBe('/alpha');
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url);
        const error = await client
          .login({ username: 'demo', password: 'not-the-password' })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(AmError);
        expect((error as AmError).status).toBe(401);
        expect((error as AmError).message).toBe('Login failure');
        expect((error as AmError).detail).toBeUndefined();
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url);
        const error = await client
          .login({ username: 'demo', password: 'not-the-password', query: { gotoOnFail: '/login-failed' } })
          .catch((caught: unknown) => caught);
        expect((error as AmError).detail).toEqual({ failureUrl: '/login-failed' });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url);
        const error = await client.startJourney('NoSuchJourney').catch((caught: unknown) => caught);
        expect((error as AmError).status).toBe(400);
        expect((error as AmError).message).toBe('No Configuration found');
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url);
        const step = await client.startJourney('Login');
        if (step.type !== 'step') throw new Error('expected a step');
        expect(step.callbacks.map((callback) => callback.type)).toEqual(['NameCallback', 'PasswordCallback']);
      }));

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
      .executeTest(async (server) => {
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
      }));
});

describe('sessions', () => {
  it('getSessionInfo of the caller’s own session (the jar’s cookie)', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('getSessionInfo with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'getSessionInfo' }).headers(postHeaders(V.sessions4, sessionCookie)),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody(sessionInfo))
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { session: SESSION });
        const info = await client.getSessionInfo();
        expect(info).toMatchObject({ username: EXAMPLE_USER_ID, realm: '/alpha' });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { admin: true });
        const info = await client.getSessionInfo(SESSION, { credentials: { admin: true } });
        expect(info).toMatchObject({ realm: '/alpha' });
      }));

  it('getSessionInfoAndResetIdleTime of the caller’s own session', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('getSessionInfoAndResetIdleTime with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'getSessionInfoAndResetIdleTime' }).headers(postHeaders(V.sessions4, sessionCookie)),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody(sessionInfo))
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { session: SESSION });
        expect(await client.getSessionInfoAndResetIdleTime()).toMatchObject({ realm: '/alpha' });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { session: SESSION });
        expect(await client.validate()).toMatchObject({ valid: true, uid: EXAMPLE_USER_ID });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { admin: true });
        expect(await client.validate(SESSION, { credentials: { admin: true } })).toEqual({ valid: false });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { admin: true });
        expect(await client.refresh(SESSION)).toMatchObject({ realm: '/alpha', maxidletime: 30 });
      }));

  it('logout of the caller’s own session', () =>
    given(pact.addInteraction(), STATES.activeSession)
      .uponReceiving('logout with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'logout' }).headers(postHeaders(V.sessions31, sessionCookie)),
      )
      .willRespondWith(200, (builder) => builder.headers(CREST_JSON).jsonBody({ result: 'Successfully logged out' }))
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { session: SESSION });
        expect(await client.logout()).toEqual({ result: 'Successfully logged out' });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { admin: true });
        expect(await client.logout(SESSION, { credentials: { admin: true } })).toEqual({ result: 'Token has expired' });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url);
        expect(await client.logoutByUser(EXAMPLE_USER_ID, { credentials: { token: SESSION } })).toEqual({
          result: true,
        });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url);
        const result = await client.terminateAllSessions({ token: SESSION, userId: EXAMPLE_USER_ID });
        expect(result.outcome).toBe('Success');
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { admin: true });
        expect(await client.logoutByUser(EXAMPLE_USER_ID, { credentials: { admin: true } })).toEqual({ result: true });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { admin: true });
        expect(await client.logoutByHandle([EXAMPLE_HANDLE])).toEqual({ result: { [EXAMPLE_HANDLE]: true } });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { admin: true });
        const sessions = await client.querySessions({ userId: EXAMPLE_USER_ID });
        expect(sessions.result).toHaveLength(3);
        expect(sessions.result[0]?.sessionHandle).toBe(EXAMPLE_HANDLE);
      }));

  it('getSessionProperties of the caller’s own session', () =>
    given(pact.addInteraction(), STATES.activeSession, STATES.loginLocationAllowed)
      .uponReceiving('getSessionProperties with the session cookie')
      .withRequest('POST', SESSIONS, (builder) =>
        builder.query({ _action: 'getSessionProperties' }).headers(postHeaders(V.sessions31, sessionCookie)),
      )
      .willRespondWith(200, (builder) =>
        builder.headers(CREST_JSON).jsonBody({ AMCtxId: amCtxId(), LoginLocation: '' }),
      )
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { session: SESSION });
        expect(await client.getSessionProperties()).toMatchObject({ LoginLocation: '' });
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { session: SESSION });
        expect(await client.updateSessionProperties({ LoginLocation: '40.748440, -73.984559' })).toMatchObject({
          LoginLocation: '40.748440, -73.984559',
        });
      }));
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
      .executeTest(async (server) => {
        const client = await clientFor(server.url);
        const error = await client
          .getSessionInfo(undefined, { credentials: { anonymous: true } })
          .catch((caught: unknown) => caught);
        expect((error as AmError).status).toBe(401);
        expect((error as AmError).message).toBe('Access Denied');
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { session: SESSION });
        const error = await client
          .querySessions({ userId: EXAMPLE_USER_ID }, { credentials: { jar: true } })
          .catch((caught: unknown) => caught);
        expect((error as AmError).status).toBe(403);
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { admin: true });
        const error = await client
          .getSessionInfo(SESSION, { credentials: { admin: true }, apiVersion: 'resource=9.0' })
          .catch((caught: unknown) => caught);
        expect((error as AmError).status).toBe(404);
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { admin: true });
        const error = await client
          .sessionsActionByName('notAnAction', undefined, { credentials: { admin: true } })
          .catch((caught: unknown) => caught);
        expect((error as AmError).status).toBe(501);
      }));
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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { session: SESSION });
        expect((await client.idFromSession()).id).toBe(EXAMPLE_USER_ID);
      }));

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
      .executeTest(async (server) => {
        const client = await clientFor(server.url, { session: SESSION });
        const user = await client.getUser(EXAMPLE_USER_ID);
        expect(user._id).toBe(EXAMPLE_USER_ID);
      }));
});
