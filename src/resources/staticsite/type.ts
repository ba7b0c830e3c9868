import type { JsonValue, PlanIssue, PlannedDeploy } from '../../model/plan.js';
import {
  defineResourceType,
  type TypedRequirement,
} from '../../kit/pure/resources/resource-type.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { createsRegistrations, spaRegistrationDeploys } from '../../kit/pure/entra.js';
import { staticSiteFacts } from './facts.js';
import { at } from '../../model/at.js';

/** Config of a `staticsite` requirement (one per StaticSite / StaticSiteWithCdn). */
export interface StaticSiteRequirementConfig {
  readonly sku?: 'Free' | 'Standard';
  /** Bound to the Static Web App itself (the CDN variant binds its domain to Front Door instead). */
  readonly customDomain?: string;
  readonly indexDocument?: string;
  readonly errorDocument?: string;
  readonly enableSpaMode?: boolean;
  readonly sourceDirectory?: string;
  readonly buildCommand?: string;
  readonly outputDirectory?: string;
  readonly configFileName?: string;
  readonly configExportPath?: string;
  /** What define found on disk when the content is not ready (see components/web/site-source.ts). */
  readonly sourceCheck?: SiteSourceCheck;
}

/**
 * A site folder that is not ready to serve, as define saw it: the plan reports it as `SITE_SOURCE_INVALID`
 * (a warning when `buildCommand` will create the content, an error otherwise).
 */
export interface SiteSourceCheck {
  readonly state: 'missing' | 'not-folder' | 'empty' | 'no-index';
  readonly field: 'sourceDirectory' | 'outputDirectory';
  /** The absolute path looked at. */
  readonly resolved: string;
  /** The index document looked for. */
  readonly index: string;
  /** Whether `buildCommand` runs first (and so may create what is missing). */
  readonly buildCreates: boolean;
}

/** The merged `staticsite` config in the plan. */
export interface MergedStaticSiteConfig {
  componentId: string;
  sku: 'Free' | 'Standard';
  /** Static Web Apps region. */
  location: string;
  customDomain?: string;
  sourceDirectory?: string;
  buildCommand?: string;
  outputDirectory?: string;
  configFileName?: string;
  configExportPath?: string;
  /** The `staticwebapp.config.json` that carries index/error documents and SPA fallback. */
  staticWebAppConfig: { [k: string]: JsonValue };
}

/** Regions that offer Static Web Apps (learn.microsoft.com/azure/static-web-apps/overview, "Regions"). */
export const STATIC_WEB_APP_REGIONS = [
  'centralus',
  'eastasia',
  'eastus2',
  'westeurope',
  'westus2',
] as const;
const NEAREST: Readonly<Record<string, string>> = {
  eastus: 'eastus2',
  eastus3: 'eastus2',
  canadaeast: 'eastus2',
  canadacentral: 'eastus2',
  brazilsouth: 'eastus2',
  westus: 'westus2',
  westus3: 'westus2',
  westcentralus: 'westus2',
  northcentralus: 'centralus',
  southcentralus: 'centralus',
  northeurope: 'westeurope',
  uksouth: 'westeurope',
  ukwest: 'westeurope',
  francecentral: 'westeurope',
  germanywestcentral: 'westeurope',
  swedencentral: 'westeurope',
  switzerlandnorth: 'westeurope',
  norwayeast: 'westeurope',
  italynorth: 'westeurope',
  polandcentral: 'westeurope',
  southeastasia: 'eastasia',
  japaneast: 'eastasia',
  japanwest: 'eastasia',
  koreacentral: 'eastasia',
  australiaeast: 'eastasia',
  australiasoutheast: 'eastasia',
  centralindia: 'eastasia',
  southindia: 'eastasia',
};

/**
 * The Static Web Apps region for a backend location: itself when offered, else the nearest that is.
 *
 * @example
 * ```ts
 * staticWebAppRegion('eastus'); // 'eastus2'
 * ```
 */
export function staticWebAppRegion(location: string): string {
  const l = location.toLowerCase().replace(/\s+/g, '');
  return (STATIC_WEB_APP_REGIONS as readonly string[]).includes(l)
    ? l
    : (NEAREST[l] ?? 'centralus');
}

/**
 * Logical Terraform names of a static site's resources (shared by the plan, apply and the handle).
 *
 * @example
 * ```ts
 * staticSiteTfNames('backend', 'staticsite:adminportal').site; // 'backend_staticsite_adminportal'
 * ```
 */
export function staticSiteTfNames(
  backendId: string,
  resourceKey: string,
): { site: string; domain: string } {
  const site = tfName(backendId, resourceKey);
  return { site, domain: tfName(site, 'domain') };
}

const cfg = (r: TypedRequirement<StaticSiteRequirementConfig>): StaticSiteRequirementConfig =>
  r.requirement.config;

/**
 * Static sites (Azure Static Web Apps): never shared. The compatibility key is the component id, so each
 * site gets its own group — and a name derived from that id, stable when other components come and go.
 */
export const staticSiteType = defineResourceType<
  StaticSiteRequirementConfig,
  MergedStaticSiteConfig
>()({
  type: 'staticsite',
  namePrefix: 'stapp',
  facts: staticSiteFacts,
  compatibility(req) {
    return { key: req.componentId, isDefault: false };
  },
  merge(reqs, config) {
    const issues: PlanIssue[] = [];
    const ids = [...new Set(reqs.map((r) => r.componentId))];
    if (ids.length > 1) {
      issues.push({
        severity: 'error',
        code: 'STATIC_SITE_INVALID',
        components: ids,
        message:
          `Static sites are not shared, but the ids ${ids.join(' and ')} map to the same site: give them ids ` +
          `that differ in more than case or punctuation.`,
      });
    }
    const r0 = at(reqs, 0);
    const c = cfg(r0);
    const componentId = r0.componentId;
    const index = c.indexDocument ?? 'index.html';
    const swaConfig: { [k: string]: JsonValue } = {
      ...(c.enableSpaMode
        ? {
            navigationFallback: {
              rewrite: `/${index}`,
              exclude: [
                '/assets/*',
                '/*.{css,js,map,png,jpg,jpeg,gif,svg,ico,webp,woff,woff2,txt,json}',
              ],
            },
          }
        : {}),
      ...(c.errorDocument
        ? { responseOverrides: { '404': { rewrite: `/${c.errorDocument}`, statusCode: 404 } } }
        : {}),
      ...(index !== 'index.html' ? { routes: [{ route: '/', rewrite: `/${index}` }] } : {}),
    };
    if (config.networking.mode === 'isolated') {
      issues.push({
        severity: 'warning',
        code: 'STATIC_SITE_PUBLIC',
        components: [componentId],
        message:
          `Static site ${componentId} stays publicly reachable under isolated networking: it is the public ` +
          `front end (its APIs stay private).`,
      });
    }
    const merged: MergedStaticSiteConfig = {
      componentId,
      sku: reqs.some((r) => cfg(r).sku === 'Standard') ? 'Standard' : 'Free',
      location: staticWebAppRegion(config.location),
      ...(c.customDomain ? { customDomain: c.customDomain } : {}),
      ...(c.sourceDirectory ? { sourceDirectory: c.sourceDirectory } : {}),
      ...(c.buildCommand ? { buildCommand: c.buildCommand } : {}),
      ...(c.outputDirectory ? { outputDirectory: c.outputDirectory } : {}),
      ...(c.configFileName ? { configFileName: c.configFileName } : {}),
      ...(c.configExportPath ? { configExportPath: c.configExportPath } : {}),
      staticWebAppConfig: swaConfig,
    };
    if (c.sourceCheck) issues.push(sourceIssue(componentId, c.sourceCheck));
    return { config: merged, issues };
  },
  deploys(group, ctx) {
    const c = group.config;
    const names = staticSiteTfNames(ctx.backendId, group.key);
    const out: PlannedDeploy[] = [{ terraformType: 'azurerm_static_web_app', name: names.site }];
    if (c.customDomain)
      out.push({ terraformType: 'azurerm_static_web_app_custom_domain', name: names.domain });
    // Its single-page-app registration, when the stack creates registrations and the backend has an API to call.
    const hasApi = [...(ctx.usage?.values() ?? [])].some((u) => u['functions'] !== undefined);
    if (hasApi && createsRegistrations(ctx.config))
      out.push(...spaRegistrationDeploys(ctx.backendId, group.key));
    return out;
  },
  monthlyUsd(config) {
    // Free: $0; Standard: $9 per app per month (azure.microsoft.com/pricing/details/app-service/static).
    return config.sku === 'Standard' ? 9 : 0;
  },
});

const SOURCE_STATE: Readonly<Record<SiteSourceCheck['state'], string>> = {
  missing: 'does not exist',
  'not-folder': 'is not a folder',
  empty: 'is empty',
  'no-index': 'has no index document',
};

/** `SITE_SOURCE_INVALID` for a site folder define found not ready (see {@link SiteSourceCheck}). */
function sourceIssue(componentId: string, check: SiteSourceCheck): PlanIssue {
  const what = check.state === 'no-index' ? `has no ${check.index}` : SOURCE_STATE[check.state];
  const fix = check.buildCreates
    ? `buildCommand runs before atakora deploy uploads it; make sure the build writes ${check.index} to ` +
      `${check.resolved}.`
    : check.field === 'sourceDirectory' && check.state !== 'no-index' && check.state !== 'empty'
      ? `Create ${check.resolved} with an ${check.index}, correct ${check.field} (relative to the working ` +
        `directory), or set buildCommand to the command that builds it.`
      : `Put the site's ${check.index} in ${check.resolved}, or set buildCommand to the command that builds it there.`;
  return {
    severity: check.buildCreates ? 'warning' : 'error',
    code: 'SITE_SOURCE_INVALID',
    components: [componentId],
    path: ['components', componentId, 'config', check.field],
    message:
      `Static site ${componentId}: ${check.field} ${check.resolved} ` +
      `${what}${check.buildCreates ? ' yet (buildCommand will create it)' : ': there is nothing to serve or upload'}.`,
    resolution: fix,
  };
}
