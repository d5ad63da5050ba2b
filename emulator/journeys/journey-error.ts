/**
 * What the journey engine refuses, in its own terms. The `/authenticate` resource
 * (emulator/http/am/authenticate/) answers each as AM does.
 */
export type JourneyErrorKind =
  /** The journey has lint errors the emulator cannot run past (unsupported node, missing script...). */
  | 'cannot-run'
  /** The authId's signature does not verify. */
  | 'invalid-auth-id'
  /** The journey session has expired, finished, moved realm, or its authId was replayed. */
  | 'timed-out'
  /** The callbacks posted back do not match those the step asked for. */
  | 'invalid-callbacks';

export class JourneyError extends Error {
  override name = 'JourneyError';

  constructor(
    readonly kind: JourneyErrorKind,
    message: string,
  ) {
    super(message);
  }
}
