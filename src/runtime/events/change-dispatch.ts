/**
 * A CrudApi's `onChange` handler and the one way it is called: after a write under `atakora dev`, and from the
 * Cosmos DB change feed in Azure (change-feed.ts). A handler's failure never fails the write that
 * caused it: it is logged.
 */
import type { Context } from '@opentelemetry/api';
import { inChangeSpan } from '../telemetry/change-span.js';

/**
 * What changed: the operation, the item (its new version; `{ id }` after a delete), the tenant's id. `migrate` is
 * an item `atakora migrate` rewrote to the current schema version: the same data in the current shape, not a
 * user's change (a handler that mails on change skips it).
 */
export interface ChangeEvent {
  readonly operation: 'create' | 'replace' | 'update' | 'delete' | 'migrate';
  readonly item: Readonly<Record<string, unknown>>;
  /** The tenant the item belongs to (absent on a single-tenant backend or a shared entity). */
  readonly tenant?: string;
}

/**
 * The default export of an `onChange` module.
 *
 * @example
 * ```ts
 * const onBooking: ChangeHandler = async ({ operation, item }) => {
 *   if (operation === 'create') console.log('booked', item.id);
 * };
 * ```
 */
export type ChangeHandler = (change: ChangeEvent) => unknown;

/** Environment variable `atakora dev` sets to `inline`: the runtime then calls the handlers after each write. */
export const CHANGE_DELIVERY_SETTING = 'ATAKORA_CHANGE_DELIVERY';

/**
 * Call one handler with one change, awaiting it; an exception or rejection is logged as one JSON line and
 * swallowed. Returns whether the handler succeeded.
 *
 * @example
 * ```ts
 * const ok = await dispatchChange('Bookings', ({ item }) => console.log(item.id), {
 *   operation: 'create',
 *   item: { id: 'b1' },
 * }); // true
 * ```
 */
export async function dispatchChange(
  componentId: string,
  handler: ChangeHandler,
  change: ChangeEvent,
  log: (line: string) => void = console.error,
): Promise<boolean> {
  return dispatchChangeIn(undefined, componentId, handler, change, log);
}

/**
 * {@link dispatchChange} under `trace`: the write's request trace context (inline delivery under `atakora dev`);
 * undefined, whatever context is active (the change feed trigger's invocation).
 *
 * @example
 * ```ts
 * await dispatchChangeIn(ctx.trace, 'Bookings', onBooking, { operation: 'delete', item: { id } });
 * ```
 */
export async function dispatchChangeIn(
  trace: Context | undefined,
  componentId: string,
  handler: ChangeHandler,
  change: ChangeEvent,
  log: (line: string) => void = console.error,
): Promise<boolean> {
  // One span per call (runtime/telemetry/change-span.ts).
  return inChangeSpan(
    componentId,
    change.tenant,
    () => runHandler(componentId, handler, change, log),
    trace,
  );
}

async function runHandler(
  componentId: string,
  handler: ChangeHandler,
  change: ChangeEvent,
  log: (line: string) => void,
): Promise<boolean> {
  try {
    await handler(change);
    return true;
  } catch (e) {
    log(
      JSON.stringify({
        component: componentId,
        operation: 'onChange',
        outcome: 'handler_failed',
        change: change.operation,
        itemId: change.item['id'],
        message: e instanceof Error ? e.message : String(e),
      }),
    );
    return false;
  }
}
