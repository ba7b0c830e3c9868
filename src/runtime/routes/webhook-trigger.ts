import { AtakoraError } from '../../model/errors.js';
import { parseWebhookJob, WEBHOOK_QUEUE_NAME } from '../webhooks/webhook-queue.js';
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
