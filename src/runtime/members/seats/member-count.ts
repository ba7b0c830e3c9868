import type { Container } from '@azure/cosmos';
import { callCosmos, type CosmosCallPolicy } from '../../data/cosmos-policy.js';

/**
 * How many members an organization has, by one query of its partition of the `members` container (memberships are
 * its items without a `kind`): where a seat count never kept before starts (members/seats/seats.ts).
 *
 * @example
 * ```ts
 * await memberCount(container, policy)('acme'); // 3
 * ```
 */
export function memberCount(
  container: Container,
  policy: CosmosCallPolicy,
): (tenant: string) => Promise<number> {
  return async (tenant) => {
    const { resources } = await callCosmos(policy, (abortSignal) =>
      container.items
        .query<number>(
          {
            query: 'SELECT VALUE COUNT(1) FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind)',
            parameters: [{ name: '@t', value: tenant }],
          },
          { abortSignal, partitionKey: tenant },
        )
        .fetchAll(),
    );
    return resources.reduce((a, b) => a + b, 0);
  };
}
