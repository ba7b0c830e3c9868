/**
 * A clock for a test whose product waits on time it is told to (a `Retry-After`, a backoff): it reads the wall clock
 * plus the waits it has skipped, and a timer set on it (`later`) does not run on its own — {@link SkippingClock.elapse}
 * moves the clock to each pending timer's due time and runs it. So the product still waits exactly what it was told
 * on every clock that judges it (the stand-in that set the `Retry-After` counts its window in `now`), and the test
 * pays no wall second for it; a timer run early would show as a refusal on that clock, never be hidden by a slow
 * machine. Nothing runs between two `elapse` calls: the test says when time passes, after what it checks before.
 *
 * @example
 * ```ts
 * const clock = skippingClock();
 * const mailer = { email, sender, later: clock.later };
 * await clock.elapse(); // every queued e-mail tried again, the clock past its Retry-After
 * ```
 */
export interface SkippingClock {
  /** The wall clock's milliseconds plus every wait skipped so far. */
  now(): number;
  /** Run `run` when the clock has moved `ms` on (only through {@link elapse}). */
  later(ms: number, run: () => Promise<void>): void;
  /**
   * Move the clock to each timer pending now (earliest first, never back) and run it, waiting for it to finish;
   * timers those runs set stay pending for the next call. How many ran.
   */
  elapse(): Promise<number>;
  /** The timers pending now. */
  readonly pending: number;
}

/** A new {@link SkippingClock}, at the wall clock's time. */
export function skippingClock(): SkippingClock {
  let skipped = 0;
  let timers: { due: number; run: () => Promise<void> }[] = [];
  const now = () => Date.now() + skipped;
  return {
    now,
    later: (ms, run) => {
      timers.push({ due: now() + ms, run });
    },
    elapse: async () => {
      const due = timers.sort((a, b) => a.due - b.due);
      timers = [];
      for (const t of due) {
        skipped += Math.max(0, t.due - now());
        await t.run();
      }
      return due.length;
    },
    get pending() {
      return timers.length;
    },
  };
}
