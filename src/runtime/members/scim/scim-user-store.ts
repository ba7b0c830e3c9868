import { createHash } from 'node:crypto';
import type { Tagged } from '../member-store.js';
import type { FieldIs, PageAt, ScimDocs } from './scim-docs.js';
import {
  externalItemId,
  SCIM_EXTERNAL_PARTITION,
  type ScimUser,
  userItem,
  userItemId,
  userOf,
} from './scim-items.js';
import { createClaimed, releaseUserName, renameClaimed } from './scim-user-claims.js';

const USER = { name: '@kind', value: 'scim-user' };
/** An `externalId`'s lookup id: its SHA-256 (at most 255 characters, none of `/\\?#`, whatever was sent). */
const externalKey = (externalId: string) =>
  createHash('sha256').update(externalId, 'utf8').digest('hex');

/**
 * The provisioned users' half of the SCIM store over the `members` container: users in their organization's
 * partition, each written with its `userName`'s claim (scim-user-claims.ts), and the global `externalId` lookup.
 */
export class CosmosScimUsers {
  constructor(protected readonly d: ScimDocs) {}

  protected async externalIndex(u: ScimUser): Promise<void> {
    if (u.externalId === undefined) return;
    await this.d.upsert({
      id: externalItemId(externalKey(u.externalId), u.tenant),
      tenant: SCIM_EXTERNAL_PARTITION,
      kind: 'scim-external',
      externalId: u.externalId,
      owner: u.tenant,
    });
  }

  /** Drop an `externalId`'s lookup (both id forms: the value itself was the id before it was hashed). */
  protected async unindex(externalId: string, tenant: string): Promise<void> {
    for (const key of [externalKey(externalId), externalId])
      if (key.length <= 200 && !/[/\\?#]/.test(key))
        await this.d.remove(externalItemId(key, tenant), SCIM_EXTERNAL_PARTITION);
  }

  async createUser(u: ScimUser): Promise<Tagged<ScimUser> | 'exists' | 'taken'> {
    const made = await createClaimed(this.d, u);
    if (typeof made === 'object') await this.externalIndex(u);
    return made;
  }

  readUser(tenant: string, id: string) {
    return this.d.read(userItemId(tenant, id), tenant, userOf);
  }

  users(tenant: string, userName: string | undefined, start: number, count: number) {
    const key =
      userName === undefined ? undefined : { field: 'userNameKey', value: userName.toLowerCase() };
    return this.d.page(tenant, 'scim-user', key, { start, count }, userOf);
  }

  usersWhere(tenant: string, where: FieldIs, at: PageAt) {
    return this.d.page(tenant, 'scim-user', where, at, userOf);
  }

  async linkedUsers(tenant: string, ids: readonly string[]): Promise<readonly ScimUser[]> {
    if (ids.length === 0) return [];
    const rows = await this.d.query(
      tenant,
      'SELECT * FROM c WHERE c.kind = @kind AND IS_DEFINED(c.userId) AND ARRAY_CONTAINS(@ids, c.scimId)',
      [USER, { name: '@ids', value: ids }],
    );
    return rows.map(userOf).filter((u): u is ScimUser => u !== undefined);
  }

  usersByEmail(tenant: string, email: string) {
    return this.d.tagged(
      tenant,
      'SELECT * FROM c WHERE c.kind = @kind AND ARRAY_CONTAINS(c.matchEmails, @v)',
      [USER, { name: '@v', value: email.toLowerCase() }],
      userOf,
    );
  }

  usersByExternalId(tenant: string, externalId: string) {
    return this.d.tagged(
      tenant,
      'SELECT * FROM c WHERE c.kind = @kind AND c.externalId = @v',
      [USER, { name: '@v', value: externalId }],
      userOf,
    );
  }

  async tenantsByExternalId(externalId: string): Promise<readonly string[]> {
    const rows = await this.d.query(
      SCIM_EXTERNAL_PARTITION,
      'SELECT c.owner FROM c WHERE c.externalId = @x',
      [{ name: '@x', value: externalId }],
    );
    return rows.map((r) => r['owner']).filter((o): o is string => typeof o === 'string');
  }

  async replaceUser(u: ScimUser, etag: string) {
    const done = await this.d.replace(
      userItemId(u.tenant, u.id),
      u.tenant,
      userItem(u),
      etag,
      userOf,
    );
    if (typeof done === 'object') await this.externalIndex(u);
    return done;
  }

  async renameUser(u: ScimUser, etag: string, from: string) {
    if (u.userName.toLowerCase() === from.toLowerCase()) return this.replaceUser(u, etag);
    const done = await renameClaimed(this.d, u, etag, from);
    if (typeof done === 'object') await this.externalIndex(u);
    return done;
  }

  async removeUser(tenant: string, id: string): Promise<boolean> {
    const found = await this.d.read(userItemId(tenant, id), tenant, userOf);
    const removed = await this.d.remove(userItemId(tenant, id), tenant);
    if (!found) return removed;
    // The name is free once the user is gone; its claim is dropped after (a stale one is taken over anyway).
    await releaseUserName(this.d, tenant, found.value.userName, id);
    const x = found.value.externalId;
    if (x !== undefined) await this.unindex(x, tenant);
    return removed;
  }
}
