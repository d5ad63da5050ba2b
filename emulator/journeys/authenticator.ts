/**
 * The seam between `/authenticate` and whatever runs journeys. The route speaks AM's wire
 * (versions, cookies, session creation, error bodies); an Authenticator decides, for a realm
 * and a journey, whether the user is in, out, or must answer callbacks.
 */
import type { User } from '../identity/user-directory.js';
import type { Realm } from '../tenant/realms.js';
import type { Session } from '../sessions/session.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface StartInput {
  realm: Realm;
  journey: string;
  /** From `X-OpenAM-Username` / `X-OpenAM-Password` (zero-page login), when both were sent. */
  credentials: Credentials | undefined;
  /** The caller's live session, when the request carried one. */
  existingSession: Session | undefined;
}

export type AuthResult =
  | { kind: 'success'; user: User; successUrl?: string; journey?: string }
  | { kind: 'failure'; failureUrl?: string }
  | { kind: 'callbacks'; step: Record<string, unknown> };

export interface Authenticator {
  /** Journey names are case-sensitive, as `authIndexValue` is. */
  hasJourney(realm: Realm, journey: string): boolean;
  defaultJourney(realm: Realm): string;
  start(input: StartInput): Promise<AuthResult>;
  /** A continuation: the previous step's JSON with its callbacks answered. */
  resume(realm: Realm, body: Record<string, unknown>): Promise<AuthResult>;
}
