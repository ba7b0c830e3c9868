/**
 * Fresh-subscription rules over one synthesized stack (DESIGN §5, "A fresh subscription"): what the first
 * apply on a subscription that has never seen the stack needs, and what destroy needs, as azurerm v4.55.0 does
 * it. Each rule cites the provider source (hashicorp/terraform-provider-azurerm, tag v4.55.0) or Learn.
 */
import { DependencyGraph } from './dependency-graph.js';

type Attrs = Readonly<Record<string, unknown>>;
type Json = {
  resource?: Readonly<Record<string, Readonly<Record<string, Attrs>>>>;
  data?: unknown;
  provider?: unknown;
};
type Add = (address: string, problem: string, source: string) => void;

const entries = (json: Json, type: string) => Object.entries(json.resource?.[type] ?? {});
const first = (v: unknown): Attrs => (Array.isArray(v) ? (v[0] ?? {}) : (v ?? {})) as Attrs;

/** The azurerm provider block of the stack (cdktf writes `provider.azurerm` as a list of one). */
export function azurermProviderBlock(json: Json): Attrs {
  return first((json.provider as Attrs | undefined)?.['azurerm']);
}

/** Problems a fresh subscription (first apply, destroy) would hit, reported through `add`. */
export function freshSubscriptionProblems(json: Json, add: Add): void {
  const graph = new DependencyGraph(json as ConstructorParameters<typeof DependencyGraph>[0]);
  const provider = azurermProviderBlock(json);

  // 1. A Cosmos DB data role for an identity the same apply creates waits until the principal has replicated:
  // azurerm sends the PUT once and never retries "principal not found"
  // (internal/services/cosmos/cosmosdb_sql_role_assignment_resource.go@v4.55.0, Create), unlike
  // azurerm_role_assignment, which retries PrincipalNotFound (internal/services/authorization/
  // role_assignment_resource.go@v4.55.0). Either an azurerm_role_assignment of the same principal or a
  // time_sleep keyed on the principal must come first.
  const armRoles = entries(json, 'azurerm_role_assignment');
  const sleeps = entries(json, 'time_sleep');
  for (const [rn, r] of entries(json, 'azurerm_cosmosdb_sql_role_assignment')) {
    const principal = String(r['principal_id'] ?? '');
    if (!/^\$\{azurerm_user_assigned_identity\.[A-Za-z0-9_-]+\.principal_id\}$/.test(principal))
      continue;
    const waits = graph.waitsFor(`azurerm_cosmosdb_sql_role_assignment.${rn}`);
    const afterRole = armRoles.some(
      ([an, a]) => a['principal_id'] === principal && waits.has(`azurerm_role_assignment.${an}`),
    );
    const afterSleep = sleeps.some(
      ([sn, s]) =>
        JSON.stringify(s['triggers'] ?? {}).includes(principal.slice(2, -1)) &&
        waits.has(`time_sleep.${sn}`),
    );
    if (!afterRole && !afterSleep) {
      add(
        `azurerm_cosmosdb_sql_role_assignment.${rn}`,
        'does not wait for its new principal to replicate (no azurerm_role_assignment of that principal, no time_sleep keyed on it, before it)',
        'cosmosdb_sql_role_assignment_resource.go@v4.55.0: one PUT, no PrincipalNotFound retry',
      );
    }
  }

  // 2. Flex VNet integration joins a subnet delegated to Microsoft.App/environments, which needs the Microsoft.App
  // resource provider (Learn, "Flex Consumption plan", virtual network considerations); azurerm 4.55 registers
  // none of its sets with Microsoft.App in them (internal/resourceproviders/required.go@v4.55.0), so the provider
  // block must name it in resource_providers_to_register (internal/provider/provider.go@v4.55.0).
  const toRegister = (provider['resource_providers_to_register'] ?? []) as string[];
  const needsApp = entries(json, 'azurerm_subnet').some(([, s]) =>
    ((s['delegation'] ?? []) as Attrs[]).some(
      (d) => first(d['service_delegation'])['name'] === 'Microsoft.App/environments',
    ),
  );
  if (needsApp && !toRegister.includes('Microsoft.App')) {
    add(
      'provider.azurerm',
      'a subnet is delegated to Microsoft.App/environments but Microsoft.App is not in resource_providers_to_register',
      'internal/resourceproviders/required.go@v4.55.0: no default set registers Microsoft.App',
    );
  }

  // 3. With Application Insights in a resource group the stack creates, destroy meets what Azure added to the group
  // (the "Failure Anomalies" smart detector rule and its action group): azurerm refuses to delete a group that
  // still holds resources unless features.resource_group.prevent_deletion_if_contains_resources is false
  // (internal/services/resource/resource_group_resource.go@v4.55.0, Delete; default true,
  // internal/provider/features.go@v4.55.0).
  const groupFeature = first(first(provider['features'])['resource_group']);
  if (
    entries(json, 'azurerm_application_insights').length > 0 &&
    entries(json, 'azurerm_resource_group').length > 0 &&
    groupFeature['prevent_deletion_if_contains_resources'] !== false
  ) {
    add(
      'provider.azurerm',
      'Application Insights in a resource group the stack deletes, with prevent_deletion_if_contains_resources left on',
      'resource_group_resource.go@v4.55.0 Delete; provider PR #29678',
    );
  }

  // 4. Front Door in front of an App Service host sends that host's name: without origin_host_header the caller's
  // host (the Front Door endpoint) reaches the app, which answers 404 (Learn, "Configure App Service with Front
  // Door": origin host header = the app's default host name).
  for (const [on, o] of entries(json, 'azurerm_cdn_frontdoor_origin')) {
    const host = String(o['host_name'] ?? '');
    const isApp =
      /azurewebsites\.net$/.test(host) ||
      /\$\{azurerm_(?:function_app_flex_consumption|linux_function_app|linux_web_app)\.[^.]+\.default_hostname\}/.test(
        host,
      );
    if (isApp && o['origin_host_header'] !== host)
      add(
        `azurerm_cdn_frontdoor_origin.${on}`,
        'App Service origin without origin_host_header set to its host',
        'Learn: front-door app-service origin host header',
      );
  }
}
