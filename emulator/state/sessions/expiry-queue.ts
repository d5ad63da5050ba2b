/**
 * A min-heap of (expiry time, token) pairs: the sweeper pops only sessions whose time has come,
 * so purging never scans the store.
 *
 * Entries go stale when a session's idle timer is reset (its expiry moves later) or the session
 * ends early; the heap is not updated then. Whoever pops an entry re-checks the session and
 * re-queues it at its new expiry if it is still live. Idle resets are rate-limited by AM's
 * latest-access update frequency, so stale entries stay few.
 *
 * Times and tokens live in two parallel arrays rather than an array of objects: a million
 * sessions then cost two arrays, not a million small objects.
 */
export class ExpiryQueue {
  private readonly times: number[] = [];
  private readonly tokens: string[] = [];

  get size(): number {
    return this.times.length;
  }

  push(at: number, tokenId: string): void {
    this.times.push(at);
    this.tokens.push(tokenId);
    this.siftUp(this.times.length - 1);
  }

  /** The earliest expiry queued, or Infinity. */
  peekTime(): number {
    return this.times.length > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Removes and returns the earliest entry's token. */
  pop(): string | undefined {
    const n = this.times.length;
    if (n === 0) return undefined;
    const top = this.tokens[0];
    const lastTime = this.times.pop() as number;
    const lastToken = this.tokens.pop() as string;
    if (n > 1) {
      this.times[0] = lastTime;
      this.tokens[0] = lastToken;
      this.siftDown(0);
    }
    return top;
  }

  /** Every queued (time, token) pair, in heap order (for the store's invariant check). */
  *entries(): IterableIterator<[number, string]> {
    for (let i = 0; i < this.times.length; i += 1) yield [this.times[i] as number, this.tokens[i] as string];
  }

  /** True when every parent entry is due no later than its children (the heap property). */
  isHeap(): boolean {
    for (let i = 1; i < this.times.length; i += 1)
      if ((this.times[(i - 1) >> 1] as number) > (this.times[i] as number)) return false;
    return true;
  }

  clear(): void {
    this.times.length = 0;
    this.tokens.length = 0;
  }

  private siftUp(index: number): void {
    const { times, tokens } = this;
    const time = times[index] as number;
    const token = tokens[index] as string;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((times[parent] as number) <= time) break;
      times[index] = times[parent] as number;
      tokens[index] = tokens[parent] as string;
      index = parent;
    }
    times[index] = time;
    tokens[index] = token;
  }

  private siftDown(index: number): void {
    const { times, tokens } = this;
    const n = times.length;
    const time = times[index] as number;
    const token = tokens[index] as string;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && (times[right] as number) < (times[left] as number) ? right : left;
      if ((times[child] as number) >= time) break;
      times[index] = times[child] as number;
      tokens[index] = tokens[child] as string;
      index = child;
    }
    times[index] = time;
    tokens[index] = token;
  }
}
