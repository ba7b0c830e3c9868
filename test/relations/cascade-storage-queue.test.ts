/**
 * The background path as Azure runs it: the cascade queue `atakora-cascades` in the host storage account (Azurite's
 * queue service, OAuth over HTTPS as the host identity reaches it), consumed by the queue trigger the runtime
 * registers — here driven by a loop that does what the Functions host does (receive, base64-decode, call, delete).
 */
import type { Container } from '@azure/cosmos';
import type { StorageQueueFunctionOptions } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { CASCADE_QUEUE_NAME } from '../../src/runtime/relations/cascade-queue.js';
import {
  hostQueueService,
  storageCascadeQueue,
} from '../../src/runtime/relations/storage-cascade-queue.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { startRuntime } from '../../src/runtime/start-runtime.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../support/azurite.js';
import { invoke } from '../runtime/support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { entries, principal, vaults } from './support.js';

const ALICE = principal('tenant-a', 'alice');
const credential = azuriteCredential();
const manifest: RuntimeManifest = { version: 1, backendId: 'x', entities: [vaults, entries] };
let azurite: LocalAzurite;
let cosmos: LocalCosmos;

beforeAll(async () => {
  [azurite, cosmos] = await Promise.all([startAzurite('queue'), startLocalCosmos()]);
});
afterAll(async () => Promise.all([azurite?.stop(), cosmos?.stop()]));

describe('the cascade queue in the host storage account', () => {
  it('startRuntime registers the trigger on the host connection when the manifest cascades', () => {
    const triggers: { name: string; options: StorageQueueFunctionOptions }[] = [];
    const env: Record<string, string> = {
      ATAKORA_MANIFEST: JSON.stringify(manifest),
      AzureWebJobsStorage__accountName: 'sthostshop',
      AzureWebJobsStorage__clientId: '00000000-0000-0000-0000-00000000000c',
    };
    for (const e of manifest.entities) {
      env[e.settings.endpoint] = 'https://shop.documents.azure.com:443/';
      env[e.settings.database] = 'shop';
      env[e.settings.container] = e.route;
    }
    const result = startRuntime(
      { http: () => undefined, storageQueue: (name, options) => triggers.push({ name, options }) },
      env,
    );
    expect(result.ok).toBe(true);
    expect(triggers.map((t) => [t.name, t.options.queueName, t.options.connection])).toEqual([
      ['atakora-cascades', 'atakora-cascades', 'AzureWebJobsStorage'],
    ]);
    expect(hostQueueService(env)).toBe('https://sthostshop.queue.core.windows.net');
    // Without a cascade nothing is registered, and without host storage by identity neither.
    const none: string[] = [];
    startRuntime(
      { http: () => undefined, storageQueue: (name) => none.push(name) },
      { ...env, ATAKORA_MANIFEST: JSON.stringify({ ...manifest, entities: [entries] }) },
    );
    expect(none).toEqual([]);
    expect(hostQueueService({})).toBeUndefined();
  });

  it('a cascade beyond the budget finishes through the queue; one within it leaves no message', async () => {
    const containers = new Map<string, Container>([
      ['VaultApi', await cosmos.container('vaults', '/id', 'storage-queue')],
      ['EntryApi', await cosmos.container('entries', '/id', 'storage-queue')],
    ]);
    let trigger: StorageQueueFunctionOptions['handler'] | undefined;
    const handlers = new Map<string, Parameters<typeof invoke>[0]>();
    registerCrudRoutes(
      {
        http: (name, o) => void handlers.set(name, o.handler),
        storageQueue: (_name, o) => void (trigger = o.handler),
      },
      manifest,
      {
        containerFor: (e) => containers.get(e.componentId)!,
        caller: callerPolicyOf(manifest),
        cascadeQueue: storageCascadeQueue(azurite.endpoint.replace(/\/$/, ''), credential),
        cascadeTrigger: { connection: 'AzureWebJobsStorage' },
        cascadePolicy: { inlineItems: 4 },
      },
    );
    const call = (name: string, method: string, path: string, body?: unknown, id?: string) =>
      invoke(handlers.get(name)!, method, path, {
        headers: ALICE,
        ...(body ? { body } : {}),
        ...(id ? { params: { id } } : {}),
      });
    const queue = new QueueClient(`${azurite.endpoint}${CASCADE_QUEUE_NAME}`, credential);
    const visible = async () =>
      (await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.length;
    const total = async () => (await queue.getProperties()).approximateMessagesCount ?? 0;

    // Within the budget: 204, and the safety message queued before the deletes is taken back.
    expect((await call('VaultApi-collection', 'POST', 'vaults', { id: 'small' })).status).toBe(201);
    for (const id of ['s1', 's2'])
      await call('EntryApi-collection', 'POST', 'entries', { id, vaultId: 'small' });
    expect((await call('VaultApi-item', 'DELETE', 'vaults/small', undefined, 'small')).status).toBe(
      204,
    );
    expect(await total()).toBe(0);

    // Beyond it: 202, one message due now (and the safety one, delayed), the trigger finishes.
    expect((await call('VaultApi-collection', 'POST', 'vaults', { id: 'big' })).status).toBe(201);
    for (let i = 0; i < 10; i++)
      await call('EntryApi-collection', 'POST', 'entries', { id: `b${i}`, vaultId: 'big' });
    expect((await call('VaultApi-item', 'DELETE', 'vaults/big', undefined, 'big')).status).toBe(
      202,
    );
    expect(await visible()).toBe(1);
    // What the Functions host does with each visible message: decode (base64), hand it over, delete it.
    for (let round = 0; round < 10 && (await visible()) > 0; round++) {
      const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 1 });
      for (const m of receivedMessageItems) {
        await trigger!(Buffer.from(m.messageText, 'base64').toString('utf8'), undefined as never);
        await queue.deleteMessage(m.messageId, m.popReceipt);
      }
    }
    expect(
      (await allItems(containers.get('EntryApi')!)).filter((e) => e.vaultId === 'big'),
    ).toEqual([]);
    expect((await allItems(containers.get('VaultApi')!)).map((v) => v.id)).not.toContain('big');
    // A message that is no job is dropped, not thrown back at the queue.
    await expect(trigger!('{"not":"a job"}', undefined as never)).resolves.toBeUndefined();
  });
});
