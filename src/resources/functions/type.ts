import type { PlanIssue } from '../../model/plan.js';
import type { HostedFunction, SourcedRequirement } from '../../model/requirements.js';
import type { FunctionsRequirementConfig } from './requirement.js';
import {
  defineResourceType,
  type TypedRequirement,
} from '../../kit/pure/resources/resource-type.js';
import {
  compare,
  listContributions,
  maximum,
  union,
  type Contribution,
} from '../../kit/pure/resources/merge-strategies.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { mergeAppSettings } from './app-settings.js';
import { functionPlanMonthlyUsd } from './prices.js';
import { sharedKey, type ResourceKey } from '../../kit/pure/names/resource-key.js';
import { DEFAULT_FUNCTIONS_SKU, functionsDeploys, hostIdFor, hostingOf } from './hosting.js';

export { HOST_STORAGE_ROLES } from './hosting.js';
import { componentIdentityDeploys } from '../../kit/pure/names/component-identity.js';
import { queueConnectionOwners, queueRoleDeploys } from './queue-connections.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { anonymousFunctionIssues, fileTenancyIssues, tenancyIssues } from './tenancy-issues.js';
import { accessIssues } from './access-issues.js';
import { membershipRoleIssues } from './membership-issues.js';
import { healthCheckIssues, type HealthCheckGiven } from './health-check-issues.js';
import { apiHostKey, apiRegistrationDeploys, createsRegistrations } from '../../kit/pure/entra.js';
import {
  createsLandingRegistration,
  landingRegistrationDeploys,
} from '../../kit/pure/marketplace-landing.js';
import { functionsFacts } from './facts.js';
import { functionNameIssues } from './function-names.js';
import { changeHandlerIssues } from './change-issues.js';
import { isDataStorageKey } from '../../kit/pure/resources/data-storage.js';
import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import { at } from '../../model/at.js';

/** Node version used when a component names none: supported by Azure Functions on the plan date. */
export const DEFAULT_NODE_VERSION = '22';
/** Runtime versions past Azure's end of support: accepted with a warning. */
const END_OF_SUPPORT: Record<string, readonly string[]> = {
  node: ['14', '16', '18', '20'],
  python: ['3.7', '3.8', '3.9'],
};
const DEFAULT_VERSION: Record<string, string> = {
  node: DEFAULT_NODE_VERSION,
  python: '3.12',
  'dotnet-isolated': '8.0',
  java: '21',
  powershell: '7.4',
};

/** App Service plan SKUs in ascending capability; `maximum` merges by this order. */
export const SKU_ORDER = [
  'Y1',
  'FC1',
  'B1',
  'B2',
  'B3',
  'S1',
  'S2',
  'S3',
  'EP1',
  'EP2',
  'EP3',
  'P0v3',
  'P1v3',
  'P2v3',
  'P3v3',
] as const;
/** SKUs whose apps can join a VNet (regional VNet integration; Flex Consumption's own VNet integration). */
export const VNET_CAPABLE_SKUS = SKU_ORDER.filter((s) => s !== 'Y1');

/** The merged `functions` config in the plan. */
export interface MergedFunctionsConfig {
  runtime: string;
  version: string;
  sku: string;
  alwaysOn: boolean;
  /** Namespaced per component (`USER_API_COSMOS_ENDPOINT`), sorted by name. */
  appSettings: { [name: string]: string };
  corsOrigins: string[];
  functionCount: number;
  healthCheckPath?: string;
  healthCheckEvictionMinutes?: number;
  crudRuntime: boolean;
  /** Key of the storage resource the Functions host uses. */
  hostStorage: string;
  /** The CRUD runtime's manifest entries (one per CrudApi), sorted by component id. */
  crudEntities: RuntimeEntity[];
  /** The FileStores the runtime serves (one per FileStore), sorted by component id (absent when none). */
  fileStores?: RuntimeFileStore[];
  /** The FunctionsApps' Node functions the app's package registers, sorted by name (absent when none). */
  hostedFunctions?: HostedFunction[];
  /** The prebuilt folder deployed as the app's package (an app with one never has another consumer). */
  codePath?: string;
  /**
   * The queues the app's code may send to (`queueClient(name)`), each with the connection (app-setting prefix)
   * that reaches it — the declaring component's, the first by component id when several declare one; sorted
   * by queue name, absent when none. Apply writes it as the `ATAKORA_QUEUES` setting.
   */
  queues?: { [queue: string]: string };
  /**
   * The Functions host id (`AzureFunctionsWebHost__hostid`): distinct for every app, so apps sharing a storage
   * account never collide (Learn, "Host ID considerations").
   */
  hostId: string;
}

const cfg = (r: TypedRequirement<FunctionsRequirementConfig>): FunctionsRequirementConfig =>
  r.requirement.config;
const prio = (r: SourcedRequirement) => r.requirement.priority ?? 10;
const versionOf = (c: FunctionsRequirementConfig) => c.version ?? DEFAULT_VERSION[c.runtime] ?? '';
const major = (v: string) => v.split('.')[0] ?? v;

/** Function Apps: shared by runtime and major version. */
export const functionsType = defineResourceType<
  FunctionsRequirementConfig,
  MergedFunctionsConfig
>()({
  type: 'functions',
  namePrefix: 'func',
  facts: functionsFacts,
  attributes: { name: (n) => n, endpoint: (n) => `https://${n}.azurewebsites.net` },
  compatibility(req) {
    const c = cfg(req);
    const runtime = c.runtime ?? 'node';
    const v =
      runtime === 'python' || runtime === 'dotnet-isolated' ? versionOf(c) : major(versionOf(c));
    // One package per app: a prebuilt codePath package cannot be merged with another, so it gets its own app.
    if (c.codePath !== undefined)
      return { key: `${runtime}|${v}|code-${req.componentId}`, isDefault: false };
    return { key: `${runtime}|${v}`, isDefault: runtime === 'node' && v === DEFAULT_NODE_VERSION };
  },
  merge(reqs, config, name) {
    const issues: PlanIssue[] = [];
    const c0 = cfg(at(reqs, 0));
    const runtime = c0.runtime ?? 'node';
    const version = versionOf(c0);
    if (
      END_OF_SUPPORT[runtime]?.includes(major(version)) ||
      END_OF_SUPPORT[runtime]?.includes(version)
    ) {
      issues.push({
        severity: 'warning',
        code: 'RUNTIME_END_OF_SUPPORT',
        components: reqs.map((r) => r.componentId),
        message:
          `${runtime} ${version} is past its end of support on Azure Functions; it still deploys, but move to ` +
          `${runtime} ${DEFAULT_VERSION[runtime]}.`,
      });
    }
    const sku = planSku(reqs);
    // Asked for explicitly, even where a larger plan in the group would win: the component's sku cannot be honoured.
    const unsupported = reqs
      .filter((r) => hostingOf(cfg(r).sku ?? DEFAULT_FUNCTIONS_SKU) === 'unsupported')
      .map((r) => r.componentId);
    if (unsupported.length > 0) {
      issues.push({
        severity: 'error',
        code: 'FUNCTIONS_SKU_UNSUPPORTED',
        components: unsupported,
        path: ['components'],
        message:
          `${unsupported.join(', ')} asked for sku Y1 (Linux Consumption), which this backend does not target: ` +
          `Microsoft is retiring it (30 September 2028; no new features or language versions), it has no VNet ` +
          `integration for isolated networking, and its successor, Flex Consumption, is the default. Use sku ` +
          `'FC1' (Flex Consumption, the default) or an Elastic Premium plan ('EP1').`,
      });
    }
    // Plain loops over the requirements: one app gathers every CrudApi's, and per-requirement arrays
    // (entries, flatMap's) were most of this merge's allocations at 10,000.
    const hosted: HostedFunction[] = [];
    const crudEntities: RuntimeEntity[] = [];
    const fileStores: RuntimeFileStore[] = [];
    let codePath: string | undefined;
    let queues: { [queue: string]: string } | undefined;
    const health: string[] = [];
    // The strictest (shortest) eviction any component asked for.
    let eviction = 10;
    // Indexed loops: no iterator result per item in a fresh process's first plan (10,000 requirements).
    for (let i = 0; i < reqs.length; i++) {
      const r = at(reqs, i);
      const c = cfg(r);
      for (const f of c.hostedFunctions ?? []) hosted.push(f);
      for (const e of (c as { crudEntities?: readonly RuntimeEntity[] }).crudEntities ?? [])
        crudEntities.push(e);
      for (const f of (c as { fileStores?: readonly RuntimeFileStore[] }).fileStores ?? [])
        fileStores.push(f);
      if (codePath === undefined) codePath = c.codePath;
      if (c.queues) queues = declaredQueues(queues, c.queues);
      if (c.healthCheckPath) health.push(c.healthCheckPath);
      eviction = Math.min(eviction, c.healthCheckEvictionMinutes ?? 10);
      const given = (c as { healthCheckGiven?: HealthCheckGiven }).healthCheckGiven;
      if (given) issues.push(...healthCheckIssues(r.componentId, given));
    }
    hosted.sort((a, b) => compare(a.name, b.name));
    health.sort(compare);
    const merged: MergedFunctionsConfig = {
      runtime,
      version,
      sku,
      alwaysOn:
        sku !== 'Y1' &&
        sku !== 'FC1' &&
        (reqs.some((r) => cfg(r).alwaysOn) || !sku.startsWith('EP')),
      appSettings: mergeAppSettings(reqs, issues),
      corsOrigins: union(listContributions(reqs, (r) => cfg(r).corsOrigins)).value,
      functionCount: reqs.reduce((n, r) => n + (cfg(r).functionCount ?? 0), 0),
      ...(health[0] ? { healthCheckPath: health[0] } : {}),
      ...(health[0] ? { healthCheckEvictionMinutes: eviction } : {}),
      crudRuntime: reqs.some((r) => cfg(r).crudRuntime === true),
      hostStorage: sharedKey('storage'), // completed below once every storage group is known
      crudEntities,
      ...(fileStores.length
        ? { fileStores: fileStores.sort((a, b) => compare(a.componentId, b.componentId)) }
        : {}),
      ...(hosted.length ? { hostedFunctions: hosted } : {}),
      ...(codePath !== undefined ? { codePath } : {}),
      ...(queues
        ? { queues: Object.fromEntries(Object.entries(queues).sort(([a], [b]) => compare(a, b))) }
        : {}),
      hostId: hostIdFor(name ?? 'func'),
    };
    issues.push(...tenancyIssues(merged.crudEntities, config));
    issues.push(...fileTenancyIssues(merged.fileStores ?? [], config));
    issues.push(...accessIssues(merged.crudEntities, config));
    issues.push(...membershipRoleIssues(merged.crudEntities, hosted, config));
    issues.push(...functionNameIssues(hosted, crudEntities));
    issues.push(...anonymousFunctionIssues(hosted));
    issues.push(...changeHandlerIssues(hosted));
    return { config: merged, issues };
  },
  // A Function App cannot start without a storage account for its host: a component that asks for none gets one.
  companions(componentId, reqs) {
    return reqs.some((r) => r.resourceType === 'storage')
      ? []
      : [{ resourceType: 'storage', requirementKey: `${componentId}-host-storage`, config: {} }];
  },
  // The host storage: the shared account if any consumer uses it, else the first one of theirs.
  // A FileStore's data account is never a host: its components also ask for the host storage (see FileStore).
  complete(group, { usage }) {
    const keys = [
      ...new Set(
        group.consumers
          .map((id) => usage.get(id)?.['storage'])
          .filter((k): k is ResourceKey => !!k && !isDataStorageKey(k)),
      ),
    ].sort(compare);
    const shared = sharedKey('storage');
    return { ...group.config, hostStorage: keys.includes(shared) ? shared : (keys[0] ?? shared) };
  },
  deploys(group, ctx) {
    return [
      ...functionsDeploys(
        tfName(ctx.backendId, group.key),
        group.config.sku,
        shipsPackage(group.config),
        ctx.config.networking.mode === 'isolated',
      ),
      ...componentIdentityDeploys(ctx.backendId, group.consumers),
      ...queueRoleDeploys(
        ctx.backendId,
        queueConnectionOwners(group.config.appSettings, group.consumers),
      ),
      // The API's app registration, listed once: under the app apiHostKey picks (kit/pure/entra.ts).
      ...(createsRegistrations(ctx.config) &&
      apiHostKey([group.key, ...functionsKeys(ctx.usage)]) === group.key
        ? apiRegistrationDeploys(ctx.backendId)
        : []),
      // The Marketplace landing page's sign-in registration, beside the API's (kit/pure/marketplace-landing.ts).
      ...(createsLandingRegistration(ctx.config) &&
      group.config.crudRuntime &&
      apiHostKey([group.key, ...functionsKeys(ctx.usage)]) === group.key
        ? landingRegistrationDeploys(ctx.backendId)
        : []),
    ];
  },
  monthlyUsd(config) {
    // Y1/FC1 are the seeds' assumed ~$13 per app; dedicated and Elastic Premium plans are list prices (./prices.ts).
    return functionPlanMonthlyUsd(config.sku);
  },
  // A consumer's own app would run on the largest plan it asked for (raised for VNet integration as above).
  standaloneMonthlyUsd(own) {
    return functionPlanMonthlyUsd(planSku(own));
  },
});

/**
 * Add a component's queues to those gathered so far: the first writer keeps a name (requirements
 * come sorted by component id).
 */
function declaredQueues(
  into: { [queue: string]: string } | undefined,
  add: Readonly<Record<string, string>>,
): { [queue: string]: string } {
  const out = into ?? {};
  for (const [q, name] of Object.entries(add)) if (!Object.hasOwn(out, q)) out[q] = name;
  return out;
}

const skuOrder = (a: string, b: string) =>
  SKU_ORDER.indexOf(a as never) - SKU_ORDER.indexOf(b as never);

function planSku(reqs: readonly TypedRequirement<FunctionsRequirementConfig>[]): string {
  // The requirements that name a sku, and one contribution of the default for all that name none: the same
  // maximum as a contribution per requirement (a value's count never changes a maximum), without 10,000 of them.
  // One requirement (a consumer's own app, priced for each of 10,000 CrudApis): its sku is the maximum.
  if (reqs.length === 1) return cfg(at(reqs, 0)).sku ?? DEFAULT_FUNCTIONS_SKU;
  const items: Contribution<string>[] = [];
  let unnamed: SourcedRequirement | undefined;
  for (let i = 0; i < reqs.length; i++) {
    const r = at(reqs, i);
    const sku = cfg(r).sku;
    if (sku === undefined) unnamed ??= r;
    else items.push({ componentId: r.componentId, priority: prio(r), value: sku });
  }
  if (unnamed)
    items.push({
      componentId: unnamed.componentId,
      priority: prio(unnamed),
      value: DEFAULT_FUNCTIONS_SKU,
    });
  return maximum(items, skuOrder).value ?? DEFAULT_FUNCTIONS_SKU;
}

/**
 * Whether the app ships a code package: a prebuilt `codePath`, Node handlers, or the CRUD runtime.
 * Pure twin of `functionAppPackage` in
 * package.ts, which decides what the package holds: the two must agree (apply's honesty check fails otherwise).
 */
export function shipsPackage(config: MergedFunctionsConfig): boolean {
  return (
    config.codePath !== undefined || (config.hostedFunctions?.length ?? 0) > 0 || config.crudRuntime
  );
}

/** Keys of every planned Function App, from what the components use. */
export function functionsKeys(
  usage: ReadonlyMap<string, Readonly<Record<string, string>>> | undefined,
): string[] {
  return [...(usage?.values() ?? [])]
    .map((u) => u['functions'])
    .filter((k): k is string => k !== undefined);
}
