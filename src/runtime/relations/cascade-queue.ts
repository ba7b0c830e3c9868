import type { PartitionValue } from '../values/partition.js';

/**
 * One background cascade: the parent whose delete is under way and the token of its mark. The message names no
 * caller and grants nothing: the job acts only on a parent whose stored mark carries this token (written by the
 * runtime, never by a client), as the caller the mark records.
 *
 * @example
 * ```ts
 * const job: CascadeJob = { v: 1, component: 'CustomerApi', id: 'c1', pk: 'tenant-a', token: 'b1f…' };
 * ```
 */
export interface CascadeJob {
  readonly v: 1;
  readonly component: string;
  readonly id: string;
  readonly pk: PartitionValue;
  readonly token: string;
}

/** A sent message, which the sender may take back before it is delivered. */
export interface SentJob {
  cancel(): Promise<void>;
}

/**
 * Where background cascades go: the app's own queue. In Azure a Storage queue of the Function App's host storage
 * (delivered again after a crash, until a run completes); in tests and `atakora dev` {@link inProcessQueue}.
 *
 * @example
 * ```ts
 * const sent = await queue.send(job, 120); // delivered in two minutes unless cancelled
 * await sent.cancel();
 * ```
 */
export interface CascadeQueue {
  send(job: CascadeJob, delaySeconds: number): Promise<SentJob>;
}

/** The queue's name in the host storage account (lower case letters, digits and dashes: a queue name). */
export const CASCADE_QUEUE_NAME = 'atakora-cascades';

/**
 * Read a queue message's text as a {@link CascadeJob}, or undefined for anything else (the message is then dropped:
 * it can do nothing, and must not block the queue).
 *
 * @example
 * ```ts
 * parseCascadeJob('{"v":1,"component":"CustomerApi","id":"c1","pk":"t1","token":"x"}'); // the job
 * ```
 */
export function parseCascadeJob(message: unknown): CascadeJob | undefined {
  const j = queueMessageRecord(message);
  if (!j) return undefined;
  const pkOk = typeof j.pk === 'string' || typeof j.pk === 'number' || typeof j.pk === 'boolean';
  if (
    j.v !== 1 ||
    typeof j.component !== 'string' ||
    typeof j.id !== 'string' ||
    typeof j.token !== 'string' ||
    !pkOk
  )
    return undefined;
  return { v: 1, component: j.component, id: j.id, pk: j.pk as PartitionValue, token: j.token };
}

/**
 * A queue message as the trigger hands it (text, or the object the host already parsed) as a JSON object, or
 * undefined for anything else: each queue's parser checks its own job's fields on it.
 *
 * @example
 * ```ts
 * queueMessageRecord('{"v":1}'); // { v: 1 }
 * queueMessageRecord('[1]');     // undefined
 * ```
 */
export function queueMessageRecord(message: unknown): Record<string, unknown> | undefined {
  let value: unknown = message;
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message);
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Options of {@link inProcessQueue}. */
export interface InProcessQueueOptions {
  /** Seconds before a run that threw is delivered again (default 5; tests pass less). */
  readonly retrySeconds?: number;
  /** Deliveries of one message before it is given up, logged (default 10). */
  readonly maxDeliveries?: number;
  /** Where a given-up message is reported (default `console.error`). */
  readonly log?: (line: string) => void;
}

/**
 * The queue of a process without Azure's (tests, `atakora dev`): messages delivered by timers in this process, a
 * run that throws delivered again after `retrySeconds`. `idle()` resolves once no message is due or running
 * (delayed ones aside), so a test can wait for the background to finish. Timers never keep the process alive.
 *
 * @example
 * ```ts
 * const queue = inProcessQueue();
 * queue.attach((job) => runCascadeJob(job));
 * await queue.send(job, 0);
 * await queue.idle();
 * ```
 */
export function inProcessQueue(options: InProcessQueueOptions = {}): CascadeQueue & {
  attach(handler: (job: CascadeJob) => Promise<void>): void;
  idle(): Promise<void>;
} {
  let handler: ((job: CascadeJob) => Promise<void>) | undefined;
  let busy = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (busy > 0) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  // A message counts as busy from when it is due: at once for a send without delay and for a redelivery, at its
  // time for a delayed one (a safety net that normally gets cancelled).
  const deliver = (
    job: CascadeJob,
    delayMs: number,
    attempt: number,
    timers: Map<NodeJS.Timeout, boolean>,
    due: boolean,
  ) => {
    if (due) busy++;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!due) busy++;
      void (async () => {
        try {
          await handler?.(job);
        } catch (e) {
          if (attempt + 1 < (options.maxDeliveries ?? 10))
            deliver(job, (options.retrySeconds ?? 5) * 1000, attempt + 1, timers, true);
          else
            (options.log ?? console.error)(
              JSON.stringify({
                component: job.component,
                operation: 'cascade',
                outcome: 'given_up',
                id: job.id,
                message: e instanceof Error ? e.message : String(e),
              }),
            );
        } finally {
          busy--;
          settle();
        }
      })();
    }, delayMs);
    timer.unref?.();
    timers.set(timer, due);
  };
  return {
    attach(h) {
      handler = h;
    },
    send(job, delaySeconds) {
      const timers = new Map<NodeJS.Timeout, boolean>();
      const delayMs = Math.max(0, delaySeconds) * 1000;
      deliver(job, delayMs, 0, timers, delayMs === 0);
      return Promise.resolve({
        cancel() {
          for (const [t, due] of timers) {
            clearTimeout(t);
            if (due) busy--;
          }
          timers.clear();
          settle();
          return Promise.resolve();
        },
      });
    },
    idle() {
      return busy === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
