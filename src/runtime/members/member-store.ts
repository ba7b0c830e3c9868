import type { Container } from '@azure/cosmos';
import {
  type Invitation,
  invitationItemId,
  type Membership,
  membershipId,
  OWNER_ROLE,
} from '../../contract/members.js';
import { callCosmos, type CosmosCallPolicy, DEFAULT_COSMOS_POLICY } from '../data/cosmos-policy.js';
import { invitationOf, membershipOf, type StoredInvitation } from './member-items.js';

export type { StoredInvitation } from './member-items.js';

/** A record with the ETag of the version read or written (the condition of a later write). */
export interface Tagged<T> {
  readonly value: T;
  readonly etag: string;
}

/** One page of a partition's items, by id, and the token of the next page (undefined on the last). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | undefined;
}

/**
 * How memberships and invitations are read and written (the runtime's: {@link cosmosMemberStore}; tests may pass
 * their own). Writes are conditional: `create` never overwrites, `replace`/`remove` only the version `etag` names.
 */
export interface MemberStore {
  /** `userId`'s membership of `tenant`, with its ETag. */
  read(tenant: string, userId: string): Promise<Tagged<Membership> | undefined>;
  /** Every membership of `userId` (a query across organizations). */
  membershipsOf(userId: string): Promise<readonly Membership[]>;
  /** At most `limit` members of `tenant` after `token`, by id. */
  members(tenant: string, limit: number, token: string | undefined): Promise<Page<Membership>>;
  /** The user ids of `tenant`'s Owners. */
  owners(tenant: string): Promise<readonly string[]>;
  /** The membership stored, or `'exists'` when one of that user is there (kept as it is). */
  create(membership: Membership): Promise<Tagged<Membership> | 'exists'>;
  replace(
    membership: Membership,
    etag: string,
  ): Promise<Tagged<Membership> | 'changed' | 'missing'>;
  /** Remove the membership (only the version `etag` names): `'changed'` or `'missing'` when it is not there. */
  remove(tenant: string, userId: string, etag: string): Promise<'removed' | 'changed' | 'missing'>;
  createInvitation(invitation: StoredInvitation): Promise<Tagged<StoredInvitation>>;
  readInvitation(tenant: string, id: string): Promise<Tagged<StoredInvitation> | undefined>;
  /** At most `limit` invitations of `tenant` not yet accepted, after `token`. */
  invitations(
    tenant: string,
    limit: number,
    token: string | undefined,
  ): Promise<Page<StoredInvitation>>;
  replaceInvitation(
    invitation: StoredInvitation,
    etag: string,
  ): Promise<Tagged<StoredInvitation> | 'changed' | 'missing'>;
  /** Delete an invitation (revoked, or accepted): false when it was not there. */
  deleteInvitation(tenant: string, id: string): Promise<boolean>;
}

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;
const etagOf = (r: Record<string, unknown> | undefined): string =>
  typeof r?.['_etag'] === 'string' ? r['_etag'] : '';

/** Map the conditional-write failures Cosmos DB answers to the store's words; anything else is thrown on. */
async function conditional<T>(run: () => Promise<T>): Promise<T | 'changed' | 'missing'> {
  try {
    return await run();
  } catch (e) {
    if (statusOf(e) === 412) return 'changed';
    if (statusOf(e) === 404) return 'missing';
    throw e;
  }
}

/** A point read: undefined for 404. */
async function pointRead(
  container: Container,
  policy: CosmosCallPolicy,
  id: string,
  tenant: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { resource } = await callCosmos(policy, (abortSignal) =>
      container.item(id, tenant).read<Record<string, unknown>>({ abortSignal }),
    );
    return resource;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

/**
 * The `members` container (`/tenant` the partition key) as the membership routes and the membership stage use it:
 * point reads of one membership, one organization's members and invitations as single-partition pages, a user's
 * memberships as a query across partitions, conditional writes. Every call has the runtime's deadline.
 *
 * @example
 * ```ts
 * const store = cosmosMemberStore(client.database('atakora').container('members'));
 * await store.read('acme-k3x9qa', 'u-1'); // { value: { roles: ['Owner'], … }, etag: '"…"' }
 * ```
 */
export function cosmosMemberStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): MemberStore {
  const query = async <T>(
    sql: string,
    parameters: { name: string; value: string }[],
    map: (r: Record<string, unknown>) => T | undefined,
    page: { tenant?: string; limit?: number; token?: string | undefined } = {},
  ): Promise<Page<T>> => {
    const result = await callCosmos(policy, (abortSignal) =>
      container.items
        .query<Record<string, unknown>>(
          { query: sql, parameters },
          {
            abortSignal,
            ...(page.tenant !== undefined ? { partitionKey: page.tenant } : {}),
            ...(page.limit !== undefined ? { maxItemCount: page.limit } : {}),
            ...(page.token ? { continuationToken: page.token } : {}),
          },
        )
        [page.limit !== undefined ? 'fetchNext' : 'fetchAll'](),
    );
    const items = result.resources.map(map).filter((x): x is T => x !== undefined);
    const next =
      page.limit !== undefined && result.hasMoreResults && result.continuationToken
        ? result.continuationToken
        : undefined;
    return { items, next };
  };
  const tagged = <T>(
    resource: Record<string, unknown> | undefined,
    of: (r: unknown) => T | undefined,
  ) => {
    const value = resource ? of(resource) : undefined;
    return value ? { value, etag: etagOf(resource) } : undefined;
  };
  return {
    read: async (tenant, userId) =>
      tagged(
        await pointRead(container, policy, membershipId(tenant, userId), tenant),
        membershipOf,
      ),
    membershipsOf: async (userId) =>
      (
        await query(
          'SELECT * FROM c WHERE c.userId = @u AND NOT IS_DEFINED(c.kind)',
          [{ name: '@u', value: userId }],
          membershipOf,
        )
      ).items,
    members: (tenant, limit, token) =>
      query(
        'SELECT * FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind) ORDER BY c.id',
        [{ name: '@t', value: tenant }],
        membershipOf,
        { tenant, limit, token },
      ),
    owners: async (tenant) =>
      (
        await query(
          'SELECT c.userId FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind) AND ' +
            'ARRAY_CONTAINS(c.roles, @owner)',
          [
            { name: '@t', value: tenant },
            { name: '@owner', value: OWNER_ROLE },
          ],
          (r) => (typeof r['userId'] === 'string' ? r['userId'] : undefined),
          { tenant },
        )
      ).items,
    async create(membership) {
      try {
        const { resource } = await callCosmos(policy, (abortSignal) =>
          container.items.create<Record<string, unknown>>({ ...membership }, { abortSignal }),
        );
        return { value: membership, etag: etagOf(resource) };
      } catch (e) {
        if (statusOf(e) === 409) return 'exists';
        throw e;
      }
    },
    replace: (membership, etag) =>
      conditional(async () => {
        const { resource } = await callCosmos(policy, (abortSignal) =>
          container
            .item(membership.id, membership.tenant)
            .replace<Record<string, unknown>>(
              { ...membership },
              { abortSignal, accessCondition: { type: 'IfMatch', condition: etag } },
            ),
        );
        return { value: membership, etag: etagOf(resource) };
      }),
    remove: (tenant, userId, etag) =>
      conditional(async () => {
        await callCosmos(policy, (abortSignal) =>
          container
            .item(membershipId(tenant, userId), tenant)
            .delete({ abortSignal, accessCondition: { type: 'IfMatch', condition: etag } }),
        );
        return 'removed' as const;
      }),
    async createInvitation(invitation) {
      const { resource } = await callCosmos(policy, (abortSignal) =>
        container.items.create<Record<string, unknown>>(
          {
            ...invitation,
            id: invitationItemId(invitation.tenant, invitation.id),
            kind: 'invitation',
          },
          { abortSignal },
        ),
      );
      return { value: invitation, etag: etagOf(resource) };
    },
    readInvitation: async (tenant, id) =>
      tagged(
        await pointRead(container, policy, invitationItemId(tenant, id), tenant),
        invitationOf,
      ),
    invitations: (tenant, limit, token) =>
      query(
        "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'invitation' AND NOT IS_DEFINED(c.acceptedBy) " +
          'ORDER BY c.id',
        [{ name: '@t', value: tenant }],
        invitationOf,
        { tenant, limit, token },
      ),
    replaceInvitation: (invitation, etag) =>
      conditional(async () => {
        const { resource } = await callCosmos(policy, (abortSignal) =>
          container
            .item(invitationItemId(invitation.tenant, invitation.id), invitation.tenant)
            .replace<Record<string, unknown>>(
              {
                ...invitation,
                id: invitationItemId(invitation.tenant, invitation.id),
                kind: 'invitation',
              },
              { abortSignal, accessCondition: { type: 'IfMatch', condition: etag } },
            ),
        );
        return { value: invitation, etag: etagOf(resource) };
      }),
    async deleteInvitation(tenant, id) {
      const done = await conditional(async () => {
        await callCosmos(policy, (abortSignal) =>
          container.item(invitationItemId(tenant, id), tenant).delete({ abortSignal }),
        );
        return true;
      });
      return done === true;
    },
  };
}

/** The invitation as `GET api/tenant/invitations` shows it: never its token's hash, its tenant or who accepted. */
export function publicInvitation(stored: StoredInvitation): Invitation {
  const { id, email, roles, invitedBy, createdOn, expiresOn } = stored;
  return { id, email, roles, invitedBy, createdOn, expiresOn };
}
