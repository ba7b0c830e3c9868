import type { NormalizedConfig } from '../../model/config.js';
import type { PlannedDeploy } from '../../model/plan.js';
import { tfName } from './names/terraform-names.js';
import {
  LANDING_PROVIDER,
  MARKETPLACE_LANDING_ROUTE,
  MARKETPLACE_WEBHOOK_ROUTE,
} from '../../model/marketplace.js';

// The landing page's sign-in registration (DESIGN §2, "Sold on Azure Marketplace beside Stripe"): no planned resource
// of its own — like the API's registration (kit/pure/entra.ts) it is listed in the deploys of the Function App whose
// App Service authentication signs buyers in with it. Its cdktf half is kit/cdktf/marketplace-registration.ts.

/**
 * Whether the plan registers the landing sign-in: an offer sold on Marketplace, App Service authentication on and
 * registrations not turned off (`auth.appRegistration: false` creates none; the landing page then needs one of
 * yours, docs/billing.md).
 *
 * @example
 * ```ts
 * createsLandingRegistration(config); // true with tenants.billing.marketplace and the default auth
 * ```
 */
export function createsLandingRegistration(config: NormalizedConfig): boolean {
  return (
    config.tenants?.billing?.marketplace !== undefined &&
    config.auth.enabled &&
    config.auth.appRegistration
  );
}

/**
 * The Terraform logical names of the landing registration: the application, its service principal, and the outputs
 * Partner Center's Technical configuration asks for.
 *
 * @example
 * ```ts
 * landingNames('saas').application; // 'saas_marketplace_landing'
 * ```
 */
export function landingNames(backendId: string) {
  const application = tfName(backendId, 'marketplace', 'landing');
  return {
    application,
    principal: tfName(application, 'sp'),
    landingOutput: tfName(backendId, 'marketplace', 'landing_page_url'),
    webhookOutput: tfName(backendId, 'marketplace', 'webhook_url'),
    clientIdOutput: tfName(backendId, 'marketplace', 'landing_client_id'),
  };
}

/**
 * The landing registration's Terraform resources (the application and its service principal).
 *
 * @example
 * ```ts
 * landingRegistrationDeploys('saas'); // [{ terraformType: 'azuread_application', name: 'saas_marketplace_landing' }, …]
 * ```
 */
export function landingRegistrationDeploys(backendId: string): PlannedDeploy[] {
  const n = landingNames(backendId);
  return [
    { terraformType: 'azuread_application', name: n.application },
    { terraformType: 'azuread_service_principal', name: n.principal },
  ];
}

/**
 * The landing page and webhook URLs of the Function App `host` (`https://<app>.azurewebsites.net`), and the landing
 * sign-in's redirect URI (App Service authentication's `/.auth/login/<provider>/callback`).
 *
 * @example
 * ```ts
 * marketplaceUrls('https://func-saas-prod-k3x9a1.azurewebsites.net').landingPageUrl;
 * // 'https://func-saas-prod-k3x9a1.azurewebsites.net/api/marketplace/landing'
 * ```
 */
export function marketplaceUrls(host: string): {
  readonly landingPageUrl: string;
  readonly webhookUrl: string;
  readonly redirectUri: string;
} {
  return {
    landingPageUrl: `${host}/api/${MARKETPLACE_LANDING_ROUTE}`,
    webhookUrl: `${host}/api/${MARKETPLACE_WEBHOOK_ROUTE}`,
    redirectUri: `${host}/.auth/login/${LANDING_PROVIDER}/callback`,
  };
}
