import type { Container } from '@azure/cosmos';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../data/cosmos-policy.js';
import type { Tagged } from '../members/member-store.js';
import {
  externalItemId,
  groupItem,
  groupItemId,
  groupOf,
  SCIM_EXTERNAL_PARTITION,
  SCIM_TOKENS_PARTITION,
  type ScimGroup,
  type ScimUser,
  type StoredScimToken,
  tokenItemId,
  tokenLookupId,
  tokenOf,
  userItem,
  userItemId,
  userOf,
} from './scim-items.js';

/** A page of a SCIM list: the page's items and how many match in all (`totalResults`). */
export interface ScimPage<T> {
  readonly items: readonly T[];
  readonly total: number;
}

/**
 * How SCIM provisioning reads and writes the `members` container: tokens (with a global lookup by hash), users and
 * groups in their organization's partition, users' `externalId`s in a global lookup. Writes are conditional where
 * a concurrent writer could be lost (`IfMatch`).
 */
export interface ScimStore {
  createToken(token: StoredScimToken): Promise<void>;
  tokens(tenant: string): Promise<readonly StoredScimToken[]>;
  /** The token whose SHA-256 is `hash` (a point read of its lookup, then of the token itself). */
  tokenByHash(hash: string): Promise<StoredScimToken | undefined>;
  removeToken(tenant: string, id: string): Promise<boolean>;
  createUser(user: ScimUser): Promise<Tagged<ScimUser> | 'exists'>;
  readUser(tenant: string, id: string): Promise<Tagged<ScimUser> | undefined>;
  /** Users by `userName` (case-insensitive) or all, by creation, from 0-based `start`. */
  users(
    tenant: string,
    userName: string | undefined,
    start: number,
    count: number,
  ): Promise<ScimPage<ScimUser>>;
  /** Users whose `userName` or e-mails hold `email` (lower case). */
  usersByEmail(tenant: string, email: string): Promise<readonly Tagged<ScimUser>[]>;
  /** Users of `tenant` whose `externalId` is `externalId`. */
  usersByExternalId(tenant: string, externalId: string): Promise<readonly Tagged<ScimUser>[]>;
  /** The organizations that provisioned a user with `externalId`. */
  tenantsByExternalId(externalId: string): Promise<readonly string[]>;
  replaceUser(user: ScimUser, etag: string): Promise<Tagged<ScimUser> | 'changed' | 'missing'>;
  removeUser(tenant: string, id: string): Promise<boolean>;
  createGroup(group: ScimGroup): Promise<Tagged<ScimGroup> | 'exists'>;
  readGroup(tenant: string, id: string): Promise<Tagged<ScimGroup> | undefined>;
  groups(
    tenant: string,
    displayName: string | undefined,
    start: number,
    count: number,
  ): Promise<ScimPage<ScimGroup>>;
  /** The groups `userId` (a SCIM user id) is a member of. */
  groupsOf(tenant: string, userId: string): Promise<readonly ScimGroup[]>;
  replaceGroup(group: ScimGroup, etag: string): Promise<Tagged<ScimGroup> | 'changed' | 'missing'>;
  removeGroup(tenant: string, id: string): Promise<boolean>;
}

/** The furthest a SCIM list page may start (0-based). */
const MAX_SCIM_START = 10_000;

const code = (e: unknown): unknown => (e as { code?: unknown }).code;
const etagOf = (r: Record<string, unknown> | undefined): string =>
  typeof r?.['_etag'] === 'string' ? r['_etag'] : '';

/**
 * The {@link ScimStore} over the `members` container, every call with the runtime's deadline.
 *
 * @example
 * ```ts
 * const scim = cosmosScimStore(client.database('atakora').container('members'));
 * await scim.tokenByHash(sha256Hex(token));
 * ```
 */
export function cosmosScimStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): ScimStore {
  const call = <T>(run: (abortSignal: AbortSignal) => Promise<T>) => callCosmos(policy, run);
  const create = async <T>(
    body: Record<string, unknown>,
    of: (r: Record<string, unknown>) => T | undefined,
  ) => {
    try {
      const { resource } = await call((abortSignal) =>
        container.items.create<Record<string, unknown>>(body, { abortSignal }),
      );
      const value = resource ? of(resource) : undefined;
      if (!value) throw new Error('the created item reads back as nothing');
      return { value, etag: etagOf(resource) };
    } catch (e) {
      if (code(e) === 409) return 'exists' as const;
      throw e;
    }
  };
  const read = async <T>(
    id: string,
    pk: string,
    of: (r: Record<string, unknown>) => T | undefined,
  ) => {
    const r = await readItemOrNone(container, policy, id, pk);
    const value = r ? of(r) : undefined;
    return value ? { value, etag: etagOf(r) } : undefined;
  };
  const replace = async <T>(
    id: string,
    pk: string,
    body: Record<string, unknown>,
    etag: string,
    of: (r: Record<string, unknown>) => T | undefined,
  ): Promise<Tagged<T> | 'changed' | 'missing'> => {
    try {
      const { resource } = await call((abortSignal) =>
        container.item(id, pk).replace<Record<string, unknown>>(body, {
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
  };
  const remove = async (id: string, pk: string): Promise<boolean> => {
    try {
      await call((abortSignal) => container.item(id, pk).delete({ abortSignal }));
      return true;
    } catch (e) {
      if (code(e) === 404) return false;
      throw e;
    }
  };
  // Every query is scoped to its partition twice: the partition key and `c.tenant = @pk` in the SQL, so one
  // organization's query can never read another's items, whatever the server does with the key.
  const query = async (
    pk: string,
    sql: string,
    parameters: { name: string; value: string | number }[],
  ): Promise<Record<string, unknown>[]> =>
    (
      await call((abortSignal) =>
        container.items
          .query<Record<string, unknown>>(
            {
              query: sql.replace(' WHERE ', ' WHERE c.tenant = @pk AND '),
              parameters: [...parameters, { name: '@pk', value: pk }],
            },
            { abortSignal, partitionKey: pk },
          )
          .fetchAll(),
      )
    ).resources;
  const page = async <T>(
    tenant: string,
    kind: string,
    key: { field: string; value: string } | undefined,
    start: number,
    count: number,
    of: (r: Record<string, unknown>) => T | undefined,
  ): Promise<ScimPage<T>> => {
    const where = `c.kind = @kind${key ? ` AND c.${key.field} = @key` : ''}`;
    const params = [
      { name: '@kind', value: kind },
      ...(key ? [{ name: '@key', value: key.value.toLowerCase() }] : []),
    ];
    const [total] = await query(tenant, `SELECT VALUE COUNT(1) FROM c WHERE ${where}`, params);
    // TOP then skip (not OFFSET … LIMIT: one query shape every Cosmos DB server answers the same); a page starts at
    // most MAX_SCIM_START in, past which a list is answered empty (Entra pages by `startIndex` a few at a time).
    const top = start + count;
    const rows =
      count === 0 || start >= MAX_SCIM_START
        ? []
        : (
            await query(tenant, `SELECT TOP @top * FROM c WHERE ${where} ORDER BY c.id`, [
              ...params,
              { name: '@top', value: top },
            ])
          ).slice(start);
    const items = rows.map(of).filter((x): x is T => x !== undefined);
    return { items, total: typeof total === 'number' ? total : items.length };
  };
  const tagged = async (rows: Promise<Record<string, unknown>[]>) =>
    (await rows).flatMap((r) => {
      const value = userOf(r);
      return value ? [{ value, etag: etagOf(r) }] : [];
    });
  const externalIndex = (u: ScimUser) =>
    u.externalId === undefined
      ? Promise.resolve()
      : call((abortSignal) =>
          container.items.upsert(
            {
              id: externalItemId(u.externalId ?? '', u.tenant),
              tenant: SCIM_EXTERNAL_PARTITION,
              kind: 'scim-external',
              externalId: u.externalId,
              owner: u.tenant,
            },
            { abortSignal },
          ),
        ).then(() => undefined);
  return {
    async createToken(t) {
      // The lookup first: a token whose lookup failed to land is never listed as usable.
      await call((abortSignal) =>
        container.items.create(
          {
            id: tokenLookupId(t.hash),
            tenant: SCIM_TOKENS_PARTITION,
            kind: 'scim-token-lookup',
            owner: t.tenant,
            tokenId: t.id,
          },
          { abortSignal },
        ),
      );
      await call((abortSignal) =>
        container.items.create(
          { ...t, id: tokenItemId(t.tenant, t.id), tokenId: t.id, kind: 'scim-token' },
          { abortSignal },
        ),
      );
    },
    async tokens(tenant) {
      const rows = await query(tenant, 'SELECT * FROM c WHERE c.kind = @kind', [
        { name: '@kind', value: 'scim-token' },
      ]);
      return rows.map(tokenOf).filter((t): t is StoredScimToken => t !== undefined);
    },
    async tokenByHash(hash) {
      const lookup = await readItemOrNone(
        container,
        policy,
        tokenLookupId(hash),
        SCIM_TOKENS_PARTITION,
      );
      const owner = lookup?.['owner'];
      const tokenId = lookup?.['tokenId'];
      if (typeof owner !== 'string' || typeof tokenId !== 'string') return undefined;
      return (await read(tokenItemId(owner, tokenId), owner, tokenOf))?.value;
    },
    async removeToken(tenant, id) {
      const token = await read(tokenItemId(tenant, id), tenant, tokenOf);
      if (!token) return false;
      // The token first: a lookup left behind finds no token, so it admits nothing.
      await remove(tokenItemId(tenant, id), tenant);
      await remove(tokenLookupId(token.value.hash), SCIM_TOKENS_PARTITION);
      return true;
    },
    async createUser(u) {
      const made = await create(userItem(u), userOf);
      if (made !== 'exists') await externalIndex(u);
      return made;
    },
    readUser: (tenant, id) => read(userItemId(tenant, id), tenant, userOf),
    users: (tenant, userName, start, count) =>
      page(
        tenant,
        'scim-user',
        userName === undefined ? undefined : { field: 'userNameKey', value: userName },
        start,
        count,
        userOf,
      ),
    usersByEmail: (tenant, email) =>
      tagged(
        query(
          tenant,
          'SELECT * FROM c WHERE c.kind = @kind AND ARRAY_CONTAINS(c.matchEmails, @v)',
          [
            { name: '@kind', value: 'scim-user' },
            { name: '@v', value: email.toLowerCase() },
          ],
        ),
      ),
    usersByExternalId: (tenant, externalId) =>
      tagged(
        query(tenant, 'SELECT * FROM c WHERE c.kind = @kind AND c.externalId = @v', [
          { name: '@kind', value: 'scim-user' },
          { name: '@v', value: externalId },
        ]),
      ),
    async tenantsByExternalId(externalId) {
      const rows = await query(
        SCIM_EXTERNAL_PARTITION,
        'SELECT c.owner FROM c WHERE c.externalId = @x',
        [{ name: '@x', value: externalId }],
      );
      return rows.map((r) => r['owner']).filter((o): o is string => typeof o === 'string');
    },
    async replaceUser(u, etag) {
      const done = await replace(userItemId(u.tenant, u.id), u.tenant, userItem(u), etag, userOf);
      if (typeof done === 'object') await externalIndex(u);
      return done;
    },
    async removeUser(tenant, id) {
      const found = await read(userItemId(tenant, id), tenant, userOf);
      const removed = await remove(userItemId(tenant, id), tenant);
      const x = found?.value.externalId;
      if (x !== undefined) await remove(externalItemId(x, tenant), SCIM_EXTERNAL_PARTITION);
      return removed;
    },
    createGroup: (g) => create(groupItem(g), groupOf),
    readGroup: (tenant, id) => read(groupItemId(tenant, id), tenant, groupOf),
    groups: (tenant, displayName, start, count) =>
      page(
        tenant,
        'scim-group',
        displayName === undefined ? undefined : { field: 'displayNameKey', value: displayName },
        start,
        count,
        groupOf,
      ),
    async groupsOf(tenant, userId) {
      const rows = await query(
        tenant,
        'SELECT * FROM c WHERE c.kind = @kind AND ARRAY_CONTAINS(c.members, @u)',
        [
          { name: '@kind', value: 'scim-group' },
          { name: '@u', value: userId },
        ],
      );
      return rows.map(groupOf).filter((g): g is ScimGroup => g !== undefined);
    },
    replaceGroup: (g, etag) =>
      replace(groupItemId(g.tenant, g.id), g.tenant, groupItem(g), etag, groupOf),
    removeGroup: (tenant, id) => remove(groupItemId(tenant, id), tenant),
  };
}
