import type { ChangeHandler } from './change-dispatch.js';

/** Setting (dev's worker environment) for the inline onChange deadline in milliseconds; default 10 s. */
export const CHANGE_DEADLINE_SETTING = 'ATAKORA_CHANGE_DEADLINE_MS';
const DEFAULT_DEADLINE_MS = 10_000;

/**
 * The deadline of an `onChange` handler called inline after a write (`atakora dev`), from
 * {@link CHANGE_DEADLINE_SETTING}: a positive whole number of milliseconds, else 10 s.
 *
 * @example
 * ```ts
 * changeDeadlineMs({ ATAKORA_CHANGE_DEADLINE_MS: '500' }); // 500
 * ```
 */
export function changeDeadlineMs(env: Readonly<Record<string, string | undefined>>): number {
  const v = Number(env[CHANGE_DEADLINE_SETTING]);
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_DEADLINE_MS;
}

/**
 * Each handler with a deadline: one that has not settled by then is reported as failed (dispatchChange logs it,
 * `outcome: 'handler_failed'`, with a message saying it timed out) and the write's answer goes out; the handler
 * itself runs on. In Azure the change feed calls handlers apart from the write, which is answered at once; under
 * `atakora dev` the write waits for its handlers so their effects are visible to the next request — but never
 * for one that never settles (a client would retry the stored write).
 *
 * @example
 * ```ts
 * const handlers = withChangeDeadline({ Bookings: onBooking }, 10_000);
 * ```
 */
export function withChangeDeadline(
  handlers: Readonly<Record<string, ChangeHandler>>,
  ms: number,
): Record<string, ChangeHandler> {
  const out: Record<string, ChangeHandler> = {};
  for (const [id, handler] of Object.entries(handlers))
    out[id] = (change) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new Error(
              `onChange did not settle within ${String(ms)} ms: the write was answered, the handler runs on`,
            ),
          );
        }, ms);
        timer.unref();
      });
      const run = Promise.resolve().then(() => handler(change));
      // A rejection after the deadline is nobody's to report twice; the race has logged the timeout.
      run.catch(() => undefined);
      return Promise.race([run, deadline]).finally(() => {
        clearTimeout(timer);
      });
    };
  return out;
}
