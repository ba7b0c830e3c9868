import type { Container } from '@azure/cosmos';
import type { AuditEntry } from '../../contract/audit.js';
import { callCosmos, type CosmosCallPolicy, DEFAULT_COSMOS_POLICY } from '../data/cosmos-policy.js';
import { auditEntryOf } from './audit-entry.js';

/** What a page of the audit log is narrowed to (`$filter`): each given field equal to its value. */
export interface AuditFilter {
  readonly action?: string;
  readonly actor?: string;
  readonly via?: string;
  readonly target?: string;
}

/**
 * The shared `audit` container as the runtime uses it: **create only** (append an entry; nothing here replaces,
 * upserts or deletes one — the container's TTL is the only thing that removes an entry), and one organization's
 * entries as single-partition pages, newest first.
 *
 * @example
 * ```ts
 * await store.append(entry, 90 * 86_400);
 * const { items, next } = await store.page('acme-k3x9qa', {}, 50, undefined);
 * ```
 */
export interface AuditStore {
  /** Store `entry` to expire after `ttlSeconds` (the item's own `ttl`). */
  append(entry: AuditEntry, ttlSeconds: number): Promise<void>;
  page(
    tenant: string,
    filter: AuditFilter,
    limit: number,
    token: string | undefined,
  ): Promise<{ items: AuditEntry[]; next: string | undefined }>;
}

// The filterable fields and where each lives in the stored item.
const FILTER_PATHS: Readonly<Record<keyof AuditFilter, string>> = {
  action: 'c.action',
  actor: 'c.actor.id',
  via: 'c.actor.via',
  target: 'c.target',
};

/**
 * The store over one container (the `audit` container beside the registry). Every call has the runtime's deadline.
 * Ids begin with the entry's time, so `ORDER BY c.id DESC` is newest first on the default index alone.
 *
 * @example
 * ```ts
 * const store = cosmosAuditStore(client.database('atakora').container('audit'));
 * ```
 */
export function cosmosAuditStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): AuditStore {
  return {
    async append(entry, ttlSeconds) {
      // `create`, never `upsert`: an id that exists is refused (409), so no entry is ever overwritten.
      await callCosmos(policy, (abortSignal) =>
        container.items.create({ ...entry, ttl: ttlSeconds }, { abortSignal }),
      );
    },
    async page(tenant, filter, limit, token) {
      const where = ['c.tenant = @tenant'];
      const parameters = [{ name: '@tenant', value: tenant }];
      for (const key of Object.keys(FILTER_PATHS) as (keyof AuditFilter)[]) {
        const value = filter[key];
        if (value === undefined) continue;
        where.push(`${FILTER_PATHS[key]} = @${key}`);
        parameters.push({ name: `@${key}`, value });
      }
      const query = `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.id DESC`;
      const result = await callCosmos(policy, (abortSignal) =>
        container.items
          .query<Record<string, unknown>>(
            { query, parameters },
            {
              abortSignal,
              partitionKey: tenant,
              maxItemCount: limit,
              ...(token ? { continuationToken: token } : {}),
            },
          )
          .fetchNext(),
      );
      const items = result.resources
        .map(auditEntryOf)
        .filter((e): e is AuditEntry => e !== undefined);
      const next =
        result.hasMoreResults && result.continuationToken ? result.continuationToken : undefined;
      return { items, next };
    },
  };
}
