import { firesAt } from './schedule.js';
import { triggerOf, type WorkerFunctions } from './worker-functions.js';

/**
 * Fire the timer functions on their schedule, as in Azure: checked once a second, on the second. Returns the
 * function that stops them.
 *
 * @example
 * ```ts
 * const stop = startTimers(functions);
 * ```
 */
export function startTimers(functions: WorkerFunctions): () => void {
  const timers = functions.ofType('timerTrigger');
  let ticker: NodeJS.Timeout | undefined;
  if (timers.length === 0) return () => undefined;
  const tick = () => {
    const now = new Date();
    for (const f of timers) {
      if (!firesAt(triggerOf(f)?.schedule ?? '', now)) continue;
      Promise.resolve(f.callback({ isPastDue: false }, functions.context(f.metadata.name))).catch(
        (e: unknown) => {
          console.error(e);
        },
      );
    }
  };
  const start = setTimeout(
    () => {
      ticker = setInterval(tick, 1000);
    },
    1000 - (Date.now() % 1000),
  );
  return () => {
    clearTimeout(start);
    if (ticker) clearInterval(ticker);
  };
}
