import { builtInDefinition } from '../../kit/pure/component-definition.js';
import type { ComponentDefinition } from '../../model/component.js';
import type { ResourceRequirement } from '../../model/requirements.js';
import { cdnTfNames, type CdnRequirementConfig } from '../../resources/cdn/type.js';
import type { StaticSiteWithCdnConfig } from './config.js';
import { staticSiteRequirement } from './define-static-site.js';
import type { StaticSiteWithCdnHandle } from './handle.js';
import { checkCdnConfig, checkComponentId, checkStaticSiteConfig } from './normalize.js';
import { siteOutputs } from './site-outputs.js';
import { mergedConfigOf } from '../../resources/types.js';

/**
 * A StaticSiteWithCdn definition; `TId` is the literal id so builder keys are typed.
 *
 * @example
 * ```ts
 * const site: StaticSiteWithCdnDefinition<'GlobalWebsite'> = StaticSiteWithCdn.define(
 *   'GlobalWebsite',
 *   { enableSpaMode: true },
 * );
 * ```
 */
export type StaticSiteWithCdnDefinition<TId extends string = string> = ComponentDefinition<
  TId,
  'StaticSiteWithCdn',
  StaticSiteWithCdnConfig,
  StaticSiteWithCdnHandle
>;

/**
 * Define a StaticSiteWithCdn (phase 1: nothing is created): its own Static Web App behind an endpoint of
 * the backend's Azure Front Door (Standard) profile, which every CDN site of the backend shares. The custom
 * domain is bound to Front Door with a managed certificate; with `dnsZoneName`, the CNAME and validation
 * TXT records are created in that Azure DNS zone.
 *
 * @example
 * ```ts
 * const website = defineStaticSiteWithCdn('GlobalWebsite', {
 *   indexDocument: 'index.html', enableSpaMode: true, customDomain: 'app.example.com', dnsZoneName: 'example.com',
 *   enableCompression: true, cacheMaxAge: 3600, cors: { allowedOrigins: ['*'] },
 * });
 * ```
 */
export function defineStaticSiteWithCdn<const TId extends string>(
  id: TId,
  config: StaticSiteWithCdnConfig = {},
): StaticSiteWithCdnDefinition<TId> {
  checkComponentId(id);
  checkStaticSiteConfig(id, config, 'StaticSiteWithCdn');
  checkCdnConfig(id, config);
  const priority = config.priority ?? 10;
  const cdn: CdnRequirementConfig = {
    ...(config.customDomain ? { customDomain: config.customDomain } : {}),
    ...(config.dnsZoneName ? { dnsZoneName: config.dnsZoneName } : {}),
    ...(config.dnsZoneResourceGroupName
      ? { dnsZoneResourceGroupName: config.dnsZoneResourceGroupName }
      : {}),
    enableCompression: config.enableCompression ?? true,
    ...(config.cacheMaxAge !== undefined ? { cacheMaxAge: config.cacheMaxAge } : {}),
    ...(config.cors ? { corsOrigins: [...config.cors.allowedOrigins] } : {}),
    ...(config.waf ? { waf: true } : {}),
  };
  const requirements: ResourceRequirement[] = [
    staticSiteRequirement(id, config, priority, false),
    {
      resourceType: 'cdn',
      requirementKey: `${id}-cdn`,
      priority,
      config: cdn as Record<string, unknown>,
    },
  ];
  return builtInDefinition<StaticSiteWithCdnDefinition<TId>>({
    componentId: id,
    componentType: 'StaticSiteWithCdn' as const,
    config,
    priority,
    requirements,
    outputs: (ctx) => {
      const profile = ctx.resource('cdn');
      const endpoint = (profile ? mergedConfigOf('cdn', profile) : undefined)?.endpoints.find(
        (e) => e.componentId === id,
      );
      const host = profile
        ? `\${azurerm_cdn_frontdoor_endpoint.${cdnTfNames(ctx.config.backendId, profile.key, id).endpoint}.host_name}`
        : '';
      const cdnEndpoint = config.customDomain
        ? `https://${config.customDomain}`
        : host
          ? `https://${host}`
          : '';
      // Users reach the site through Front Door (its host and the custom domain bound there) or the Static Web App.
      const site = siteOutputs(ctx, [...(host ? [`https://${host}`] : []), cdnEndpoint]);
      return {
        ...site,
        // The custom domain is served by Front Door, so it is the site's URL too.
        ...(config.customDomain ? { customDomain: config.customDomain, url: cdnEndpoint } : {}),
        cdnEndpoint,
        cdnEndpointName: endpoint?.endpointName ?? '',
        cdnProfileName: profile?.name ?? '',
      };
    },
  });
}
