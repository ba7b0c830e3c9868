import type { CosmosDBv4LatestVersionFunctionOptions } from '@azure/functions';
import type { HostedFunction } from '../../model/requirements.js';
import { type ChangeEvent, type ChangeHandler, dispatchChange } from './change-dispatch.js';
import { CHANGE_OPERATION_FIELD, stripSystemFields } from '../values/system-fields.js';
import { TENANT_FIELD } from '../values/tenancy.js';

/**
 * The operations a change feed document can carry in its hidden field (a delete leaves no document behind;
 * `migrate` is stamped by `atakora migrate`'s rewrite).
 */
const STAMPED: ReadonlySet<string> = new Set(['create', 'replace', 'update', 'migrate']);

/**
 * The hidden operation field's value for a write: what {@link changeEventOf} reads back from the change feed.
 * Mutates and returns `item`, which the write owns (never a stored or cached object).
 *
 * @example
 * ```ts
 * stampChange({ id: 'b1' }, 'create'); // { id: 'b1', _atakoraOp: 'create' }
 * ```
 */
export function stampChange<T extends Record<string, unknown>>(
  item: T,
  operation: 'create' | 'replace' | 'update' | 'migrate',
): T {
  (item as Record<string, unknown>)[CHANGE_OPERATION_FIELD] = operation;
  return item;
}

/**
 * One change feed document as the `onChange` handler sees it: the operation the runtime stamped on the write
 * (`update` for a document written by something else, whose operation nobody recorded), the item without
 * Cosmos DB's system properties and the hidden field — the body a client got back from that write, owner
 * field included: the handler is the backend's own code, as trusted as the runtime — and the item's tenant
 * (`tenantId`, stamped by the runtime on isolated entities; absent on shared ones). `undefined` for a value
 * that is no item (the feed carries JSON objects only; kept defensive, as it is the host's input).
 *
 * The feed in latest-version mode carries creates and updates, never deletes (Learn, "Change feed modes in
 * Azure Cosmos DB", https://learn.microsoft.com/azure/cosmos-db/nosql/change-feed-modes): no `delete` event
 * comes from here.
 *
 * @example
 * ```ts
 * changeEventOf({ id: 'b1', tenantId: 't1', _atakoraOp: 'create', _etag: '"1"', _ts: 1 });
 * // { operation: 'create', item: { id: 'b1', tenantId: 't1' }, tenant: 't1' }
 * ```
 */
export function changeEventOf(document: unknown): ChangeEvent | undefined {
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return undefined;
  const doc = document as Record<string, unknown>;
  const stamped = Object.hasOwn(doc, CHANGE_OPERATION_FIELD)
    ? doc[CHANGE_OPERATION_FIELD]
    : undefined;
  const operation =
    typeof stamped === 'string' && STAMPED.has(stamped)
      ? (stamped as ChangeEvent['operation'])
      : 'update';
  const tenant = Object.hasOwn(doc, TENANT_FIELD) ? doc[TENANT_FIELD] : undefined;
  return {
    operation,
    item: stripSystemFields(doc),
    ...(typeof tenant === 'string' && tenant !== '' ? { tenant } : {}),
  };
}

/**
 * What the change feed trigger's function does with one batch: each document in feed order (the order of
 * changes within one partition key value) through {@link changeEventOf} to the handler, one at a time. A
 * handler's failure is logged by `dispatchChange` and the batch goes on: the trigger has no retry policy, so
 * its lease then moves past the batch — delivery is at least once (a host restart before the checkpoint
 * delivers a batch again), and a change whose handler threw is not delivered again. Returns how many
 * handler calls failed.
 *
 * @example
 * ```ts
 * app.cosmosDB('BookingApi-onchange', { ..., handler: (docs) => deliverChanges('BookingApi', onBooking, docs) });
 * ```
 */
export async function deliverChanges(
  componentId: string,
  handler: ChangeHandler,
  documents: readonly unknown[],
  log: (line: string) => void = console.error,
): Promise<number> {
  let failed = 0;
  for (const document of documents) {
    const change = changeEventOf(document);
    if (!change) continue;
    if (!(await dispatchChange(componentId, handler, change, log))) failed++;
  }
  return failed;
}

/** Where a change feed trigger reads and keeps its leases, as the plan named them for the function. */
export type ChangeFeedSource = Pick<
  CosmosDBv4LatestVersionFunctionOptions,
  | 'connection'
  | 'databaseName'
  | 'containerName'
  | 'leaseContainerName'
  | 'createLeaseContainerIfNotExists'
>;

/**
 * The container `f`'s change feed trigger reads and its lease container, planned and granted like any other, so the
 * trigger never creates it (its identity may not: creating containers is a control-plane action no data role
 * allows). Throws `FUNCTIONS_CHANGE_TRIGGER_INCOMPLETE` for a function that names none — a package built from a plan
 * before change triggers were planned: the load fails, naming the function.
 *
 * @example
 * ```ts
 * app.cosmosDB(f.name, { ...changeFeedSource(f), handler });
 * ```
 */
export function changeFeedSource(f: HostedFunction): ChangeFeedSource {
  if (!f.connection || !f.database || !f.container || !f.leaseContainer)
    throw new Error(
      `FUNCTIONS_CHANGE_TRIGGER_INCOMPLETE: ${f.name} names no connection, database, container or lease container.`,
    );
  return {
    connection: f.connection,
    databaseName: f.database,
    containerName: f.container,
    leaseContainerName: f.leaseContainer,
    createLeaseContainerIfNotExists: false,
  };
}
