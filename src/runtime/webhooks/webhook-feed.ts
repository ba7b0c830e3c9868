import type { Container } from '@azure/cosmos';
import type { CosmosDBv4LatestVersionFunctionOptions } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import {
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../data/cosmos-policy.js';
import { changeEventOf } from '../events/change-feed.js';
import { TENANT_EVENTS_MAX_RETRIES } from '../events/tenant-event-delivery.js';
import { inInvocation } from '../telemetry/tracer.js';
import { entityItemEvent } from './webhook-entity.js';
import {
  recordWebhookEventOrThrow,
  type WebhookDeps,
  type WebhookEvent,
} from './webhook-service.js';

/**
 * The lease prefix of the webhooks' change feed triggers: their leases sit in the entity's `<container>-leases`
 * beside an `onChange` trigger's, kept apart by the prefix (Learn, "Azure Cosmos DB trigger for Azure Functions 2.x
 * and higher", `leaseContainerPrefix`: "Using a prefix allows two separate Azure Functions to share the same lease
 * container by using different prefixes", https://learn.microsoft.com/azure/azure-functions/functions-bindings-cosmosdb-v2-trigger).
 */
export const WEBHOOK_FEED_PREFIX = 'atakora-webhooks.';

/**
 * The name of the Cosmos DB trigger that turns one entity's changes into its organizations' webhook events.
 *
 * @example
 * ```ts
 * webhookFeedFunction('NoteApi'); // 'atakora-webhooks-NoteApi'
 * ```
 */
export const webhookFeedFunction = (componentId: string): string =>
  `atakora-webhooks-${componentId}`;

/**
 * The webhook event of one change feed document of a tenant-scoped entity, and the organization it is for: the item's
 * own `tenantId` (stamped by the runtime on every write, never taken from a body; an item without one is nobody's
 * and goes nowhere), `<entity>.created` when the runtime's stamp says the version was a create, else
 * `<entity>.updated` (the feed in latest-version mode carries no operation: a write that did not pass through the
 * runtime is an update — Learn, "Change feed modes in Azure Cosmos DB",
 * https://learn.microsoft.com/azure/cosmos-db/nosql/change-feed-modes), its version the `_etag` (one webhook-id per
 * version: webhook-service.ts `versionMessageId`), and — before anything is recorded — a point read asking whether
 * that version is still the item's (a stale batch never overtakes a newer version). Undefined for a migration's
 * rewrite, a document without `_etag`, or no item.
 *
 * @example
 * ```ts
 * entityFeedEvent(noteEntity, doc, container)?.event.type; // 'note.updated'
 * ```
 */
export function entityFeedEvent(
  entity: RuntimeEntity,
  document: unknown,
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): { readonly tenant: string; readonly event: WebhookEvent } | undefined {
  const change = changeEventOf(document);
  if (!change?.tenant || change.operation === 'migrate' || change.operation === 'delete')
    return undefined;
  const doc = document as Record<string, unknown>;
  const version = doc['_etag'];
  if (typeof version !== 'string' || version === '') return undefined;
  const event = entityItemEvent(
    entity,
    change.operation === 'create' ? 'created' : 'updated',
    change.item,
    version,
  );
  const id = change.item['id'];
  if (!event || typeof id !== 'string') return undefined;
  const pk = partitionValueOf(doc, entity.partitionKey);
  if (pk === undefined) return { tenant: change.tenant, event };
  const current = async () =>
    (await readItemOrNone(container, policy, id, pk))?.['_etag'] === version;
  return { tenant: change.tenant, event: { ...event, current } };
}

/** The item's value at a one-level partition key path (`/tenantId`) when it is a string; else none (no check). */
function partitionValueOf(doc: Record<string, unknown>, path: string): string | undefined {
  const key = path.startsWith('/') ? path.slice(1) : path;
  if (key === '' || key.includes('/')) return undefined;
  const value = Object.hasOwn(doc, key) ? doc[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * One batch of an entity's change feed, in feed order (an item's versions in the order they were written): each
 * document's event recorded for its organization's endpoints. Every document is tried; when any failed, the batch
 * then throws and the host delivers it again under the trigger's retry policy — what was recorded is not recorded
 * twice (one delivery per version and endpoint), what was superseded meanwhile is left out. Returns how many
 * documents became events.
 *
 * @example
 * ```ts
 * await recordEntityFeed(deps, noteEntity, container, documents);
 * ```
 */
export async function recordEntityFeed(
  deps: WebhookDeps,
  entity: RuntimeEntity,
  container: Container,
  documents: readonly unknown[],
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): Promise<number> {
  const found = documents.map((d) => entityFeedEvent(entity, d, container, policy));
  return recordFeedBatch(deps, 'webhook-feed', found);
}

/** Event in a feed batch: the organization's, for its endpoints. */
export interface FeedEvent {
  readonly tenant: string;
  readonly event: WebhookEvent;
}

/**
 * Record a feed batch's events in order, each for its organization's endpoints: every one is tried, each failure
 * logged under `operation`; when any failed, the first failure is thrown after all, so the host runs the batch again
 * under the trigger's retry policy ({@link FEED_RETRY}) — what was recorded is not recorded twice. Returns how many
 * events there were (`undefined`s, documents that are none, skipped).
 *
 * @example
 * ```ts
 * await recordFeedBatch(deps, 'webhook-feed', [{ tenant: 'acme', event }]);
 * ```
 */
export async function recordFeedBatch(
  deps: WebhookDeps,
  operation: string,
  batch: readonly (FeedEvent | undefined)[],
): Promise<number> {
  let events = 0;
  let failed: Error | undefined;
  for (const found of batch) {
    if (!found) continue;
    events++;
    try {
      await recordWebhookEventOrThrow(deps, found.tenant, found.event);
    } catch (e) {
      failed ??= e instanceof Error ? e : new Error(String(e));
      deps.log(
        JSON.stringify({
          component: 'runtime',
          operation,
          outcome: 'failed',
          tenant: found.tenant,
          type: found.event.type,
          message: e instanceof Error ? e.message : String(e),
        }),
      );
    }
  }
  if (failed) throw failed;
  return events;
}

/**
 * The retry policy of the webhooks' change feed triggers: a failed batch delivered again, with backoff (Learn,
 * "Azure Functions error handling and retries": retry policies apply to the Azure Cosmos DB trigger,
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries).
 */
export const FEED_RETRY = {
  strategy: 'exponentialBackoff',
  maxRetryCount: TENANT_EVENTS_MAX_RETRIES,
  minimumInterval: { seconds: 5 },
  maximumInterval: { minutes: 5 },
} as const;

/**
 * The Cosmos DB trigger (latest-version mode) of one tenant-scoped entity's container for its organizations'
 * webhooks: the lease container beside it (planned, never created by the trigger: its identity cannot create
 * containers), under {@link WEBHOOK_FEED_PREFIX}; a retry policy so a failed batch is delivered again (Learn, "Azure
 * Functions error handling and retries": retry policies apply to the Azure Cosmos DB trigger,
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries).
 *
 * @example
 * ```ts
 * app.cosmosDB(webhookFeedFunction(e.componentId), webhookFeedTrigger(deps, e, container, 'ATAKORA_WEBHOOK_FEED'));
 * ```
 */
export function webhookFeedTrigger(
  deps: WebhookDeps,
  entity: RuntimeEntity,
  container: Container,
  connection: string,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): CosmosDBv4LatestVersionFunctionOptions {
  return {
    connection,
    databaseName: container.database.id,
    containerName: container.id,
    // The name a CrudApi's onChange lease container has (resources/functions/change-feed-connection.ts).
    leaseContainerName: `${container.id}-leases`,
    leaseContainerPrefix: WEBHOOK_FEED_PREFIX,
    createLeaseContainerIfNotExists: false,
    retry: FEED_RETRY,
    handler: async (documents, context) => {
      await inInvocation(context, () =>
        recordEntityFeed(deps, entity, container, documents, policy),
      );
    },
  };
}
