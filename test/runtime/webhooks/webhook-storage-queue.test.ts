/**
 * The webhook queue as Azure runs it: `atakora-webhooks` in the host storage account (Azurite's queue service, OAuth
 * over HTTPS as the host identity reaches it), read back as the Functions host's queue trigger reads a message
 * (base64-decoded, then the job parsed), a retry's delay its visibility timeout; and the trigger registered on the
 * host connection, dropping a message that is no job.
 */
import type { StorageQueueFunctionOptions } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebhookTrigger } from '../../../src/runtime/routes/webhook-trigger.js';
import {
  parseWebhookJob,
  storageWebhookQueue,
  WEBHOOK_QUEUE_NAME,
  type WebhookJob,
} from '../../../src/runtime/webhooks/webhook-queue.js';
import type { AppWebhooks } from '../../../src/runtime/webhooks/webhook-wiring.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../../support/azurite.js';

const credential = azuriteCredential();
let azurite: LocalAzurite;

beforeAll(async () => {
  azurite = await startAzurite('queue');
});
afterAll(async () => azurite?.stop());

describe('the webhook queue in the host storage account', () => {
  it('sends jobs the trigger reads back, a delayed one invisible until its time', async () => {
    const queue = storageWebhookQueue(azurite.endpoint.replace(/\/$/, ''), credential);
    const job: WebhookJob = { v: 1, tenant: 'acme', endpoint: 'w1', chain: 'note:n1' };
    await queue.send(job, 0);
    await queue.send({ ...job, chain: 'note:n2' }, 600);
    const client = new QueueClient(`${azurite.endpoint}${WEBHOOK_QUEUE_NAME}`, credential);
    const { receivedMessageItems } = await client.receiveMessages({ numberOfMessages: 32 });
    expect(receivedMessageItems).toHaveLength(1);
    const text = Buffer.from(receivedMessageItems[0]?.messageText ?? '', 'base64').toString('utf8');
    // The host hands a JSON message to the handler parsed; either form is one job.
    expect(parseWebhookJob(text)).toEqual(job);
    expect(parseWebhookJob(JSON.parse(text))).toEqual(job);
    const props = await client.getProperties();
    expect(props.approximateMessagesCount).toBe(2);
  });

  it('registers the trigger on the host connection; a message that is no job is dropped', async () => {
    const ran: WebhookJob[] = [];
    const triggers: { name: string; options: StorageQueueFunctionOptions }[] = [];
    const webhooks = { run: (j: WebhookJob) => Promise.resolve(void ran.push(j)) } as Pick<
      AppWebhooks,
      'run'
    >;
    registerWebhookTrigger(
      { http: () => undefined, storageQueue: (name, options) => triggers.push({ name, options }) },
      {
        containerFor: () => undefined as never,
        webhooks: { trigger: { connection: 'AzureWebJobsStorage' } },
      },
      webhooks as AppWebhooks,
    );
    expect(triggers.map((t) => [t.name, t.options.queueName, t.options.connection])).toEqual([
      ['atakora-webhooks', 'atakora-webhooks', 'AzureWebJobsStorage'],
    ]);
    const handler = triggers[0]?.options.handler as (m: unknown, c: unknown) => Promise<void>;
    await handler({ v: 1, tenant: 'acme', endpoint: 'w1', chain: 'x' }, {});
    await handler('not a job', {});
    await handler({ v: 2, tenant: 'acme' }, {});
    expect(ran).toEqual([{ v: 1, tenant: 'acme', endpoint: 'w1', chain: 'x' }]);
  });
});
