import type { Container } from '@azure/cosmos';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../data/cosmos-policy.js';
import { cosmosRoomStore, type RoomStore } from '../usage/room-store.js';

/**
 * An organization's endpoint as stored in the `members` container (partition `/tenant`): its secret kept to sign
 * (a symmetric scheme: the sender needs the key), never answered after the create.
 *
 * @example
 * ```ts
 * const e: StoredWebhook = { tenant: 'acme', id: 'w1', url: 'https://hooks.example.com/a', events: ['*'],
 *   secret: 'whsec_…', enabled: true, createdOn: '2026-11-29T01:00:00.000Z', createdBy: 'ada' };
 * ```
 */
export interface StoredWebhook {
  readonly tenant: string;
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly secret: string;
  readonly enabled: boolean;
  readonly createdOn: string;
  readonly createdBy: string;
  readonly disabledOn?: string;
  readonly failingSince?: string;
  /** After a rotation: the secret before it, still signing beside `secret` until `previousSecretUntil`. */
  readonly previousSecret?: string;
  readonly previousSecretUntil?: string;
}

/**
 * One delivery of one event to one endpoint: the signed body kept as sent (every attempt sends the same bytes),
 * `chain` the item it is about (deliveries of one chain go out in `seq` order), `windowStart` when its 24 hours
 * of retries began (the first attempt, or a manual retry).
 */
export interface StoredDelivery {
  readonly tenant: string;
  readonly endpoint: string;
  readonly id: string;
  readonly type: string;
  readonly chain: string;
  readonly seq: number;
  readonly body: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly answer?: number;
  readonly error?: string;
  readonly createdOn: string;
  readonly windowStart: string;
  readonly nextAttemptOn?: string;
  readonly lastAttemptOn?: string;
}

/** Where endpoints and their delivery log are kept: all in the organization's partition, never a cross-partition read. */
export interface WebhookStore {
  /**
   * Where an organization's count of endpoints is kept ({@link WEBHOOKS_ROOM}): the bound of 10 decided on it, never
   * on a list read before the write (two creations racing would both pass). None: the list decides.
   */
  readonly rooms?: RoomStore;
  createEndpoint(e: StoredWebhook): Promise<void>;
  listEndpoints(tenant: string): Promise<readonly StoredWebhook[]>;
  readEndpoint(tenant: string, id: string): Promise<StoredWebhook | undefined>;
  /**
   * The endpoint as stored now, changed by `change` (undefined: left as it is) and written under the ETag it was read
   * with; when another write landed meanwhile (412) `change` runs again on a fresh read. The runner and the Owner's
   * routes write the same record seconds apart (a delivery takes up to 10 s): a write of a stale copy would put a
   * rotated-away secret back, undo a patch, or bring a deleted endpoint and its secret back. Resolves to the record as
   * stored after, or undefined when there is none (deleted, meanwhile too: nothing is written back).
   */
  updateEndpoint(
    tenant: string,
    id: string,
    change: (e: StoredWebhook) => StoredWebhook | undefined | Promise<StoredWebhook | undefined>,
  ): Promise<StoredWebhook | undefined>;
  /** The endpoint and its deliveries gone; false when there was none (removed meanwhile by another call too). */
  removeEndpoint(tenant: string, id: string): Promise<boolean>;
  addDelivery(d: StoredDelivery): Promise<void>;
  replaceDelivery(d: StoredDelivery): Promise<void>;
  readDelivery(tenant: string, endpoint: string, id: string): Promise<StoredDelivery | undefined>;
  /** An endpoint's deliveries, newest first, at most `first`. */
  deliveries(tenant: string, endpoint: string, first: number): Promise<readonly StoredDelivery[]>;
  /** The pending deliveries of one chain, oldest first. */
  pending(tenant: string, endpoint: string, chain: string): Promise<readonly StoredDelivery[]>;
}

/** Reads and conditional writes of one endpoint before giving up: each lost round is another writer's success. */
const ENDPOINT_WRITE_ROUNDS = 5;

/** The id of an organization's count of endpoints in its partition (`~`: no member's or item's id starts so). */
export const WEBHOOKS_ROOM = '~room|webhooks';

const endpointId = (tenant: string, id: string) => `${tenant}|webhook|${id}`;
const deliveryId = (tenant: string, endpoint: string, id: string) =>
  `${tenant}|webhook-delivery|${endpoint}|${id}`;

/** A stored row as an endpoint, or undefined when it is not one. */
function endpointOf(r: Record<string, unknown> | undefined): StoredWebhook | undefined {
  if (!r || r['kind'] !== 'webhook') return undefined;
  const { tenant, webhookId, url, events, secret, enabled, createdOn, createdBy } = r;
  if (typeof tenant !== 'string' || typeof webhookId !== 'string' || typeof url !== 'string')
    return undefined;
  if (!Array.isArray(events) || typeof secret !== 'string' || typeof createdOn !== 'string')
    return undefined;
  const disabledOn = r['disabledOn'];
  const failingSince = r['failingSince'];
  const [previousSecret, previousSecretUntil] = [r['previousSecret'], r['previousSecretUntil']];
  return {
    tenant,
    id: webhookId,
    url,
    events: events.filter((e): e is string => typeof e === 'string'),
    secret,
    enabled: enabled !== false,
    createdOn,
    createdBy: typeof createdBy === 'string' ? createdBy : '',
    ...(typeof disabledOn === 'string' ? { disabledOn } : {}),
    ...(typeof failingSince === 'string' ? { failingSince } : {}),
    ...(typeof previousSecret === 'string' && typeof previousSecretUntil === 'string'
      ? { previousSecret, previousSecretUntil }
      : {}),
  };
}

const STATUSES: readonly StoredDelivery['status'][] = ['pending', 'delivered', 'failed'];

/** A stored row as a delivery, or undefined when it is not one (another kind of item, a field missing). */
function deliveryOf(r: Record<string, unknown> | undefined): StoredDelivery | undefined {
  if (!r || r['kind'] !== 'webhook-delivery') return undefined;
  const text = (k: string) => (typeof r[k] === 'string' ? r[k] : undefined);
  const num = (k: string) => (typeof r[k] === 'number' ? r[k] : undefined);
  const [tenant, endpoint, id, type, chain, body, createdOn, windowStart] = [
    'tenant',
    'endpoint',
    'messageId',
    'type',
    'chain',
    'body',
    'createdOn',
    'windowStart',
  ].map(text);
  const status = STATUSES.find((s) => s === r['status']);
  const [seq, attempts] = [num('seq'), num('attempts')];
  if (!tenant || !endpoint || !id || !type || !chain || body === undefined || !status)
    return undefined;
  if (!createdOn || !windowStart || seq === undefined || attempts === undefined) return undefined;
  const [answer, error, nextAttemptOn, lastAttemptOn] = [
    num('answer'),
    text('error'),
    text('nextAttemptOn'),
    text('lastAttemptOn'),
  ];
  return {
    tenant,
    endpoint,
    id,
    type,
    chain,
    seq,
    body,
    status,
    attempts,
    createdOn,
    windowStart,
    ...(answer !== undefined ? { answer } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(nextAttemptOn !== undefined ? { nextAttemptOn } : {}),
    ...(lastAttemptOn !== undefined ? { lastAttemptOn } : {}),
  };
}

const endpointRow = (e: StoredWebhook) => {
  const { id, ...rest } = e;
  return { ...rest, id: endpointId(e.tenant, id), webhookId: id, kind: 'webhook' };
};
/**
 * How long a delivery record is kept after its last write: 30 days. Cosmos DB counts an item's `ttl` from its last
 * modification ("the time to live … is counted from the time the item was last modified", Learn, "Time to Live (TTL)
 * in Azure Cosmos DB", https://learn.microsoft.com/azure/cosmos-db/nosql/time-to-live), so a delivery retried for its
 * 24 hours (or retried by hand) lives 30 days past its last attempt — long enough to look back at a month's failures
 * and replay one — and the log of a busy endpoint does not grow for ever. It applies because the `members` container
 * has TTL on with no default (kit/pure/tenant-registry.ts MEMBERS: `default_ttl = -1`); memberships, invitations
 * and endpoints carry no `ttl` and never expire.
 */
export const DELIVERY_TTL_SECONDS = 30 * 24 * 60 * 60;

const deliveryRow = (d: StoredDelivery) => {
  const { id, ...rest } = d;
  return {
    ...rest,
    id: deliveryId(d.tenant, d.endpoint, id),
    messageId: id,
    kind: 'webhook-delivery',
    ttl: DELIVERY_TTL_SECONDS,
  };
};

/**
 * The {@link WebhookStore} over the `members` container, every call with the runtime's deadline.
 *
 * @example
 * ```ts
 * const store = cosmosWebhookStore(client.database('atakora').container('members'));
 * await store.listEndpoints('acme');
 * ```
 */
export function cosmosWebhookStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): WebhookStore {
  const call = <T>(run: (abortSignal: AbortSignal) => Promise<T>) => callCosmos(policy, run);
  const query = async (tenant: string, text: string, params: Record<string, unknown>) => {
    const { resources } = await call((abortSignal) =>
      container.items
        .query<Record<string, unknown>>(
          {
            query: text,
            parameters: [
              { name: '@t', value: tenant },
              ...Object.entries(params).map(([name, value]) => ({
                name,
                value: value as string,
              })),
            ],
          },
          { partitionKey: tenant, abortSignal },
        )
        .fetchAll(),
    );
    return resources;
  };
  const upsert = (row: Record<string, unknown>) =>
    call((abortSignal) => container.items.upsert(row, { abortSignal }));
  const ofEndpoint = async (tenant: string, endpoint: string, chain?: string) =>
    (
      await query(
        tenant,
        'SELECT * FROM c WHERE c.tenant = @t AND c.kind = @k AND c.endpoint = @e' +
          (chain === undefined ? '' : ' AND c.chain = @c AND c.status = @s'),
        {
          '@k': 'webhook-delivery',
          '@e': endpoint,
          ...(chain === undefined ? {} : { '@c': chain, '@s': 'pending' }),
        },
      )
    )
      .map(deliveryOf)
      .filter((d): d is StoredDelivery => d !== undefined);
  return {
    rooms: cosmosRoomStore(container, policy),
    async createEndpoint(e) {
      await call((abortSignal) => container.items.create(endpointRow(e), { abortSignal }));
    },
    async listEndpoints(tenant) {
      return (
        await query(tenant, 'SELECT * FROM c WHERE c.tenant = @t AND c.kind = @k', {
          '@k': 'webhook',
        })
      )
        .map(endpointOf)
        .filter((e): e is StoredWebhook => e !== undefined && e.tenant === tenant)
        .sort((a, b) => a.createdOn.localeCompare(b.createdOn) || a.id.localeCompare(b.id));
    },
    async readEndpoint(tenant, id) {
      return endpointOf(await readItemOrNone(container, policy, endpointId(tenant, id), tenant));
    },
    updateEndpoint: (tenant, id, change) => updateEndpoint(container, policy, tenant, id, change),
    async removeEndpoint(tenant, id) {
      const found = await readItemOrNone(container, policy, endpointId(tenant, id), tenant);
      if (!endpointOf(found)) return false;
      // Deleted meanwhile by another call: that one removed it (and gave its place back).
      if (!(await deletedHere(container, policy, endpointId(tenant, id), tenant))) return false;
      // Its log goes with it: nothing is delivered to an endpoint that no longer exists.
      for (const d of await ofEndpoint(tenant, id))
        await call((abortSignal) =>
          container.item(deliveryId(tenant, id, d.id), tenant).delete({ abortSignal }),
        ).catch(() => undefined);
      return true;
    },
    async addDelivery(d) {
      await call((abortSignal) => container.items.create(deliveryRow(d), { abortSignal }));
    },
    async replaceDelivery(d) {
      await upsert(deliveryRow(d));
    },
    async readDelivery(tenant, endpoint, id) {
      return deliveryOf(
        await readItemOrNone(container, policy, deliveryId(tenant, endpoint, id), tenant),
      );
    },
    async deliveries(tenant, endpoint, first) {
      return (await ofEndpoint(tenant, endpoint)).sort((a, b) => b.seq - a.seq).slice(0, first);
    },
    async pending(tenant, endpoint, chain) {
      return (await ofEndpoint(tenant, endpoint, chain))
        .filter((d) => d.chain === chain && d.status === 'pending')
        .sort((a, b) => a.seq - b.seq);
    },
  };
}

/** Delete one item: true when this call deleted it, false when it was gone already (Cosmos DB's 404). */
async function deletedHere(
  container: Container,
  policy: CosmosCallPolicy,
  id: string,
  pk: string,
): Promise<boolean> {
  try {
    await callCosmos(policy, (abortSignal) => container.item(id, pk).delete({ abortSignal }));
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 404) return false;
    throw e;
  }
}

/** {@link WebhookStore.updateEndpoint} on Cosmos DB: read, change, replace under the read's ETag; a 412 reads again. */
async function updateEndpoint(
  container: Container,
  policy: CosmosCallPolicy,
  tenant: string,
  id: string,
  change: Parameters<WebhookStore['updateEndpoint']>[2],
): Promise<StoredWebhook | undefined> {
  for (let round = 0; round < ENDPOINT_WRITE_ROUNDS; round++) {
    const row = await readItemOrNone(container, policy, endpointId(tenant, id), tenant);
    const found = endpointOf(row);
    if (!found || found.tenant !== tenant) return undefined;
    const next = await change(found);
    if (next === undefined) return found;
    try {
      await callCosmos(policy, (abortSignal) =>
        container.item(endpointId(tenant, id), tenant).replace(endpointRow(next), {
          abortSignal,
          accessCondition: { type: 'IfMatch', condition: String(row?.['_etag']) },
        }),
      );
      return next;
    } catch (e) {
      const status = (e as { code?: unknown }).code;
      if (status === 404) return undefined;
      if (status !== 412) throw e;
    }
  }
  throw new Error(
    `webhook endpoint ${id}: changed by another writer ${String(ENDPOINT_WRITE_ROUNDS)} times in a row`,
  );
}
