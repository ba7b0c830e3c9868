/**
 * The real side of the model's tenant registry and tenant data lifecycle: the operator's `TenantTarget` over a
 * run's containers (what `atakora tenant add|set|suspend|resume|export|delete|import` work on, in-process against
 * the same local Cosmos DB server the runtime reads), the runtime's registry cache clock (moved past its bound after
 * each operator command, never waited for), and the stored documents as they are, system fields and all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantTarget } from '../../src/cli/tenant/connect.js';
import { tenantLayout } from '../../src/cli/tenant/targets.js';
import { TENANT_REGISTRY, USAGE_LEDGER } from '../../src/kit/pure/tenant-registry.js';
import { REGISTRY_CACHE_DEFAULTS } from '../../src/runtime/tenants/registry-cache.js';
import { itemKey } from './reference-model.js';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import type { ModelBackend } from './backend.js';
import { definitionOf, type RealApp } from './real-app.js';

/** A run's app with what the operator's commands need. */
export interface TenantApp extends RealApp {
  readonly target: TenantTarget;
  /** The registry cache's clock (ms): {@link TenantApp.expire} moves it past the cache's bound. */
  readonly clock: { now: number };
  /** Every answer the registry cache keeps is now older than its bound: the next request reads the registry. */
  expire(): void;
  /** A folder of this run's (exports, the erase's marker), removed with the run. */
  readonly work: string;
  /**
   * Bytes written straight into the containers (`insertStored`: the code's previous version's items), per tenant
   * they count for: never added to the ledger, yet freed when deleted — the ledger stays this far below them.
   */
  readonly uncounted: Map<string, number>;
}

/** The cache options a registry run serves with: the runtime's default bound, on the run's own clock. */
export function registryClock(): {
  clock: { now: number };
  options: { now: () => number; maxAgeMs: number };
} {
  const clock = { now: 0 };
  return { clock, options: { now: () => clock.now, maxAgeMs: REGISTRY_CACHE_DEFAULTS.maxAgeMs } };
}

/** The operator's target over `app`: the plan's layout, each container of the plan mapped to the run's own. */
export function tenantAppOf(b: ModelBackend, app: RealApp, clock: { now: number }): TenantApp {
  const backend = definitionOf(b);
  const layout = tenantLayout(backend.plan());
  const byName = new Map(
    layout.entities.map((e) => {
      const index = b.entities.findIndex((x) => x.componentId === e.componentId);
      return [`${e.database}/${e.container}`, app.containers[index]!] as const;
    }),
  );
  const work = mkdtempSync(join(tmpdir(), 'atakora-model-tenant-'));
  const target: TenantTarget = {
    backend,
    layout,
    where: 'model',
    container: (_endpoint, database, name) => {
      const found =
        database === TENANT_REGISTRY.database && name === TENANT_REGISTRY.container
          ? app.registry
          : database === USAGE_LEDGER.database && name === USAGE_LEDGER.container
            ? app.usage
            : byName.get(`${database}/${name}`);
      if (!found) throw new Error(`the run has no container ${database}/${name}`);
      return Promise.resolve(found);
    },
    dispose: () => undefined,
  };
  const uncounted = new Map<string, number>();
  return {
    ...app,
    target,
    clock,
    work,
    uncounted,
    async insertStored(entity, item) {
      await app.insertStored(entity, item);
      const e = b.entities[entity];
      const owner = e?.shared ? undefined : item['tenantId'];
      if (typeof owner === 'string')
        uncounted.set(owner, (uncounted.get(owner) ?? 0) + storedSize(item));
    },
    expire() {
      clock.now += REGISTRY_CACHE_DEFAULTS.maxAgeMs;
    },
    async dispose() {
      rmSync(work, { recursive: true, force: true });
      await app.dispose();
    },
  };
}

/** A stored document with its entity, by the model's key of it. */
export interface StoredDocument {
  readonly entity: number;
  readonly doc: Readonly<Record<string, unknown>>;
}

/** Every document of the run's entities as stored (system fields too), by the model's key (entity, partition, id). */
export async function storedDocuments(
  b: ModelBackend,
  app: RealApp,
): Promise<Map<string, StoredDocument>> {
  const out = new Map<string, StoredDocument>();
  for (const [i, c] of app.containers.entries()) {
    const e = b.entities[i]!;
    const { resources } = await c.items
      .query<Record<string, unknown>>('SELECT * FROM c')
      .fetchAll();
    for (const doc of resources)
      out.set(itemKey(i, String(doc[e.key]), String(doc.id)), { entity: i, doc });
  }
  return out;
}

/** The registry's records as the model keeps them (plan, status), by directory. */
export async function storedRegistry(
  app: RealApp,
): Promise<Map<string, { plan: unknown; status: unknown; customer?: unknown }>> {
  const out = new Map<string, { plan: unknown; status: unknown; customer?: unknown }>();
  if (!app.registry) return out;
  const { resources } = await app.registry.items
    .query<Record<string, unknown>>('SELECT * FROM c')
    .fetchAll();
  for (const r of resources) {
    const customer = (r.billing as { stripeCustomerId?: unknown } | undefined)?.stripeCustomerId;
    out.set(String(r.id), {
      plan: r.plan,
      status: r.status,
      ...(customer !== undefined ? { customer } : {}),
    });
  }
  return out;
}

/**
 * An item's stored size as the ledger counts it, measured here on its own: the UTF-8 JSON of its fields without the
 * hidden ones (every system field, Cosmos DB's and the runtime's, starts with `_`; no generated field does).
 */
export function storedSize(item: Readonly<Record<string, unknown>>): number {
  return Buffer.byteLength(
    JSON.stringify(Object.fromEntries(Object.entries(item).filter(([k]) => !k.startsWith('_')))),
  );
}

/**
 * Each tenant's stored bytes as the ledger holds them (every instance's `stored` item and the CLI's, the runtime's
 * meter flushed first) and as the stored documents say they should be: the items counting for it (an isolated
 * item its tenant's, a shared one its recorded creator's) less what was written uncounted. `docs`: the documents as
 * {@link storedDocuments} just read them, when the caller has them (the meter's flush writes only the ledger).
 */
export async function storedBytesBoth(
  b: ModelBackend,
  app: TenantApp,
  tenants: readonly string[],
  docs?: ReadonlyMap<string, StoredDocument>,
): Promise<{ ledger: Record<string, number>; items: Record<string, number> }> {
  const registry = app.manifest.auth?.registry;
  if (registry) await boundUsageMeter(registry)?.flush();
  const ledger: Record<string, number> = {};
  const items: Record<string, number> = {};
  for (const t of tenants) {
    ledger[t] = 0;
    items[t] = 0 - (app.uncounted.get(t) ?? 0);
  }
  if (app.usage) {
    // One query for every tenant's `stored` items (a query is two round trips: its plan, then the query).
    const { resources } = await app.usage.items
      .query<{ tenant?: string; itemBytes?: number }>(
        "SELECT c.tenant, c.itemBytes FROM c WHERE c.kind = 'stored'",
      )
      .fetchAll();
    for (const r of resources)
      if (typeof r.tenant === 'string' && Object.hasOwn(ledger, r.tenant))
        ledger[r.tenant]! += r.itemBytes ?? 0;
  }
  for (const { entity, doc } of (docs ?? (await storedDocuments(b, app))).values()) {
    const owner = b.entities[entity]!.shared ? doc['_atakoraTid'] : doc['tenantId'];
    if (typeof owner === 'string' && owner in items) items[owner]! += storedSize(doc);
  }
  return { ledger, items };
}
