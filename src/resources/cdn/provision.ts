import type { CdnFrontdoorProfile, StaticWebApp } from '../../kit/cdktf/azurerm-types.js';
import { AtakoraFault } from '../../model/fault.js';
import { named, topLevel, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import {
  cdnTfNames,
  corsRules,
  hasRules,
  ruleName,
  wafTfNames,
  type MergedCdnConfig,
  type MergedCdnEndpoint,
} from './type.js';
import { azurerm, cdktf } from '../../kit/cdktf/cdk-modules.js';
import { COMPRESSIBLE_CONTENT_TYPES } from './content-types.js';

/**
 * The Front Door (Standard) profile and, per CDN site: endpoint, origin group and origin (the site's Static
 * Web App over HTTPS), an HTTPS-redirecting route with compression, a rule set for Cache-Control and CORS
 * headers, the custom domain with a managed certificate and — with a DNS zone — its CNAME and `_dnsauth`
 * TXT records. Needs the static sites provisioned first.
 */
export function provisionCdn(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedCdnConfig>,
): CdnFrontdoorProfile {
  const { CdnFrontdoorProfile } = azurerm('cdn-frontdoor-profile');
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const profile = named(
    new CdnFrontdoorProfile(ctx.scope, base, {
      ...topLevel(ctx, resource.name),
      skuName: c.sku,
    }),
    base,
  );
  const wafDomains: string[] = [];
  for (const e of c.endpoints) wafDomains.push(...provisionCdnSite(ctx, resource, profile, e));
  if (wafDomains.length) {
    addWaf(ctx, resource, profile, wafDomains);
    // The value of X-Azure-FDID that a site locked to this Front Door requires (WAF_BYPASSED_BY_SITE_HOST).
    new cdktf.TerraformOutput(ctx.scope, `${base}_front_door_id`, { value: profile.resourceGuid });
  }
  return profile;
}

/** The Terraform names of one CDN site's resources. */
type SiteNames = ReturnType<typeof cdnTfNames>;

/** A site's origin on Front Door: what its rules depend on and its route points at. */
interface SiteOrigin {
  readonly endpoint: { readonly id: string; readonly hostName: string };
  // fqn: the rules depend on both (dependsOn takes a Terraform-dependable).
  readonly group: { readonly id: string; readonly fqn: string };
  readonly origin: { readonly id: string; readonly fqn: string };
}

/** One CDN site's resources, in the order they are made; returns the domain ids its WAF (if any) covers. */
function provisionCdnSite(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedCdnConfig>,
  profile: CdnFrontdoorProfile,
  e: MergedCdnEndpoint,
): string[] {
  const n = cdnTfNames(ctx.config.backendId, resource.key, e.componentId);
  const site = staticSiteOf(ctx, resource, e);
  const origin = siteOrigin(ctx, n, profile, e, site);
  const ruleSetIds = hasRules(e) ? [siteRules(ctx, n, profile, e, origin)] : [];
  const wafDomains = e.waf ? [origin.endpoint.id] : [];
  const zone =
    e.customDomain && e.dnsZoneName
      ? zoneOf(ctx, n.zone, e.dnsZoneName, e.dnsZoneResourceGroupName)
      : undefined;
  const domain = e.customDomain
    ? customDomain(ctx, n, profile, e, e.customDomain, zone)
    : undefined;
  if (e.waf && domain) wafDomains.push(domain.id);
  const route = siteRoute(ctx, n, e, origin, ruleSetIds, domain);
  new cdktf.TerraformOutput(ctx.scope, `${n.endpoint}_host_name`, {
    value: origin.endpoint.hostName,
  });
  if (domain && e.customDomain) {
    const { CdnFrontdoorCustomDomainAssociation } = azurerm(
      'cdn-frontdoor-custom-domain-association',
    );
    named(
      new CdnFrontdoorCustomDomainAssociation(ctx.scope, n.domainRoutes, {
        cdnFrontdoorCustomDomainId: domain.id,
        cdnFrontdoorRouteIds: [route.id],
      }),
      n.domainRoutes,
    );
    if (e.dnsZoneName && zone)
      dnsRecords(ctx, n, e, e.customDomain, e.dnsZoneName, zone, domain, origin.endpoint);
  }
  return wafDomains;
}

function staticSiteOf(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedCdnConfig>,
  e: MergedCdnEndpoint,
): StaticWebApp {
  const siteKey = ctx.plan.components.find((pc) => pc.id === e.componentId)?.resources[
    'staticsite'
  ];
  const site = siteKey ? (ctx.constructs.get(siteKey) as StaticWebApp | undefined) : undefined;
  if (!site) {
    throw new AtakoraFault(`the CDN endpoint of ${e.componentId} has no static site to serve.`, {
      details: { path: ['resources', resource.key] },
    });
  }
  return site;
}

/** The site's endpoint, its origin group and its origin (the Static Web App over HTTPS). */
function siteOrigin(
  ctx: ProvisionContext,
  n: SiteNames,
  profile: CdnFrontdoorProfile,
  e: MergedCdnEndpoint,
  site: StaticWebApp,
): SiteOrigin {
  const { CdnFrontdoorEndpoint } = azurerm('cdn-frontdoor-endpoint');
  const { CdnFrontdoorOrigin } = azurerm('cdn-frontdoor-origin');
  const { CdnFrontdoorOriginGroup } = azurerm('cdn-frontdoor-origin-group');
  const endpoint = named(
    new CdnFrontdoorEndpoint(ctx.scope, n.endpoint, {
      name: e.endpointName,
      cdnFrontdoorProfileId: profile.id,
      tags: { ...ctx.tags },
    }),
    n.endpoint,
  );
  const group = named(
    new CdnFrontdoorOriginGroup(ctx.scope, n.originGroup, {
      name: 'site',
      cdnFrontdoorProfileId: profile.id,
      sessionAffinityEnabled: false,
      loadBalancing: { sampleSize: 4, successfulSamplesRequired: 3 },
      healthProbe: { protocol: 'Https', intervalInSeconds: 100, requestType: 'HEAD', path: '/' },
    }),
    n.originGroup,
  );
  const origin = named(
    new CdnFrontdoorOrigin(ctx.scope, n.origin, {
      name: 'staticwebapp',
      cdnFrontdoorOriginGroupId: group.id,
      hostName: site.defaultHostName,
      originHostHeader: site.defaultHostName,
      httpsPort: 443,
      httpPort: 80,
      certificateNameCheckEnabled: true,
      enabled: true,
    }),
    n.origin,
  );
  return { endpoint, group, origin };
}

/** The site's rule set: a Cache-Control rule and one CORS rule per allowed origin. Returns its id. */
function siteRules(
  ctx: ProvisionContext,
  n: SiteNames,
  profile: CdnFrontdoorProfile,
  e: MergedCdnEndpoint,
  { group, origin }: SiteOrigin,
): string {
  const { CdnFrontdoorRule } = azurerm('cdn-frontdoor-rule');
  const { CdnFrontdoorRuleSet } = azurerm('cdn-frontdoor-rule-set');
  const ruleSet = named(
    new CdnFrontdoorRuleSet(ctx.scope, n.ruleSet, {
      name: ruleName('rs', e.componentId),
      cdnFrontdoorProfileId: profile.id,
    }),
    n.ruleSet,
  );
  let order = 1;
  if (e.cacheMaxAge !== undefined) {
    named(
      new CdnFrontdoorRule(ctx.scope, n.cacheRule, {
        name: 'cachecontrol',
        cdnFrontdoorRuleSetId: ruleSet.id,
        order: order++,
        behaviorOnMatch: 'Continue',
        actions: {
          responseHeaderAction: [
            {
              headerAction: 'Overwrite',
              headerName: 'Cache-Control',
              value: `public, max-age=${e.cacheMaxAge}`,
            },
          ],
        },
        dependsOn: [origin, group],
      }),
      n.cacheRule,
    );
  }
  corsRules(e).forEach((r, i) => {
    named(
      new CdnFrontdoorRule(ctx.scope, n.corsRule(i), {
        name: `cors${i}`,
        cdnFrontdoorRuleSetId: ruleSet.id,
        order: order++,
        behaviorOnMatch: 'Continue',
        ...(r.matchOrigin
          ? {
              conditions: {
                requestHeaderCondition: [
                  { headerName: 'Origin', operator: 'Equal', matchValues: [r.matchOrigin] },
                ],
              },
            }
          : {}),
        actions: {
          responseHeaderAction: [
            {
              headerAction: 'Overwrite',
              headerName: 'Access-Control-Allow-Origin',
              value: r.origin,
            },
          ],
        },
        dependsOn: [origin, group],
      }),
      n.corsRule(i),
    );
  });
  return ruleSet.id;
}

function customDomain(
  ctx: ProvisionContext,
  n: SiteNames,
  profile: CdnFrontdoorProfile,
  e: MergedCdnEndpoint,
  hostName: string,
  zone: { id: string } | undefined,
): { readonly id: string; readonly validationToken: string } {
  const { CdnFrontdoorCustomDomain } = azurerm('cdn-frontdoor-custom-domain');
  return named(
    new CdnFrontdoorCustomDomain(ctx.scope, n.domain, {
      name: ruleName('domain', e.componentId).toLowerCase(),
      cdnFrontdoorProfileId: profile.id,
      hostName,
      // TLS 1.2 is the attribute's default and Front Door's only version since TLS 1.0/1.1 retired (March 2025);
      // setting it draws azurerm 4.55's deprecation warning
      // (cdn_frontdoor_custom_domain_resource.go, minimum_tls_version).
      tls: { certificateType: 'ManagedCertificate' },
      ...(zone ? { dnsZoneId: zone.id } : {}),
    }),
    n.domain,
  );
}

/** The HTTPS-redirecting route with compression, over the site's rule set and custom domain. */
function siteRoute(
  ctx: ProvisionContext,
  n: SiteNames,
  e: MergedCdnEndpoint,
  { endpoint, group, origin }: SiteOrigin,
  ruleSetIds: readonly string[],
  domain: { readonly id: string } | undefined,
): { readonly id: string } {
  const { CdnFrontdoorRoute } = azurerm('cdn-frontdoor-route');
  return named(
    new CdnFrontdoorRoute(ctx.scope, n.route, {
      name: 'site',
      cdnFrontdoorEndpointId: endpoint.id,
      cdnFrontdoorOriginGroupId: group.id,
      cdnFrontdoorOriginIds: [origin.id],
      ...(ruleSetIds.length ? { cdnFrontdoorRuleSetIds: [...ruleSetIds] } : {}),
      ...(domain ? { cdnFrontdoorCustomDomainIds: [domain.id] } : {}),
      patternsToMatch: ['/*'],
      supportedProtocols: ['Http', 'Https'],
      httpsRedirectEnabled: true,
      forwardingProtocol: 'HttpsOnly',
      linkToDefaultDomain: true,
      cache: {
        queryStringCachingBehavior: 'IgnoreQueryString',
        compressionEnabled: e.compression,
        ...(e.compression ? { contentTypesToCompress: [...COMPRESSIBLE_CONTENT_TYPES] } : {}),
      },
    }),
    n.route,
  );
}

/** The custom domain's CNAME to the endpoint and its `_dnsauth` TXT record, in the site's DNS zone. */
function dnsRecords(
  ctx: ProvisionContext,
  n: SiteNames,
  e: MergedCdnEndpoint,
  customDomainName: string,
  dnsZoneName: string,
  zone: { readonly name: string },
  domain: { readonly validationToken: string },
  endpoint: { readonly hostName: string },
): void {
  const { DnsCnameRecord } = azurerm('dns-cname-record');
  const { DnsTxtRecord } = azurerm('dns-txt-record');
  const relative = customDomainName.slice(0, -(dnsZoneName.length + 1));
  const zoneRg = e.dnsZoneResourceGroupName ?? ctx.resourceGroupName;
  named(
    new DnsCnameRecord(ctx.scope, n.cname, {
      // By reference: a zone the stack creates exists before its records.
      name: relative,
      zoneName: zone.name,
      resourceGroupName: zoneRg,
      ttl: 3600,
      record: endpoint.hostName,
      tags: { ...ctx.tags },
    }),
    n.cname,
  );
  named(
    new DnsTxtRecord(ctx.scope, n.dnsAuth, {
      name: `_dnsauth.${relative}`,
      zoneName: zone.name,
      resourceGroupName: zoneRg,
      ttl: 3600,
      record: [{ value: domain.validationToken }],
      tags: { ...ctx.tags },
    }),
    n.dnsAuth,
  );
}

/**
 * The Azure DNS zone of the custom domain. Named with its resource group, it is an existing zone, read by a
 * data source. Without one it would have to be looked up in the stack's own resource group, which the stack
 * creates in the same apply: a data source read there fails the first plan ("not found"), so the stack
 * creates the zone instead (its name servers are an output, to delegate the domain to: Learn, "Tutorial:
 * Host your domain in Azure DNS", https://learn.microsoft.com/azure/dns/dns-delegate-domain-azure-dns).
 */
function zoneOf(
  ctx: ProvisionContext,
  id: string,
  name: string,
  resourceGroupName: string | undefined,
): { id: string; name: string } {
  if (resourceGroupName) {
    const { DataAzurermDnsZone } = azurerm('data-azurerm-dns-zone');
    return named(new DataAzurermDnsZone(ctx.scope, id, { name, resourceGroupName }), id);
  }
  const { DnsZone } = azurerm('dns-zone');
  const zone = named(
    new DnsZone(ctx.scope, id, {
      name,
      resourceGroupName: ctx.resourceGroupName,
      tags: { ...ctx.tags },
      dependsOn: [...ctx.dependsOn],
    }),
    id,
  );
  new cdktf.TerraformOutput(ctx.scope, `${id}_name_servers`, { value: zone.nameServers });
  return zone;
}

/**
 * A Front Door WAF policy in prevention mode with Microsoft's default rule set and bot protection (managed
 * rule sets: https://learn.microsoft.com/azure/web-application-firewall/afds/waf-front-door-drs), attached
 * by a security policy to the endpoints (and custom domains) of the sites that asked for `waf: true`.
 */
function addWaf(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedCdnConfig>,
  profile: CdnFrontdoorProfile,
  domainIds: readonly string[],
): void {
  const { CdnFrontdoorFirewallPolicy } = azurerm('cdn-frontdoor-firewall-policy');
  const { CdnFrontdoorSecurityPolicy } = azurerm('cdn-frontdoor-security-policy');
  const w = wafTfNames(ctx.config.backendId, resource.key);
  // Policy names: letters and digits only, starting with a letter.
  const policyName = `waf${resource.name.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 128);
  const policy = named(
    new CdnFrontdoorFirewallPolicy(ctx.scope, w.policy, {
      name: policyName,
      resourceGroupName: ctx.resourceGroupName,
      skuName: resource.config.sku,
      enabled: true,
      mode: 'Prevention',
      managedRule: [
        { type: 'Microsoft_DefaultRuleSet', version: '2.1', action: 'Block' },
        { type: 'Microsoft_BotManagerRuleSet', version: '1.1', action: 'Block' },
      ],
      tags: { ...ctx.tags },
    }),
    w.policy,
  );
  named(
    new CdnFrontdoorSecurityPolicy(ctx.scope, w.association, {
      name: 'waf',
      cdnFrontdoorProfileId: profile.id,
      securityPolicies: {
        firewall: {
          cdnFrontdoorFirewallPolicyId: policy.id,
          association: {
            patternsToMatch: ['/*'],
            domain: domainIds.map((cdnFrontdoorDomainId) => ({ cdnFrontdoorDomainId })),
          },
        },
      },
    }),
    w.association,
  );
}
