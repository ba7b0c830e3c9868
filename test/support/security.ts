/**
 * A reusable security walker over a synthesized `cdk.tf.json`: every resource of a checked type must carry
 * DESIGN.md §5's secure settings written out explicitly (an absent attribute counts as insecure, since
 * scanners and azurerm defaults do not assume the secure value).
 */

/** The parsed `cdk.tf.json` of one stack (only `resource` is read). */
export interface SynthJson {
  readonly resource?: Readonly<
    Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>
  >;
}

type Attrs = Readonly<Record<string, unknown>>;
type Check = (r: Attrs, isolated: boolean) => string[];

const equals = (r: Attrs, path: string, expected: unknown): string[] => {
  const actual = get(r, path);
  return actual === expected
    ? []
    : [`${path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`];
};
const present = (r: Attrs, path: string): string[] => {
  const v = get(r, path);
  return v === undefined || v === null || v === '' ? [`${path} is not set`] : [];
};
const publicOff = (r: Attrs, isolated: boolean): string[] =>
  isolated ? equals(r, 'public_network_access_enabled', false) : [];

/** Checks by Terraform type; a type not listed is not checked. */
const CHECKS: Readonly<Record<string, Check>> = {
  azurerm_linux_function_app: (r, isolated) => [
    ...equals(r, 'https_only', true),
    ...equals(r, 'site_config.minimum_tls_version', '1.2'),
    ...equals(r, 'site_config.ftps_state', 'Disabled'),
    // The system identity, plus user-assigned ones: the host identity and one per hosted component (its data roles).
    ...equals(r, 'identity.type', 'SystemAssigned, UserAssigned'),
    ...equals(r, 'storage_uses_managed_identity', true),
    ...equals(r, 'ftp_publish_basic_authentication_enabled', false),
    ...equals(r, 'webdeploy_publish_basic_authentication_enabled', false),
    ...publicOff(r, isolated),
    ...(isolated ? present(r, 'virtual_network_subnet_id') : []),
  ],
  azurerm_function_app_flex_consumption: (r, isolated) => [
    ...equals(r, 'https_only', true),
    ...equals(r, 'site_config.minimum_tls_version', '1.2'),
    ...equals(r, 'identity.type', 'SystemAssigned, UserAssigned'),
    ...equals(r, 'storage_authentication_type', 'UserAssignedIdentity'),
    ...equals(r, 'webdeploy_publish_basic_authentication_enabled', false),
    ...publicOff(r, isolated),
    ...(isolated ? present(r, 'virtual_network_subnet_id') : []),
  ],
  azurerm_cosmosdb_account: (r, isolated) => [
    ...present(r, 'kind'),
    ...equals(r, 'local_authentication_disabled', true),
    ...equals(r, 'access_key_metadata_writes_enabled', false),
    ...equals(r, 'minimal_tls_version', 'Tls12'),
    ...publicOff(r, isolated),
  ],
  azurerm_storage_account: (r, isolated) => [
    ...equals(r, 'min_tls_version', 'TLS1_2'),
    ...equals(r, 'https_traffic_only_enabled', true),
    ...equals(r, 'allow_nested_items_to_be_public', false),
    ...equals(r, 'shared_access_key_enabled', false),
    // An isolated app's deployment storage account (functions/deployment-storage.ts) holds code only and must
    // stay reachable by the deployer outside the VNet: public network on, Entra ID only, and its firewall denies
    // by default as soon as deployer addresses are given (else the plan warns DEPLOYER_ADDRESSES_MISSING).
    ...(isDeploymentStorage(r)
      ? [
          ...equals(r, 'default_to_oauth_authentication', true),
          ...((get(r, 'network_rules.ip_rules') as unknown[] | undefined)?.length
            ? equals(r, 'network_rules.default_action', 'Deny')
            : []),
        ]
      : [
          ...publicOff(r, isolated),
          ...(isolated ? equals(r, 'network_rules.default_action', 'Deny') : []),
        ]),
  ],
  azurerm_key_vault: (r, isolated) => {
    const days = get(r, 'soft_delete_retention_days');
    return [
      ...(get(r, 'rbac_authorization_enabled') === true ||
      get(r, 'enable_rbac_authorization') === true
        ? []
        : ['rbac_authorization_enabled is not true']),
      ...equals(r, 'purge_protection_enabled', true),
      ...(typeof days === 'number' && days >= 7 && days <= 90
        ? []
        : [`soft_delete_retention_days is ${JSON.stringify(days)}, expected 7-90`]),
      ...publicOff(r, isolated),
    ];
  },
  azurerm_servicebus_namespace: (r, isolated) => [
    ...equals(r, 'local_auth_enabled', false),
    ...equals(r, 'minimum_tls_version', '1.2'),
    ...publicOff(r, isolated),
  ],
  // Azure OpenAI (search.vector.embed): no key, Entra ID through its custom subdomain, private when isolated.
  azurerm_cognitive_account: (r, isolated) => [
    ...equals(r, 'local_auth_enabled', false),
    ...present(r, 'custom_subdomain_name'),
    ...publicOff(r, isolated),
  ],
  // Public ingestion stays on in isolated mode: closing it needs an Azure Monitor Private Link Scope, which
  // the backend does not model; ingestion is authenticated by identity (local auth off) instead.
  azurerm_application_insights: (r) => equals(r, 'local_authentication_disabled', true),
};

/** A Function App's deployment storage account (its name comes from deploymentStorageName: `stpkg…`). */
function isDeploymentStorage(r: Attrs): boolean {
  return typeof r['name'] === 'string' && r['name'].startsWith('stpkg');
}

/** The Terraform types the walker checks. */
export const CHECKED_TYPES: readonly string[] = Object.keys(CHECKS);

/**
 * Every insecure attribute of every checked resource in `synth`, as `type.name: problem` lines; empty
 * when all are secure. `isolated` adds public network access off (and VNet integration, storage deny rules).
 *
 * @example
 * ```ts
 * const json = JSON.parse(Testing.synth(stack));
 * expect(insecureAttributes(json, { isolated: true })).toEqual([]);
 * ```
 */
export function insecureAttributes(
  synth: SynthJson,
  options: { readonly isolated: boolean },
): string[] {
  const problems: string[] = [];
  for (const [type, byName] of Object.entries(synth.resource ?? {})) {
    const check = CHECKS[type];
    if (!check) continue;
    for (const [name, attrs] of Object.entries(byName)) {
      for (const p of check(attrs, options.isolated)) problems.push(`${type}.${name}: ${p}`);
    }
  }
  return problems.sort();
}

/** How many resources of checked types `synth` holds, by type (to show a walk was not vacuous). */
export function checkedResourceCounts(synth: SynthJson): Record<string, number> {
  return Object.fromEntries(
    Object.entries(synth.resource ?? {})
      .filter(([t]) => t in CHECKS)
      .map(([t, v]) => [t, Object.keys(v).length]),
  );
}

/** `a.b.c` in a synthesized block; a single nested block may be an object or a one-element list. */
function get(r: Attrs, path: string): unknown {
  let v: unknown = r;
  for (const k of path.split('.')) {
    if (Array.isArray(v)) v = v[0];
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}
