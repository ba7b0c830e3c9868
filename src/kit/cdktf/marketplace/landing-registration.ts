import type { Application } from '@cdktf/provider-azuread/lib/application/index.js';
import { landingNames, marketplaceUrls } from '../../pure/marketplace-landing.js';
import { azuread } from '../azuread-modules.js';
import { azureadProviderOf } from '../azuread-provider.js';
import { cdktf } from '../cdk-modules.js';
import { defaultProvider } from '../default-provider.js';
import { deployer } from '../entra-registrations.js';
import { named, type ProvisionContext } from '../provision-context.js';

/**
 * The landing page's sign-in registration (DESIGN §2, "Sold on Azure Marketplace beside Stripe"), created on first
 * use by the Function App that runs the CRUD runtime: an application any Microsoft Entra directory's work accounts and
 * personal Microsoft accounts sign in to (`sign_in_audience = "AzureADandPersonalMicrosoftAccount"`, which needs v2
 * access tokens: azuread v3.7.0 docs/resources/application.md, `requested_access_token_version`), its web redirect URI
 * App Service authentication's callback of the `marketplace` OpenID Connect provider (`/.auth/login/marketplace/
 * callback`: Learn, "Configure your App Service or Azure Functions app to sign in using an OpenID Connect provider"),
 * its service principal, and the Terraform outputs Partner Center's Technical configuration asks for (the landing page
 * and webhook URLs) and the client id a client secret is made for. In the workforce directory the stack deploys to,
 * also for a customers (External ID) backend: Marketplace buyers sign in with their work or personal accounts.
 *
 * @example
 * ```ts
 * const landing = landingRegistration(ctx, resource.name);
 * authSettingsFor(ctx.config, tenantId, api.clientId, anonymous, landing.clientId);
 * ```
 */
export function landingRegistration(ctx: ProvisionContext, appName: string): { clientId: string } {
  const n = landingNames(ctx.config.backendId);
  const existing = ctx.scope.node.tryFindChild(n.application) as Application | undefined;
  if (existing) return { clientId: existing.clientId };
  const { Application } = azuread('application');
  const { ServicePrincipal } = azuread('service-principal');
  const customers = ctx.config.auth.customers !== undefined;
  if (customers) {
    const stack = cdktf.TerraformStack.of(ctx.scope);
    if (!defaultProvider(stack, 'azuread'))
      new (azuread('provider').AzureadProvider)(stack, 'azuread', {});
  } else azureadProviderOf(ctx);
  const owners = customers ? {} : { owners: [deployer(ctx).objectId] };
  const urls = marketplaceUrls(`https://${appName}.azurewebsites.net`);
  const application = named(
    new Application(ctx.scope, n.application, {
      displayName: `${ctx.config.backendId}-${ctx.config.environment} Marketplace sign-in`,
      signInAudience: 'AzureADandPersonalMicrosoftAccount',
      ...owners,
      api: { requestedAccessTokenVersion: 2 },
      web: { redirectUris: [urls.redirectUri] },
    }),
    n.application,
  );
  named(
    new ServicePrincipal(ctx.scope, n.principal, { clientId: application.clientId, ...owners }),
    n.principal,
  );
  const output = (name: string, value: string) => {
    new cdktf.TerraformOutput(ctx.scope, name, { value }).overrideLogicalId(name);
  };
  output(n.landingOutput, urls.landingPageUrl);
  output(n.webhookOutput, urls.webhookUrl);
  output(n.clientIdOutput, application.clientId);
  return { clientId: application.clientId };
}
