import type { Container } from '@azure/cosmos';
import type {
  DomainJoin,
  DomainStatus,
  OrganizationDomain,
} from '../../../contract/domains/domains.js';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../../data/cosmos-policy.js';
import type { Tagged } from '../member-store.js';
import { cosmosDomainClaims, type DomainClaims } from './domain-claim-store.js';

/** An organization's domain as the `members` container keeps it: the public fields and its organization. */
export interface StoredDomain extends OrganizationDomain {
  readonly tenant: string;
}

/**
 * How an organization's domains and the global claims are read and written. A claim (`domain|<domain>` in
 * {@link DOMAIN_CLAIMS_PARTITION}) names the one organization a domain is verified for: it is created, never
 * overwritten, so two organizations verifying the same domain at once cannot both win (Cosmos DB refuses the second
 * create with 409), and handed over only at the version read (`IfMatch`).
 */
export interface DomainStore extends DomainClaims {
  create(domain: StoredDomain): Promise<Tagged<StoredDomain> | 'exists'>;
  read(tenant: string, domain: string): Promise<Tagged<StoredDomain> | undefined>;
  /** Every domain of `tenant` (at most a few dozen: one partition query). */
  list(tenant: string): Promise<readonly StoredDomain[]>;
  replace(
    domain: StoredDomain,
    etag: string,
  ): Promise<Tagged<StoredDomain> | 'changed' | 'missing'>;
  remove(tenant: string, domain: string): Promise<boolean>;
  /** Every verified domain of every organization (the daily re-check), a page of `limit` at a time. */
  verified(
    limit: number,
    token: string | undefined,
  ): Promise<{ items: readonly Tagged<StoredDomain>[]; next?: string }>;
}

const text = (o: Record<string, unknown>, k: string): string | undefined =>
  typeof o[k] === 'string' ? o[k] : undefined;
const STATUSES: readonly DomainStatus[] = ['pending', 'verified', 'unverified'];
const JOINS: readonly DomainJoin[] = ['off', 'request', 'auto'];

/**
 * A domain as read from Cosmos DB (`kind: 'domain'`), system fields dropped; undefined for anything else.
 *
 * @example
 * ```ts
 * storedDomainOf({ id: 'acme|domain|contoso.com', kind: 'domain', tenant: 'acme', domain: 'contoso.com', … });
 * ```
 */
export function storedDomainOf(item: unknown): StoredDomain | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const [tenant, domain, role, createdOn] = ['tenant', 'domain', 'role', 'createdOn'].map((k) =>
    text(o, k),
  );
  const txt = o['txt'] as { name?: unknown; value?: unknown } | undefined;
  const status = STATUSES.find((s) => s === o['status']);
  const join = JOINS.find((j) => j === o['join']);
  if (o['kind'] !== 'domain' || !tenant || !domain || !role || !createdOn || !status || !join)
    return undefined;
  if (o['id'] !== domainItemId(tenant, domain)) return undefined;
  if (typeof txt?.name !== 'string' || typeof txt.value !== 'string') return undefined;
  const optional = (['verifiedOn', 'checkedOn', 'missingSince'] as const).flatMap((k) => {
    const v = text(o, k);
    return v === undefined ? [] : [[k, v] as const];
  });
  return {
    tenant,
    domain,
    status,
    txt: { name: txt.name, value: txt.value },
    join,
    role,
    createdOn,
    ...Object.fromEntries(optional),
  };
}

/**
 * A domain item's id in the `members` container (`|` never in a user id, so no membership has it).
 *
 * @example
 * ```ts
 * domainItemId('acme-k3x9qa', 'contoso.com'); // 'acme-k3x9qa|domain|contoso.com'
 * ```
 */
export function domainItemId(tenant: string, domain: string): string {
  return `${tenant}|domain|${domain}`;
}

import { etagOf, statusOf } from './domain-claim-store.js';

/**
 * The domain store over the `members` container (`/tenant` the partition key). Every call has the runtime's
 * deadline.
 *
 * @example
 * ```ts
 * const domains = cosmosDomainStore(client.database('atakora').container('members'));
 * await domains.claim('contoso.com', 'acme-k3x9qa'); // 'claimed'
 * ```
 */
export function cosmosDomainStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): DomainStore {
  return { ...domainRecords(container, policy), ...cosmosDomainClaims(container, policy) };
}

/** The organizations' domain items (in their organizations' partitions). */
function domainRecords(
  container: Container,
  policy: CosmosCallPolicy,
): Omit<DomainStore, keyof DomainClaims> {
  const call = <T>(run: (abortSignal: AbortSignal) => Promise<T>) => callCosmos(policy, run);
  const item = (d: StoredDomain) => ({
    ...d,
    id: domainItemId(d.tenant, d.domain),
    kind: 'domain',
  });
  const tagged = (r: Record<string, unknown> | undefined) => {
    const value = r ? storedDomainOf(r) : undefined;
    return value ? { value, etag: etagOf(r) } : undefined;
  };
  const query = async (
    sql: string,
    parameters: { name: string; value: string }[],
    partitionKey?: string,
  ) =>
    (
      await call((abortSignal) =>
        container.items
          .query<Record<string, unknown>>(
            { query: sql, parameters },
            { abortSignal, ...(partitionKey ? { partitionKey } : {}) },
          )
          .fetchAll(),
      )
    ).resources;
  return {
    async create(d) {
      try {
        const { resource } = await call((abortSignal) =>
          container.items.create<Record<string, unknown>>(item(d), { abortSignal }),
        );
        return { value: d, etag: etagOf(resource) };
      } catch (e) {
        if (statusOf(e) === 409) return 'exists';
        throw e;
      }
    },
    async read(tenant, domain) {
      return tagged(await readItemOrNone(container, policy, domainItemId(tenant, domain), tenant));
    },
    async list(tenant) {
      const sql = "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'domain' ORDER BY c.id";
      const rows = await query(sql, [{ name: '@t', value: tenant }], tenant);
      return rows.map(storedDomainOf).filter((d): d is StoredDomain => d !== undefined);
    },
    async replace(d, etag) {
      try {
        const { resource } = await call((abortSignal) =>
          container
            .item(domainItemId(d.tenant, d.domain), d.tenant)
            .replace<Record<string, unknown>>(item(d), {
              abortSignal,
              accessCondition: { type: 'IfMatch', condition: etag },
            }),
        );
        return { value: d, etag: etagOf(resource) };
      } catch (e) {
        if (statusOf(e) === 412) return 'changed';
        if (statusOf(e) === 404) return 'missing';
        throw e;
      }
    },
    async remove(tenant, domain) {
      try {
        await call((abortSignal) =>
          container.item(domainItemId(tenant, domain), tenant).delete({ abortSignal }),
        );
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw e;
      }
    },
    async verified(limit, token) {
      const sql = "SELECT * FROM c WHERE c.kind = 'domain' AND c.status = 'verified' ORDER BY c.id";
      const r = await call((abortSignal) =>
        container.items
          .query<Record<string, unknown>>(sql, {
            abortSignal,
            maxItemCount: limit,
            ...(token ? { continuationToken: token } : {}),
          })
          .fetchNext(),
      );
      const items = r.resources
        .map(tagged)
        .filter((d): d is Tagged<StoredDomain> => d !== undefined);
      return {
        items,
        ...(r.hasMoreResults && r.continuationToken ? { next: r.continuationToken } : {}),
      };
    },
  };
}
