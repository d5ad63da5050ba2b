/**
 * The journey engine: runs imported journeys for `/authenticate` (AM's AuthTreeExecutor; PingOne
 * AIC docs, "Log in over REST"). A journey starts with an empty body; each step that needs the user
 * answers with an authId and callbacks; the client posts the step back with the callbacks answered;
 * the journey ends at Success (a session) or Failure (401, with `detail.failureUrl` when set).
 */
import { JourneyError } from './journey-error.js';
import { isoMillis } from '../core/clock.js';
import type { JourneyRegistry } from '../state/journeys/registry.js';
import type { RunHistory } from '../state/journeys/runs.js';
import type { Realm } from '../state/realms.js';
import type { User } from '../state/user-directory.js';
import type { AuthRequest, AuthResult, Authenticator, Credentials, StartInput } from './authenticator.js';
import { AuthIdSigner } from './auth-id.js';
import {
  CallbackMismatch,
  Callbacks,
  readSubmitted,
  renderCallbacks,
  type CallbackSpec,
  type SubmittedCallback,
} from '../state/journeys/callbacks.js';
import { executeTree, type ExecutorServices, type TreeResult } from './executor.js';
import {
  digestAuthId,
  MemoryJourneySessionStore,
  newJourneySessionId,
  newOtk,
  type JourneyOptions,
  type JourneySession,
  type JourneySessionStore,
} from '../state/journeys/journey-sessions.js';
import { blockingProblems, lintJourney, type LintEnvironment } from './lint.js';
import type { JourneyProblem } from '../state/journeys/model.js';
import type { JourneyRequest, SuspendResult } from './nodes/node.js';
import { clientIpOf, issuePersistentCookie } from './nodes/persistent-cookie-nodes.js';
import type { RunRecorder } from '../state/journeys/runs.js';
import { newTreeState, type TreeState } from '../state/journeys/tree-state.js';
import { StoreUnavailableError } from '../core/store-unavailable.js';

export const DEFAULT_JOURNEY = 'Login';

/** The id of a run that is kept (runHistorySize above 0), for a failure's answer to name. */
const runOf = (run: RunRecorder): { runId?: string } => (run.recording ? { runId: run.record.id } : {});

/** The longest goto / gotoOnFail followed (AM's MAX_URL_LENGTH). */
const MAX_REDIRECT_CHARS = 2000;

/** Callbacks zero-page headers may answer: the login's username and password. */
const NAME_CALLBACKS = new Set(['NameCallback', 'ValidatedCreateUsernameCallback']);
const PASSWORD_CALLBACKS = new Set(['PasswordCallback', 'ValidatedCreatePasswordCallback']);

/** What the engine uses of the tenant (the Tenant satisfies it): what the executor uses, and more. */
export interface EngineServices extends ExecutorServices {
  readonly journeys: JourneyRegistry;
  readonly runs: RunHistory;
  hosts(): string[];
  readonly log: { warn(details: object, message: string): void };
  readonly lintEnvironment: LintEnvironment;
}

export class JourneyEngine implements Authenticator {
  readonly sessions: JourneySessionStore;
  private readonly signer: AuthIdSigner;

  constructor(
    private readonly tenant: EngineServices,
    // A shared store and secret let another instance continue a journey this one began.
    options: { authIdSecret?: string | undefined; sessions?: JourneySessionStore | undefined } = {},
  ) {
    this.sessions = options.sessions ?? new MemoryJourneySessionStore(() => tenant.clock.now());
    this.signer = new AuthIdSigner(options.authIdSecret);
  }

  hasJourney(realm: Realm, journey: string): boolean {
    const tree = this.tenant.journeys.tree(realm.path, journey);
    return tree !== undefined && tree.enabled;
  }

  /** Why a journey cannot run (its blocking lint findings), worked out once per version of the journeys. */
  private readonly blocking = new Map<string, { version: number; problems: JourneyProblem[] }>();
  private blockingProblemsOf(realmPath: string, journey: string): JourneyProblem[] {
    const key = `${realmPath}\u0000${journey}`;
    const { version } = this.tenant.journeys;
    const cached = this.blocking.get(key);
    if (cached && cached.version === version) return cached.problems;
    const problems = blockingProblems(
      lintJourney(this.tenant.journeys.of(realmPath), journey, new Set(), this.tenant.lintEnvironment),
    );
    if (this.blocking.size > 1000) this.blocking.clear();
    this.blocking.set(key, { version, problems });
    return problems;
  }

  defaultJourney(realm: Realm): string {
    return realm.defaultJourney ?? DEFAULT_JOURNEY;
  }

  async start(input: StartInput): Promise<AuthResult> {
    const { realm, journey, request } = input;
    const errors = this.blockingProblemsOf(realm.path, journey);
    if (errors.length > 0) {
      throw new JourneyError(
        'cannot-run',
        `The emulator cannot run journey "${journey}": ${errors.map((problem) => problem.message).join('; ')}`,
      );
    }
    const existing =
      request.existingSession && request.existingSession.realm === realm.path ? request.existingSession : undefined;
    if (existing && !input.forceAuth && existing.service === journey) {
      // Already signed in through this journey: AM answers with the same session (OpenAM does; for AIC
      // it is the emulator's choice, docs/fidelity.md "Journeys").
      return {
        kind: 'existing',
        session: existing,
        successUrl: this.successUrl(realm, undefined, input.goto, request),
      };
    }
    const state = newTreeState({ realm: realm.path });
    if (existing && !input.forceAuth) {
      // A journey started while signed in knows who the user is (docs/fidelity.md): what the
      // how-to's Identify Existing User relies on.
      const user = this.tenant.users.get(existing.userId);
      if (user) {
        state.shared['username'] = user.userName;
        // AM's TreeContext.universalId: the IDM nodes find the user by it when state names them
        // otherwise (a Get Session Data node puts the session's UserToken, the user's _id, there).
        state.identifiedUserId = user._id;
      }
    }
    const run = this.tenant.runs.start(journey, realm.path, this.tenant.journeys.journeyVersion(realm.path, journey));
    this.identifyRun(run, realm, state);
    const options: JourneyOptions = {
      noSession: input.noSession,
      forceAuth: input.forceAuth,
      goto: input.goto,
      gotoOnFail: input.gotoOnFail,
      existingSessionToken: existing?.tokenId,
    };
    const session: JourneySession = {
      id: newJourneySessionId(),
      realm: realm.path,
      journey,
      // Drawn with each step's authId (step, below): a journey that ends in one request, as a
      // zero-page login does, never needs one.
      otk: '',
      state,
      pending: [],
      authIdDigest: '',
      expiresAt: 0,
      steps: 0,
      runId: run.record.id,
      options,
    };
    return this.step(session, realm, request, [], run, input.credentials);
  }

  async resume(realm: Realm, body: Record<string, unknown>, request: AuthRequest): Promise<AuthResult> {
    const now = this.tenant.clock.now();
    const authId = body['authId'] as string;
    const check = await this.signer.verify(authId, now);
    if (!check.ok && check.reason === 'invalid')
      throw new JourneyError('invalid-auth-id', 'AuthId JWT Signature not valid');
    // Expired, finished or replayed: the journey session has timed out (platform-ui restarts on errorCode 110).
    const timedOut = () => new JourneyError('timed-out', 'Session has timed out');
    if (!check.ok || check.claims.realm !== realm.path) throw timedOut();
    const digest = digestAuthId(authId);
    const waiting = await this.sessions.get(check.claims.sessionId);
    if (!waiting || waiting.authIdDigest !== digest || waiting.realm !== realm.path) throw timedOut();
    let submitted: SubmittedCallback[];
    try {
      submitted = readSubmitted(waiting.pending, body['callbacks']);
    } catch (error) {
      // The step stays answerable: nothing was claimed.
      if (error instanceof CallbackMismatch) throw new JourneyError('invalid-callbacks', error.message);
      throw error;
    }
    // Only now is the step taken, and only once: the same step posted again meanwhile (on any
    // instance) finds it claimed and is refused as a replay.
    const session = await this.sessions.claim(waiting.id, digest);
    if (!session) throw timedOut();
    const run =
      this.tenant.runs.resume(session.runId) ??
      this.tenant.runs.start(
        session.journey,
        realm.path,
        this.tenant.journeys.journeyVersion(realm.path, session.journey),
      );
    return this.step(session, realm, request, submitted, run, undefined);
  }

  /**
   * `authenticate?suspendedId=<id>`: the journey a node suspended goes on from that node, once
   * (the link is single use), in the realm it was suspended in, within its suspension time. An
   * unknown, used or expired id is a plain login failure, as AM answers it.
   */
  async resumeSuspended(realm: Realm, suspendedId: string, request: AuthRequest): Promise<AuthResult> {
    if (!SUSPENDED_ID.test(suspendedId)) return { kind: 'failure' };
    const waiting = await this.sessions.get(suspendedId);
    if (!waiting || waiting.realm !== realm.path || waiting.state.suspended !== true) return { kind: 'failure' };
    // Claimed before it runs: the same link followed twice at once (on any instance) resumes once.
    const session = await this.sessions.claim(suspendedId, digestAuthId(suspendedId));
    if (!session) return { kind: 'failure' };
    const run =
      this.tenant.runs.resume(session.runId) ??
      this.tenant.runs.start(
        session.journey,
        realm.path,
        this.tenant.journeys.journeyVersion(realm.path, session.journey),
      );
    run.record.status = 'in-progress';
    return this.step(session, realm, request, [], run, undefined);
  }

  /**
   * A node suspended the journey: it waits under a new id, the `suspendedId` of the URI that
   * resumes it (handed to the node, which mails it), for the node's suspend duration or the
   * realm's; the client is shown the node's message.
   */
  private async suspend(
    session: JourneySession,
    realm: Realm,
    request: AuthRequest,
    result: SuspendResult,
    run: RunRecorder,
  ): Promise<AuthResult> {
    const now = this.tenant.clock.now();
    const suspendedId = newJourneySessionId();
    const minutes = Math.min(result.durationMinutes ?? Infinity, realm.suspendedAuthenticationTimeout);
    await this.sessions.delete(session.id);
    await this.sessions.put({
      ...session,
      id: suspendedId,
      pending: [],
      // Only the suspendedId resumes it: no authId digests to this.
      authIdDigest: digestAuthId(suspendedId),
      expiresAt: now + minutes * 60_000,
      steps: session.steps + 1,
    });
    run.record.status = 'suspended';
    run.touch();
    await result.onSuspend(resumeUri(request.origin, realm, session.journey, suspendedId));
    // An authId for the step, as AM answers one; posting it back finds no journey to go on with.
    const authId = await this.signer.sign(
      {
        authIndexValue: session.journey,
        otk: newOtk(),
        authIndexType: 'service',
        realm: realm.path,
        sessionId: suspendedId,
      },
      now,
    );
    return {
      kind: 'callbacks',
      step: { authId, callbacks: renderCallbacks([Callbacks.suspendedTextOutput(0, result.message)]) },
    };
  }

  /** Runs the journey from where it stands with the answers given, and shapes the outcome. */
  private async step(
    session: JourneySession,
    realm: Realm,
    request: AuthRequest,
    submitted: SubmittedCallback[],
    run: RunRecorder,
    credentials: Credentials | undefined,
  ): Promise<AuthResult> {
    run.record.steps += 1;
    run.touch();
    const journeyRequest: JourneyRequest = {
      headers: request.headers,
      query: request.query,
      hostname: request.hostname,
      existingSession: request.existingSession,
      zeroPage: credentials,
    };
    const execution = {
      tenant: this.tenant,
      realm,
      journeys: this.tenant.journeys.of(realm.path),
      request: journeyRequest,
      run,
    };
    let result: TreeResult;
    try {
      result = await executeTree(execution, session.journey, session.state, submitted);
      // Zero-page login: headers answer a first step that asks only for the username and password.
      if (result.kind === 'callbacks' && credentials && fillable(result.callbacks)) {
        result = await executeTree(
          execution,
          session.journey,
          session.state,
          fillCredentials(result.callbacks, credentials),
        );
      }
    } catch (error) {
      this.identifyRun(run, realm, session.state);
      run.decided();
      if (error instanceof StoreUnavailableError) {
        // Not the journey's error: the tenant's store is away. The run says so; the request is
        // answered as AM answers an unavailable session store (http/error-reply.ts).
        run.record.status = 'error';
        run.record.error = error.message;
        run.touch();
        throw error;
      }
      await this.sessions.delete(session.id);
      run.record.status = 'error';
      run.record.error = error instanceof Error ? error.message : String(error);
      run.touch();
      this.tenant.log.warn({ journey: session.journey, error: run.record.error }, 'journey ended with an error');
      return { kind: 'failure', ...runOf(run) };
    }
    run.touch();
    this.identifyRun(run, realm, session.state);
    if (result.kind === 'suspend') return this.suspend(session, realm, request, result, run);
    if (result.kind === 'callbacks') {
      // A new otk for each step, as AM's (AuthIdHelper): no two steps share an authId, even
      // within the same second, so only this step's authId continues the journey.
      session.otk = newOtk();
      const authId = await this.signer.sign(
        {
          authIndexValue: session.journey,
          otk: session.otk,
          authIndexType: 'service',
          realm: realm.path,
          sessionId: session.id,
        },
        this.tenant.clock.now(),
      );
      session.pending = result.callbacks;
      session.authIdDigest = digestAuthId(authId);
      session.expiresAt = this.tenant.clock.now() + 15 * 60_000;
      session.steps += 1;
      await this.sessions.put(session);
      const step: Record<string, unknown> = { authId, callbacks: renderCallbacks(result.callbacks) };
      if (result.header) step['header'] = result.header;
      if (result.description) step['description'] = result.description;
      if (result.stage) step['stage'] = result.stage;
      return { kind: 'callbacks', step };
    }
    await this.sessions.delete(session.id);
    run.decided();
    const shared = session.state.shared;
    if (!result.success) {
      run.record.status = 'failure';
      const failureUrl = nonEmpty(shared['failureUrl']) ?? this.allowedRedirect(session.options.gotoOnFail, request);
      return failureUrl ? { kind: 'failure', failureUrl, ...runOf(run) } : { kind: 'failure', ...runOf(run) };
    }
    const user = this.identifiedUser(realm, session.state);
    if (!user) {
      run.record.status = 'error';
      run.record.error = 'the journey reached Success without identifying a user';
      return { kind: 'failure', ...runOf(run) };
    }
    run.record.status = 'success';
    // The user signed in is the run's, whoever a node named before.
    run.record.user = { _id: user._id, userName: user.userName };
    const cookieSpec = session.state.persistentCookie;
    const key = this.tenant.persistentCookieKey;
    const cookies =
      cookieSpec && key && !session.options.noSession
        ? [
            await issuePersistentCookie(
              key,
              cookieSpec,
              {
                realm: realm.path,
                universalId: this.tenant.users.universalId(user),
                service: session.journey,
                clientIp: clientIpOf(request),
              },
              this.tenant.clock.now(),
            ),
          ]
        : [];
    return {
      kind: 'success',
      user,
      journey: session.journey,
      successUrl: this.successUrl(realm, nonEmpty(shared['successUrl']), session.options.goto, request),
      noSession: session.options.noSession,
      properties: session.state.sessionProperties,
      ...(session.state.maxIdleMinutes !== undefined ? { maxIdleMinutes: session.state.maxIdleMinutes } : {}),
      ...(session.state.maxSessionMinutes !== undefined ? { maxSessionMinutes: session.state.maxSessionMinutes } : {}),
      ...(session.options.existingSessionToken ? { replaces: session.options.existingSessionToken } : {}),
      ...(cookies.length > 0 ? { cookies } : {}),
    };
  }

  /**
   * Whose run it is, as soon as the journey knows (issue 21): the user a node identified or the
   * journey began signed in as, else an existing user named by shared `username`.
   */
  private identifyRun(run: RunRecorder, realm: Realm, state: TreeState): void {
    if (run.record.user !== undefined || !run.recording) return;
    const user = this.identifiedUser(realm, state);
    if (user) run.identify(user);
  }

  /** The user a successful journey signs in: the one a node identified, else shared `username`. */
  private identifiedUser(realm: Realm, state: TreeState): User | undefined {
    const { users } = this.tenant;
    if (state.identifiedUserId) {
      const user = users.getInRealm(realm.path, state.identifiedUserId);
      if (user) return user;
    }
    const username = state.shared['username'];
    return typeof username === 'string' ? users.findByUserName(realm.path, username) : undefined;
  }

  private successUrl(
    realm: Realm,
    fromState: string | undefined,
    goto: string | undefined,
    request: AuthRequest,
  ): string {
    return fromState ?? this.allowedRedirect(goto, request) ?? realm.successUrl;
  }

  /**
   * `goto` / `gotoOnFail` are honoured only for the tenant's own URLs (AM's validation service
   * allows `https://<fqdn>/*?*` by default): a relative path or an absolute URL on one of its hosts.
   */
  private allowedRedirect(url: string | undefined, request: AuthRequest): string | undefined {
    // A backslash or a control character is no URI to AM (java.net.URI refuses it), and browsers
    // read `/\host` or `/<tab>/host` as `//host`, another site. AM bounds a URL's length too.
    if (!url || url.length > MAX_REDIRECT_CHARS || /[\\\u0000-\u001f\u007f]/.test(url)) return undefined;
    if (url.startsWith('/') && !url.startsWith('//')) return url;
    try {
      const parsed = new URL(url);
      const hosts = new Set([...this.tenant.hosts(), request.hostname.toLowerCase()]);
      return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && hosts.has(parsed.hostname.toLowerCase())
        ? url
        : undefined;
    } catch {
      return undefined;
    }
  }
}

/** A suspendedId as the emulator makes them (27 URL-safe characters, as AM's samples show). */
const SUSPENDED_ID = /^[A-Za-z0-9_-]{20,64}$/;

/**
 * The URI that resumes a suspended journey: the tenant's login page with the realm, the journey
 * and the suspendedId (AIC's resumeURI; its base is the Base URL the client used).
 */
function resumeUri(origin: string, realm: Realm, journey: string, suspendedId: string): string {
  const query = new URLSearchParams({ authIndexType: 'service', authIndexValue: journey, suspendedId });
  return `${origin}/am/XUI/?realm=${encodeURI(realm.path)}&${query.toString()}`;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fillable(callbacks: readonly CallbackSpec[]): boolean {
  return (
    callbacks.length > 0 &&
    callbacks.every((callback) => NAME_CALLBACKS.has(callback.type) || PASSWORD_CALLBACKS.has(callback.type))
  );
}

function fillCredentials(callbacks: readonly CallbackSpec[], credentials: Credentials): SubmittedCallback[] {
  return callbacks.map((callback) => ({
    type: callback.type,
    output: callback.output,
    values: new Map<string, unknown>([
      ...callback.inputs.map((input) => [input.suffix, input.value] as [string, unknown]),
      ['', NAME_CALLBACKS.has(callback.type) ? credentials.username : credentials.password],
    ]),
  }));
}

export { isoMillis };
