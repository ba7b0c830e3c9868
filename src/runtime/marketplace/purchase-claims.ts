import type { Container } from '@azure/cosmos';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../data/cosmos-policy.js';

/**
 * The partition of the Marketplace purchases' claims in the `members` container: no organization can have this id
 * (ids are `[a-z0-9-]`), so no organization's export, erase or member query ever reads it.
 */
export const PURCHASE_CLAIMS_PARTITION = '~marketplace';

/** A purchase's claim: the organization its subscription bills, who claimed it and when. */
export interface PurchaseClaim {
  readonly organization: string;
  readonly claimedBy: string;
  readonly claimedOn: string;
}

/**
 * Which organization each Marketplace subscription bills: one claim per subscription id, created never overwritten
 * — two landing pages opening one purchase at once cannot both win (Cosmos DB refuses the second create with 409),
 * so a purchase is claimed once (DESIGN §2: "a token of someone else's purchase cannot be claimed twice").
 */
export interface PurchaseClaims {
  claimOf(subscriptionId: string): Promise<PurchaseClaim | undefined>;
  /** Claim `subscriptionId` for `claim.organization`: `'claimed'`, or the claim already there. */
  claim(subscriptionId: string, claim: PurchaseClaim): Promise<'claimed' | PurchaseClaim>;
  /**
   * Give up the claim of `subscriptionId` while it still names `organization` (read, then deleted at the version read:
   * a claim made meanwhile stays): true when it is gone.
   */
  release(subscriptionId: string, organization: string): Promise<boolean>;
  /** Every claim (the metering export's subscriptions), by subscription id. */
  all(): Promise<ReadonlyMap<string, PurchaseClaim>>;
}

const claimId = (subscriptionId: string) => `marketplace|${subscriptionId.toLowerCase()}`;
const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

function claimOfItem(r: Record<string, unknown> | undefined): PurchaseClaim | undefined {
  const organization = r?.['organization'];
  const claimedBy = r?.['claimedBy'];
  const claimedOn = r?.['claimedOn'];
  return typeof organization === 'string' &&
    typeof claimedBy === 'string' &&
    typeof claimedOn === 'string'
    ? { organization, claimedBy, claimedOn }
    : undefined;
}

/**
 * The claims over the `members` container (`/tenant` the partition key), in {@link PURCHASE_CLAIMS_PARTITION}, each
 * call with the runtime's deadline.
 *
 * @example
 * ```ts
 * await cosmosPurchaseClaims(members).claim(subscriptionId, { organization: 'acme-k3x9qa', claimedBy: oid, claimedOn });
 * ```
 */
export function cosmosPurchaseClaims(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): PurchaseClaims {
  const claimOf = async (subscriptionId: string) =>
    claimOfItem(
      await readItemOrNone(container, policy, claimId(subscriptionId), PURCHASE_CLAIMS_PARTITION),
    );
  return {
    claimOf,
    async claim(subscriptionId, claim) {
      try {
        await callCosmos(policy, (abortSignal) =>
          container.items.create(
            {
              id: claimId(subscriptionId),
              tenant: PURCHASE_CLAIMS_PARTITION,
              kind: 'marketplace-claim',
              subscriptionId: subscriptionId.toLowerCase(),
              ...claim,
            },
            { abortSignal },
          ),
        );
        return 'claimed';
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
      }
      return (await claimOf(subscriptionId)) ?? this.claim(subscriptionId, claim);
    },
    async release(subscriptionId, organization) {
      const id = claimId(subscriptionId);
      const found = await readItemOrNone(container, policy, id, PURCHASE_CLAIMS_PARTITION);
      if (!found) return true;
      if (claimOfItem(found)?.organization !== organization) return false;
      try {
        await callCosmos(policy, (abortSignal) =>
          container.item(id, PURCHASE_CLAIMS_PARTITION).delete({
            abortSignal,
            accessCondition: { type: 'IfMatch', condition: String(found['_etag']) },
          }),
        );
        return true;
      } catch (e) {
        // 404: released meanwhile; 412: claimed again meanwhile — that claim stands.
        if (statusOf(e) === 404) return true;
        if (statusOf(e) === 412) return false;
        throw e;
      }
    },
    async all() {
      const { resources } = await callCosmos(policy, (abortSignal) =>
        container.items
          .query<Record<string, unknown>>(
            {
              query: "SELECT * FROM c WHERE c.tenant = @p AND c.kind = 'marketplace-claim'",
              parameters: [{ name: '@p', value: PURCHASE_CLAIMS_PARTITION }],
            },
            { partitionKey: PURCHASE_CLAIMS_PARTITION, abortSignal },
          )
          .fetchAll(),
      );
      const out = new Map<string, PurchaseClaim>();
      for (const r of resources) {
        const c = claimOfItem(r);
        if (c && typeof r['subscriptionId'] === 'string') out.set(r['subscriptionId'], c);
      }
      return out;
    },
  };
}
