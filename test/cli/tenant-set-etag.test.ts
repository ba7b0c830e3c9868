/**
 * `atakora tenant set` writes an organization's record with the ETag it read (Cosmos DB's optimistic concurrency:
 * `accessCondition: { type: 'IfMatch', condition: <_etag> }`, 412 when the item changed — Learn, "Optimistic
 * concurrency control"): a change the runtime (Stripe's webhook, an Owner) writes between the command's read and its
 * write is kept — the command reads again and applies its change once more — and a record that keeps changing fails
 * with TENANT_RECORD_CHANGED, nothing written over it. Against the local Cosmos DB protocol server, the command's
 * code in-process (`updateTenant`), a concurrent write made between its read and its write.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateTenant } from '../../src/cli/tenant/registry-admin.js';
import type { TenantTarget } from '../../src/cli/tenant/connect.js';
import { type BillingApp, startBillingApp } from '../model/billing-app.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';

const at = '2026-01-01T00:00:00.000Z';
let cosmos: LocalCosmos;
let app: BillingApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startBillingApp(cosmos, { free: {}, pro: {} }, { price_pro: 'pro' }, [
    { id: 'price_pro', unitAmount: 2900 },
  ]);
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

/**
 * The operator's target whose registry container lets `writes` runtime writes land right after the command reads
 * an item (each marks the record with `suspendedBy`-free `billing.subscription.status` `past_due`, then `unpaid` …).
 */
function racedTarget(writes: number): { target: TenantTarget; landed: () => number } {
  let landed = 0;
  const race = (real: Container): Container =>
    new Proxy(real, {
      get(container, key, receiver) {
        if (key !== 'item') return Reflect.get(container, key, receiver) as unknown;
        return (id: string, pk: string) => {
          const item = container.item(id, pk);
          return new Proxy(item, {
            get(target, k, r) {
              if (k !== 'read') return Reflect.get(target, k, r) as unknown;
              return async (...args: Parameters<typeof item.read>) => {
                const read = await target.read(...args);
                if (landed < writes && read.resource) {
                  landed++;
                  // The runtime's write: Stripe's webhook moves the subscription (with its own ETag).
                  const now = (read.resource as { billing?: Record<string, unknown> }).billing;
                  await real.items.upsert({
                    ...(read.resource as Record<string, unknown>),
                    billing: {
                      ...now,
                      subscription: {
                        id: 'sub_Live',
                        status: `status-${String(landed)}`,
                        cancelAtPeriodEnd: false,
                      },
                    },
                  });
                }
                return read;
              };
            },
          });
        };
      },
    });
  return {
    target: {
      ...app.target,
      container: async (endpoint, database, name) =>
        race(await app.target.container(endpoint, database, name)),
    },
    landed: () => landed,
  };
}

async function organization(id: string) {
  await app.tenants.items.upsert({
    id,
    plan: 'free',
    status: 'active',
    createdOn: at,
    updatedOn: at,
    billing: { stripeCustomerId: 'cus_Live1', subscription: { id: 'sub_Live', status: 'active' } },
  });
}

const stored = async (id: string) =>
  (await app.tenants.item(id, id).read()).resource as {
    name?: string;
    billing?: { subscription?: { status: string } };
  };

describe('atakora tenant set under a concurrent write', () => {
  it('keeps the runtime’s change made between its read and its write, and applies its own', async () => {
    await organization('raced-once');
    const { target, landed } = racedTarget(1);
    const out = await updateTenant(target, 'raced-once', { name: 'Acme Ltd' }, 'set');
    expect(landed()).toBe(1);
    expect(out.changed).toBe(true);
    const record = await stored('raced-once');
    expect(record.name).toBe('Acme Ltd');
    expect(record.billing?.subscription?.status).toBe('status-1');
  });

  it('a record that keeps changing: TENANT_RECORD_CHANGED naming the run again, nothing written over it', async () => {
    await organization('raced-always');
    const { target } = racedTarget(10);
    const error = await updateTenant(target, 'raced-always', { name: 'Acme Ltd' }, 'set').catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'TENANT_RECORD_CHANGED',
      path: ['tenant', 'set', '<tid>'],
      resolution: expect.stringMatching(/again/),
    });
    const record = await stored('raced-always');
    expect(record.name).toBeUndefined();
    expect(record.billing?.subscription?.status).toMatch(/^status-/);
  });
});
