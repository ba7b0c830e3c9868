import type { NormalizedConfig } from '../../model/config.js';
import type { JsonValue, PlanIssue, PlannedDeploy } from '../../model/plan.js';
import type { FunctionsRequirementConfig, SourcedRequirement } from '../../model/requirements.js';
import { defineResourceType, type TypedRequirement } from '../../kit/pure/resource-type.js';
import { compare, maximum, union } from '../../kit/pure/merge-strategies.js';
import { settingPrefix, tfName } from '../../kit/pure/terraform-names.js';
import { functionPlanMonthlyUsd } from '../../kit/pure/prices.js';
import { sharedKey, type ResourceKey } from '../../kit/pure/resource-key.js';
import { componentIdentityDeploys } from '../../kit/pure/component-identity.js';

/** Node version used when a component names none: supported by Azure Functions on the plan date. */
export const DEFAULT_NODE_VERSION = '22';
/** Runtime versions past Azure's end of support: accepted with a warning. */
const END_OF_SUPPORT: Record<string, readonly string[]> = { node: ['14', '16', '18', '20'], python: ['3.7', '3.8', '3.9'] };
const DEFAULT_VERSION: Record<string, string> = { node: DEFAULT_NODE_VERSION, python: '3.12', 'dotnet-isolated': '8.0', java: '21', powershell: '7.4' };

/** App Service plan SKUs in ascending capability; `maximum` merges by this order. */
export const SKU_ORDER = ['Y1', 'FC1', 'B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'EP1', 'EP2', 'EP3', 'P0v3', 'P1v3', 'P2v3', 'P3v3'] as const;
/** SKUs whose apps can join a VNet (regional VNet integration). */
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
  crudEntities: { [k: string]: JsonValue }[];
}

const cfg = (r: TypedRequirement<FunctionsRequirementConfig>): FunctionsRequirementConfig => r.requirement.config;
const prio = (r: SourcedRequirement) => r.requirement.priority ?? 10;
const versionOf = (c: FunctionsRequirementConfig) => c.version ?? DEFAULT_VERSION[c.runtime] ?? '';
const major = (v: string) => v.split('.')[0] ?? v;

/** Function Apps: shared by runtime and major version. */
export const functionsType = defineResourceType<FunctionsRequirementConfig, MergedFunctionsConfig>()({
  type: 'functions',
  namePrefix: 'func',
  attributes: { name: (n) => n, endpoint: (n) => `https://${n}.azurewebsites.net` },
  compatibility(req) {
    const c = cfg(req);
    const runtime = c.runtime ?? 'node';
    const v = runtime === 'python' || runtime === 'dotnet-isolated' ? versionOf(c) : major(versionOf(c));
    return { key: `${runtime}|${v}`, isDefault: runtime === 'node' && v === DEFAULT_NODE_VERSION };
  },
  merge(reqs, config) {
    const issues: PlanIssue[] = [];
    const c0 = cfg(reqs[0]!);
    const runtime = c0.runtime ?? 'node';
    const version = versionOf(c0);
    if (END_OF_SUPPORT[runtime]?.includes(major(version)) || END_OF_SUPPORT[runtime]?.includes(version)) {
      issues.push({
        severity: 'warning', code: 'RUNTIME_END_OF_SUPPORT', components: reqs.map((r) => r.componentId),
        message: `${runtime} ${version} is past its end of support on Azure Functions; it still deploys, but move to ${runtime} ${DEFAULT_VERSION[runtime]}.`,
      });
    }
    const sku = planSku(reqs, config);
    const asked = maximum(reqs.map((r) => ({ componentId: r.componentId, priority: prio(r), value: cfg(r).sku ?? 'Y1' })), skuOrder).value ?? 'Y1';
    if (sku !== asked) {
      issues.push({
        severity: 'warning', code: 'SKU_RAISED_FOR_VNET', components: reqs.map((r) => r.componentId),
        message: `Isolated networking needs VNet integration, which the ${asked} plan lacks: the Function App plan is raised to EP1.`,
      });
    }
    const appSettings: Record<string, string> = {};
    const owner: Record<string, string> = {};
    for (const r of reqs) {
      const prefix = settingPrefix(r.componentId);
      for (const [k, v] of Object.entries(cfg(r).environmentVariables ?? {})) appSettings[`${prefix}_${k}`] = v;
      for (const [k, v] of Object.entries(cfg(r).sharedSettings ?? {})) {
        if (k in appSettings && appSettings[k] !== v) {
          issues.push({
            severity: 'error', code: 'MERGE_CONFLICT', components: [owner[k]!, r.componentId],
            message: `App setting ${k} is ${appSettings[k]} for ${owner[k]} and ${v} for ${r.componentId}; shared settings must agree.`,
          });
          continue;
        }
        appSettings[k] = v;
        owner[k] = r.componentId;
      }
    }
    const health = reqs.map((r) => cfg(r).healthCheckPath).filter((p): p is string => !!p).sort(compare);
    const merged: MergedFunctionsConfig = {
      runtime,
      version,
      sku,
      alwaysOn: sku !== 'Y1' && sku !== 'FC1' && (reqs.some((r) => cfg(r).alwaysOn) || !sku.startsWith('EP')),
      appSettings: Object.fromEntries(Object.entries(appSettings).sort(([a], [b]) => compare(a, b))),
      corsOrigins: union(reqs.map((r) => ({ componentId: r.componentId, priority: prio(r), value: cfg(r).corsOrigins ?? [] }))).value,
      functionCount: reqs.reduce((n, r) => n + (cfg(r).functionCount ?? 0), 0),
      ...(health[0] ? { healthCheckPath: health[0] } : {}),
      // The strictest (shortest) eviction any component asked for.
      ...(health[0] ? { healthCheckEvictionMinutes: Math.min(10, ...reqs.map((r) => cfg(r).healthCheckEvictionMinutes ?? 10)) } : {}),
      crudRuntime: reqs.some((r) => cfg(r).crudRuntime === true),
      hostStorage: sharedKey('storage'), // completed below once every storage group is known
      crudEntities: reqs.flatMap((r) => ((r.requirement.config as { crudEntities?: { [k: string]: JsonValue }[] }).crudEntities ?? [])),
    };
    return { config: merged, issues };
  },
  // A Function App cannot start without a storage account for its host: a component that asks for none gets one.
  companions(componentId, reqs) {
    return reqs.some((r) => r.resourceType === 'storage') ? [] : [{ resourceType: 'storage', requirementKey: `${componentId}-host-storage`, config: {} }];
  },
  // The host storage: the shared account if any consumer uses it, else the first one of theirs.
  complete(group, { usage }) {
    const keys = [...new Set(group.consumers.map((id) => usage.get(id)?.['storage']).filter((k): k is ResourceKey => !!k))].sort(compare);
    const shared = sharedKey('storage');
    return { ...group.config, hostStorage: keys.includes(shared) ? shared : (keys[0] ?? shared) };
  },
  deploys(group, ctx) {
    const base = tfName(ctx.backendId, group.key);
    return [
      { terraformType: 'azurerm_service_plan', name: tfName(base, 'plan') },
      { terraformType: 'azurerm_linux_function_app', name: base },
      ...HOST_STORAGE_ROLES.map((r): PlannedDeploy => ({ terraformType: 'azurerm_role_assignment', name: tfName(base, 'host', r.short) })),
      ...componentIdentityDeploys(ctx.backendId, group.consumers),
    ];
  },
  monthlyUsd(config) {
    // Y1/FC1 are the seeds' assumed ~$13 per app; dedicated and Elastic Premium plans are list prices (plan/prices.ts).
    return functionPlanMonthlyUsd(config.sku);
  },
  // A consumer's own app would run on the largest plan it asked for (raised for VNet integration as above).
  standaloneMonthlyUsd(own, _shared, config) {
    return functionPlanMonthlyUsd(planSku(own, config));
  },
});

const skuOrder = (a: string, b: string) => SKU_ORDER.indexOf(a as never) - SKU_ORDER.indexOf(b as never);

function planSku(reqs: readonly TypedRequirement<FunctionsRequirementConfig>[], config: NormalizedConfig): string {
  const sku = maximum(reqs.map((r) => ({ componentId: r.componentId, priority: prio(r), value: cfg(r).sku ?? 'Y1' })), skuOrder).value ?? 'Y1';
  return config.networking.mode === 'isolated' && !VNET_CAPABLE_SKUS.includes(sku as never) ? 'EP1' : sku;
}

/** Data roles the Functions host needs on its storage account when it connects by identity. */
export const HOST_STORAGE_ROLES = [
  { short: 'blob', role: 'Storage Blob Data Owner' },
  { short: 'queue', role: 'Storage Queue Data Contributor' },
  { short: 'table', role: 'Storage Table Data Contributor' },
] as const;
