/**
 * queueClient against Azurite's queue service (OAuth over HTTPS, as a managed identity reaches Azure Storage): a
 * declared queue gets the message base64-encoded, as a queue trigger decodes it by default; an undeclared name, a
 * message that is no JSON value or too large, and a bad visibility timeout are AtakoraErrors with their codes.
 */
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueClient } from '../../src/runtime/events/queue-client.js';
import { QUEUES_SETTING } from '../../src/model/queue-settings.js';
import { azuriteCredential, startAzurite, type LocalAzurite } from '../support/azurite.js';
import { thrown } from '../support/errors.js';

let azurite: LocalAzurite;
let env: Record<string, string>;
const credential = azuriteCredential();
beforeAll(async () => {
  azurite = await startAzurite('queue');
  env = {
    [QUEUES_SETTING]: JSON.stringify({ orders: 'SHOP_STORAGE', emails: 'SHOP_STORAGE' }),
    SHOP_STORAGE__queueServiceUri: azurite.endpoint,
  };
  const service = new QueueServiceClient(azurite.endpoint, credential);
  await service.getQueueClient('orders').create();
  await service.getQueueClient('emails').create();
});
afterAll(async () => {
  await azurite?.stop();
});

const peek = async (queue: string) => {
  const { receivedMessageItems } = await new QueueServiceClient(azurite.endpoint, credential)
    .getQueueClient(queue)
    .receiveMessages({ numberOfMessages: 32 });
  return receivedMessageItems.map((m) => m.messageText);
};

describe('queueClient', () => {
  it('sends a JSON value as its JSON text, base64-encoded', async () => {
    const sent = await queueClient('orders', { env, credential }).send({
      id: 'o-1',
      total: 42,
      note: 'Grüße',
    });
    expect(sent.messageId).toMatch(/\S/);
    const texts = await peek('orders');
    expect(texts).toEqual([
      Buffer.from(JSON.stringify({ id: 'o-1', total: 42, note: 'Grüße' })).toString('base64'),
    ]);
    expect(JSON.parse(Buffer.from(texts[0]!, 'base64').toString('utf8'))).toEqual({
      id: 'o-1',
      total: 42,
      note: 'Grüße',
    });
  });

  it('sends a string as its text, and honours visibilityTimeoutSeconds', async () => {
    await queueClient('emails', { env, credential }).send('hello', {
      visibilityTimeoutSeconds: 3600,
    });
    // Hidden for an hour: nothing to receive now.
    expect(await peek('emails')).toEqual([]);
    await queueClient('emails', { env, credential }).send('now');
    expect((await peek('emails')).map((t) => Buffer.from(t, 'base64').toString('utf8'))).toEqual([
      'now',
    ]);
  });

  it('refuses an undeclared queue, naming the declared ones', () => {
    const e = thrown(() => queueClient('invoices', { env, credential }));
    expect(e.code).toBe('QUEUE_UNDECLARED');
    expect(e.message).toContain('declared: emails, orders');
    expect(thrown(() => queueClient('orders', { env: {}, credential })).message).toContain(
      'it declares none',
    );
  });

  it('refuses a message that is no JSON value, one too large, and a bad visibility timeout', async () => {
    const orders = queueClient('orders', { env, credential });
    await expect(orders.send(undefined as never)).rejects.toMatchObject({
      code: 'QUEUE_MESSAGE_INVALID',
    });
    await expect(orders.send({ n: 1n } as never)).rejects.toMatchObject({
      code: 'QUEUE_MESSAGE_INVALID',
    });
    await expect(orders.send('x'.repeat(48 * 1024 + 1))).rejects.toMatchObject({
      code: 'QUEUE_MESSAGE_INVALID',
    });
    await expect(orders.send('x', { visibilityTimeoutSeconds: -1 })).rejects.toMatchObject({
      code: 'QUEUE_MESSAGE_INVALID',
    });
    await expect(orders.send('x', { visibilityTimeoutSeconds: 1.5 })).rejects.toMatchObject({
      code: 'QUEUE_MESSAGE_INVALID',
    });
  });

  it('says which setting is missing when the connection has no queue service', () => {
    const e = thrown(() =>
      queueClient('orders', { env: { [QUEUES_SETTING]: '{"orders":"SHOP_STORAGE"}' }, credential }),
    );
    expect(e.code).toBe('RUNTIME_CONFIG_INVALID');
    expect(e.message).toContain('SHOP_STORAGE__queueServiceUri');
  });
});
