/**
 * `atakora migrate` keeps the usage ledger exact: items created through the runtime (counted by its meter) and
 * rewritten by `rewriteOlderItems` to a larger shape — each rewrite's difference counted for the item's tenant in
 * the CLI's `stored:atakora-cli` item — leave each tenant's stored bytes equal to its items' as they are now; a
 * tenant whose items were not rewritten is untouched.
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteOlderItems } from '../../src/cli/migrate/rewrite-items.js';
import { StoredBytesTally, storedIn } from '../../src/cli/shared/ledger-bytes.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import { storedSize } from '../model/tenant-app.js';
import { principalHeader } from '../runtime/support/built-app.js';
import { noteEntity } from '../runtime/support/entities.js';
import { invoke } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { registryAuth } from '../runtime/support/registry-auth.js';

let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

describe('migrate and the usage ledger', () => {
  it("each rewrite's difference is counted for its item's tenant: stored bytes stay its items'", async () => {
    const [notes, registry, usage] = [
      await cosmos.container('migrate-notes', '/tenantId'),
      await cosmos.container('migrate-tenants', '/id'),
      await cosmos.container('migrate-usage', '/tenant'),
    ];
    const auth = callerPolicyOf({
      version: 1,
      backendId: 'x',
      entities: [],
      auth: registryAuth('home-m', {
        container: 'migrate-tenants',
        usage: 'migrate-usage',
        plans: { free: {} },
      }),
    });
    const at = '2026-01-01T00:00:00.000Z';
    for (const id of ['mig-a', 'mig-b'])
      await registry.items.upsert({
        id,
        plan: 'free',
        status: 'active',
        createdOn: at,
        updatedOn: at,
      });
    const fns = new Map<string, HttpFunctionOptions>();
    registerCrudRoutes(
      { http: (name, o) => fns.set(name, o) },
      { version: 1, backendId: 'x', entities: [noteEntity], auth },
      {
        containerFor: () => notes,
        caller: auth,
        usageLedger: { store: cosmosUsageStore(usage), instance: 'mig-1', flushIntervalMs: 0 },
      },
    );
    const create = fns.get(`${noteEntity.componentId}-collection`)!.handler as HttpHandler;
    for (const [tid, title] of [
      ['mig-a', 'one'],
      ['mig-a', 'two'],
      ['mig-b', 'three'],
    ] as const) {
      const r = await invoke(create, 'POST', noteEntity.route, {
        headers: principalHeader([
          ['tid', tid],
          ['oid', 'u1'],
        ]),
        body: { title },
      });
      expect(r.status).toBe(201);
    }
    await boundUsageMeter(auth.registry!)!.flush();
    const ledger = async (tid: string) => {
      const { resources } = await usage.items
        .query<number>({
          query: "SELECT VALUE SUM(c.itemBytes) FROM c WHERE c.tenant = @t AND c.kind = 'stored'",
          parameters: [{ name: '@t', value: tid }],
        })
        .fetchAll();
      return resources[0] ?? 0;
    };
    const items = async (tid: string) => {
      const { resources } = await notes.items
        .query<Record<string, unknown>>({
          query: 'SELECT * FROM c WHERE c.tenantId = @t',
          parameters: [{ name: '@t', value: tid }],
        })
        .fetchAll();
      return resources.reduce((s, d) => s + storedSize(d), 0);
    };
    const before = { a: await ledger('mig-a'), b: await ledger('mig-b') };
    expect(before).toEqual({ a: await items('mig-a'), b: await items('mig-b') });
    // Version 2 adds a body to the notes of tenant mig-a only (mig-b's stay as they are).
    const v2: RuntimeEntity = { ...noteEntity, schemaVersion: 2 };
    const tally = new StoredBytesTally(usage);
    const summary = await rewriteOlderItems({
      container: notes,
      entity: v2,
      migrations: {
        2: (item) =>
          item['tenantId'] === 'mig-a' ? { ...item, body: 'added by version 2' } : item,
      },
      onRewritten: storedIn(tally, true),
      onProgress: () => tally.flush(),
    });
    expect(summary.rewritten).toBe(3);
    await tally.flush();
    expect(await ledger('mig-a')).toBe(await items('mig-a'));
    expect(await ledger('mig-a')).toBeGreaterThan(before.a);
    expect(await ledger('mig-b')).toBe(before.b);
  });
});
