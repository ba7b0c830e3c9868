import type { Container } from '@azure/cosmos';
import {
  invitationItemId,
  type Membership,
  membershipId,
  OWNER_ROLE,
} from '../../contract/members.js';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../data/cosmos-policy.js';
import {
  type ClosedInvitation,
  closedInvitationItemId,
  closedInvitationOf,
  emailDayItemId,
  invitationOf,
  membershipOf,
  type StoredInvitation,
} from './member-items.js';
import { conditional, etagOf, statusOf, tagged } from './member-writes.js';
import { type BarStore, cosmosBarStore } from './life/member-bars.js';
import { cosmosInvitationAddresses, type InvitationAddresses } from './invitation-address.js';

export { publicInvitation, type StoredInvitation } from './member-items.js';

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
  /** At most `limit` memberships of `userId` after `token`, by organization (a query across organizations). */
  membershipsPage(
    userId: string,
    limit: number,
    token: string | undefined,
  ): Promise<Page<Membership>>;
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
  /**
   * Delete an invitation only at the version `etag` names (a revoke racing an acceptance: one of the two wins):
   * `'changed'` when it was written since, `'missing'` when it is gone.
   */
  deleteInvitationIf(
    tenant: string,
    id: string,
    etag: string,
  ): Promise<'removed' | 'changed' | 'missing'>;
  /** The invitations of `tenant` that `userId` sent and nobody accepted yet, with their ETags. */
  invitationsBy(tenant: string, userId: string): Promise<readonly Tagged<StoredInvitation>[]>;
  /**
   * Count one invitation e-mail of `tenant` on UTC `day` (`2026-01-31`) if fewer than `bound` were counted that day:
   * true when counted, false when the day's bound is reached (nothing counted).
   */
  claimEmail(tenant: string, day: string, bound: number): Promise<boolean>;
  /** Keep what the preview needs of an invitation accepted or revoked (its token's hash, why). */
  closeInvitation?(closed: ClosedInvitation): Promise<void>;
  /** The record {@link closeInvitation} kept, if any. */
  readClosedInvitation?(tenant: string, id: string): Promise<ClosedInvitation | undefined>;
  /** The open invitations of `tenant` to `email` (lower case), expired ones included. */
  invitationsTo?(tenant: string, email: string): Promise<readonly StoredInvitation[]>;
  /** Whether a member of `tenant` has `email` (as their sign-in proved it when they joined). */
  hasMemberWithEmail?(tenant: string, email: string): Promise<boolean>;
  /** The members of `tenant` whose e-mail (as their sign-in proved it when they joined) is one of `emails`. */
  membersWithEmails?(tenant: string, emails: readonly string[]): Promise<readonly Membership[]>;
  /** The people barred from an organization (member-bars.ts): removed or deprovisioned, kept out of every door. */
  readonly bars?: BarStore;
  /** One open invitation per address and organization (invitation-address.ts). */
  readonly addresses?: InvitationAddresses;
}

/** Attempts to count one e-mail when other sends of the organization write the day's counter at the same time. */
const CLAIM_ATTEMPTS = 8;

/**
 * The `members` container (`/tenant` the partition key) as the membership routes and the membership tenant source use it:
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
  return new CosmosMemberStore(container, policy);
}

/** One query's page, or every result (no `limit`). */
interface QueryPage {
  readonly tenant?: string;
  readonly limit?: number;
  readonly token?: string | undefined;
}

/** The store over one container and call policy (the class keeps the two the methods share). */
class CosmosMemberStore implements MemberStore {
  readonly bars: BarStore;
  readonly addresses: InvitationAddresses;

  constructor(
    private readonly container: Container,
    private readonly policy: CosmosCallPolicy,
  ) {
    this.bars = cosmosBarStore(container, policy);
    this.addresses = cosmosInvitationAddresses(container, policy);
  }

  private async query<T>(
    sql: string,
    parameters: { name: string; value: string | readonly string[] }[],
    map: (r: Record<string, unknown>) => T | undefined,
    page: QueryPage = {},
  ): Promise<Page<T>> {
    const paged = page.limit !== undefined;
    const result = await callCosmos(this.policy, (abortSignal) => {
      const q = this.container.items.query<Record<string, unknown>>(
        { query: sql, parameters },
        {
          abortSignal,
          ...(page.tenant !== undefined ? { partitionKey: page.tenant } : {}),
          ...(paged ? { maxItemCount: page.limit } : {}),
          ...(page.token ? { continuationToken: page.token } : {}),
        },
      );
      return paged ? q.fetchNext() : q.fetchAll();
    });
    const items = result.resources.map(map).filter((x): x is T => x !== undefined);
    const next =
      paged && result.hasMoreResults && result.continuationToken
        ? result.continuationToken
        : undefined;
    return { items, next };
  }

  private write(id: string, tenant: string, body: Record<string, unknown>, etag: string) {
    return conditional(async () => {
      const { resource } = await callCosmos(this.policy, (abortSignal) =>
        this.container.item(id, tenant).replace<Record<string, unknown>>(body, {
          abortSignal,
          accessCondition: { type: 'IfMatch', condition: etag },
        }),
      );
      return etagOf(resource);
    });
  }

  async read(tenant: string, userId: string) {
    const id = membershipId(tenant, userId);
    return tagged(await readItemOrNone(this.container, this.policy, id, tenant), membershipOf);
  }

  async membershipsOf(userId: string) {
    const sql = 'SELECT * FROM c WHERE c.userId = @u AND NOT IS_DEFINED(c.kind)';
    return (await this.query(sql, [{ name: '@u', value: userId }], membershipOf)).items;
  }

  membershipsPage(userId: string, limit: number, token: string | undefined) {
    const sql = 'SELECT * FROM c WHERE c.userId = @u AND NOT IS_DEFINED(c.kind) ORDER BY c.tenant';
    return this.query(sql, [{ name: '@u', value: userId }], membershipOf, { limit, token });
  }

  members(tenant: string, limit: number, token: string | undefined) {
    const sql = 'SELECT * FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind) ORDER BY c.id';
    return this.query(sql, [{ name: '@t', value: tenant }], membershipOf, { tenant, limit, token });
  }

  async owners(tenant: string) {
    const sql =
      'SELECT c.userId FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind) AND ARRAY_CONTAINS(c.roles, @owner)';
    const parameters = [
      { name: '@t', value: tenant },
      { name: '@owner', value: OWNER_ROLE },
    ];
    const userIdOf = (r: Record<string, unknown>) =>
      typeof r['userId'] === 'string' ? r['userId'] : undefined;
    return (await this.query(sql, parameters, userIdOf, { tenant })).items;
  }

  async create(membership: Membership): Promise<Tagged<Membership> | 'exists'> {
    try {
      const { resource } = await callCosmos(this.policy, (abortSignal) =>
        this.container.items.create<Record<string, unknown>>({ ...membership }, { abortSignal }),
      );
      return { value: membership, etag: etagOf(resource) };
    } catch (e) {
      if (statusOf(e) === 409) return 'exists';
      throw e;
    }
  }

  async replace(membership: Membership, etag: string) {
    const r = await this.write(membership.id, membership.tenant, { ...membership }, etag);
    return r === 'changed' || r === 'missing' ? r : { value: membership, etag: r };
  }

  remove(tenant: string, userId: string, etag: string) {
    return conditional(async () => {
      await callCosmos(this.policy, (abortSignal) =>
        this.container
          .item(membershipId(tenant, userId), tenant)
          .delete({ abortSignal, accessCondition: { type: 'IfMatch', condition: etag } }),
      );
      return 'removed' as const;
    });
  }

  async createInvitation(invitation: StoredInvitation) {
    const id = invitationItemId(invitation.tenant, invitation.id);
    const { resource } = await callCosmos(this.policy, (abortSignal) =>
      this.container.items.create<Record<string, unknown>>(
        { ...invitation, id, kind: 'invitation' },
        { abortSignal },
      ),
    );
    return { value: invitation, etag: etagOf(resource) };
  }

  async readInvitation(tenant: string, id: string) {
    const itemId = invitationItemId(tenant, id);
    return tagged(await readItemOrNone(this.container, this.policy, itemId, tenant), invitationOf);
  }

  invitations(tenant: string, limit: number, token: string | undefined) {
    const sql =
      "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'invitation' AND NOT IS_DEFINED(c.acceptedBy) " +
      'ORDER BY c.id';
    return this.query(sql, [{ name: '@t', value: tenant }], invitationOf, { tenant, limit, token });
  }

  async replaceInvitation(invitation: StoredInvitation, etag: string) {
    const id = invitationItemId(invitation.tenant, invitation.id);
    const r = await this.write(
      id,
      invitation.tenant,
      { ...invitation, id, kind: 'invitation' },
      etag,
    );
    return r === 'changed' || r === 'missing' ? r : { value: invitation, etag: r };
  }

  deleteInvitationIf(tenant: string, id: string, etag: string) {
    return conditional(async () => {
      await callCosmos(this.policy, (abortSignal) =>
        this.container
          .item(invitationItemId(tenant, id), tenant)
          .delete({ abortSignal, accessCondition: { type: 'IfMatch', condition: etag } }),
      );
      return 'removed' as const;
    });
  }

  async invitationsBy(tenant: string, userId: string) {
    const sql =
      "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'invitation' AND c.invitedBy = @u " +
      'AND NOT IS_DEFINED(c.acceptedBy)';
    const parameters = [
      { name: '@t', value: tenant },
      { name: '@u', value: userId },
    ];
    const of = (r: Record<string, unknown>) => tagged(r, invitationOf);
    return (await this.query(sql, parameters, of, { tenant })).items;
  }

  async claimEmail(tenant: string, day: string, bound: number): Promise<boolean> {
    // One counter item per organization and UTC day (`kind: 'email-day'`: no membership or invitation query reads
    // it), written at the version read so concurrent sends never both take the last slot. `ttl` lets it expire
    // where the container has a default TTL; elsewhere it is one small item a day of sending.
    const id = emailDayItemId(tenant, day);
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
      const found = await readItemOrNone(this.container, this.policy, id, tenant);
      const count = typeof found?.['count'] === 'number' ? found['count'] : 0;
      if (count >= bound) return false;
      const body = { id, tenant, kind: 'email-day', day, count: count + 1, ttl: 2 * 24 * 3600 };
      const r = found
        ? await this.write(id, tenant, body, etagOf(found))
        : await conditional(async () => {
            await callCosmos(this.policy, (abortSignal) =>
              this.container.items.create(body, { abortSignal }),
            );
            return 'created';
          }).catch((e: unknown) => {
            if (statusOf(e) === 409) return 'changed' as const;
            throw e;
          });
      if (r !== 'changed' && r !== 'missing') return true;
    }
    throw Object.assign(new Error('The invitation e-mail counter kept changing.'), { code: 429 });
  }

  async closeInvitation(closed: ClosedInvitation) {
    const item = {
      ...closed,
      id: closedInvitationItemId(closed.tenant, closed.id),
      kind: 'closed-invitation',
    };
    await callCosmos(this.policy, (abortSignal) =>
      this.container.items.upsert<Record<string, unknown>>(item, { abortSignal }),
    );
  }

  async readClosedInvitation(tenant: string, id: string) {
    const itemId = closedInvitationItemId(tenant, id);
    return closedInvitationOf(await readItemOrNone(this.container, this.policy, itemId, tenant));
  }

  async invitationsTo(tenant: string, email: string) {
    const sql =
      "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'invitation' AND c.email = @e " +
      'AND NOT IS_DEFINED(c.acceptedBy)';
    const parameters = [
      { name: '@t', value: tenant },
      { name: '@e', value: email },
    ];
    return (await this.query(sql, parameters, invitationOf, { tenant })).items;
  }

  async hasMemberWithEmail(tenant: string, email: string) {
    const sql =
      'SELECT c.id FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind) AND c.email = @e';
    const parameters = [
      { name: '@t', value: tenant },
      { name: '@e', value: email },
    ];
    const idOf = (r: Record<string, unknown>) =>
      typeof r['id'] === 'string' ? r['id'] : undefined;
    return (
      (await this.query(sql, parameters, idOf, { tenant, limit: 1, token: undefined })).items
        .length > 0
    );
  }

  async membersWithEmails(tenant: string, emails: readonly string[]) {
    if (emails.length === 0) return [];
    const sql =
      'SELECT * FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind) AND ARRAY_CONTAINS(@e, c.email)';
    const parameters = [
      { name: '@t', value: tenant },
      { name: '@e', value: emails.map((e) => e.toLowerCase()) },
    ];
    return (await this.query(sql, parameters, membershipOf, { tenant })).items;
  }

  async deleteInvitation(tenant: string, id: string) {
    const done = await conditional(async () => {
      await callCosmos(this.policy, (abortSignal) =>
        this.container.item(invitationItemId(tenant, id), tenant).delete({ abortSignal }),
      );
      return true;
    });
    return done === true;
  }
}
