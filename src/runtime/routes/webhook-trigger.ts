import { AtakoraError } from '../../model/errors.js';
import {
  AUDIT_WEBHOOK_FEED_FUNCTION,
  auditWebhookFeedTrigger,
} from '../webhooks/webhook-audit-feed.js';
import { parseWebhookJob, WEBHOOK_QUEUE_NAME } from '../webhooks/webhook-queue.js';
import { webhookFeedFunction, webhookFeedTrigger } from '../webhooks/webhook-feed.js';
import type { AppWebhooks } from '../webhooks/webhook-wiring.js';
import type { FunctionRegistrar, RegisterDeps } from './register-deps.js';

/** The function running webhook deliveries from the app's queue (Azure). */
export const WEBHOOK_FUNCTION = 'atakora-webhooks';

/**
 * The queue trigger running webhook jobs from the host storage's `atakora-webhooks` queue (Azure: start-runtime.ts
 * asks for it with the storage queue); a message that is no job is dropped, a run that throws is delivered again by
 * the host.
 *
 * @example
 * ```ts
 * registerWebhookTrigger(app, deps, made.webhooks);
 * ```
 */
export function registerWebhookTrigger(
  app: FunctionRegistrar,
  deps: RegisterDeps,
  webhooks: AppWebhooks | undefined,
): void {
  if (webhooks) registerWebhookFeeds(app, deps, webhooks);
  if (webhooks?.auditFeed) {
    if (!app.cosmosDB)
      throw new AtakoraError(
        'RUNTIME_CONFIG_INVALID',
        "The registrar cannot register the webhooks' audit feed trigger (no cosmosDB).",
      );
    app.cosmosDB(
      AUDIT_WEBHOOK_FEED_FUNCTION,
      auditWebhookFeedTrigger(webhooks.deps, webhooks.auditFeed),
    );
  }
  const trigger = deps.webhooks?.trigger;
  if (!trigger || !webhooks) return;
  if (!app.storageQueue)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      'The registrar cannot register the webhook delivery trigger (no storageQueue).',
    );
  app.storageQueue(WEBHOOK_FUNCTION, {
    queueName: WEBHOOK_QUEUE_NAME,
    connection: trigger.connection,
    handler: async (message) => {
      const job = parseWebhookJob(message);
      if (job) await webhooks.run(job);
    },
  });
}

/**
 * With `webhooks.feed`: one Cosmos DB trigger per tenant-scoped entity, reading its container's change feed — every
 * writer's change (a handler's own client, a migration, an import), not the runtime's writes alone — into its
 * organizations' entity events (webhooks/webhook-feed.ts). In Azure the trigger needs the planned lease container;
 * under `atakora dev` the worker emulates it on the local containers (cli/dev/host/change-feed-triggers.ts).
 */
function registerWebhookFeeds(
  app: FunctionRegistrar,
  deps: RegisterDeps,
  webhooks: AppWebhooks,
): void {
  const feed = deps.webhooks?.feed;
  if (!feed || !webhooks.entities.some((e) => feed.connectionOf(e) !== undefined)) return;
  if (!app.cosmosDB)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      "The registrar cannot register the webhooks' change feed triggers (no cosmosDB).",
    );
  for (const entity of webhooks.entities) {
    const connection = feed.connectionOf(entity);
    if (connection === undefined) continue;
    app.cosmosDB(
      webhookFeedFunction(entity.componentId),
      webhookFeedTrigger(webhooks.deps, entity, deps.containerFor(entity), connection, deps.cosmos),
    );
  }
}
