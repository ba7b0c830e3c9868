import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedResource } from '../../model/plan.js';
import type { ResourceFacts } from '../../kit/pure/resources/resource-facts.js';

/**
 * The plan error of `networking: { mode: 'isolated', privateEndpoints: false }` (pure). Isolated mode turns
 * public network access off on every resource type with a Private Link — Cosmos DB, storage, Key Vault,
 * Service Bus, Azure OpenAI and the Function Apps (each `provision.ts` sets `public_network_access_enabled = false`) — and
 * the private endpoints are then the only way in. Without them nothing could reach anything: not the app
 * its data, not a caller the app, not Terraform the data planes it refreshes. So the combination is refused
 * rather than deployed dark. Types without a Private Link (static sites, Front Door) stay public and do not count.
 *
 * @example
 * ```ts
 * endpointsRequiredIssues(
 *   plannedResources,
 *   { ...config.networking, mode: 'isolated', privateEndpoints: false },
 *   factsOf,
 * );
 * // [{ severity: 'error', code: 'NETWORK_ENDPOINTS_REQUIRED', path: ['config', 'networking', 'privateEndpoints'], … }]
 * ```
 */
export function endpointsRequiredIssues(
  resources: readonly PlannedResource[],
  net: NormalizedConfig['networking'],
  factsOf: (type: string) => ResourceFacts,
): PlanIssue[] {
  if (net.mode !== 'isolated' || net.privateEndpoints) return [];
  const closed = resources
    .filter((r) => factsOf(r.type).privateLink !== undefined)
    .map((r) => r.name);
  if (closed.length === 0) return [];
  return [
    {
      severity: 'error',
      code: 'NETWORK_ENDPOINTS_REQUIRED',
      path: ['config', 'networking', 'privateEndpoints'],
      message:
        `networking is isolated with privateEndpoints: false: isolated mode turns public network access off ` +
        `on ${closed.join(', ')}, ` +
        'and without private endpoints nothing could reach them (not the Function App its data, not a caller ' +
        'the app, ' +
        'not Terraform their data planes).',
      resolution:
        'Leave privateEndpoints out (isolated mode creates the private endpoints and private DNS zones), or ' +
        "use networking: 'public' " +
        'if these services may stay reachable from the internet (Entra ID sign-in still required, keys off).',
    },
  ];
}
