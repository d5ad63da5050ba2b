/**
 * A feed of changes a piece of state reports about itself: the tenant's registries (ESVs, users,
 * faults, stubs, journeys) and its clock emit one after each change made through them, and
 * whoever needs to follow them subscribes (the Redis sync, emulator/scaling/tenant-sync.ts; the
 * session sweeper, to the clock). The state knows nothing of its listeners, and nobody replaces
 * its methods to find out what it did. Each feed's event type says which changes it reports:
 * taking over a state decided elsewhere (`put`, a restore) is mostly not one.
 *
 * Listeners are called synchronously, in the order they subscribed, after the change is made:
 * what a listener reads of the state is the state after the change, and no other change comes
 * in between.
 *
 * A listener that throws does not undo the change, nor fail the call that made it, nor keep the
 * other listeners from hearing of it: the change has happened, and the caller (a control request,
 * a journey's node) must not be told otherwise because someone watching it failed. The error goes
 * to the feed's `onListenerError` (default: a process warning, printed on stderr).
 *
 * With no listener an emit is a length check: with the memory store only the sweeper listens,
 * to the clock.
 */

export type ChangeListener<E> = (event: E) => void;

/**
 * The registries' changes to a list of things with ids (faults, stubs). `item` is the registry's
 * own record, which later uses change: a listener that keeps it keeps a copy.
 */
export type ListChange<T extends { readonly id: string }> =
  | { type: 'added'; item: T }
  /** Its counters changed (a use that ends it is `removed` instead). */
  | { type: 'used'; item: T }
  | { type: 'removed'; id: string }
  | { type: 'cleared'; ids: string[] };

export class ChangeFeed<E> {
  /** Replaced, never changed in place: an emit in progress goes on with the list it started with. */
  private listeners: readonly ChangeListener<E>[] = [];

  constructor(private readonly onListenerError: (error: unknown) => void = warnListenerError) {}

  /** Someone listens: worth building an event that costs something to build. */
  get listening(): boolean {
    return this.listeners.length > 0;
  }

  /** Subscribes; the function returned unsubscribes (once; calling it again does nothing). */
  on(listener: ChangeListener<E>): () => void {
    const subscription: ChangeListener<E> = (event) => listener(event);
    this.listeners = [...this.listeners, subscription];
    return () => {
      this.listeners = this.listeners.filter((item) => item !== subscription);
    };
  }

  emit(event: E): void {
    const listeners = this.listeners;
    if (listeners.length === 0) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

function warnListenerError(error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  process.emitWarning(`a change listener failed (the change stands): ${detail}`, 'ChangeListenerError');
}
