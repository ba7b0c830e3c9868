import { recordAudit } from '../audit/record-audit.js';
import { KeyedQueue } from '../data/keyed-queue.js';
import type { WebhookJob } from './webhook-queue.js';
import { failedTooLong, nextAttemptAt } from './webhook-schedule.js';
import { sendWebhook, type WebhookAnswer } from './webhook-send.js';
import type { WebhookDeps } from './webhook-service.js';
import { signedHeaders, signingSecrets } from './webhook-signature.js';
import type { StoredDelivery, StoredWebhook } from './webhook-store.js';
import { checkWebhookUrl } from './webhook-url.js';

/** One chain at a time on this instance: two jobs of the same item never overtake each other. */
const chains = new KeyedQueue();

/**
 * Run one job: the due deliveries of its chain to its endpoint, oldest first, each after the one before succeeded
 * or was given up — in order per item. A delivery not yet due sends the job again for when it is; one that fails
 * is scheduled again (webhook-schedule.ts) and holds the chain behind it. Nothing for an endpoint deleted or
 * disabled since.
 *
 * @example
 * ```ts
 * queue.attach((job) => runWebhookJob(deps, job));
 * ```
 */
export function runWebhookJob(deps: WebhookDeps, job: WebhookJob): Promise<void> {
  const key = `${job.tenant}\n${job.endpoint}\n${job.chain}`;
  return chains.run(key, deps.timeoutMs * 2, () => runChain(deps, job));
}

async function runChain(deps: WebhookDeps, job: WebhookJob): Promise<void> {
  for (;;) {
    const endpoint = await deps.store.readEndpoint(job.tenant, job.endpoint);
    if (!endpoint?.enabled) return;
    const head = (await deps.store.pending(job.tenant, job.endpoint, job.chain))[0];
    if (!head) return;
    const now = deps.now();
    const due = head.nextAttemptOn ? Date.parse(head.nextAttemptOn) : now;
    if (due > now) {
      await deps.queue.send(job, Math.ceil((due - now) / 1000));
      return;
    }
    const closed = await notServed(deps, job.tenant);
    if (closed !== undefined) {
      await givenUp(deps, job, closed, now);
      return;
    }
    const answer = await attempt(deps, endpoint, head, now);
    const ok = answer.status !== undefined && answer.status >= 200 && answer.status < 300;
    const after = deps.now();
    if (ok) {
      await deps.store.replaceDelivery(settled(head, 'delivered', answer, after));
      if (endpoint.failingSince !== undefined)
        await deps.store.updateEndpoint(endpoint.tenant, endpoint.id, (now) => {
          if (now.failingSince === undefined) return undefined;
          const { failingSince: _cleared, ...rest } = now;
          return rest;
        });
      continue;
    }
    const next = nextAttemptAt(
      Date.parse(head.windowStart),
      head.attempts + 1,
      after,
      answer.retryAfterMs,
    );
    await deps.store.replaceDelivery(
      next === undefined
        ? settled(head, 'failed', answer, after)
        : {
            ...settled(head, 'pending', answer, after),
            nextAttemptOn: new Date(next).toISOString(),
          },
    );
    const disabled = await failing(deps, endpoint, after);
    if (disabled) return;
    // Given up: the chain goes on with the next delivery; else it waits for this one's retry.
    if (next !== undefined) {
      await deps.queue.send(job, Math.ceil((next - after) / 1000));
      return;
    }
  }
}

/**
 * Why nothing of `tenant` is sent now, or undefined when its deliveries go out: an organization no longer active
 * (suspended, deleted, erased) or on a plan without `webhooks` (a downgrade) — what records nothing new (DESIGN §2:
 * the feature gates webhooks) sends nothing already recorded either. Read before every attempt, from the registry
 * cache (≤ 30 s).
 */
async function notServed(deps: WebhookDeps, tenant: string): Promise<string | undefined> {
  const features = await deps.features(tenant);
  if (!features) return `not sent: organization ${tenant} is not active`;
  if (!features.has('webhooks'))
    return `not sent: the plan of organization ${tenant} does not include webhooks`;
  return undefined;
}

/**
 * The chain's pending deliveries given up unsent (`failed`, no attempt counted, the endpoint not marked failing —
 * it did nothing wrong): a manual retry sends one once the organization is served again.
 */
async function givenUp(
  deps: WebhookDeps,
  job: WebhookJob,
  why: string,
  now: number,
): Promise<void> {
  const at = new Date(now).toISOString();
  for (const d of await deps.store.pending(job.tenant, job.endpoint, job.chain)) {
    const { nextAttemptOn: _n, ...rest } = d;
    await deps.store.replaceDelivery({ ...rest, status: 'failed', error: why, lastAttemptOn: at });
  }
}

/** The delivery after an attempt: its status, one more attempt, the answer or why there was none. */
function settled(
  d: StoredDelivery,
  status: StoredDelivery['status'],
  answer: WebhookAnswer,
  at: number,
): StoredDelivery {
  const { answer: _a, error: _e, nextAttemptOn: _n, ...rest } = d;
  return {
    ...rest,
    status,
    attempts: d.attempts + 1,
    lastAttemptOn: new Date(at).toISOString(),
    ...(answer.status !== undefined ? { answer: answer.status } : {}),
    ...(answer.error !== undefined
      ? { error: answer.error }
      : answer.status !== undefined && (answer.status < 200 || answer.status >= 300)
        ? {
            error:
              answer.status >= 300 && answer.status < 400
                ? `answered a redirect (${String(answer.status)}), which is never followed`
                : `answered ${String(answer.status)}`,
          }
        : {}),
  };
}

/** One attempt: the URL checked again (DNS rebinding), signed with this attempt's timestamp, sent to that address. */
async function attempt(
  deps: WebhookDeps,
  endpoint: StoredWebhook,
  d: StoredDelivery,
  now: number,
): Promise<WebhookAnswer> {
  const checked = await checkWebhookUrl(endpoint.url, deps.url);
  if (!checked.ok) return { error: `refused: ${checked.why}` };
  return sendWebhook(
    {
      url: checked.url,
      address: checked.address,
      headers: signedHeaders(signingSecrets(endpoint, now), d.id, now / 1000, d.body),
      body: d.body,
      timeoutMs: deps.timeoutMs,
      ...(deps.ca ? { ca: deps.ca } : {}),
    },
    now,
  );
}

/**
 * A failed attempt's mark on its endpoint as stored now (an Owner may have rotated, patched or deleted it while the
 * attempt ran): failing since now when it was not, and disabled — audited as `webhook.disabled` — once it has failed
 * for 3 days. Returns whether the chain stops: the endpoint disabled, or gone.
 */
async function failing(deps: WebhookDeps, endpoint: StoredWebhook, now: number): Promise<boolean> {
  // What the last round decided (a round that lost to another write runs again).
  const mark: { since?: string } = {};
  const after = await deps.store.updateEndpoint(endpoint.tenant, endpoint.id, (stored) => {
    delete mark.since;
    // Disabled meanwhile (by its Owner, or by another runner's mark): nothing of this attempt's to add.
    if (!stored.enabled) return undefined;
    const from = stored.failingSince ?? new Date(now).toISOString();
    if (!failedTooLong(from, now))
      return stored.failingSince === undefined ? { ...stored, failingSince: from } : undefined;
    mark.since = from;
    return {
      ...stored,
      failingSince: from,
      enabled: false,
      disabledOn: new Date(now).toISOString(),
    };
  });
  if (after === undefined) return true;
  const since = mark.since;
  if (since === undefined) return !after.enabled;
  if (deps.audit)
    await recordAudit(
      { audit: deps.audit },
      {
        tenant: endpoint.tenant,
        actor: { id: 'atakora', via: 'webhook' },
        action: 'webhook.disabled',
        target: endpoint.id,
        changes: { url: after.url, failingSince: since },
      },
    );
  return true;
}
