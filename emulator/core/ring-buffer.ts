/** A bounded list that drops its oldest entries: the journal and the run history never grow without limit. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(Math.max(0, capacity));
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.length < this.capacity) {
      this.items[(this.start + this.length) % this.capacity] = item;
      this.length += 1;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The oldest item, if any. */
  oldest(): T | undefined {
    return this.length === 0 ? undefined : this.items[this.start];
  }

  /** Oldest first. */
  toArray(): T[] {
    const result: T[] = [];
    for (let i = 0; i < this.length; i += 1) result.push(this.items[(this.start + i) % this.capacity] as T);
    return result;
  }

  get size(): number {
    return this.length;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.length = 0;
  }
}
