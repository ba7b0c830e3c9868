import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../../data/cosmos-policy.js';
import { conditional, etagOf, statusOf } from '../member-writes.js';

/**
 * One person's organizations in the making, so `tenants.maxOrganizationsPerUser` holds under concurrent requests
 * (DESIGN §2: counted wherever a user becomes an Owner). Counting the person's Owner memberships alone let six
 * `POST api/tenants` at once pass a bound of three: each counted before any of the others had written. So each
 * decision is written: one item per person in the `members` container (`kind: 'owner-holds'`, in a partition of its
 * own, `|owner-holds|<sha256 of the user id>`, which no organization id can be — no membership query reads it) holding
 * the organizations they are becoming an Owner of, each until it lapses; a decision reads it, counts the person's Owner
 * memberships and its live holds together (an organization in both once), and adds its own hold by a write at the
 * version read — Cosmos DB's optimistic concurrency (Learn, "Optimistic concurrency control": a replace whose
 * `IfMatch` names a changed `_etag` is 412; a create of an existing id 409), so of two decisions at once one writes
 * and the other reads again and counts the first. A hold is kept until it lapses, not taken off once the membership is
 * written: a query of the memberships from another session may not see that write yet, the hold covers it meanwhile.
 * A counter of owned organizations would have to move on every way an ownership ends (a removal, a demotion, an
 * erase); holds of what is under way never drift.
 */
export interface OwnerHoldStore {
  /** The person's holds (organization → when it lapses, ms) and the version read; undefined when none was written. */
  read(userId: string): Promise<{ holds: Record<string, number>; etag: string } | undefined>;
  /** Write `holds` at the version `etag` names (undefined: create): false when another decision wrote first. */
  write(userId: string, holds: Record<string, number>, etag: string | undefined): Promise<boolean>;
}

/** How long a hold counts: well past the few Cosmos DB calls between a decision and the membership it allows. */
export const OWNER_HOLD_MS = 120_000;

const partitionOf = (userId: string): string =>
  `|owner-holds|${createHash('sha256').update(userId, 'utf8').digest('hex')}`;

/**
 * The {@link OwnerHoldStore} of the `members` container, every call with the runtime's deadline.
 *
 * @example
 * ```ts
 * const holds = cosmosOwnerHolds(container, policy);
 * await holds.read('u-9'); // { holds: { 'acme-k3x9qa': 1767225720000 }, etag: '"…"' }
 * ```
 */
export function cosmosOwnerHolds(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): OwnerHoldStore {
  return {
    async read(userId) {
      const pk = partitionOf(userId);
      const found = await readItemOrNone(container, policy, pk, pk);
      if (!found) return undefined;
      const raw = found['holds'];
      const holds: Record<string, number> = {};
      if (raw && typeof raw === 'object' && !Array.isArray(raw))
        for (const [k, v] of Object.entries(raw as Record<string, unknown>))
          if (typeof v === 'number') holds[k] = v;
      return { holds, etag: etagOf(found) };
    },
    async write(userId, holds, etag) {
      const pk = partitionOf(userId);
      const body = { id: pk, tenant: pk, kind: 'owner-holds', holds };
      if (etag === undefined) {
        try {
          await callCosmos(policy, (abortSignal) => container.items.create(body, { abortSignal }));
          return true;
        } catch (e) {
          if (statusOf(e) === 409) return false;
          throw e;
        }
      }
      const done = await conditional(() =>
        callCosmos(policy, (abortSignal) =>
          container.item(pk, pk).replace(body, {
            abortSignal,
            accessCondition: { type: 'IfMatch', condition: etag },
          }),
        ),
      );
      return done !== 'changed' && done !== 'missing';
    },
  };
}
