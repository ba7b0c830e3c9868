import type { CosmosDBv4LatestVersionFunctionOptions } from '@azure/functions';
import { inInvocation } from '../telemetry/tracer.js';
import { FEED_RETRY, recordFeedBatch, WEBHOOK_FEED_PREFIX } from './webhook-feed.js';
import { tenantWebhookEvent, type WebhookDeps } from './webhook-service.js';

/** The Cosmos DB trigger that turns the audit container's tenant events into the organizations' webhook events. */
export const AUDIT_WEBHOOK_FEED_FUNCTION = 'atakora-webhooks-audit';

/**
 * Where the organizations' tenant events are read from for their webhooks: the registry's `audit` container, through
 * an identity-based connection (`<connection>__accountEndpoint`), its leases in the planned lease container beside
 * it (`audit-leases`, shared with `tenant-events` functions, each under a prefix of its own).
 */
export interface AuditWebhookFeed {
  readonly connection: string;
  readonly database: string;
  readonly container: string;
  readonly leaseContainer: string;
}

/**
 * One batch of the audit container's change feed, in feed order (an organization's entries in the order they were
 * written: the container is partitioned by organization): each entry that is a tenant event recorded for its
 * organization's endpoints, its webhook-id a hash of the organization, the entry's id and its `_etag` (an entry is
 * created once and never changed, so a batch the host delivers again is recorded once). Every entry is tried; when
 * any failed, the batch then throws and the host runs it again under the trigger's retry policy. Returns how many
 * entries were tenant events.
 *
 * @example
 * ```ts
 * await recordAuditFeed(deps, documents);
 * ```
 */
export async function recordAuditFeed(
  deps: WebhookDeps,
  documents: readonly unknown[],
): Promise<number> {
  const found = documents.map((document) => {
    const event = tenantWebhookEvent(document);
    const tenant = (document as { tenant?: unknown }).tenant;
    return event?.version && typeof tenant === 'string' ? { tenant, event } : undefined;
  });
  return recordFeedBatch(deps, 'webhook-audit-feed', found);
}

/**
 * The Cosmos DB trigger (latest-version mode) of the audit container for the organizations' webhooks, registered
 * when the app setting `ATAKORA_WEBHOOK_AUDIT_FEED` (contract/integrations/webhooks.ts, which the planner sets)
 * names a connection the app has: a tenant event reaches an endpoint from the entry once it is stored — whether or
 * not the instance that wrote it lives to record it — at least once (the lease is checkpointed after the
 * function's call: `@azure/functions` reference, `checkpointInterval`: "Default is always after each Function
 * call", https://learn.microsoft.com/javascript/api/@azure/functions/cosmosdbv3functionoptions), under a retry
 * policy (Learn, "Azure Functions error handling and retries",
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries); leases under
 * {@link WEBHOOK_FEED_PREFIX}, beside the `tenant-events` functions' own prefixes.
 *
 * @example
 * ```ts
 * app.cosmosDB(AUDIT_WEBHOOK_FEED_FUNCTION, auditWebhookFeedTrigger(deps, feed));
 * ```
 */
export function auditWebhookFeedTrigger(
  deps: WebhookDeps,
  feed: AuditWebhookFeed,
): CosmosDBv4LatestVersionFunctionOptions {
  return {
    connection: feed.connection,
    databaseName: feed.database,
    containerName: feed.container,
    leaseContainerName: feed.leaseContainer,
    leaseContainerPrefix: WEBHOOK_FEED_PREFIX,
    createLeaseContainerIfNotExists: false,
    retry: FEED_RETRY,
    handler: async (documents, context) => {
      await inInvocation(context, () => recordAuditFeed(deps, documents));
    },
  };
}
