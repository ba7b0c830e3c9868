import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { BarredBy } from '../../../model/lives/membership-life.js';
import { callCosmos, type CosmosCallPolicy, readItemOrNone } from '../../data/cosmos-policy.js';

/**
 * A person barred from an organization (model/lives/membership-life.ts): an Owner removed them or SCIM deprovisioned
 * them, so no door re-admits them — a domain's auto-join, a join request, a directory's first request, SCIM's link
 * on sign-in — until an Owner invites them again or SCIM re-activates them. Kept in the organization's partition of
 * the `members` container (`kind: 'barred'`, id `<tenant>|barred|<userId>`: no membership query reads it), and under
 * the verified e-mail they had as a member (`kind: 'barred-email'`), so the same person signing in with another
 * account of that address is kept out too.
 *
 * @example
 * ```ts
 * const bar: StoredBar = { tenant: 'acme', userId: 'u-9', email: 'kim@contoso.com', by: 'removed', barredOn: '…' };
 * ```
 */
export interface StoredBar {
  readonly tenant: string;
  readonly userId: string;
  readonly email?: string;
  readonly by: BarredBy;
  readonly barredOn: string;
}

/** The bars of the `members` container: found by person, written before a removal, lifted by a re-admission. */
export interface BarStore {
  /** The bars of `tenant` naming `userId`, or one of `emails` (lower case). */
  find(tenant: string, userId: string, emails: readonly string[]): Promise<readonly StoredBar[]>;
  /** Bar (again) `bar.userId`; a bar already there is replaced. */
  put(bar: StoredBar): Promise<void>;
  /** Lift the bars of `tenant` naming `userId` or one of `emails` (none: nothing to do). */
  lift(tenant: string, userId: string | undefined, emails: readonly string[]): Promise<number>;
}

/** The item id of `userId`'s bar in `tenant`. */
export const barItemId = (tenant: string, userId: string): string => `${tenant}|barred|${userId}`;

/** The item id of the bar of an address in `tenant` (hashed: no address in an id). */
export const barEmailItemId = (tenant: string, email: string): string =>
  `${tenant}|barred-email|${createHash('sha256').update(email.toLowerCase(), 'utf8').digest('hex')}`;

const text = (o: Record<string, unknown>, k: string): string | undefined =>
  typeof o[k] === 'string' ? o[k] : undefined;

/** A bar as read from Cosmos DB (`kind: 'barred'`, or its address's `kind: 'barred-email'`), else undefined. */
export function barOf(r: Record<string, unknown> | undefined): StoredBar | undefined {
  if (!r) return undefined;
  const [tenant, userId, barredOn, email] = ['tenant', 'userId', 'barredOn', 'email'].map((k) =>
    text(r, k),
  );
  const by = r['by'];
  if (r['kind'] !== 'barred' && r['kind'] !== 'barred-email') return undefined;
  if (!tenant || !userId || !barredOn || (by !== 'removed' && by !== 'deprovisioned'))
    return undefined;
  return { tenant, userId, by, barredOn, ...(email !== undefined ? { email } : {}) };
}

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * The {@link BarStore} over the `members` container, every call with the runtime's deadline. A bar is two items —
 * by user id, and by its verified e-mail — so every lookup is point reads (at once), never a query: a door asks on
 * each admission, an invitation's acceptance among them.
 *
 * @example
 * ```ts
 * const bars = cosmosBarStore(container, policy);
 * await bars.find('acme', 'u-9', ['kim@contoso.com']); // [{ by: 'removed', … }]
 * ```
 */
export function cosmosBarStore(container: Container, policy: CosmosCallPolicy): BarStore {
  const ids = (tenant: string, userId: string | undefined, emails: readonly string[]) => [
    ...(userId !== undefined ? [barItemId(tenant, userId)] : []),
    ...emails.map((e) => barEmailItemId(tenant, e)),
  ];
  const find = async (tenant: string, userId: string | undefined, emails: readonly string[]) => {
    const read = await Promise.all(
      ids(tenant, userId, emails).map((id) => readItemOrNone(container, policy, id, tenant)),
    );
    return read.map(barOf).filter((b): b is StoredBar => b !== undefined);
  };
  const remove = async (tenant: string, id: string) => {
    try {
      await callCosmos(policy, (abortSignal) => container.item(id, tenant).delete({ abortSignal }));
      return true;
    } catch (e) {
      // Lifted meanwhile by another re-admission: the same outcome.
      if (statusOf(e) !== 404) throw e;
      return false;
    }
  };
  return {
    find,
    async put(bar) {
      const items = [
        { ...bar, id: barItemId(bar.tenant, bar.userId), kind: 'barred' },
        ...(bar.email !== undefined
          ? [{ ...bar, id: barEmailItemId(bar.tenant, bar.email), kind: 'barred-email' }]
          : []),
      ];
      for (const item of items)
        await callCosmos(policy, (abortSignal) => container.items.upsert(item, { abortSignal }));
    },
    async lift(tenant, userId, emails) {
      // The bars found, and the address items of the people they name (the same person's other half).
      const found = await find(tenant, userId, emails);
      const all = new Set(ids(tenant, userId, emails));
      for (const b of found)
        for (const id of ids(tenant, b.userId, b.email ? [b.email] : [])) all.add(id);
      let lifted = 0;
      for (const id of all) if (await remove(tenant, id)) lifted++;
      return lifted;
    },
  };
}
