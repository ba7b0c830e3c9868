/**
 * `atakora dev` serves declared queues on Azurite: an HTTP handler's `queueClient('orders').send(…)` reaches the
 * queue-triggered function on a real message (decoded as in Azure); a failing message is tried five times, then
 * moved to `orders-poison`; a send-only queue (`queues: ['emails']`) exists. The admin route still runs a function.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import { azuriteCredential } from '../support/azurite.js';
import { EVENTUALLY } from '../support/patience.js';

let dev: DevSession;
const logs: string[] = [];
let previous: string | undefined;
beforeAll(async () => {
  dev = await startDev('test/packaging/fixtures/queues-backend.ts', {
    user: devUserOf('alice@tenant-a')!,
    log: (l) => logs.push(l),
  });
  // This test reads Azurite's loopback HTTPS endpoint (a self-signed certificate) to check the queues.
  previous = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
});
afterAll(async () => {
  if (previous === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previous;
  await dev?.stop();
});

const received = (id: string): { order: Record<string, unknown>; dequeueCount: number }[] => {
  const file = join(tmpdir(), 'atakora-queue-trigger', `${id}.jsonl`);
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { order: Record<string, unknown>; dequeueCount: number })
    : [];
};
const post = (body: unknown) =>
  fetch(`${dev.apps[0]!.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('atakora dev: queues on Azurite', () => {
  it("a handler's queue message reaches the queue trigger, once, as the value sent", async () => {
    const id = `ok-${randomUUID()}`;
    rmSync(join(tmpdir(), 'atakora-queue-trigger', `${id}.jsonl`), { force: true });
    const r = await post({ id, total: 42, items: ['a', 'b'] });
    expect(r.status).toBe(202);
    expect(((await r.json()) as { messageId: string }).messageId).toMatch(/\S/);
    await expect.poll(() => received(id).length, { ...EVENTUALLY, interval: 200 }).toBe(1);
    expect(received(id)[0]).toEqual({
      order: { id, total: 42, items: ['a', 'b'] },
      dequeueCount: 1,
    });
  });

  it('a failing message is tried five times, then moved to orders-poison', async () => {
    const id = `fail-${randomUUID()}`;
    rmSync(join(tmpdir(), 'atakora-queue-trigger', `${id}.jsonl`), { force: true });
    expect((await post({ id, fail: true })).status).toBe(202);
    await expect
      .poll(() => logs.some((l) => l.includes('moved to orders-poison')), {
        ...EVENTUALLY,
        interval: 250,
      })
      .toBe(true);
    expect(received(id).map((m) => m.dequeueCount)).toEqual([1, 2, 3, 4, 5]);
    const endpoint = dev.queueEndpoint!;
    const poison = new QueueServiceClient(endpoint, azuriteCredential()).getQueueClient(
      'orders-poison',
    );
    const { receivedMessageItems } = await poison.receiveMessages({ numberOfMessages: 32 });
    const bodies = receivedMessageItems.map(
      (m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as { id: string },
    );
    expect(bodies.map((b) => b.id)).toContain(id);
  });

  it('creates the send-only queue; the admin route still runs the queue function', async () => {
    const service = new QueueServiceClient(dev.queueEndpoint!, azuriteCredential());
    expect(await service.getQueueClient('emails').exists()).toBe(true);
    const id = `admin-${randomUUID()}`;
    const r = await fetch(`${dev.apps[0]!.url}/admin/functions/Shop-process`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': dev.adminKey },
      body: JSON.stringify({ input: { id } }),
    });
    expect(r.status).toBe(202);
    expect(received(id)).toHaveLength(1);
  });
});
