import type { Container } from '@azure/cosmos';
import type { JoinRequest } from '../../../contract/enterprise/joins.js';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../../data/cosmos-policy.js';
import { etagOf, statusOf } from '../domains/domain-claim-store.js';
import type { Page, Tagged } from '../member-store.js';

/** A join request as the `members` container keeps it: the public fields and its organization. */
export interface StoredJoinRequest extends JoinRequest {
  readonly tenant: string;
}

/**
 * An organization's pending join requests (`kind: 'join-request'` in its partition of the `members` container).
 * One per user and organization: the item's id is derived from both, so a second request is refused by Cosmos DB
 * (409) however two arrive at once, and an answer (approve or decline) takes the request by deleting it at the
 * version read — two answers at once cannot both act.
 */
export interface JoinRequestStore {
  create(request: StoredJoinRequest): Promise<'created' | 'exists'>;
  read(tenant: string, userId: string): Promise<Tagged<StoredJoinRequest> | undefined>;
  /** One page of `tenant`'s requests, oldest id first. */
  page(tenant: string, limit: number, token: string | undefined): Promise<Page<JoinRequest>>;
  /** Delete the request at the version `etag` names: `'changed'` when it was answered (or changed) since. */
  take(tenant: string, userId: string, etag: string): Promise<'taken' | 'changed'>;
}

/**
 * A join request item's id (`|` is never in a user id, so no membership has it).
 *
 * @example
 * ```ts
 * joinRequestItemId('acme-k3x9qa', 'u-9'); // 'acme-k3x9qa|join|u-9'
 * ```
 */
export function joinRequestItemId(tenant: string, userId: string): string {
  return `${tenant}|join|${userId}`;
}

const text = (o: Record<string, unknown>, k: string): string | undefined =>
  typeof o[k] === 'string' ? o[k] : undefined;

/** A join request as read from Cosmos DB, system fields dropped; undefined for anything else. */
function storedOf(o: Record<string, unknown> | undefined): StoredJoinRequest | undefined {
  if (!o || o['kind'] !== 'join-request') return undefined;
  const [tenant, userId, email, domain, requestedOn] = [
    'tenant',
    'userId',
    'email',
    'domain',
    'requestedOn',
  ].map((k) => text(o, k));
  if (!tenant || !userId || !email || !domain || !requestedOn) return undefined;
  return { id: userId, tenant, userId, email, domain, requestedOn };
}

/** A join request as the API shows it (never its organization: the reader acts in it). */
const publicOf = ({ tenant: _tenant, ...r }: StoredJoinRequest): JoinRequest => r;

/**
 * The join requests over the `members` container (`/tenant` the partition key), each call with the runtime's
 * deadline.
 *
 * @example
 * ```ts
 * const joins = cosmosJoinRequestStore(client.database('atakora').container('members'));
 * await joins.create({ tenant: 'acme', id: 'u-9', userId: 'u-9', email: 'kim@contoso.com', domain: 'contoso.com', requestedOn });
 * ```
 */
export function cosmosJoinRequestStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): JoinRequestStore {
  const call = <T>(run: (abortSignal: AbortSignal) => Promise<T>) => callCosmos(policy, run);
  return {
    async create(r) {
      const item = { ...r, id: joinRequestItemId(r.tenant, r.userId), kind: 'join-request' };
      try {
        await call((abortSignal) => container.items.create(item, { abortSignal }));
        return 'created';
      } catch (e) {
        if (statusOf(e) === 409) return 'exists';
        throw e;
      }
    },
    async read(tenant, userId) {
      const r = await readItemOrNone(container, policy, joinRequestItemId(tenant, userId), tenant);
      const value = storedOf(r);
      return value ? { value, etag: etagOf(r) } : undefined;
    },
    async page(tenant, limit, token) {
      const sql = "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'join-request' ORDER BY c.id";
      const r = await call((abortSignal) =>
        container.items
          .query<Record<string, unknown>>(
            { query: sql, parameters: [{ name: '@t', value: tenant }] },
            {
              abortSignal,
              partitionKey: tenant,
              maxItemCount: limit,
              ...(token ? { continuationToken: token } : {}),
            },
          )
          .fetchNext(),
      );
      const items = r.resources
        .map(storedOf)
        .filter((x): x is StoredJoinRequest => x !== undefined)
        .map(publicOf);
      return { items, next: r.hasMoreResults ? r.continuationToken : undefined };
    },
    async take(tenant, userId, etag) {
      try {
        await call((abortSignal) =>
          container
            .item(joinRequestItemId(tenant, userId), tenant)
            .delete({ abortSignal, accessCondition: { type: 'IfMatch', condition: etag } }),
        );
        return 'taken';
      } catch (e) {
        if (statusOf(e) === 412 || statusOf(e) === 404) return 'changed';
        throw e;
      }
    },
  };
}

export { publicOf as publicJoinRequest };
