import type { Container } from '@azure/cosmos';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
  type TracedCallPolicy,
} from '../data/cosmos-policy.js';

/** The id of an organization's seat count (members/seats/seats.ts) in its partition of the usage container. */
export const SEATS_ROOM_ID = 'room|members';

/**
 * One organization's count of one kind of thing a plan bounds (its members, one CrudApi's items) as stored: `count`
 * the things written, `holds` the admissions and creates under way (hold id → when it lapses, ms), `changedAt` when
 * the count last moved (ms, the runtime's clock).
 */
export interface RoomCount {
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'room';
  readonly count: number;
  readonly holds: Readonly<Record<string, number>>;
  readonly changedAt: number;
}

/** A count with the ETag of the version read or written (the condition of the next write). */
export interface TaggedCount {
  readonly value: RoomCount;
  readonly etag: string;
}

/**
 * Where the counts live: conditional writes only (`create` never overwrites, `replace` only the version `etag`
 * names), so two instances moving one count at once never both win — Cosmos DB's optimistic concurrency
 * (Learn, "Optimistic concurrency control": a replace with `IfMatch` on a changed `_etag` is 412).
 */
export interface RoomStore {
  read(tenant: string, id: string): Promise<TaggedCount | undefined>;
  create(count: RoomCount): Promise<TaggedCount | 'exists'>;
  replace(count: RoomCount, etag: string): Promise<TaggedCount | 'changed'>;
}

const codeOf = (e: unknown): unknown => (e as { code?: unknown }).code;
const etagOf = (r: Record<string, unknown> | undefined): string =>
  typeof r?.['_etag'] === 'string' ? r['_etag'] : '';

function countOf(r: Record<string, unknown>): RoomCount {
  const holds = r['holds'];
  return {
    id: String(r['id']),
    tenant: String(r['tenant']),
    kind: 'room',
    count: typeof r['count'] === 'number' && r['count'] >= 0 ? r['count'] : 0,
    holds:
      holds && typeof holds === 'object' && !Array.isArray(holds)
        ? Object.fromEntries(
            Object.entries(holds as Record<string, unknown>).filter(
              (e): e is [string, number] => typeof e[1] === 'number',
            ),
          )
        : {},
    changedAt: typeof r['changedAt'] === 'number' ? r['changedAt'] : 0,
  };
}

/**
 * The counts in the usage ledger's container (`/tenant` the partition key; `kind: 'room'`, which no ledger query
 * reads), every call under the runtime's deadline and outside the request's trace (bookkeeping, as the ledger's).
 *
 * @example
 * ```ts
 * const rooms = cosmosRoomStore(client.database('atakora').container('usage'));
 * await rooms.read('acme', 'room|members'); // { value: { count: 3, holds: {}, … }, etag: '"…"' }
 * ```
 */
export function cosmosRoomStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): RoomStore {
  const traced = { ...policy, trace: suppressTracing(ROOT_CONTEXT) } as TracedCallPolicy;
  return {
    async read(tenant, id) {
      const found = await readItemOrNone(container, traced, id, tenant);
      return found ? { value: countOf(found), etag: etagOf(found) } : undefined;
    },
    async create(count) {
      try {
        const { resource } = await callCosmos(traced, (abortSignal) =>
          container.items.create<Record<string, unknown>>({ ...count }, { abortSignal }),
        );
        return { value: count, etag: etagOf(resource) };
      } catch (e) {
        if (codeOf(e) === 409) return 'exists';
        throw e;
      }
    },
    async replace(count, etag) {
      try {
        const { resource } = await callCosmos(traced, (abortSignal) =>
          container
            .item(count.id, count.tenant)
            .replace<Record<string, unknown>>(
              { ...count },
              { abortSignal, accessCondition: { type: 'IfMatch', condition: etag } },
            ),
        );
        return { value: count, etag: etagOf(resource) };
      } catch (e) {
        // 412: written since; 404: gone meanwhile (an erase) — either way, read again.
        if (codeOf(e) === 412 || codeOf(e) === 404) return 'changed';
        throw e;
      }
    },
  };
}
