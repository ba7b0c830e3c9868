import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { callCosmos, type CosmosCallPolicy, readItemOrNone } from '../data/cosmos-policy.js';

/**
 * One open invitation per address and organization, under concurrent requests: before an invitation is written, its
 * address is held for it by an item whose id is the organization's and the address's (`<tenant>|invitation-to|<sha256
 * of the address>`, `kind: 'invitation-address'`) — created, never overwritten, so of two invitations to one
 * address at once one holds it and the other is answered 409 `invitation-exists` naming it. A hold outlives its
 * invitation harmlessly: the next invitation to the address finds the invitation it names accepted, revoked or
 * expired and takes the hold over at the version read.
 */
export interface InvitationAddresses {
  /**
   * Hold `email` in `tenant` for invitation `id` at `now`: `'held'`, or the id of the invitation that holds it while
   * `live(thatId)` says it is still open — or, when that invitation is not written (yet), while the hold is younger
   * than {@link HOLD_GRACE_MS} (its request is still writing it).
   */
  hold(
    tenant: string,
    email: string,
    id: string,
    now: Date,
    live: (held: string) => Promise<boolean | 'missing'>,
  ): Promise<'held' | { readonly held: string }>;
  /** Give the hold back when it is still `id`'s (an invitation that was never written, or closed). */
  release(tenant: string, email: string, id: string): Promise<void>;
}

/** Attempts to take over a stale hold when other invitations to the address race for it too. */
const HOLD_ATTEMPTS = 4;

/**
 * How long a hold whose invitation is not written yet counts as live: the request that holds it writes the
 * invitation next (two Cosmos DB calls, each within the runtime's deadline), so an older one was left by a request
 * that failed between the two.
 */
export const HOLD_GRACE_MS = 60_000;

/** The id of the item holding `email` in `tenant` (the address hashed: no address in an id, nor in a log of ids). */
export const addressItemId = (tenant: string, email: string): string =>
  `${tenant}|invitation-to|${createHash('sha256').update(email.toLowerCase(), 'utf8').digest('hex')}`;

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * The {@link InvitationAddresses} of the `members` container, every call with the runtime's deadline.
 *
 * @example
 * ```ts
 * const held = await cosmosInvitationAddresses(container, policy).hold('acme', 'bob@example.com', id, isOpen);
 * if (held !== 'held') return invitationExists(held.held);
 * ```
 */
export function cosmosInvitationAddresses(
  container: Container,
  policy: CosmosCallPolicy,
): InvitationAddresses {
  /** The write (create, or replace at `etag`) of the hold: true when it is ours, false when someone wrote first. */
  const write = async (body: Record<string, unknown>, etag: string | undefined) => {
    try {
      await callCosmos(policy, (abortSignal) =>
        etag === undefined
          ? container.items.create(body, { abortSignal })
          : container.item(String(body['id']), String(body['tenant'])).replace(body, {
              abortSignal,
              accessCondition: { type: 'IfMatch', condition: etag },
            }),
      );
      return true;
    } catch (e) {
      if (statusOf(e) === 409 || statusOf(e) === 412 || statusOf(e) === 404) return false;
      throw e;
    }
  };
  return {
    async hold(tenant, email, id, now, live) {
      const itemId = addressItemId(tenant, email);
      const heldOn = now.toISOString();
      const body = { id: itemId, tenant, kind: 'invitation-address', invitation: id, heldOn };
      for (let attempt = 1; attempt <= HOLD_ATTEMPTS; attempt++) {
        const found = await readItemOrNone(container, policy, itemId, tenant);
        const held = typeof found?.['invitation'] === 'string' ? found['invitation'] : undefined;
        if (held !== undefined && held !== id) {
          const open = await live(held);
          const since = Date.parse(typeof found?.['heldOn'] === 'string' ? found['heldOn'] : '');
          const writing = open === 'missing' && now.getTime() - since < HOLD_GRACE_MS;
          if (open === true || writing) return { held };
        }
        const etag = typeof found?.['_etag'] === 'string' ? found['_etag'] : undefined;
        if (await write(body, found ? etag : undefined)) return 'held';
      }
      // Every attempt lost to another writer: one of them holds it now.
      const last = await readItemOrNone(container, policy, itemId, tenant);
      return { held: typeof last?.['invitation'] === 'string' ? last['invitation'] : '' };
    },
    async release(tenant, email, id) {
      const itemId = addressItemId(tenant, email);
      const found = await readItemOrNone(container, policy, itemId, tenant);
      if (found?.['invitation'] !== id || typeof found['_etag'] !== 'string') return;
      const etag = found['_etag'];
      try {
        await callCosmos(policy, (abortSignal) =>
          container
            .item(itemId, tenant)
            .delete({ abortSignal, accessCondition: { type: 'IfMatch', condition: etag } }),
        );
      } catch (e) {
        // Taken over or released meanwhile: nothing of ours to give back.
        if (statusOf(e) !== 412 && statusOf(e) !== 404) throw e;
      }
    },
  };
}
