import type { OutputContext } from '../../model/component.js';
import type { JsonValue } from '../../model/plan.js';
import { staticSiteTfNames, type MergedStaticSiteConfig } from '../../resources/staticsite/type.js';

/**
 * The plan-known values of a static site's handle (shared by StaticSite and StaticSiteWithCdn).
 * The default host name is assigned by Azure at creation, so it is given as the Terraform expression
 * that resolves to it.
 */
export function siteOutputs(ctx: OutputContext): Record<string, JsonValue> {
  const site = ctx.resource('staticsite');
  if (!site) return { siteName: '', siteLocation: '', defaultHostname: '', url: '', staticWebAppConfig: {} };
  const c = site.config as unknown as MergedStaticSiteConfig;
  const defaultHostname = `\${azurerm_static_web_app.${staticSiteTfNames(ctx.config.backendId, site.key).site}.default_host_name}`;
  return {
    siteName: site.name,
    siteLocation: c.location,
    defaultHostname,
    url: c.customDomain ? `https://${c.customDomain}` : `https://${defaultHostname}`,
    ...(c.customDomain ? { customDomain: c.customDomain } : {}),
    ...(c.sourceDirectory ? { sourceDirectory: c.sourceDirectory } : {}),
    ...(c.buildCommand ? { buildCommand: c.buildCommand } : {}),
    staticWebAppConfig: c.staticWebAppConfig,
  };
}
