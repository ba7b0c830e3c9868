// Which regions a backend's created Cosmos DB account spans: pure, so the planner's checks (plan/checks/
// registry-account.ts) and the cosmos resource type (resources/cosmos) read one answer.
import type { NormalizedConfig } from '../../model/config.js';

/**
 * An Azure region's name as compared: `West US 2` and `westus2` are one region.
 *
 * @example
 * ```ts
 * region('West US 2'); // 'westus2'
 * ```
 */
export const region = (s: string) => s.toLowerCase().replace(/\s+/g, '');

/**
 * True when `cosmosConfig` asks the (created) default account to span more than the backend's region.
 * Serverless accounts are single-region, so the default group is then provisioned.
 *
 * @example
 * ```ts
 * isMultiRegion(
 *   normalizeConfig({
 *     location: 'eastus',
 *     cosmosConfig: { failoverPolicies: [{ locationName: 'westus2', priority: 1 }] },
 *   }),
 * ); // true
 * ```
 */
export function isMultiRegion(config: NormalizedConfig): boolean {
  const cc = config.cosmosConfig;
  if (!cc || cc.useExisting) return false;
  return (cc.failoverPolicies ?? []).some(
    (p) => region(p.locationName) !== region(config.location),
  );
}
