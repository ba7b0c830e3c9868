import type { ResourceRequirement } from '../../model/requirements.js';
import { settingName } from '../../kit/pure/names/terraform-names.js';
import { AUDIT_LOG } from '../../kit/pure/tenant-registry.js';
import {
  CHANGE_FEED_CONNECTION,
  CHANGE_FEED_CREDENTIAL,
  CHANGE_FEED_ENDPOINT,
  leaseContainerOf,
} from '../../resources/functions/change-feed-connection.js';
import type { CosmosRequirementConfig } from '../../resources/cosmos/requirement.js';
import { ref } from '../../resources/refs.js';
import type { NormalizedFunctionsConfig } from './normalize.js';

/**
 * Where a `tenant-events` function reads: the change feed of the registry's `audit` container (each entry one change
 * of an organization, create-only), through the component's own identity-based connection (`<PREFIX>_CHANGE_FEED`,
 * as a CrudApi's onChange: resources/functions/change-feed-connection.ts), its leases in `audit-leases` beside it —
 * one lease container for every such function, each under a lease prefix of its own (its function name; Learn,
 * "Azure Cosmos DB trigger for Azure Functions 2.x and higher", `leaseContainerPrefix`).
 *
 * @example
 * ```ts
 * tenantEventsFeed('Welcome'); // { connection: 'WELCOME_CHANGE_FEED', database: 'atakora', container: 'audit', leaseContainer: 'audit-leases' }
 * ```
 */
export function tenantEventsFeed(id: string): {
  connection: string;
  database: string;
  container: string;
  leaseContainer: string;
} {
  return {
    connection: settingName(id, CHANGE_FEED_CONNECTION),
    database: AUDIT_LOG.database,
    container: AUDIT_LOG.container,
    leaseContainer: leaseContainerOf(AUDIT_LOG.container),
  };
}

/**
 * What a FunctionsApp with `tenant-events` functions adds: its connection's settings (endpoint, managed identity)
 * and a Cosmos DB requirement on the default account for the lease container — which also makes the component one
 * of the account's, so the registry's containers grant its identity their data role (cosmos/tenant-registry.ts).
 * Nothing without such a function.
 *
 * @example
 * ```ts
 * tenantEventsRequirements('Welcome', normalized, 10).requirements; // [{ resourceType: 'cosmos', … }]
 * ```
 */
export function tenantEventsRequirements(
  id: string,
  n: NormalizedFunctionsConfig,
  priority: number,
): { settings: Record<string, string>; requirements: ResourceRequirement[] } {
  if (!n.functions.some((f) => f.trigger === 'tenant-events'))
    return { settings: {}, requirements: [] };
  const cosmos: CosmosRequirementConfig = {
    access: 'readwrite',
    databases: [
      {
        name: AUDIT_LOG.database,
        containers: [
          {
            name: leaseContainerOf(AUDIT_LOG.container),
            partitionKey: '/id',
            access: 'readwrite',
            lease: true,
          },
        ],
      },
    ],
  };
  return {
    settings: {
      [CHANGE_FEED_ENDPOINT]: ref('cosmos', 'endpoint'),
      [CHANGE_FEED_CREDENTIAL]: 'managedidentity',
    },
    requirements: [
      { resourceType: 'cosmos', requirementKey: `${id}-cosmos`, priority, config: { ...cosmos } },
    ],
  };
}
