import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { devStorageCredential, type DevToken } from './dev-credential.js';

export type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';

/**
 * A queue and its poison queue (`<queue><poisonSuffix>`) on a queue service, as the dev identity: what the dev
 * worker's queue triggers poll (dev/host/queue-triggers.ts). Loaded by the worker process, so it brings the queue SDK
 * only, not the blob one.
 *
 * @example
 * ```ts
 * const { queue, poison } = queuePair(uri, devIdentityToken, 'orders', '-poison');
 * ```
 */
export function queuePair(
  serviceUri: string,
  token: DevToken,
  queueName: string,
  poisonSuffix: string,
): { readonly queue: QueueClient; readonly poison: QueueClient } {
  const service = new QueueServiceClient(serviceUri, devStorageCredential(token));
  return {
    queue: service.getQueueClient(queueName),
    poison: service.getQueueClient(`${queueName}${poisonSuffix}`),
  };
}
