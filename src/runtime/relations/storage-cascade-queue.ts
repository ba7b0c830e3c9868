import type { TokenCredential } from '@azure/identity';
import { ManagedIdentityCredential } from '@azure/identity';
import { QueueClient } from '@azure/storage-queue';
import { CASCADE_QUEUE_NAME, type CascadeQueue } from './cascade-queue.js';

/** The host storage connection the Functions host and the cascade trigger use (its `__` settings). */
export const HOST_STORAGE_CONNECTION = 'AzureWebJobsStorage';

/**
 * The queue service of the host storage connection, from its identity-based settings: `__queueServiceUri` when set,
 * else the public cloud's endpoint of `__accountName` (what apply writes: resources/functions/host-identity.ts).
 * Undefined when the app has neither (no host storage by identity: the in-process queue is used).
 *
 * @example
 * ```ts
 * hostQueueService({ AzureWebJobsStorage__accountName: 'stshop' }); // 'https://stshop.queue.core.windows.net'
 * ```
 */
export function hostQueueService(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const uri = env[`${HOST_STORAGE_CONNECTION}__queueServiceUri`]?.trim();
  if (uri) return uri.replace(/\/+$/, '');
  const account = env[`${HOST_STORAGE_CONNECTION}__accountName`]?.trim();
  return account && /^[a-z0-9]{3,24}$/.test(account)
    ? `https://${account}.queue.core.windows.net`
    : undefined;
}

/**
 * The app's cascade queue in Azure: `atakora-cascades` of the Function App's host storage account, reached with the
 * host identity (it holds Storage Queue Data Contributor there: resources/functions/hosting.ts HOST_STORAGE_ROLES),
 * created on first use. Messages go out base64-encoded, as a queue trigger decodes them by default (host.json
 * `extensions.queues.messageEncoding`); a delay is the message's visibility timeout; a cancel deletes it by its pop
 * receipt (Learn, "Put Message" and "Delete Message" of the Queue service REST API).
 *
 * @example
 * ```ts
 * const queue = storageCascadeQueue('https://stshop.queue.core.windows.net', credential);
 * const sent = await queue.send(job, 300);
 * await sent.cancel();
 * ```
 */
export function storageCascadeQueue(
  serviceUri: string,
  credential?: TokenCredential,
  clientId?: string,
): CascadeQueue {
  const queue = hostQueueSender(serviceUri, CASCADE_QUEUE_NAME, credential, clientId);
  return {
    async send(job, delaySeconds) {
      const sent = await queue.send(job, delaySeconds);
      return {
        async cancel() {
          // Delivered and deleted already, or expired: nothing left to take back.
          await queue.client.deleteMessage(sent.messageId, sent.popReceipt).catch(() => undefined);
        },
      };
    },
  };
}

/**
 * The queue `name` of the host storage account, reached with the host identity (or `credential`), created on first
 * use (a failed creation tried again by the next send): `send` puts a job as base64 JSON, as a queue trigger decodes
 * it by default, its delay the message's visibility timeout. The cascades' and the webhooks' queues are both this.
 *
 * @example
 * ```ts
 * const queue = hostQueueSender('https://stshop.queue.core.windows.net', 'atakora-webhooks');
 * await queue.send({ v: 1 }, 60);
 * ```
 */
export function hostQueueSender(
  serviceUri: string,
  name: string,
  credential?: TokenCredential,
  clientId?: string,
): {
  readonly client: QueueClient;
  send(job: object, delaySeconds: number): Promise<{ messageId: string; popReceipt: string }>;
} {
  const client = new QueueClient(
    `${serviceUri}/${name}`,
    credential ?? new ManagedIdentityCredential(clientId ? { clientId } : {}),
  );
  let created: Promise<unknown> | undefined;
  return {
    client,
    async send(job, delaySeconds) {
      created ??= client.createIfNotExists().catch((e: unknown) => {
        created = undefined;
        throw e;
      });
      await created;
      const text = Buffer.from(JSON.stringify(job), 'utf8').toString('base64');
      return client.sendMessage(text, { visibilityTimeout: Math.max(0, Math.round(delaySeconds)) });
    },
  };
}
