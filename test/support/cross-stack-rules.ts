/**
 * Rules over all stacks of one synth (an example's cdktf program, or `atakora synth` of an entry): what one
 * stack reads from another is where that stack puts it; global DNS names carry a deployment token; nothing
 * routes global traffic to a Flex host it cannot serve; no Front Door route mixes API registrations.
 */
type Attrs = Readonly<Record<string, unknown>>;
type Json = {
  resource?: Readonly<Record<string, Readonly<Record<string, Attrs>>>>;
  data?: Readonly<Record<string, Readonly<Record<string, Attrs>>>>;
};

const entries = (json: Json, type: string) => Object.entries(json.resource?.[type] ?? {});
const literal = (v: unknown): v is string => typeof v === 'string' && !v.includes('${');
const first = (v: unknown): Attrs => (Array.isArray(v) ? (v[0] ?? {}) : (v ?? {})) as Attrs;
const APPS = ['azurerm_function_app_flex_consumption', 'azurerm_linux_function_app'];

/** The deployment tokens of a synth: the last `-xxxxxx` of each global app, Cosmos DB account, Front Door profile and Key Vault name. */
export function deploymentTokens(stacks: Readonly<Record<string, Json>>): Set<string> {
  const tokens = new Set<string>();
  for (const json of Object.values(stacks)) {
    for (const type of [
      ...APPS,
      'azurerm_cosmosdb_account',
      'azurerm_cdn_frontdoor_profile',
      'azurerm_key_vault',
    ]) {
      for (const [, r] of entries(json, type)) {
        const m = literal(r['name']) ? /-([a-z0-9]{6})$/.exec(r['name']) : null;
        if (m) tokens.add(m[1]!);
      }
    }
  }
  return tokens;
}

/** Every broken cross-stack rule, as `stack address: problem (source)` lines. */
export function crossStackProblems(stacks: Readonly<Record<string, Json>>): string[] {
  const problems: string[] = [];
  const add = (stack: string, address: string, problem: string, source: string) =>
    problems.push(`${stack} ${address}: ${problem} (${source})`);
  const tokens = deploymentTokens(stacks);
  const carriesToken = (name: string) => [...tokens].some((t) => name.includes(t));
  const flexHosts = new Set<string>();
  const accounts = new Map<string, string>(); // Cosmos account name → the resource group its stack creates it in
  for (const json of Object.values(stacks)) {
    const group = entries(json, 'azurerm_resource_group')
      .map(([, g]) => g['name'])
      .find(literal);
    for (const [, a] of entries(json, 'azurerm_cosmosdb_account'))
      if (literal(a['name']) && group) accounts.set(a['name'], group);
    for (const type of APPS)
      for (const [, a] of entries(json, type))
        if (literal(a['name'])) flexHosts.add(`${a['name']}.azurewebsites.net`);
  }

  // The API registration each Function App validates tokens for, by its host: a literal client id as is, a
  // reference qualified by the stack it resolves in (two stacks' `azuread_application.x` are two registrations).
  const registrationByHost = new Map<string, string>();
  for (const [stack, json] of Object.entries(stacks)) {
    for (const type of APPS) {
      for (const [, a] of entries(json, type)) {
        const clientId = first(first(a['auth_settings_v2'])['active_directory_v2'])['client_id'];
        if (!literal(a['name']) || typeof clientId !== 'string') continue;
        registrationByHost.set(
          `${a['name']}.azurewebsites.net`,
          literal(clientId) ? clientId : `${stack}: ${clientId}`,
        );
      }
    }
  }

  for (const [stack, json] of Object.entries(stacks)) {
    // 0. One Front Door route, one API audience: Front Door sends each request to any healthy origin of the
    // route, and App Service authentication accepts tokens for its own registration only (audience = its client
    // id, Learn "Configure Microsoft Entra authentication", Allowed Token Audiences): origins validating different
    // registrations answer a caller's token on one origin and 401 on the others.
    const origins = Object.fromEntries(entries(json, 'azurerm_cdn_frontdoor_origin'));
    for (const [rn, r] of entries(json, 'azurerm_cdn_frontdoor_route')) {
      const ids = Array.isArray(r['cdn_frontdoor_origin_ids'])
        ? (r['cdn_frontdoor_origin_ids'] as unknown[])
        : [];
      const registrations = new Set<string>();
      for (const id of ids) {
        const m = /^\$\{azurerm_cdn_frontdoor_origin\.([\w-]+)\.id\}$/.exec(String(id));
        const host = m ? origins[m[1]!]?.['host_name'] : undefined;
        const registration = typeof host === 'string' ? registrationByHost.get(host) : undefined;
        if (registration) registrations.add(registration);
      }
      if (registrations.size > 1)
        add(
          stack,
          `azurerm_cdn_frontdoor_route.${rn}`,
          `routes to Function Apps validating ${String(registrations.size)} API registrations (${[...registrations].sort().join('; ')}): a token is valid on one origin only`,
          'Learn: configure-authentication-provider-aad, allowed token audiences',
        );
    }
    // 1. A stack reading another's Cosmos DB account looks in the group that stack creates it in (else the
    // data source fails "not found" on the first plan, and the role assignments go to the wrong group).
    for (const [dn, d] of Object.entries(json.data?.['azurerm_cosmosdb_account'] ?? {})) {
      const owner = literal(d['name']) ? accounts.get(d['name']) : undefined;
      if (owner && d['resource_group_name'] !== owner)
        add(
          stack,
          `data.azurerm_cosmosdb_account.${dn}`,
          `reads account ${String(d['name'])} in ${String(d['resource_group_name'])}, but it is created in ${owner}`,
          'Terraform docs: a data source reads what exists',
        );
    }
    // 2. Traffic Manager answers DNS only: a caller then talks TLS to the target with the Traffic Manager name,
    // which a *.azurewebsites.net certificate does not cover and Flex Consumption cannot add a certificate for
    // (Learn, "Traffic Manager FAQ: HTTPS"; "Flex Consumption plan": no custom certificates). No endpoint targets
    // an app host.
    for (const type of [
      'azurerm_traffic_manager_external_endpoint',
      'azurerm_traffic_manager_azure_endpoint',
    ]) {
      for (const [en, e] of entries(json, type)) {
        const target = String(e['target'] ?? e['target_resource_id'] ?? '');
        if (
          /azurewebsites\.net$/.test(target) ||
          flexHosts.has(target) ||
          /azurerm_(function_app_flex_consumption|linux_function_app)\./.test(target)
        ) {
          add(
            stack,
            `${type}.${en}`,
            `routes to the Function App host ${target}, which cannot serve the Traffic Manager name`,
            'Learn: traffic-manager-faqs HTTPS; flex-consumption-plan certificates',
          );
        }
      }
    }
    // 3. Global DNS names carry the deployment token (DESIGN §5): a literal name is claimed by whoever deploys first.
    // (Front Door endpoint host names are exempt: Front Door appends its own hash, `<name>-<hash>.z01.azurefd.net`;
    // Learn, "Endpoints in Azure Front Door", endpoint domain names — docs/deploying.md "Names".)
    for (const [pn, p] of entries(json, 'azurerm_traffic_manager_profile')) {
      const relative = String(first(p['dns_config'])['relative_name'] ?? '');
      if (!carriesToken(relative))
        add(
          stack,
          `azurerm_traffic_manager_profile.${pn}`,
          `relative_name "${relative}" is a global DNS name without the deployment token`,
          'Learn: traffic-manager-overview, <name>.trafficmanager.net is global',
        );
    }
  }
  return problems;
}
