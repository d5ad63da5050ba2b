/**
 * The seam between `/authenticate` and what runs journeys. The route speaks AM's wire (versions,
 * cookies, session creation, error bodies); an Authenticator decides, for a realm and a journey,
 * whether the user is in, out, or must answer callbacks.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { User } from '../state/user-directory.js';
import type { Realm } from '../state/realms.js';
import type { Session } from '../state/sessions/session.js';

export interface Credentials {
  username: string;
  password: string;
}

/** What a journey sees of the `/authenticate` request (the same on every step). */
export interface AuthRequest {
  readonly headers: IncomingHttpHeaders;
  readonly query: URLSearchParams;
  readonly hostname: string;
  /** `http://localhost:8080`: the scheme and host the client used (links the journey sends name it). */
  readonly origin: string;
  /** The caller's live session, when the request carried one. */
  readonly existingSession: Session | undefined;
}

export interface StartInput {
  realm: Realm;
  journey: string;
  /** From `X-OpenAM-Username` / `X-OpenAM-Password` (zero-page login), when both were sent. */
  credentials: Credentials | undefined;
  request: AuthRequest;
  noSession: boolean;
  forceAuth: boolean;
  goto: string | undefined;
  gotoOnFail: string | undefined;
}

/** A cookie a journey sets besides the session's: its value, expiry (epoch ms) and flags. */
export interface IssuedCookie {
  name: string;
  value: string;
  expires: number;
  secure: boolean;
  httpOnly: boolean;
}

export type AuthResult =
  | {
      kind: 'success';
      user: User;
      journey: string;
      successUrl?: string;
      noSession?: boolean;
      properties?: Record<string, string>;
      maxIdleMinutes?: number;
      maxSessionMinutes?: number;
      /** A session the new one replaces (a journey run while signed in). */
      replaces?: string;
      /** Cookies the journey's nodes set besides the session's (a persistent cookie). */
      cookies?: IssuedCookie[];
    }
  /** The caller's session already satisfies the request: AM answers with that same token. */
  | { kind: 'existing'; session: Session; successUrl: string }
  /** `runId`: the run that failed, which the sign-in page links to (issue 21; an emulator-only header). */
  | { kind: 'failure'; failureUrl?: string; runId?: string }
  | { kind: 'callbacks'; step: Record<string, unknown> };

export interface Authenticator {
  /** Journey names are case-sensitive, as `authIndexValue` is. */
  hasJourney(realm: Realm, journey: string): boolean;
  defaultJourney(realm: Realm): string;
  start(input: StartInput): Promise<AuthResult>;
  /** A continuation: the previous step's JSON with its callbacks answered. */
  resume(realm: Realm, body: Record<string, unknown>, request: AuthRequest): Promise<AuthResult>;
  /** A suspended journey resumed by the `suspendedId` its resume URI carries. */
  resumeSuspended(realm: Realm, suspendedId: string, request: AuthRequest): Promise<AuthResult>;
}
