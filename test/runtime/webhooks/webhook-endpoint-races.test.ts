/**
 * An endpoint written by two hands at once: the delivery runner marks a failing endpoint (`failingSince`, disabled
 * after 3 days) while an Owner rotates its secret, patches it or deletes it. The runner read the endpoint before
 * its attempt and writes after it, seconds later (10 s per delivery): a write of the record it read would put the
 * rotated-away secret back, undo the Owner's patch, or bring a deleted endpoint (and its secret) back to life.
 * Every endpoint write is a change of the record as stored, made under its ETag (Cosmos DB's optimistic concurrency,
 * Learn "Optimistic concurrency control": a replace with an `IfMatch` access condition answers 412 when the item
 * changed). Against the local Cosmos DB server, the Owner's write landing between the runner's read and its write.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_FEATURES } from '../../../src/model/plans/plan-features.js';
import { runWebhookJob } from '../../../src/runtime/webhooks/webhook-runner.js';
import type { WebhookDeps } from '../../../src/runtime/webhooks/webhook-service.js';
import {
  cosmosWebhookStore,
  type StoredWebhook,
  type WebhookStore,
} from '../../../src/runtime/webhooks/webhook-store.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';

let cosmos: LocalCosmos;
let receiver: Server;
let url: string;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  // The customer's endpoint is down: every attempt fails, so the runner marks the endpoint after it.
  receiver = createServer((_req, res) => res.writeHead(500).end());
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;
});
afterAll(async () => {
  await new Promise((done) => receiver?.close(done));
  await cosmos?.stop();
});

const at = Date.parse('2026-11-29T01:00:00.000Z');
let n = 0;

/** A fresh endpoint with one pending delivery, its store, and the runner's deps on a fixed clock. */
async function setUp(endpoint: Partial<StoredWebhook> = {}) {
  const tenant = `acme-${String(++n)}`;
  const store = cosmosWebhookStore(await cosmos.container('members', '/tenant'));
  const stored: StoredWebhook = {
    tenant,
    id: 'w1',
    url,
    events: ['*'],
    secret: 'whsec_old',
    enabled: true,
    createdOn: new Date(at).toISOString(),
    createdBy: 'ada',
    ...endpoint,
  };
  await store.createEndpoint(stored);
  const start = new Date(at).toISOString();
  await store.addDelivery({
    ...{ tenant, endpoint: 'w1', id: 'msg_1', type: 'note.created', chain: 'n1', seq: 1 },
    ...{ body: '{}', status: 'pending', attempts: 0, createdOn: start, windowStart: start },
  });
  return { tenant, store, stored };
}

/** The store, with `meanwhile` run once just after the runner read the pending deliveries (before its attempt). */
function interleaved(store: WebhookStore, meanwhile: () => Promise<void>): WebhookStore {
  let ran = false;
  return {
    ...store,
    async pending(tenant, endpoint, chain) {
      const found = await store.pending(tenant, endpoint, chain);
      if (!ran) {
        ran = true;
        await meanwhile();
      }
      return found;
    },
  };
}

const deps = (store: WebhookStore, now: number): WebhookDeps => ({
  store,
  queue: { send: async () => undefined },
  now: () => now,
  url: { allowLoopback: true },
  timeoutMs: 5_000,
  // An organization on a plan with webhooks: the runner sends nothing for one without (webhook-runner.ts).
  features: async () => ALL_FEATURES,
  log: () => undefined,
});

describe('an endpoint written by the runner and an Owner at once', () => {
  it("a rotation between the runner's read and its failure mark is kept", async () => {
    const { tenant, store, stored } = await setUp();
    const rotated = { ...stored, secret: 'whsec_new', previousSecret: 'whsec_old' };
    const racing = interleaved(store, async () => {
      await store.updateEndpoint(tenant, 'w1', () => rotated);
    });
    await runWebhookJob(deps(racing, at), { v: 1, tenant, endpoint: 'w1', chain: 'n1' });
    const after = await store.readEndpoint(tenant, 'w1');
    expect(after?.secret).toBe('whsec_new');
    expect(after?.failingSince).toBe(new Date(at).toISOString());
  });

  it('a delete between the runner’s read and its failure mark stays a delete', async () => {
    const { tenant, store } = await setUp();
    const racing = interleaved(store, async () => {
      await store.removeEndpoint(tenant, 'w1');
    });
    await runWebhookJob(deps(racing, at), { v: 1, tenant, endpoint: 'w1', chain: 'n1' });
    expect(await store.readEndpoint(tenant, 'w1')).toBeUndefined();
  });

  it("an Owner's re-enable between the runner's read and its disabling is not undone by a stale record", async () => {
    // Failing for 3 days already: this failure disables it — unless the Owner's patch (a new URL, failures
    // forgotten) landed meanwhile; then the endpoint is the Owner's, failing from now.
    const since = new Date(at - 4 * 86_400_000).toISOString();
    const { tenant, store, stored } = await setUp({ failingSince: since });
    const { failingSince: _forgotten, ...patched } = { ...stored, events: ['note.*'] };
    const racing = interleaved(store, async () => {
      await store.updateEndpoint(tenant, 'w1', () => patched);
    });
    await runWebhookJob(deps(racing, at), { v: 1, tenant, endpoint: 'w1', chain: 'n1' });
    const after = await store.readEndpoint(tenant, 'w1');
    expect(after?.events).toEqual(['note.*']);
    expect(after?.enabled).toBe(true);
    expect(after?.failingSince).toBe(new Date(at).toISOString());
  });
});
