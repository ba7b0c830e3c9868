/**
 * Runs tasks for the same key one after another within this worker. PATCH uses it so that concurrent
 * merges of one item on one instance do not race each other through Cosmos (each lost race is a wasted
 * read and write, and under contention the retries are what stretch the tail); races with other instances
 * remain, and the optimistic retry handles those.
 *
 * A task waits for its predecessor at most `maxWaitMs`, then runs anyway: correctness never depends on the
 * queue (the write is conditional), and a predecessor stuck on a hung database must not stack its
 * deadline onto every request behind it.
 *
 * @example
 * ```ts
 * const queue = new KeyedQueue();
 * await queue.run('["eu","42"]', 10_000, () => mergeOnce());
 * ```
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, maxWaitMs: number, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.#tails.set(key, done);
    try {
      if (previous) await waitAtMost(previous, maxWaitMs);
      return await task();
    } finally {
      release();
      // Last in line: drop the key so that the map only holds items with work in flight.
      if (this.#tails.get(key) === done) this.#tails.delete(key);
    }
  }

  /** Keys with a task running or waiting (for tests: the map must drain). */
  get size(): number {
    return this.#tails.size;
  }
}

function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
