import { jsonObjectOf } from '../../contract/json-object.js';
import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth, RuntimeEntity } from '../../model/runtime-manifest.js';
import { accessOf } from '../access/rules.js';
import { hidesOwners } from '../access/owner-privacy.js';
import type { Tenant } from '../values/tenancy.js';
import { MAX_EVENT_BYTES, type RealtimeEvent } from '../../contract/realtime.js';
import { audiencesOf, deliveriesOf, epochOf } from './audience.js';
import type { Publisher, Send } from './publisher.js';
import { deletedItemOf } from './deleted-items.js';
import { withoutVector } from '../values/vector-answer.js';

export { MAX_EVENT_BYTES, type RealtimeEvent } from '../../contract/realtime.js';

/**
 * What the CRUD handlers call after each acknowledged write of a realtime entity (one line in crud/handlers.ts),
 * and the cascade after each child it removes.
 *
 * @example
 * ```ts
 * realtime?.afterWrite('update', response, id, tenant);
 * ```
 */
export interface EntityRealtime {
  /** After a write's answer is made: publishes when it is a success. Never throws, never waits. */
  afterWrite(
    operation: RealtimeEvent['operation'] | (string & {}),
    response: HttpResponseInit,
    id: string | undefined,
    tenant: Tenant | undefined,
  ): void;
  /** After an item was deleted other than through its own DELETE (a cascade): its id and its owner, if any. */
  afterRemoved(id: string, owner: string | undefined, tenant: Tenant | undefined): void;
  /** Whether a DELETE must read the item first to learn its owner (who is one of the event's audiences). */
  readonly needsOwnerOnDelete: boolean;
}

/**
 * The {@link EntityRealtime} of one entity: each write becomes one send per audience (see audience.ts) carrying
 * the item as the write answered it — the stored item in the current schema version, defaults filled, system
 * fields out: what the reader's GET gives — less the owner field where owners are hidden from other readers.
 *
 * @example
 * ```ts
 * const realtime = entityRealtime(entity, publisher, callerPolicyOf(manifest));
 * ```
 */
export function entityRealtime(
  entity: RuntimeEntity,
  publisher: Pick<Publisher, 'enqueue'>,
  policy: RuntimeAuth | undefined,
  now: () => number = Date.now,
): EntityRealtime {
  const hiding = hidesOwners(entity, policy);
  const audiences = audiencesOf(entity, hiding);
  const { ownerField } = accessOf(entity);
  const publish = (
    operation: RealtimeEvent['operation'],
    id: string,
    item: Readonly<Record<string, unknown>> | undefined,
    tenant: Tenant | undefined,
  ) => {
    const t = now();
    const owner = typeof item?.[ownerField] === 'string' ? item[ownerField] : undefined;
    const deliveries = deliveriesOf(entity, tenant?.id, owner, audiences, hiding, epochOf(t));
    if (deliveries.length === 0) return;
    const at = new Date(t).toISOString();
    const base = { entity: entity.componentId, operation, id };
    // What the reader's GET gives: never the vector (values/vector-answer.ts).
    const shown = operation === 'delete' || !item ? undefined : withoutVector(entity, item);
    const full = eventOf(base, shown, at);
    const withoutOwner =
      shown && Object.hasOwn(shown, ownerField) && deliveries.some((d) => !d.withOwner)
        ? eventOf(base, omit(shown, ownerField), at)
        : full;
    publisher.enqueue(
      deliveries.map(
        (d): Send => ({
          group: d.group,
          data: d.withOwner ? full : withoutOwner,
          ...(d.filter === undefined ? {} : { filter: d.filter }),
          // A tenant's own data: its sends stop once the tenant is suspended (Publisher's gate).
          ...(tenant === undefined ? {} : { tenant: tenant.id }),
        }),
      ),
    );
  };
  return {
    needsOwnerOnDelete: audiences.owners,
    afterWrite(operation, response, id, tenant) {
      const status = response.status ?? 200;
      if (status < 200 || status >= 300 || !isPublished(operation)) return;
      if (operation === 'delete') {
        const stored = deletedItemOf(response);
        publish('delete', id ?? '', stored, tenant);
        return;
      }
      const item = jsonObjectOf(response.body);
      if (!item || typeof item['id'] !== 'string') return;
      publish(operation, item['id'], item, tenant);
    },
    afterRemoved(id, owner, tenant) {
      publish('delete', id, owner === undefined ? undefined : { [ownerField]: owner }, tenant);
    },
  };
}

/**
 * The writes clients hear of. A migration's rewrite (`migrate`) changes nothing a reader's GET shows: not one.
 */
function isPublished(operation: string): operation is RealtimeEvent['operation'] {
  return (
    operation === 'create' ||
    operation === 'replace' ||
    operation === 'update' ||
    operation === 'delete'
  );
}

/** The event, with its item unless that would pass the service's message limit. */
function eventOf(
  base: Pick<RealtimeEvent, 'entity' | 'operation' | 'id'>,
  item: Readonly<Record<string, unknown>> | undefined,
  at: string,
): RealtimeEvent {
  if (item === undefined) return { ...base, at };
  const event: RealtimeEvent = { ...base, item, at };
  return Buffer.byteLength(JSON.stringify(event), 'utf8') <= MAX_EVENT_BYTES
    ? event
    : { ...base, at };
}

function omit(item: Readonly<Record<string, unknown>>, field: string): Record<string, unknown> {
  const { [field]: _hidden, ...rest } = item;
  return rest;
}
