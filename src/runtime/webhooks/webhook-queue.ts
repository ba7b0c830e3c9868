import type { TokenCredential } from '@azure/identity';
import { queueMessageRecord } from '../relations/cascade-queue.js';
import { hostQueueSender } from '../relations/storage-cascade-queue.js';

/**
 * One job of the webhook queue: deliver what is due of one chain (the deliveries about one item) to one endpoint,
 * in order. The message names no secret and no body: the runner reads both from the store, so a message read off
 * the queue tells nothing and a forged one can only make due deliveries go out.
 *
 * @example
 * ```ts
 * const job: WebhookJob = { v: 1, tenant: 'acme', endpoint: 'w1', chain: 'note:n1' };
 * ```
 */
export interface WebhookJob {
  readonly v: 1;
  readonly tenant: string;
  readonly endpoint: string;
  readonly chain: string;
}

/**
 * Where webhook jobs go: in Azure the `atakora-webhooks` Storage queue of the Function App's host storage (read by a
 * queue trigger, delivered again after a crash); under `atakora dev` and in tests {@link inProcessWebhookQueue}, or
 * a test's own. A queue with `attach` gets the runner.
 */
export interface WebhookQueue {
  send(job: WebhookJob, delaySeconds: number): Promise<void>;
  attach?(run: (job: WebhookJob) => Promise<void>): void;
}

/** The queue's name in the host storage account, and the function that reads it. */
export const WEBHOOK_QUEUE_NAME = 'atakora-webhooks';

/**
 * A queue message's text as a {@link WebhookJob}, or undefined for anything else (dropped: it can do nothing).
 *
 * @example
 * ```ts
 * parseWebhookJob('{"v":1,"tenant":"acme","endpoint":"w1","chain":"note:n1"}'); // the job
 * ```
 */
export function parseWebhookJob(message: unknown): WebhookJob | undefined {
  const j = queueMessageRecord(message);
  if (j?.['v'] !== 1) return undefined;
  const { tenant, endpoint, chain } = j;
  if (typeof tenant !== 'string' || typeof endpoint !== 'string' || typeof chain !== 'string')
    return undefined;
  return { v: 1, tenant, endpoint, chain };
}

/**
 * The queue of a process without Azure's (`atakora dev`): jobs run by timers in this process (a delayed one after
 * its delay), never keeping the process alive; a run that throws is logged — the deliveries it left pending are
 * taken up by the next job of their chain or a manual retry.
 *
 * @example
 * ```ts
 * const queue = inProcessWebhookQueue();
 * queue.attach((job) => runner.run(job));
 * ```
 */
export function inProcessWebhookQueue(
  log: (line: string) => void = console.error,
): Required<WebhookQueue> {
  let handler: ((job: WebhookJob) => Promise<void>) | undefined;
  return {
    attach(run) {
      handler = run;
    },
    send(job, delaySeconds) {
      const timer = setTimeout(() => {
        void handler?.(job).catch((e: unknown) => {
          log(
            JSON.stringify({
              component: 'runtime',
              operation: 'webhook',
              outcome: 'failed',
              tenant: job.tenant,
              endpoint: job.endpoint,
              message: e instanceof Error ? e.message : String(e),
            }),
          );
        });
      }, Math.max(0, delaySeconds) * 1000);
      timer.unref();
      return Promise.resolve();
    },
  };
}

/**
 * The webhook queue in Azure: `atakora-webhooks` of the host storage account, reached with the host identity (it
 * holds Storage Queue Data Contributor there, as for the cascades' queue), created on first use; a delay is the
 * message's visibility timeout (Learn, "Put Message": `visibilitytimeout` "must be … no larger than 7 days" — a
 * retry waits 10 hours at most), base64 as a queue trigger decodes it by default.
 *
 * @example
 * ```ts
 * const queue = storageWebhookQueue('https://stshop.queue.core.windows.net');
 * await queue.send(job, 300);
 * ```
 */
export function storageWebhookQueue(
  serviceUri: string,
  credential?: TokenCredential,
  clientId?: string,
): WebhookQueue {
  const queue = hostQueueSender(serviceUri, WEBHOOK_QUEUE_NAME, credential, clientId);
  return {
    async send(job, delaySeconds) {
      await queue.send(job, delaySeconds);
    },
  };
}
