import type { OutputContext } from '../../model/component.js';
import type { JsonValue } from '../../model/plan.js';
import { staticSiteTfNames } from '../../resources/staticsite/type.js';
import { apiHostKey, siteAuthInfo } from '../../kit/pure/entra.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { mergedConfigOf } from '../../resources/types.js';
import { asJsonObject } from '../../kit/pure/resources/resource-type.js';

/** `https://<app>.azurewebsites.net` of the Function App whose registration the backend's sites sign in to, or ''. */
function apiHostOf(ctx: OutputContext): string {
  const apps = ctx.resourcesOfType?.('functions') ?? [];
  const key = apiHostKey(apps.map((a) => a.key));
  const app = apps.find((a) => a.key === key);
  return app ? `https://${app.name}.azurewebsites.net` : '';
}

/**
 * The plan-known values of a static site's handle (shared by StaticSite and StaticSiteWithCdn).
 * The default host name is assigned by Azure at creation, so it is given as the Terraform expression
 * that resolves to it. `extraOrigins` are the site's other origins (its Front Door host, its custom domain
 * there): with the Static Web App's own, they are the redirect URIs of its sign-in registration.
 */
export function siteOutputs(
  ctx: OutputContext,
  extraOrigins: readonly string[] = [],
): Record<string, JsonValue> {
  const site = ctx.resource('staticsite');
  // Keys in code-unit order, the plan's order (the planner keeps an ordered object as it is).
  if (!site)
    return {
      defaultHostname: '',
      origins: [],
      siteLocation: '',
      siteName: '',
      staticWebAppConfig: {},
      url: '',
    };
  const c = mergedConfigOf('staticsite', site);
  const defaultHostname = `\${azurerm_static_web_app.${staticSiteTfNames(ctx.config.backendId, site.key).site}.default_host_name}`;
  const origins = [
    ...new Set(
      [
        `https://${defaultHostname}`,
        ...(c.customDomain ? [`https://${c.customDomain}`] : []),
        ...extraOrigins,
      ].filter((o) => o !== ''),
    ),
  ].sort(compare);
  const auth = siteAuthInfo(ctx.config, site.key, apiHostOf(ctx), origins);
  return {
    ...(auth ? { auth: asJsonObject(auth) } : {}),
    ...(c.buildCommand ? { buildCommand: c.buildCommand } : {}),
    ...(c.configExportPath ? { configExportPath: c.configExportPath } : {}),
    ...(c.configFileName ? { configFileName: c.configFileName } : {}),
    ...(c.customDomain ? { customDomain: c.customDomain } : {}),
    defaultHostname,
    // Every https origin the site is served from: the API's CORS admits each (kit/pure/cors-origins.ts).
    origins,
    ...(c.outputDirectory ? { outputDirectory: c.outputDirectory } : {}),
    siteLocation: c.location,
    siteName: site.name,
    ...(c.sourceDirectory ? { sourceDirectory: c.sourceDirectory } : {}),
    staticWebAppConfig: c.staticWebAppConfig,
    url: c.customDomain ? `https://${c.customDomain}` : `https://${defaultHostname}`,
  };
}
