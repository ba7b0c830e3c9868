import type { Container } from '@azure/cosmos';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../../data/cosmos-policy.js';
import type { Tagged } from '../member-store.js';

/**
 * The partition of the domains' global claims: no organization can have this id (ids are `[a-z0-9-]`), so no
 * organization's export, erase or member query ever reads it.
 */
export const DOMAIN_CLAIMS_PARTITION = '~domains';

/**
 * The global claims of verified domains: `domain|<domain>` in {@link DOMAIN_CLAIMS_PARTITION}, naming the one
 * organization a domain is verified for. A claim is created, never overwritten, so two organizations verifying the
 * same domain at once cannot both win (Cosmos DB refuses the second create with 409), and handed over only at the
 * version read (`IfMatch`).
 */
export interface DomainClaims {
  /** The organization holding `domain`'s claim, with the claim's ETag. */
  claimOf(domain: string): Promise<Tagged<string> | undefined>;
  /** Claim `domain` for `tenant`: `'claimed'`, or the holder when another claim is there. */
  claim(domain: string, tenant: string): Promise<'claimed' | Tagged<string>>;
  /** Hand the claim (at the version `etag` names) to `tenant`: `'changed'` when it moved since. */
  takeOver(domain: string, tenant: string, etag: string): Promise<'claimed' | 'changed'>;
  /** Drop `domain`'s claim when `tenant` holds it. */
  release(domain: string, tenant: string): Promise<void>;
}

/** A Cosmos DB error's status code. */
export const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;
/** An item's `_etag`, or `''`. */
export const etagOf = (r: Record<string, unknown> | undefined): string =>
  typeof r?.['_etag'] === 'string' ? r['_etag'] : '';
/** What a claim store holds: verified domains, or linked Entra directories (members/directory), one holder each. */
export type ClaimKind = 'domain' | 'directory';

/**
 * The claims over the `members` container (`/tenant` the partition key), each call with the runtime's deadline;
 * `kind` `'directory'`: the same global claims for linked Entra directories (`directory|<tid>`).
 *
 * @example
 * ```ts
 * await cosmosDomainClaims(container).claim('contoso.com', 'acme-k3x9qa'); // 'claimed'
 * ```
 */
export function cosmosDomainClaims(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
  kind: ClaimKind = 'domain',
): DomainClaims {
  const call = <T>(run: (abortSignal: AbortSignal) => Promise<T>) => callCosmos(policy, run);
  // `domain|contoso.com`, `directory|<tid>`: one id space per kind in the one claims partition.
  const claimId = (key: string): string => `${kind}|${key}`;
  // The one shape of a claim's document, written by a first claim and by a take-over alike.
  const claimBody = (key: string, owner: string) => ({
    id: claimId(key),
    tenant: DOMAIN_CLAIMS_PARTITION,
    kind: `${kind}-claim`,
    [kind]: key,
    owner,
  });
  return {
    async claimOf(domain) {
      const r = await readItemOrNone(container, policy, claimId(domain), DOMAIN_CLAIMS_PARTITION);
      const owner = typeof r?.['owner'] === 'string' ? r['owner'] : undefined;
      return r && owner ? { value: owner, etag: etagOf(r) } : undefined;
    },
    async claim(domain, tenant) {
      const body = claimBody(domain, tenant);
      try {
        await call((abortSignal) => container.items.create(body, { abortSignal }));
        return 'claimed';
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
      }
      return (await this.claimOf(domain)) ?? this.claim(domain, tenant);
    },
    async takeOver(domain, tenant, etag) {
      const body = claimBody(domain, tenant);
      try {
        await call((abortSignal) =>
          container
            .item(claimId(domain), DOMAIN_CLAIMS_PARTITION)
            .replace(body, { abortSignal, accessCondition: { type: 'IfMatch', condition: etag } }),
        );
        return 'claimed';
      } catch (e) {
        if (statusOf(e) === 412 || statusOf(e) === 404) return 'changed';
        throw e;
      }
    },
    async release(domain, tenant) {
      const held = await this.claimOf(domain);
      if (held?.value !== tenant) return;
      try {
        await call((abortSignal) =>
          container
            .item(claimId(domain), DOMAIN_CLAIMS_PARTITION)
            .delete({ abortSignal, accessCondition: { type: 'IfMatch', condition: held.etag } }),
        );
      } catch (e) {
        if (statusOf(e) !== 412 && statusOf(e) !== 404) throw e;
      }
    },
  };
}
