/**
 * `$expand` shares its request's migration budget: the related items an answer embeds are migrated within the one
 * budget of the page (as a list page's own items are), so expanding never makes a request wait for migrations
 * longer than its list would — a page whose expanded items' migrations do not settle within it answers as the
 * list of those items does: 500 `migration-failed`.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { deadline } from '../support/patience.js';
import { customers, orders, principal, relationApp } from './support.js';

const ALICE = principal('tenant-a', 'alice');
/**
 * The request budget (the per-call Cosmos DB deadline): each migration fits in it alone, four together do not
 * (4 × 0.3 > 1, which a slow machine only makes truer: the list is cut during the fourth); one alone leaves 70 % of
 * it for the rest of its request (two reads of the local server, milliseconds). Both scale with the machine's
 * slowness (test/support/patience.ts) up to the 3 s this file used before, so a loaded machine keeps a margin of
 * 2.1 s; a quiet one waits ~1 s per cut list, not 3 (the deadline is what is proven, so it is waited out: bounded by
 * the budget, never by a test's clock).
 */
const BUDGET_MS = Math.min(deadline(1000), 3000);
const MIGRATION_MS = BUDGET_MS * 0.3;
const versioned: RuntimeEntity = { ...customers, schemaVersion: 2 };

let cosmos: LocalCosmos;
let app: ReturnType<typeof relationApp>;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const containers = new Map<string, Container>([
    ['CustomerApi', await cosmos.container('customers', '/tenantId', 'budget')],
    ['OrderApi', await cosmos.container('orders', '/tenantId', 'budget')],
  ]);
  const slow = async (item: Record<string, unknown>) => {
    await new Promise((r) => setTimeout(r, MIGRATION_MS));
    return item;
  };
  app = relationApp(
    { version: 1, backendId: 'budget', entities: [versioned, orders] },
    containers,
    {
      cosmos: { timeoutMs: BUDGET_MS, retryAfterSeconds: 1 },
      migrations: { CustomerApi: { 2: slow } },
    },
  );
  for (let i = 0; i < 4; i++) {
    // Customers as version 1 stored them (no version field): every read migrates them.
    await containers
      .get('CustomerApi')!
      .items.create({ id: `c${i}`, tenantId: 'tenant-a', name: `n${i}` });
    expect(
      (await app.create(orders, { id: `o${i}`, customerId: `c${i}`, total: i }, ALICE)).status,
    ).toBe(201);
  }
});
afterAll(async () => cosmos?.stop());

it("a page's expanded items share its one migration budget, and exceeding it answers as the list does", async () => {
  const list = await app.list(versioned, ALICE);
  expect(list.status).toBe(500);
  expect(list.body.type).toBe('urn:atakora:problem:migration-failed');
  const expanded = await app.list(orders, ALICE, { $expand: 'customer' });
  expect(expanded.status).toBe(list.status);
  expect(expanded.body.type).toBe(list.body.type);
  expect(expanded.body.detail).toContain('budget');
});

it('one expanded item whose migration fits the budget is shown migrated', async () => {
  const one = await app.item(orders, 'GET', 'o0', ALICE, { query: { $expand: 'customer' } });
  expect(one.status).toBe(200);
  expect(one.body.customer).toEqual({ id: 'c0', name: 'n0', tenantId: 'tenant-a' });
});
