import type { NormalizedConfig } from '../../../model/config.js';
import type { PlanIssue, PlannedDeploy, PlannedResource } from '../../../model/plan.js';
import type { BackendResourceType } from '../../../kit/pure/resources/backend-resource-type.js';
import { compare } from '../../../kit/pure/resources/merge-strategies.js';
import { resourceName } from '../../../kit/pure/names/naming.js';
import { sharedKey } from '../../../kit/pure/names/resource-key.js';
import { tfName } from '../../../kit/pure/names/terraform-names.js';
import { asJsonObject } from '../../../kit/pure/resources/resource-type.js';
import { roundUsd } from '../../../kit/pure/resources/prices.js';
import {
  SCIM_APP_ALERTS,
  SCIM_UNAUTHORIZED_THRESHOLD,
  USD_PER_METRIC_ALERT,
} from '../../../kit/pure/resources/function-app-monitoring.js';
import { apiHostKey } from '../../../kit/pure/entra.js';
import {
  AUDIT_LOG,
  MEMBERS,
  TENANT_REGISTRY,
  USAGE_LEDGER,
} from '../../../kit/pure/tenant-registry.js';
import { declaresFeatures, plansWith } from '../../../model/plans/plan-features.js';
import { functionsFacts } from '../facts.js';
import { functionPlanMonthlyUsd } from '../prices.js';
import { functionsDeploys, hostIdFor } from '../hosting.js';
import { scimAppFacts } from './scim-facts.js';

/**
 * The SCIM app's planned resource key.
 *
 * @example
 * ```ts
 * backend.plan().resources.find((r) => r.key === SCIM_APP_KEY)?.config['url'];
 * ```
 */
export const SCIM_APP_KEY = sharedKey('scim');

/**
 * The functions the SCIM app registers: the nine SCIM routes and the catch-all below them (SCIM_ROUTES of
 * contract/scim/scim.ts) and `api/health`.
 *
 * @example
 * ```ts
 * SCIM_APP_FUNCTIONS; // 11
 * ```
 */
export const SCIM_APP_FUNCTIONS = 11;

/**
 * The data roles the SCIM app's identity holds, by container of the registry's database (`atakora`): the records are
 * read (a token's organization, its status and plan), the memberships, the audit log and the usage ledger (the
 * request counted, a seat reserved) are written. Nothing else: no CrudApi's container.
 *
 * @example
 * ```ts
 * SCIM_CONTAINER_ACCESS['tenants']; // 'read'
 * ```
 */
export const SCIM_CONTAINER_ACCESS: Readonly<Record<string, 'read' | 'readwrite'>> = {
  [AUDIT_LOG.container]: 'readwrite',
  [MEMBERS.container]: 'readwrite',
  [TENANT_REGISTRY.container]: 'read',
  [USAGE_LEDGER.container]: 'readwrite',
};

/**
 * The merged `scim` config in the plan (what its provisioner reads).
 *
 * @example
 * ```ts
 * const c = mergedConfigOf('scim', plan.resources.find((r) => r.key === 'scim:shared')!);
 * console.log(c.url, c.containers); // the Tenant URL, { audit: 'readwrite', members: 'readwrite', … }
 * ```
 */
export interface MergedScimAppConfig {
  /** Why the app exists, as the plan says it. */
  why: string;
  /** The Function App whose runtime (package, manifest, settings) it runs: the CRUD runtime's. */
  serves: string;
  runtime: string;
  version: string;
  /** The serving app's: the same hosting kind (Flex Consumption: a plan of its own, as every Flex app has). */
  sku: string;
  /** The serving app's host storage (a host id of its own keeps the two apart). */
  hostStorage: string;
  hostId: string;
  functionCount: number;
  /** `https://<app>.azurewebsites.net/api/scim/v2` — the Tenant URL; after apply the output holds the real host. */
  url: string;
  /** The Cosmos DB account holding the registry's database, its database, and the roles on its containers. */
  cosmos: string;
  database: string;
  containers: { [container: string]: 'read' | 'readwrite' };
  /** Key Vaults the serving app reads secrets from (the Stripe key of per-seat quantities): Secrets User each. */
  keyVaults: string[];
  /** The Web PubSub a deprovisioned member's connections are closed on: Web PubSub Service Owner. */
  realtime?: string;
  /**
   * With monitoring: Application Insights takes the app's telemetry by its identity (Monitoring Metrics Publisher),
   * and its platform logs and metrics go to monitoring's Log Analytics workspace (a diagnostic setting of its own).
   */
  monitoring?: string;
  /**
   * With `monitoring.alerting` on: the serving app's HTTP 5xx and latency alerts, for this app, at its thresholds,
   * and an HTTP 401 alert (`SCIM_UNAUTHORIZED_THRESHOLD` answers in 5 minutes: someone guessing tokens).
   */
  alerts?: { errorThreshold: number; latencyThreshold: number; unauthorizedThreshold: number };
}

/**
 * Terraform logical names of the SCIM app's own parts (the Function App's are `functionsNames` of hosting.ts).
 *
 * @example
 * ```ts
 * scimAppNames('notes').data('members'); // 'notes_scim_shared_data_members'
 * ```
 */
export function scimAppNames(backendId: string) {
  const base = tfName(backendId, SCIM_APP_KEY);
  return {
    base,
    identity: tfName(base, 'data', 'identity'),
    wait: tfName(base, 'data', 'wait'),
    data: (container: string) => tfName(base, 'data', container),
    secrets: (vaultKey: string) => tfName(base, 'secrets', vaultKey),
    realtime: tfName(base, 'realtime'),
    publisher: tfName(base, 'publisher'),
    diagnostics: tfName(base, 'diag'),
    errorAlert: tfName(base, 'alert', 'errors'),
    latencyAlert: tfName(base, 'alert', 'latency'),
    unauthorizedAlert: tfName(base, 'alert', 'unauthorized'),
    url: tfName(base, 'url'),
  };
}

/**
 * Whether the backend serves SCIM at all: tenants by membership with a plan that has `scim` (plans declaring no
 * features have every feature). Where SCIM is served without the SCIM app, deploy probes the shared app's SCIM path.
 *
 * @example
 * ```ts
 * servesScim(backend.config); // true on a membership backend whose plans declare no features
 * ```
 */
export function servesScim(config: Pick<NormalizedConfig, 'tenants'>): boolean {
  const plans = config.tenants?.plans ?? {};
  return (
    config.tenants?.membership !== undefined &&
    (!declaresFeatures(plans) || plansWith('scim', plans).length > 0)
  );
}

const WHY =
  'SCIM provisioning without App Service authentication in front of it: the shared app answers 401 to anything ' +
  'but an Entra token before the runtime runs, and whether its excluded paths let a non-JWT bearer through is not ' +
  'documented; this app registers the SCIM routes (authenticated by the SCIM token) and health alone.';

/**
 * The SCIM app (docs/enterprise.md, "The SCIM app"): with tenants by membership whose plans include `scim`, a second
 * Function App that runs the same runtime package in the SCIM role — no `auth_settings_v2`, `ATAKORA_APP_ROLE=scim`,
 * the SCIM routes and health alone — under an identity of its own holding data roles on the registry's containers
 * only. With monitoring it plans its own monitoring, as the serving app has it (monitoring is planned before it and
 * so cannot): a diagnostic setting to the workspace and, with alerting on, the HTTP 5xx and latency alerts and its
 * own HTTP 401 alert (tokens being guessed), priced like monitoring's. Not planned with isolated networking: the apps
 * take no public traffic there, so Entra's provisioning service reaches neither (SCIM_APP_ISOLATED).
 *
 * @example
 * ```ts
 * const { resources } = scimAppType.plan(planned, config, factsOf); // [scim:shared] on a membership backend
 * ```
 */
export const scimAppType: BackendResourceType = {
  type: 'scim',
  facts: scimAppFacts,
  plan(resources, config) {
    const issues: PlanIssue[] = [];
    // Opt-in (tenants.scimApp): by default the shared app serves SCIM behind its excluded paths and deploy probes it.
    if (config.tenants?.scimApp !== true || !servesScim(config)) return { resources: [], issues };
    const cruds = resources.filter(
      (r) => r.type === 'functions' && r.config['crudRuntime'] === true,
    );
    const hostKey = apiHostKey(cruds.map((r) => r.key));
    const host = cruds.find((r) => r.key === hostKey);
    const cosmos = resources.find(
      (r) =>
        r.type === 'cosmos' &&
        Array.isArray(r.config['databases']) &&
        (r.config['databases'] as { name?: unknown }[]).some(
          (d) => d.name === TENANT_REGISTRY.database,
        ),
    );
    if (!host || !cosmos) return { resources: [], issues };
    if (config.networking.mode === 'isolated') {
      issues.push({
        severity: 'warning',
        code: 'SCIM_APP_ISOLATED',
        path: ['config', 'networking'],
        message:
          "With isolated networking the Function Apps take no public traffic, so Entra's provisioning service cannot " +
          'reach SCIM; no separate SCIM app is planned, and SCIM stays on the shared app behind its excluded paths.',
        resolution:
          "Publish the shared app's /api/scim/v2 routes through a gateway of your own that Entra can reach, or " +
          'provision members without SCIM (invitations, domain joins, directory sign-in).',
      });
      return { resources: [], issues };
    }
    const named = resourceName('functions', 'func', 'scim', config, functionsFacts.name);
    issues.push(...named.issues);
    const merged = mergedConfig(named.name, host, cosmos, resources);
    const planned: PlannedResource = {
      key: SCIM_APP_KEY,
      type: 'scim',
      name: named.name,
      compatibility: 'scim',
      config: asJsonObject(merged),
      consumers: [],
      deploys: scimAppDeploys(config, merged),
      estimatedMonthlyUsd: roundUsd(
        functionPlanMonthlyUsd(merged.sku) +
          (merged.alerts ? SCIM_APP_ALERTS * USD_PER_METRIC_ALERT : 0),
      ),
    };
    return { resources: [planned], issues };
  },
};

function mergedConfig(
  name: string,
  host: PlannedResource,
  cosmos: PlannedResource,
  resources: readonly PlannedResource[],
): MergedScimAppConfig {
  const c = host.config as { runtime: string; version: string; sku: string; hostStorage: string };
  const readers = new Set(host.consumers);
  const keyVaults = resources
    .filter((r) => r.type === 'keyvault')
    .filter((r) => {
      const access = (r.config['access'] ?? {}) as Record<string, string>;
      const readsIn = (r.config['readsIn'] ?? {}) as Record<string, string>;
      return Object.keys(access).some((id) => readers.has(readsIn[id] ?? id));
    })
    .map((r) => r.key)
    .sort(compare);
  const realtime = resources.find(
    (r) => r.type === 'webpubsub' && r.consumers.some((id) => readers.has(id)),
  )?.key;
  const monitoring = resources.find((r) => r.type === 'monitoring');
  const alerting = monitoring?.config['alerting'] as
    | { enabled: boolean; errorThreshold: number; latencyThreshold: number }
    | undefined;
  const registry = (
    cosmos.config['databases'] as { name: string; containers: { name: string }[] }[]
  ).find((d) => d.name === TENANT_REGISTRY.database);
  const containers: { [container: string]: 'read' | 'readwrite' } = {};
  for (const cont of [...(registry?.containers ?? [])].sort((a, b) => compare(a.name, b.name))) {
    const access = SCIM_CONTAINER_ACCESS[cont.name];
    if (access) containers[cont.name] = access;
  }
  return {
    why: WHY,
    serves: host.key,
    runtime: c.runtime,
    version: c.version,
    sku: c.sku,
    hostStorage: c.hostStorage,
    hostId: hostIdFor(name),
    functionCount: SCIM_APP_FUNCTIONS,
    url: `https://${name}.azurewebsites.net/api/scim/v2`,
    cosmos: cosmos.key,
    database: TENANT_REGISTRY.database,
    containers,
    keyVaults,
    ...(realtime ? { realtime } : {}),
    ...(monitoring ? { monitoring: monitoring.key } : {}),
    ...(alerting?.enabled
      ? {
          alerts: {
            errorThreshold: alerting.errorThreshold,
            latencyThreshold: alerting.latencyThreshold,
            unauthorizedThreshold: SCIM_UNAUTHORIZED_THRESHOLD,
          },
        }
      : {}),
  };
}

/** Every Terraform resource apply makes for the SCIM app (the plan's `deploys`, scim-provision.ts's constructs). */
function scimAppDeploys(config: NormalizedConfig, c: MergedScimAppConfig): PlannedDeploy[] {
  const n = scimAppNames(config.backendId);
  const role = (name: string): PlannedDeploy => ({
    terraformType: 'azurerm_role_assignment',
    name,
  });
  return [
    ...functionsDeploys(n.base, c.sku, true, false),
    { terraformType: 'azurerm_user_assigned_identity', name: n.identity },
    { terraformType: 'time_sleep', name: n.wait },
    ...Object.keys(c.containers).map(
      (cont): PlannedDeploy => ({
        terraformType: 'azurerm_cosmosdb_sql_role_assignment',
        name: n.data(cont),
      }),
    ),
    ...c.keyVaults.map((k) => role(n.secrets(k))),
    ...(c.realtime ? [role(n.realtime)] : []),
    ...(c.monitoring
      ? [
          role(n.publisher),
          { terraformType: 'azurerm_monitor_diagnostic_setting', name: n.diagnostics },
        ]
      : []),
    ...(c.alerts
      ? [
          { terraformType: 'azurerm_monitor_metric_alert', name: n.errorAlert },
          { terraformType: 'azurerm_monitor_metric_alert', name: n.latencyAlert },
          { terraformType: 'azurerm_monitor_metric_alert', name: n.unauthorizedAlert },
        ]
      : []),
  ];
}
