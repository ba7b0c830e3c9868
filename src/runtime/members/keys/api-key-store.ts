import type { Container } from '@azure/cosmos';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../../data/cosmos-policy.js';
import { cosmosRoomStore, type RoomStore } from '../../usage/room-store.js';

/**
 * An organization's API key as stored in the `members` container (partition `/tenant`): its SHA-256, never the key.
 *
 * @example
 * ```ts
 * const k: StoredApiKey = { tenant: 'acme', id: 'k1', name: 'sync', role: 'Member', hash, prefix: 'atk_Zk3q7A',
 *   createdOn: '2026-11-29T01:00:00.000Z', createdBy: 'ada' };
 * ```
 */
export interface StoredApiKey {
  readonly tenant: string;
  readonly id: string;
  readonly name: string;
  readonly role: string;
  /** SHA-256 of the key, hex. */
  readonly hash: string;
  /** The key's first characters, shown in the list so a person tells keys apart. */
  readonly prefix: string;
  readonly createdOn: string;
  readonly createdBy: string;
  readonly expiresOn?: string;
  readonly lastUsedOn?: string;
}

/**
 * Where the keys are kept: each in its organization's partition, and a global lookup by hash in a partition of its
 * own (`~api-keys`), so admitting a key is two point reads, never a scan.
 */
export interface ApiKeyStore {
  /**
   * Where an organization's count of keys is kept ({@link API_KEYS_ROOM}): the per-organization bound decided on it,
   * never on a list read before the write (two creations racing would both pass). None: the list decides.
   */
  readonly rooms?: RoomStore;
  create(key: StoredApiKey): Promise<void>;
  list(tenant: string): Promise<readonly StoredApiKey[]>;
  /** The key whose SHA-256 is `hash` (its lookup, then the key itself): undefined when unknown or revoked. */
  byHash(hash: string): Promise<StoredApiKey | undefined>;
  /**
   * Revoke: the key item first (a lookup left behind finds nothing), then its lookup. Undefined when none — also when
   * another call deleted the item between this one's read and its delete (one revocation, one place given back).
   */
  remove(tenant: string, id: string): Promise<StoredApiKey | undefined>;
  /** Record a use (a replace: a key revoked meanwhile is not written back). */
  touch(key: StoredApiKey, on: string): Promise<void>;
}

/** The id of an organization's count of keys in its partition (`~`: no organization's member or item id starts so). */
export const API_KEYS_ROOM = '~room|api-keys';

/** The partition of the key lookups (`api-key|<hash>` → its organization and id). */
export const API_KEYS_PARTITION = '~api-keys';
const itemId = (tenant: string, id: string) => `${tenant}|api-key|${id}`;
const lookupId = (hash: string) => `api-key|${hash}`;

const text = (r: Record<string, unknown>, k: string): string | undefined =>
  typeof r[k] === 'string' ? r[k] : undefined;

/** A stored row as a key, or undefined when it is not one (another kind of item, a field missing). */
export function apiKeyOf(r: Record<string, unknown>): StoredApiKey | undefined {
  const [tenant, id, name, role, hash, prefix, createdOn, createdBy] = [
    'tenant',
    'keyId',
    'name',
    'role',
    'hash',
    'prefix',
    'createdOn',
    'createdBy',
  ].map((k) => text(r, k));
  if (r['kind'] !== 'api-key' || !tenant || !id || !name || !role || !hash) return undefined;
  if (!prefix || !createdOn || createdBy === undefined) return undefined;
  const expiresOn = text(r, 'expiresOn');
  const lastUsedOn = text(r, 'lastUsedOn');
  return {
    tenant,
    id,
    name,
    role,
    hash,
    prefix,
    createdOn,
    createdBy,
    ...(expiresOn !== undefined ? { expiresOn } : {}),
    ...(lastUsedOn !== undefined ? { lastUsedOn } : {}),
  };
}

const rowOf = (k: StoredApiKey): Record<string, unknown> => {
  const { id, ...rest } = k;
  return { ...rest, id: itemId(k.tenant, id), keyId: id, kind: 'api-key' };
};

/**
 * The two items a key is stored as, in the order they are created: its lookup by hash (partition `~api-keys`), then
 * the key itself in its organization's partition. `atakora verify` writes them for a key an organization kept from
 * before a downgrade (cli/verify/stack/bearer-tokens.ts), read back by {@link apiKeyOf} as the runtime reads them.
 *
 * @example
 * ```ts
 * const [lookup, item] = apiKeyItems(stored);
 * ```
 */
export function apiKeyItems(k: StoredApiKey): [Record<string, unknown>, Record<string, unknown>] {
  const lookup = {
    id: lookupId(k.hash),
    tenant: API_KEYS_PARTITION,
    kind: 'api-key-lookup',
    owner: k.tenant,
    keyId: k.id,
  };
  return [lookup, rowOf(k)];
}

const code = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * The {@link ApiKeyStore} over the `members` container, every call with the runtime's deadline.
 *
 * @example
 * ```ts
 * const keys = cosmosApiKeyStore(client.database('atakora').container('members'));
 * await keys.byHash(apiKeyHash(presented));
 * ```
 */
export function cosmosApiKeyStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): ApiKeyStore {
  const call = <T>(run: (abortSignal: AbortSignal) => Promise<T>) => callCosmos(policy, run);
  const removeItem = async (id: string, pk: string) => {
    try {
      await call((abortSignal) => container.item(id, pk).delete({ abortSignal }));
    } catch (e) {
      if (code(e) !== 404) throw e;
    }
  };
  return {
    rooms: cosmosRoomStore(container, policy),
    async create(k) {
      // The lookup first: a key whose lookup failed to land is never listed as usable.
      const [lookup, item] = apiKeyItems(k);
      await call((abortSignal) => container.items.create(lookup, { abortSignal }));
      await call((abortSignal) => container.items.create(item, { abortSignal }));
    },
    async list(tenant) {
      const { resources } = await call((abortSignal) =>
        container.items
          .query<Record<string, unknown>>(
            {
              query: 'SELECT * FROM c WHERE c.tenant = @t AND c.kind = @k',
              parameters: [
                { name: '@t', value: tenant },
                { name: '@k', value: 'api-key' },
              ],
            },
            { partitionKey: tenant, abortSignal },
          )
          .fetchAll(),
      );
      return resources
        .map(apiKeyOf)
        .filter((k): k is StoredApiKey => k !== undefined && k.tenant === tenant)
        .sort((a, b) => a.createdOn.localeCompare(b.createdOn) || a.id.localeCompare(b.id));
    },
    async byHash(hash) {
      const lookup = await readItemOrNone(container, policy, lookupId(hash), API_KEYS_PARTITION);
      const owner = lookup?.['owner'];
      const keyId = lookup?.['keyId'];
      if (typeof owner !== 'string' || typeof keyId !== 'string') return undefined;
      const row = await readItemOrNone(container, policy, itemId(owner, keyId), owner);
      const key = row ? apiKeyOf(row) : undefined;
      return key?.hash === hash ? key : undefined;
    },
    async remove(tenant, id) {
      const row = await readItemOrNone(container, policy, itemId(tenant, id), tenant);
      const key = row ? apiKeyOf(row) : undefined;
      if (!key) return undefined;
      try {
        await call((abortSignal) =>
          container.item(itemId(tenant, id), tenant).delete({ abortSignal }),
        );
      } catch (e) {
        // Revoked meanwhile by another call: that one revoked it (and gave its place back), not this one.
        if (code(e) === 404) return undefined;
        throw e;
      }
      await removeItem(lookupId(key.hash), API_KEYS_PARTITION);
      return key;
    },
    async touch(k, on) {
      try {
        await call((abortSignal) =>
          container
            .item(itemId(k.tenant, k.id), k.tenant)
            .replace({ ...rowOf(k), lastUsedOn: on }, { abortSignal }),
        );
      } catch (e) {
        // Revoked meanwhile: nothing to record.
        if (code(e) !== 404) throw e;
      }
    },
  };
}
