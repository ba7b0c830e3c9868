/**
 * Plans, limits and the usage ledger per organization (tenants by membership) against the real runtime on the local
 * Cosmos DB server: one user in two organizations spends each organization's request rate apart — the third request
 * in one is 429 `rate-limited` while the other serves on —, and the ledger counts each request under the
 * organization it acted in (refused ones too), never under the user's directory. The meter's clock is injected.
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import type { HourItem } from '../../src/runtime/usage/usage-items.js';
import { principalHeader } from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { membershipAuth } from './support/registry-auth.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { registerNotesApp } from './support/notes-app.js';

const T0 = Date.UTC(2026, 2, 1, 14, 5, 30);
const at = '2026-01-01T00:00:00.000Z';
const policy = membershipAuth('home-dir', {
  plans: { small: { requestsPerMinute: 2 } },
  defaultPlan: 'small',
});

let cosmos: LocalCosmos;
let usage: Container;
let list: (org: string) => ReturnType<typeof invoke>;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const tenants = await cosmos.container('tenants', '/id');
  const members = await cosmos.container('members', '/tenant');
  usage = await cosmos.container('usage', '/tenant');
  for (const org of ['acme', 'globex']) {
    await tenants.items.upsert({
      id: org,
      plan: 'small',
      status: 'active',
      createdOn: at,
      updatedOn: at,
    });
    await members.items.upsert({
      id: `${org}|ada`,
      tenant: org,
      userId: 'ada',
      roles: ['Member'],
      addedOn: at,
    });
  }
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  const fns = new Map<string, HttpFunctionOptions>();
  registerNotesApp(fns, policy, notes, {
    tenantRegistry: { now: () => T0 },
    usageLedger: {
      store: cosmosUsageStore(usage),
      instance: 'i-a',
      now: () => T0,
      flushIntervalMs: 0,
      onError: (e) => {
        throw e;
      },
    },
  });
  const collection = fns.get(`${noteEntity.componentId}-collection`)?.handler as HttpHandler;
  list = (org) =>
    invoke(collection, 'GET', noteEntity.route, {
      headers: {
        ...principalHeader([
          ['tid', 'ada-directory'],
          ['oid', 'ada'],
        ]),
        'x-atakora-tenant': org,
      },
    });
});
afterAll(async () => cosmos?.stop());

async function hours(tenant: string): Promise<HourItem[]> {
  const { resources } = await usage.items
    .query<HourItem>({
      query: "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'hour'",
      parameters: [{ name: '@t', value: tenant }],
    })
    .fetchAll();
  return resources;
}

describe('limits and the ledger per organization', () => {
  it('each organization its own rate; every request counted under the organization it acted in', async () => {
    expect((await list('acme')).status).toBe(200);
    expect((await list('acme')).status).toBe(200);
    const third = await list('acme');
    expect([third.status, third.body.type, third.body.policy]).toEqual([
      429,
      'urn:atakora:problem:rate-limited',
      'tenant',
    ]);
    // An organization is no directory: the detail names what the caller knows.
    expect(third.body.detail).toMatch(/^Your organization made its plan's 2 requests/);
    expect(third.body.detail).not.toMatch(/directory/);
    // The same user in the other organization: its own window.
    expect((await list('globex')).status).toBe(200);
    const meter = policy.registry ? boundUsageMeter(policy.registry) : undefined;
    await meter?.flush();
    const count = (items: HourItem[], f: 'requests' | 'refused') =>
      items.reduce((n, i) => n + i[f], 0);
    const acme = await hours('acme');
    expect([count(acme, 'requests'), count(acme, 'refused')]).toEqual([3, 1]);
    expect(count(await hours('globex'), 'requests')).toBe(1);
    expect(await hours('ada-directory')).toEqual([]);
  });
});
