import type { PlanIssue, PlannedDeploy } from '../../model/plan.js';
import {
  defineResourceType,
  type TypedRequirement,
} from '../../kit/pure/resources/resource-type.js';
import { shortToken } from '../../kit/pure/names/hash.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { cdnFacts } from './facts.js';
import { at } from '../../model/at.js';

/** Config of a `cdn` requirement: one Front Door endpoint in front of the component's static site. */
export interface CdnRequirementConfig {
  readonly customDomain?: string;
  readonly dnsZoneName?: string;
  readonly dnsZoneResourceGroupName?: string;
  readonly enableCompression?: boolean;
  readonly cacheMaxAge?: number;
  readonly corsOrigins?: readonly string[];
  /** A WAF policy in front of this endpoint (the profile becomes Premium). */
  readonly waf?: boolean;
}

/** One endpoint of the merged `cdn` config. */
export interface MergedCdnEndpoint {
  componentId: string;
  /** The Front Door endpoint name (its host name adds a hash: `<name>-<hash>.z01.azurefd.net`). */
  endpointName: string;
  compression: boolean;
  cacheMaxAge?: number;
  corsOrigins: string[];
  customDomain?: string;
  dnsZoneName?: string;
  dnsZoneResourceGroupName?: string;
  waf: boolean;
}

/** The merged `cdn` config in the plan: one Front Door Standard profile, one endpoint per site. */
export interface MergedCdnConfig {
  sku: 'Standard_AzureFrontDoor' | 'Premium_AzureFrontDoor';
  /** Sorted by component id. */
  endpoints: MergedCdnEndpoint[];
}

/** Front Door endpoint names: 1-46 characters, alphanumerics and hyphens, alphanumeric at both ends. */
const ENDPOINT_MAX = 46;

/**
 * Logical Terraform names of one site's Front Door resources (shared by the plan, apply and the handle).
 *
 * @example
 * ```ts
 * cdnTfNames('backend', 'cdn:shared', 'GlobalWebsite').endpoint; // 'backend_cdn_shared_GlobalWebsite'
 * ```
 */
export function cdnTfNames(backendId: string, resourceKey: string, componentId: string) {
  const base = tfName(backendId, resourceKey, componentId);
  return {
    endpoint: base,
    originGroup: tfName(base, 'origins'),
    origin: tfName(base, 'origin'),
    route: tfName(base, 'route'),
    ruleSet: tfName(base, 'rules'),
    cacheRule: tfName(base, 'rule', 'cache'),
    corsRule: (i: number) => tfName(base, 'rule', 'cors', String(i)),
    domain: tfName(base, 'domain'),
    domainRoutes: tfName(base, 'domain', 'routes'),
    cname: tfName(base, 'cname'),
    dnsAuth: tfName(base, 'dnsauth'),
    zone: tfName(base, 'zone'),
  };
}

/** Name of a Front Door rule set / rule: letters and digits, starting with a letter. */
export function ruleName(prefix: string, id: string): string {
  return `${prefix}${id.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 60);
}

const cfg = (r: TypedRequirement<CdnRequirementConfig>): CdnRequirementConfig =>
  r.requirement.config;

/** Front Door (Standard): one profile shared by every CDN site of a backend, one endpoint per site. */
export const cdnType = defineResourceType<CdnRequirementConfig, MergedCdnConfig>()({
  type: 'cdn',
  namePrefix: 'afd',
  facts: cdnFacts,
  compatibility() {
    return { key: 'frontdoor-standard', isDefault: true };
  },
  merge(reqs, config) {
    const issues: PlanIssue[] = [];
    const token = shortToken(`${config.backendId}|${config.environment}|${config.location}`);
    const slug = (s: string) =>
      s
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    const env = slug(config.environment);
    const seen = new Map<string, string>();
    const endpoints: MergedCdnEndpoint[] = [];
    for (const r of reqs) {
      if (endpoints.some((e) => e.componentId === r.componentId)) continue;
      const c = cfg(r);
      const room = ENDPOINT_MAX - token.length - (env ? env.length + 1 : 0) - 1;
      const endpointName = [
        slug(r.componentId).slice(0, Math.max(1, room)).replace(/-+$/, ''),
        env,
        token,
      ]
        .filter(Boolean)
        .join('-');
      const clash = seen.get(endpointName);
      if (clash) {
        issues.push({
          severity: 'error',
          code: 'NAME_COLLISION',
          components: [clash, r.componentId],
          message: `The CDN endpoints of ${clash} and ${r.componentId} would both be named "${endpointName}".`,
        });
      }
      seen.set(endpointName, r.componentId);
      endpoints.push({
        componentId: r.componentId,
        endpointName,
        compression: c.enableCompression ?? true,
        ...(c.cacheMaxAge !== undefined ? { cacheMaxAge: c.cacheMaxAge } : {}),
        corsOrigins: [...new Set(c.corsOrigins ?? [])].sort(compare),
        ...(c.customDomain ? { customDomain: c.customDomain } : {}),
        ...(c.dnsZoneName ? { dnsZoneName: c.dnsZoneName } : {}),
        ...(c.dnsZoneResourceGroupName
          ? { dnsZoneResourceGroupName: c.dnsZoneResourceGroupName }
          : {}),
        waf: c.waf === true,
      });
      if (c.waf === true) {
        // azurerm 4.55's azurerm_static_web_app has no setting that admits only Front Door
        // (internal/services/appservice/static_web_app_resource.go@v4.55.0: public_network_access_enabled closes the
        // site to Front Door too). Locking the site is done in its staticwebapp.config.json (networking /
        // forwardingGateway, Learn: static-web-apps/front-door-manual), which the user deploys with the content.
        issues.push({
          severity: 'warning',
          code: 'WAF_BYPASSED_BY_SITE_HOST',
          components: [r.componentId],
          path: ['components', r.componentKey, 'config', 'waf'],
          message:
            `The WAF of ${r.componentId} filters traffic through Front Door only: the Static Web App's own ` +
            `*.azurestaticapps.net host stays public and reaches the site without it.`,
          resolution:
            'Lock the site to your Front Door in staticwebapp.config.json (forwardingGateway.requiredHeaders ' +
            'X-Azure-FDID = the profile\'s resource GUID, on the Standard plan), see docs/security.md "WAF ' +
            'and the site\'s own host".',
        });
      }
    }
    endpoints.sort((a, b) => compare(a.componentId, b.componentId));
    const merged: MergedCdnConfig = { sku: profileSku(endpoints), endpoints };
    return { config: merged, issues };
  },
  deploys(group, ctx) {
    const c = group.config;
    const out: PlannedDeploy[] = [
      { terraformType: 'azurerm_cdn_frontdoor_profile', name: tfName(ctx.backendId, group.key) },
    ];
    for (const e of c.endpoints) {
      const n = cdnTfNames(ctx.backendId, group.key, e.componentId);
      out.push(
        { terraformType: 'azurerm_cdn_frontdoor_endpoint', name: n.endpoint },
        { terraformType: 'azurerm_cdn_frontdoor_origin_group', name: n.originGroup },
        { terraformType: 'azurerm_cdn_frontdoor_origin', name: n.origin },
        { terraformType: 'azurerm_cdn_frontdoor_route', name: n.route },
      );
      if (hasRules(e))
        out.push({ terraformType: 'azurerm_cdn_frontdoor_rule_set', name: n.ruleSet });
      if (e.cacheMaxAge !== undefined)
        out.push({ terraformType: 'azurerm_cdn_frontdoor_rule', name: n.cacheRule });
      corsRules(e).forEach((_, i) =>
        out.push({ terraformType: 'azurerm_cdn_frontdoor_rule', name: n.corsRule(i) }),
      );
      if (e.customDomain) {
        out.push(
          { terraformType: 'azurerm_cdn_frontdoor_custom_domain', name: n.domain },
          {
            terraformType: 'azurerm_cdn_frontdoor_custom_domain_association',
            name: n.domainRoutes,
          },
        );
        if (e.dnsZoneName) {
          // Without its resource group the zone is the stack's own: created, never looked up (see provision.ts).
          if (!e.dnsZoneResourceGroupName)
            out.push({ terraformType: 'azurerm_dns_zone', name: n.zone });
          out.push(
            { terraformType: 'azurerm_dns_cname_record', name: n.cname },
            { terraformType: 'azurerm_dns_txt_record', name: n.dnsAuth },
          );
        }
      }
    }
    if (c.endpoints.some((e) => e.waf)) {
      const w = wafTfNames(ctx.backendId, group.key);
      out.push(
        { terraformType: 'azurerm_cdn_frontdoor_firewall_policy', name: w.policy },
        { terraformType: 'azurerm_cdn_frontdoor_security_policy', name: w.association },
      );
    }
    return out;
  },
  monthlyUsd(config) {
    return skuMonthlyUsd(config.sku);
  },
  // A consumer's own profile has its one endpoint, the first requirement's (merge keeps one per component): no
  // merge (a hash, names and issues) per CDN site just to price it.
  standaloneMonthlyUsd(own) {
    return skuMonthlyUsd(profileSku([{ waf: cfg(at(own, 0)).waf === true }]));
  },
});

/**
 * WAF managed rule sets are a Premium feature
 * (https://learn.microsoft.com/azure/frontdoor/standard-premium/tier-comparison).
 */
function profileSku(endpoints: readonly { readonly waf: boolean }[]): MergedCdnConfig['sku'] {
  return endpoints.some((e) => e.waf) ? 'Premium_AzureFrontDoor' : 'Standard_AzureFrontDoor';
}

/**
 * Front Door base fees, Standard $35 and Premium $330
 * (azure.microsoft.com/pricing/details/frontdoor); traffic is billed on top.
 */
function skuMonthlyUsd(sku: MergedCdnConfig['sku']): number {
  return sku === 'Premium_AzureFrontDoor' ? 330 : 35;
}

/** Whether an endpoint needs a rule set (cache or CORS headers). */
/**
 * Logical names of a profile's WAF policy and of the security policy that attaches it to the endpoints.
 *
 * @example
 * ```ts
 * wafTfNames('backend', 'cdn:shared').policy; // 'backend_cdn_shared_waf'
 * ```
 */
export function wafTfNames(backendId: string, resourceKey: string) {
  const base = tfName(backendId, resourceKey, 'waf');
  return { policy: base, association: tfName(base, 'association') };
}

export function hasRules(e: MergedCdnEndpoint): boolean {
  return e.cacheMaxAge !== undefined || e.corsOrigins.length > 0;
}

/** The CORS rules of an endpoint: one unconditional `*` rule, or one per origin matched on `Origin`. */
export function corsRules(e: MergedCdnEndpoint): { origin: string; matchOrigin?: string }[] {
  if (e.corsOrigins.includes('*')) return [{ origin: '*' }];
  return e.corsOrigins.map((o) => ({ origin: o, matchOrigin: o }));
}
