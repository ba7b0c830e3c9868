import type { Container } from '@azure/cosmos';
import type { AuditEntry } from '../../contract/audit.js';
import { WEBHOOK_LIMITS } from '../../contract/integrations/webhooks.js';
import { featuresOf } from '../../model/plans/plan-features.js';
import type { RuntimeEntity, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { AuditLog } from '../audit/record-audit.js';
import type { CosmosCallPolicy } from '../data/cosmos-policy.js';
import type { WebhookSink } from '../pipeline/services.js';
import { planLimits } from '../tenants/plan-limits.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import { isIsolated } from '../values/tenancy.js';
import { entityWebhookEvent } from './webhook-entity.js';
import { knownEventTypes } from './webhook-input.js';
import type { WebhooksApi } from './webhook-operations.js';
import type { AuditWebhookFeed } from './webhook-audit-feed.js';
import { inProcessWebhookQueue, type WebhookQueue } from './webhook-queue.js';
import { runWebhookJob } from './webhook-runner.js';
import { recordWebhookEvent, tenantWebhookEvent, type WebhookDeps } from './webhook-service.js';
import { cosmosWebhookStore, type WebhookStore } from './webhook-store.js';
import type { WebhookLookup } from './webhook-url.js';

/**
 * What a host or a test chooses of the webhooks (`RegisterDeps.webhooks`): the store (omitted → the `members`
 * container), the queue (omitted → in-process; in Azure start-runtime.ts passes the host storage's), the clock, the
 * URL policy (`allowLoopback` under `atakora dev`), the resolver, the per-attempt bound, a test receiver's CA.
 */
export interface WebhookOptions {
  readonly store?: WebhookStore;
  readonly queue?: WebhookQueue;
  readonly now?: () => number;
  readonly allowLoopback?: boolean;
  readonly lookup?: WebhookLookup;
  readonly timeoutMs?: number;
  readonly ca?: string;
  readonly log?: (line: string) => void;
  /**
   * Register a Cosmos DB trigger per tenant-scoped entity whose `connectionOf` names an identity-based connection
   * (`<connection>__accountEndpoint`; undefined: none for that entity), turning every writer's changes into entity
   * events (webhook-feed.ts); the runtime's own writes are recorded at once as well, one delivery per version either way.
   */
  readonly feed?: { readonly connectionOf: (entity: RuntimeEntity) => string | undefined };
  /**
   * The connection (`<connection>__accountEndpoint`) through which a Cosmos DB trigger reads the audit container's
   * feed into the organizations' tenant events (webhook-audit-feed.ts): given, a tenant event is recorded from the
   * stored entry — not by the request that wrote it — so it is delivered even when that instance stops after the
   * write. Omitted: the audit log's appends record them (as before the plan gave the feed).
   */
  readonly auditFeed?: { readonly connection: string };
}

/** The app's webhooks, made once: the write sink, the routes' API, the audit log that also feeds tenant events. */
export interface AppWebhooks {
  readonly deps: WebhookDeps;
  readonly sink: WebhookSink;
  readonly api: WebhooksApi;
  /** The audit log whose appended tenant events (`member.added`, …) also become deliveries. */
  readonly audit?: AuditLog;
  readonly run: (job: import('./webhook-queue.js').WebhookJob) => Promise<void>;
  /** The tenant-scoped entities: those whose changes are the organizations' entity events (webhook-feed.ts). */
  readonly entities: readonly RuntimeEntity[];
  /** Where the tenant events are read from, when from the audit container's feed (its trigger's settings). */
  readonly auditFeed?: AuditWebhookFeed;
}

/**
 * The webhooks of an app with tenants by membership: endpoints and deliveries in the `members` container, the
 * organization's plan read through the registry cache (nothing recorded for an organization that is not active or
 * whose plan lacks `webhooks`), every isolated CrudApi's writes and the audit log's tenant events recorded.
 *
 * @example
 * ```ts
 * const webhooks = appWebhooks({ registry: reg, entities, container, records, audit, options: { allowLoopback: true } });
 * ```
 */
export function appWebhooks(w: {
  readonly registry: RuntimeTenantRegistry;
  readonly entities: readonly RuntimeEntity[];
  readonly container?: Container | undefined;
  readonly cosmos?: CosmosCallPolicy | undefined;
  readonly records?: RegistryCache | undefined;
  readonly audit?: AuditLog | undefined;
  /** The audit container's database and name (the registry's), read by the feed with `options.auditFeed`. */
  readonly auditContainer?: { readonly database: string; readonly container: string } | undefined;
  readonly options?: WebhookOptions | undefined;
}): AppWebhooks | undefined {
  const o = w.options ?? {};
  const store = o.store ?? (w.container ? cosmosWebhookStore(w.container, w.cosmos) : undefined);
  if (!store) return undefined;
  const queue = o.queue ?? inProcessWebhookQueue(o.log);
  const deps: WebhookDeps = {
    store,
    queue,
    now: o.now ?? Date.now,
    url: { allowLoopback: o.allowLoopback ?? false, ...(o.lookup ? { lookup: o.lookup } : {}) },
    timeoutMs: o.timeoutMs ?? WEBHOOK_LIMITS.timeoutMs,
    ...(o.ca ? { ca: o.ca } : {}),
    features: async (tenant) => {
      const record = await w.records?.get(tenant);
      if (record?.status !== 'active') return undefined;
      return featuresOf(planLimits(w.registry, record.plan).limits, w.registry.plans);
    },
    ...(w.audit ? { audit: w.audit } : {}),
    log:
      o.log ??
      ((line) => {
        console.error(line);
      }),
  };
  const run = (job: Parameters<typeof runWebhookJob>[1]) => runWebhookJob(deps, job);
  queue.attach?.(run);
  const isolated = w.entities.filter((e) => isIsolated(e));
  const sink: WebhookSink = {
    async entityChanged(entity, operation, response, id, tenant) {
      if (!isIsolated(entity)) return;
      const event = entityWebhookEvent(entity, operation, response, id);
      if (event) await recordWebhookEvent(deps, tenant, event);
    },
  };
  const auditFeed =
    o.auditFeed && w.auditContainer
      ? {
          connection: o.auditFeed.connection,
          ...w.auditContainer,
          leaseContainer: `${w.auditContainer.container}-leases`,
        }
      : undefined;
  return {
    deps,
    sink,
    api: { deps, known: knownEventTypes(isolated.map((e) => e.entityName)) },
    // From the feed, the log is left as it is: the stored entry is what becomes the event.
    ...(w.audit ? { audit: auditFeed ? w.audit : tappedAudit(w.audit, deps) } : {}),
    run,
    entities: isolated,
    ...(auditFeed ? { auditFeed } : {}),
  };
}

/** The audit log with each appended tenant event recorded for the organization's webhooks after it is stored. */
function tappedAudit(audit: AuditLog, deps: WebhookDeps): AuditLog {
  const store = audit.store;
  return {
    ...audit,
    store: {
      page: (...args) => store.page(...args),
      async append(entry: AuditEntry, ttlSeconds: number) {
        await store.append(entry, ttlSeconds);
        const event = tenantWebhookEvent(entry);
        if (event) await recordWebhookEvent(deps, entry.tenant, event);
      },
    },
  };
}
