/**
 * The delivery log's lifetime: each delivery record carries its own `ttl` (30 days, counted by Cosmos DB from the
 * record's last write — Learn, "Time to Live (TTL) in Azure Cosmos DB"), and the `members` container it lives in has
 * TTL on with no default (`default_ttl = -1`) so that `ttl` applies while memberships, invitations and endpoints
 * (no `ttl`) never expire. The store against the local Cosmos DB server; the container in the synthesized plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../../src/backend/define-backend.js';
import { CrudApi } from '../../../src/components/crud/index.js';
import type { BackendConfig } from '../../../src/model/config.js';
import {
  cosmosWebhookStore,
  DELIVERY_TTL_SECONDS,
} from '../../../src/runtime/webhooks/webhook-store.js';
import { synth } from '../../support/synth.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';

let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => {
  await cosmos?.stop();
});

const at = '2026-11-29T01:00:00.000Z';

describe('the delivery log’s lifetime', () => {
  it('a delivery record carries a 30-day ttl, rewritten on every attempt; an endpoint none', async () => {
    const members = await cosmos.container('members', '/tenant');
    const store = cosmosWebhookStore(members);
    await store.createEndpoint({
      tenant: 'acme',
      id: 'w1',
      url: 'https://hooks.example.com/a',
      events: ['*'],
      secret: 'whsec_x',
      enabled: true,
      createdOn: at,
      createdBy: 'ada',
    });
    const delivery = {
      tenant: 'acme',
      endpoint: 'w1',
      id: 'msg_1',
      type: 'note.created',
      chain: 'n1',
      seq: 1,
      body: '{}',
      status: 'pending' as const,
      attempts: 0,
      createdOn: at,
      windowStart: at,
    };
    await store.addDelivery(delivery);
    await store.replaceDelivery({ ...delivery, status: 'delivered', attempts: 1, answer: 200 });
    const { resources } = await members.items
      .query<{ kind: string; ttl?: number }>('SELECT c.kind, c.ttl FROM c')
      .fetchAll();
    expect(DELIVERY_TTL_SECONDS).toBe(30 * 24 * 60 * 60);
    expect(resources.find((r) => r.kind === 'webhook-delivery')?.ttl).toBe(DELIVERY_TTL_SECONDS);
    expect(resources.find((r) => r.kind === 'webhook')?.ttl).toBeUndefined();
    // Read back as a delivery (the ttl is the store's, not the delivery's).
    expect((await store.readDelivery('acme', 'w1', 'msg_1'))?.status).toBe('delivered');
  });

  it('the members container is planned with TTL on and no default (default_ttl -1)', () => {
    const json = synth(
      defineBackend(
        { notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }) },
        {
          tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free' },
        } as BackendConfig,
      ),
    );
    const container = Object.values(json.resource['azurerm_cosmosdb_sql_container'] ?? {}).find(
      (c) => (c as { name?: string }).name === 'members',
    );
    expect(container).toMatchObject({ name: 'members', default_ttl: -1 });
  });
});
