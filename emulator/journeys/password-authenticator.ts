/**
 * The built-in authenticator: username and password against the realm's users, as the default
 * Login journey's Data Store Decision does. It serves zero-page login (credentials in
 * `X-OpenAM-Username`/`X-OpenAM-Password`) for the realm's default journey and `Login`.
 *
 * Journeys with callbacks need the journey engine; until a tenant has one, a step-by-step login
 * is answered with a 501 that says so rather than with a made-up step.
 */
import type { AuthResult, Authenticator, StartInput } from './authenticator.js';
import type { UserDirectory } from '../identity/user-directory.js';
import type { Realm } from '../tenant/realms.js';
import { AmError } from '../am/errors.js';

export const DEFAULT_JOURNEY = 'Login';

export class PasswordAuthenticator implements Authenticator {
  constructor(private readonly users: UserDirectory) {}

  hasJourney(realm: Realm, journey: string): boolean {
    return journey === DEFAULT_JOURNEY || journey === this.defaultJourney(realm);
  }

  defaultJourney(realm: Realm): string {
    return realm.defaultJourney ?? DEFAULT_JOURNEY;
  }

  async start(input: StartInput): Promise<AuthResult> {
    if (!input.credentials) throw callbacksUnavailable();
    const user = this.users.findByUserName(input.realm.path, input.credentials.username);
    if (!user || user.accountStatus !== 'active' || !this.users.verifyPassword(user, input.credentials.password)) {
      return { kind: 'failure' };
    }
    return { kind: 'success', user };
  }

  async resume(): Promise<AuthResult> {
    throw callbacksUnavailable();
  }
}

function callbacksUnavailable(): AmError {
  return new AmError(501, 'This tenant has no journey engine: send X-OpenAM-Username and X-OpenAM-Password for a zero-page login');
}
