/**
 * IDM's configuration objects (`/openidm/config/<id>` on AIC: `ui/themerealm`,
 * `emailTemplate/<name>`, ...), tenant-global: plain JSON objects by id, each carrying its `_id`
 * first. The store keeps copies, so that nobody changes an object it holds without going through
 * `put()`, and reports each change on its feed (the Redis sync listens). A reset clears it and the
 * tenant seeds it again (emulator/config/idm-config-seed.ts).
 */
import { ChangeFeed } from '../core/change-feed.js';

export type IdmConfigObject = Record<string, unknown> & { _id: string };

/** A config object written (created or replaced), or removed. `clear()` is a reset's or a restore's, and says nothing. */
export type IdmConfigChange = { type: 'put'; id: string; object: IdmConfigObject } | { type: 'removed'; id: string };

export class IdmConfigStore {
  private readonly objects = new Map<string, IdmConfigObject>();
  readonly changes = new ChangeFeed<IdmConfigChange>();

  /** A copy of the object, or undefined. */
  get(id: string): IdmConfigObject | undefined {
    const object = this.objects.get(id);
    return object === undefined ? undefined : structuredClone(object);
  }

  has(id: string): boolean {
    return this.objects.has(id);
  }

  /** Copies of every object, by id. */
  list(): IdmConfigObject[] {
    return [...this.objects.keys()].sort().map((id) => structuredClone(this.objects.get(id) as IdmConfigObject));
  }

  /**
   * Creates or replaces the object `id`: its content becomes `content`'s, with `_id` set to `id`
   * (first, as IDM answers it). Answers the object stored and whether it was created.
   */
  put(id: string, content: Record<string, unknown>): { object: IdmConfigObject; created: boolean } {
    const created = !this.objects.has(id);
    const object: IdmConfigObject = { _id: id };
    for (const [name, value] of Object.entries(structuredClone(content))) {
      if (name === '_id') continue;
      // Defined, not assigned: a body's `__proto__` key stays data.
      Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
    }
    this.objects.set(id, object);
    this.changes.emit({ type: 'put', id, object });
    return { object: structuredClone(object), created };
  }

  /** Removes the object; answers what it was, or undefined when there was none. */
  remove(id: string): IdmConfigObject | undefined {
    const object = this.objects.get(id);
    if (object === undefined) return undefined;
    this.objects.delete(id);
    this.changes.emit({ type: 'removed', id });
    return object;
  }

  clear(): void {
    this.objects.clear();
  }
}
