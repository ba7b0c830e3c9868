import type { CosmosDBv4LatestVersionFunctionOptions, InvocationContext } from '@azure/functions';
import { tenantEventOf, type TenantEvent } from '../../contract/tenant-events.js';
import type { HostedFunction } from '../../model/requirements.js';
import { inInvocation } from '../telemetry/tracer.js';
import { changeFeedSource } from './change-feed.js';

/** A `tenant-events` handler as its module exports it. */
export type TenantEventsHandler = (event: TenantEvent, context: InvocationContext) => unknown;

/**
 * How often the host runs a batch again after its handler failed before it moves on (Learn, "Azure Functions error
 * handling and retries": retry policies apply to the Azure Cosmos DB trigger,
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries). `atakora dev`'s
 * emulated trigger retries as often (cli/dev/host/change-feed-triggers.ts).
 */
export const TENANT_EVENTS_MAX_RETRIES = 5;

/** A batch in which a handler threw: thrown after the batch, so the host delivers it again (same event ids). */
export class TenantEventsFailed extends Error {
  constructor(
    readonly failed: readonly string[],
    override readonly cause: unknown,
  ) {
    super(
      `tenant events ${failed.join(', ')} failed in their handler: the batch is delivered again (same ids). ` +
        `First error: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'TenantEventsFailed';
  }
}

/**
 * What a `tenant-events` function does with one batch of the audit container's change feed: each entry that is one
 * of the events the function takes ({@link tenantEventOf}), in feed order (an organization's changes in the order
 * they were made), to the handler one at a time. Every event of the batch is tried; when any handler call threw,
 * the batch then fails ({@link TenantEventsFailed}) and the host runs it again under its retry policy — events
 * done before are delivered again with their same `id`: at least once, never lost to one failure. Returns how many
 * events were delivered.
 *
 * @example
 * ```ts
 * await deliverTenantEvents(['member.added'], welcome, documents, context);
 * ```
 */
export async function deliverTenantEvents(
  events: readonly string[] | undefined,
  handler: TenantEventsHandler,
  documents: readonly unknown[],
  context: InvocationContext,
): Promise<number> {
  const failed: string[] = [];
  let first: unknown;
  let delivered = 0;
  for (const document of documents) {
    const event = tenantEventOf(document);
    if (!event || (events && !events.includes(event.type))) continue;
    try {
      await handler(event, context);
      delivered++;
    } catch (e) {
      if (failed.length === 0) first = e;
      failed.push(event.id);
      context.error(
        JSON.stringify({
          component: 'runtime',
          operation: 'tenant-event',
          outcome: 'failed',
          event: { id: event.id, type: event.type, tenant: event.tenant },
          error: e instanceof Error ? e.message : String(e),
        }),
      );
    }
  }
  if (failed.length > 0) throw new TenantEventsFailed(failed, first);
  return delivered;
}

/**
 * The Cosmos DB trigger of a `tenant-events` function: the registry's `audit` container in latest-version mode (an
 * entry is created once and never changed, so no version is lost), its leases in the planned `audit-leases` under
 * the function's own prefix (several such functions share one lease container, each reading every entry), a retry
 * policy so that a failed batch is delivered again.
 *
 * @example
 * ```ts
 * app.cosmosDB(f.name, tenantEventsTrigger(f, handler));
 * ```
 */
export function tenantEventsTrigger(
  f: HostedFunction,
  handler: TenantEventsHandler,
): CosmosDBv4LatestVersionFunctionOptions {
  return {
    ...changeFeedSource(f),
    leaseContainerPrefix: `${f.name}.`,
    retry: {
      strategy: 'exponentialBackoff',
      maxRetryCount: TENANT_EVENTS_MAX_RETRIES,
      minimumInterval: { seconds: 5 },
      maximumInterval: { minutes: 5 },
    },
    handler: async (documents, context) => {
      await inInvocation(context, () => deliverTenantEvents(f.events, handler, documents, context));
    },
  };
}
