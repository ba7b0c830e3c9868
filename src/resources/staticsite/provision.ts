import type { StaticWebApp } from '../../kit/cdktf/azurerm-types.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { staticSiteTfNames, type MergedStaticSiteConfig } from './type.js';
import { spaRegistration } from '../../kit/cdktf/entra-registrations.js';
import { spaRedirectUris } from '../../kit/pure/entra.js';
import { azurerm, cdktf } from '../../kit/cdktf/cdk-modules.js';

/**
 * One Azure Static Web App (in the nearest region that offers the service), its custom domain when asked
 * (validated by a TXT token, given as a Terraform output), and an output with the generated host name.
 * Content is deployed outside Terraform (`swa deploy` / the GitHub action), so no repository is linked.
 */
export function provisionStaticSite(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedStaticSiteConfig>,
): StaticWebApp {
  const { StaticWebApp } = azurerm('static-web-app');
  const { StaticWebAppCustomDomain } = azurerm('static-web-app-custom-domain');
  const c = resource.config;
  const names = staticSiteTfNames(ctx.config.backendId, resource.key);
  const site = named(
    new StaticWebApp(ctx.scope, names.site, {
      ...regional(ctx, resource.name, c.location),
      skuTier: c.sku,
      skuSize: c.sku,
    }),
    names.site,
  );
  new cdktf.TerraformOutput(ctx.scope, `${names.site}_default_host_name`, {
    value: site.defaultHostName,
  });
  if (c.customDomain) {
    const domain = named(
      new StaticWebAppCustomDomain(ctx.scope, names.domain, {
        staticWebAppId: site.id,
        domainName: c.customDomain,
        validationType: 'dns-txt-token',
      }),
      names.domain,
    );
    // The token is a sensitive attribute in azurerm's schema (static_web_app_custom_domain.validation_token), and
    // Terraform refuses a root output of one not marked sensitive; read it with `terraform output -raw <name>`.
    new cdktf.TerraformOutput(ctx.scope, `${names.domain}_validation_token`, {
      value: domain.validationToken,
      sensitive: true,
    });
  }
  // Its sign-in registration, when the plan lists one (kit/pure/entra.ts decides): redirect URIs as its handle says.
  if (resource.deploys.some((d) => d.terraformType === 'azuread_application')) {
    const component = ctx.plan.components.find((pc) => pc.resources['staticsite'] === resource.key);
    const planned = (component?.outputs['auth'] as { redirectUris?: string[] } | undefined)
      ?.redirectUris;
    const redirectUris =
      planned ??
      spaRedirectUris(
        [
          `https://${site.defaultHostName}`,
          ...(c.customDomain ? [`https://${c.customDomain}`] : []),
        ],
        ctx.config,
      );
    spaRegistration(ctx, resource.key, c.componentId, redirectUris);
  }
  return site;
}
