import type { Container, OperationInput } from '@azure/cosmos';
import { callCosmos, type CosmosCallPolicy, readItemOrNone } from '../../data/cosmos-policy.js';
import type { Tagged } from '../member-store.js';

/** An item as read, mapped to its value (undefined: not an item of that kind). */
export type ItemOf<T> = (r: Record<string, unknown>) => T | undefined;

/** A SCIM list's page: its items and how many match in all (`totalResults`). */
export interface ScimPage<T> {
  readonly items: readonly T[];
  readonly total: number;
}

/** A stored field (`externalId`, or the SCIM id as `scimId`) and the value it equals exactly. */
export interface FieldIs {
  readonly field: 'externalId' | 'scimId';
  readonly value: string;
}

/** A page's first item (0-based) and size. */
export interface PageAt {
  readonly start: number;
  readonly count: number;
}

/** The furthest a SCIM list page may start (0-based). */
const MAX_SCIM_START = 10_000;

const code = (e: unknown): unknown => (e as { code?: unknown }).code;
export const etagOf = (r: Record<string, unknown> | undefined): string =>
  typeof r?.['_etag'] === 'string' ? r['_etag'] : '';

/**
 * The calls SCIM provisioning makes on the `members` container, each with the runtime's deadline: conditional
 * writes answered in the store's words (`exists`, `changed`, `missing`), and queries scoped to their partition twice
 * — the partition key and `c.tenant = @pk` in the SQL — so one organization's query never reads another's items,
 * whatever the server does with the key.
 *
 * @example
 * ```ts
 * const docs = new ScimDocs(container, policy);
 * await docs.read('acme|scim-user|…', 'acme', userOf);
 * ```
 */
export class ScimDocs {
  constructor(
    readonly container: Container,
    readonly policy: CosmosCallPolicy,
  ) {}

  call<T>(run: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return callCosmos(this.policy, run);
  }

  async create<T>(body: Record<string, unknown>, of: ItemOf<T>): Promise<Tagged<T> | 'exists'> {
    try {
      const { resource } = await this.call((abortSignal) =>
        this.container.items.create<Record<string, unknown>>(body, { abortSignal }),
      );
      const value = resource ? of(resource) : undefined;
      if (!value) throw new Error('the created item reads back as nothing');
      return { value, etag: etagOf(resource) };
    } catch (e) {
      if (code(e) === 409) return 'exists';
      throw e;
    }
  }

  async read<T>(id: string, pk: string, of: ItemOf<T>): Promise<Tagged<T> | undefined> {
    const r = await readItemOrNone(this.container, this.policy, id, pk);
    const value = r ? of(r) : undefined;
    return value ? { value, etag: etagOf(r) } : undefined;
  }

  async replace<T>(
    id: string,
    pk: string,
    body: Record<string, unknown>,
    etag: string,
    of: ItemOf<T>,
  ): Promise<Tagged<T> | 'changed' | 'missing'> {
    try {
      const { resource } = await this.call((abortSignal) =>
        this.container.item(id, pk).replace<Record<string, unknown>>(body, {
          abortSignal,
          accessCondition: { type: 'IfMatch', condition: etag },
        }),
      );
      const value = resource ? of(resource) : undefined;
      return value ? { value, etag: etagOf(resource) } : 'missing';
    } catch (e) {
      if (code(e) === 412) return 'changed';
      if (code(e) === 404) return 'missing';
      throw e;
    }
  }

  /** Delete an item (at the version `etag` names, when given): false when it is gone or changed since. */
  async remove(id: string, pk: string, etag?: string): Promise<boolean> {
    try {
      await this.call((abortSignal) =>
        this.container.item(id, pk).delete({
          abortSignal,
          ...(etag !== undefined ? { accessCondition: { type: 'IfMatch', condition: etag } } : {}),
        }),
      );
      return true;
    } catch (e) {
      if (code(e) === 404 || code(e) === 412) return false;
      throw e;
    }
  }

  /**
   * A transactional batch in `pk`'s partition (all or none: Learn, "Transactional batch operations": a failed
   * operation has its own status, every other 424): each operation's status and item.
   */
  async batch(
    pk: string,
    operations: OperationInput[],
  ): Promise<{ readonly status: number; readonly item?: Record<string, unknown> }[]> {
    const { result } = await this.call((abortSignal) =>
      this.container.items.batch(
        operations.map((o) => ({ ...o, partitionKey: pk })),
        pk,
        { abortSignal },
      ),
    );
    return (result ?? []).map((r) => ({
      status: r.statusCode,
      ...(r.resourceBody ? { item: r.resourceBody } : {}),
    }));
  }

  async upsert(body: Record<string, unknown>): Promise<void> {
    await this.call((abortSignal) => this.container.items.upsert(body, { abortSignal }));
  }

  async query(
    pk: string,
    sql: string,
    parameters: { name: string; value: string | number | readonly string[] }[],
  ): Promise<Record<string, unknown>[]> {
    const { resources } = await this.call((abortSignal) =>
      this.container.items
        .query<Record<string, unknown>>(
          {
            query: sql.replace(' WHERE ', ' WHERE c.tenant = @pk AND '),
            // A list parameter goes as a JSON array (ARRAY_CONTAINS(@ids, c.scimId)); the SDK's type wants it mutable.
            parameters: [
              ...parameters.map((p) => ({
                name: p.name,
                value: typeof p.value === 'object' ? [...p.value] : p.value,
              })),
              { name: '@pk', value: pk },
            ],
          },
          { abortSignal, partitionKey: pk },
        )
        .fetchAll(),
    );
    return resources;
  }

  /** The items a query finds, with their ETags. */
  async tagged<T>(
    pk: string,
    sql: string,
    parameters: { name: string; value: string | number | readonly string[] }[],
    of: ItemOf<T>,
  ): Promise<Tagged<T>[]> {
    return (await this.query(pk, sql, parameters)).flatMap((r) => {
      const value = of(r);
      return value ? [{ value, etag: etagOf(r) }] : [];
    });
  }

  /**
   * A page of `kind` items of `tenant` (by id), those whose `key.field` is `key.value` (as given) or all, from
   * 0-based `start`: TOP then skip (not OFFSET … LIMIT: one query shape every Cosmos DB server answers alike); past
   * {@link MAX_SCIM_START} a page is empty (Entra pages a few at a time).
   */
  async page<T>(
    tenant: string,
    kind: string,
    key: { field: string; value: string } | undefined,
    at: PageAt,
    of: ItemOf<T>,
  ): Promise<ScimPage<T>> {
    const where = `c.kind = @kind${key ? ` AND c.${key.field} = @key` : ''}`;
    const params = [
      { name: '@kind', value: kind },
      ...(key ? [{ name: '@key', value: key.value }] : []),
    ];
    const [total] = await this.query(tenant, `SELECT VALUE COUNT(1) FROM c WHERE ${where}`, params);
    const { start, count } = at;
    const rows =
      count === 0 || start >= MAX_SCIM_START
        ? []
        : (
            await this.query(tenant, `SELECT TOP @top * FROM c WHERE ${where} ORDER BY c.id`, [
              ...params,
              { name: '@top', value: start + count },
            ])
          ).slice(start);
    const items = rows.map(of).filter((x): x is T => x !== undefined);
    return { items, total: typeof total === 'number' ? total : items.length };
  }
}
