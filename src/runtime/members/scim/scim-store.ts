import type { Container } from '@azure/cosmos';
import { type CosmosCallPolicy, DEFAULT_COSMOS_POLICY } from '../../data/cosmos-policy.js';
import { type FieldIs, type PageAt, ScimDocs, type ScimPage } from './scim-docs.js';

export type { FieldIs, PageAt, ScimPage } from './scim-docs.js';
import type { Tagged } from '../member-store.js';
import { CosmosScimUsers } from './scim-user-store.js';
import {
  groupItem,
  groupItemId,
  groupOf,
  SCIM_TOKENS_PARTITION,
  type ScimGroup,
  type ScimUser,
  type StoredScimToken,
  tokenItemId,
  tokenLookupId,
  tokenOf,
} from './scim-items.js';

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
  /** A new user with its `userName`'s claim (scim-user-claims.ts): `taken` when another user holds the name. */
  createUser(user: ScimUser): Promise<Tagged<ScimUser> | 'exists' | 'taken'>;
  readUser(tenant: string, id: string): Promise<Tagged<ScimUser> | undefined>;
  /** Users by `userName` (case-insensitive) or all, by creation, from 0-based `start`. */
  users(
    tenant: string,
    userName: string | undefined,
    start: number,
    count: number,
  ): Promise<ScimPage<ScimUser>>;
  /** Users whose `externalId` or SCIM id (`scimId`) is a value exactly, a page of them. */
  usersWhere(tenant: string, where: FieldIs, at: PageAt): Promise<ScimPage<ScimUser>>;
  /** The linked users (signed in once) among the SCIM user ids `ids`. */
  linkedUsers(tenant: string, ids: readonly string[]): Promise<readonly ScimUser[]>;
  /** Users whose `userName` or e-mails hold `email` (lower case). */
  usersByEmail(tenant: string, email: string): Promise<readonly Tagged<ScimUser>[]>;
  /** Users of `tenant` whose `externalId` is `externalId`. */
  usersByExternalId(tenant: string, externalId: string): Promise<readonly Tagged<ScimUser>[]>;
  /** The organizations that provisioned a user with `externalId`. */
  tenantsByExternalId(externalId: string): Promise<readonly string[]>;
  /** Replace a user whose `userName` stays (in any case) at the version `etag` names. */
  replaceUser(user: ScimUser, etag: string): Promise<Tagged<ScimUser> | 'changed' | 'missing'>;
  /** Replace a user whose `userName` was `from`: the new name's claim taken with it, or `taken`. */
  renameUser(
    user: ScimUser,
    etag: string,
    from: string,
  ): Promise<Tagged<ScimUser> | 'taken' | 'changed' | 'missing'>;
  removeUser(tenant: string, id: string): Promise<boolean>;
  createGroup(group: ScimGroup): Promise<Tagged<ScimGroup> | 'exists'>;
  readGroup(tenant: string, id: string): Promise<Tagged<ScimGroup> | undefined>;
  groups(
    tenant: string,
    displayName: string | undefined,
    start: number,
    count: number,
  ): Promise<ScimPage<ScimGroup>>;
  /** Groups whose `externalId` or SCIM id (`scimId`) is a value exactly, a page of them. */
  groupsWhere(tenant: string, where: FieldIs, at: PageAt): Promise<ScimPage<ScimGroup>>;
  /** The groups `userId` (a SCIM user id) is a member of. */
  groupsOf(tenant: string, userId: string): Promise<readonly ScimGroup[]>;
  replaceGroup(group: ScimGroup, etag: string): Promise<Tagged<ScimGroup> | 'changed' | 'missing'>;
  removeGroup(tenant: string, id: string): Promise<boolean>;
}

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
  return new CosmosScimStore(new ScimDocs(container, policy));
}

/** The store over {@link ScimDocs}: tokens and groups here, users in {@link CosmosScimUsers}. */
class CosmosScimStore extends CosmosScimUsers implements ScimStore {
  async createToken(t: StoredScimToken): Promise<void> {
    // The lookup first: a token whose lookup failed to land is never listed as usable.
    await this.d.create(
      {
        id: tokenLookupId(t.hash),
        tenant: SCIM_TOKENS_PARTITION,
        kind: 'scim-token-lookup',
        owner: t.tenant,
        tokenId: t.id,
      },
      (r) => r,
    );
    await this.d.create(
      { ...t, id: tokenItemId(t.tenant, t.id), tokenId: t.id, kind: 'scim-token' },
      tokenOf,
    );
  }

  async tokens(tenant: string): Promise<readonly StoredScimToken[]> {
    const rows = await this.d.query(tenant, 'SELECT * FROM c WHERE c.kind = @kind', [
      { name: '@kind', value: 'scim-token' },
    ]);
    return rows.map(tokenOf).filter((t): t is StoredScimToken => t !== undefined);
  }

  async tokenByHash(hash: string): Promise<StoredScimToken | undefined> {
    const lookup = await this.d.read(tokenLookupId(hash), SCIM_TOKENS_PARTITION, (r) => r);
    const owner = lookup?.value['owner'];
    const tokenId = lookup?.value['tokenId'];
    if (typeof owner !== 'string' || typeof tokenId !== 'string') return undefined;
    return (await this.d.read(tokenItemId(owner, tokenId), owner, tokenOf))?.value;
  }

  async removeToken(tenant: string, id: string): Promise<boolean> {
    const token = await this.d.read(tokenItemId(tenant, id), tenant, tokenOf);
    if (!token) return false;
    // The token first: a lookup left behind finds no token, so it admits nothing.
    await this.d.remove(tokenItemId(tenant, id), tenant);
    await this.d.remove(tokenLookupId(token.value.hash), SCIM_TOKENS_PARTITION);
    return true;
  }

  createGroup(g: ScimGroup) {
    return this.d.create(groupItem(g), groupOf);
  }

  readGroup(tenant: string, id: string) {
    return this.d.read(groupItemId(tenant, id), tenant, groupOf);
  }

  groups(tenant: string, displayName: string | undefined, start: number, count: number) {
    const key =
      displayName === undefined
        ? undefined
        : { field: 'displayNameKey', value: displayName.toLowerCase() };
    return this.d.page(tenant, 'scim-group', key, { start, count }, groupOf);
  }

  groupsWhere(tenant: string, where: FieldIs, at: PageAt) {
    return this.d.page(tenant, 'scim-group', where, at, groupOf);
  }

  async groupsOf(tenant: string, userId: string): Promise<readonly ScimGroup[]> {
    const rows = await this.d.query(
      tenant,
      'SELECT * FROM c WHERE c.kind = @kind AND ARRAY_CONTAINS(c.members, @u)',
      [
        { name: '@kind', value: 'scim-group' },
        { name: '@u', value: userId },
      ],
    );
    return rows.map(groupOf).filter((g): g is ScimGroup => g !== undefined);
  }

  replaceGroup(g: ScimGroup, etag: string) {
    return this.d.replace(groupItemId(g.tenant, g.id), g.tenant, groupItem(g), etag, groupOf);
  }

  removeGroup(tenant: string, id: string) {
    return this.d.remove(groupItemId(tenant, id), tenant);
  }
}
