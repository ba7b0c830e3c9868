import type { ComponentHandle } from '../../model/component.js';
import type { JsonValue } from '../../model/plan.js';
import type { SiteAuthInfo } from '../../kit/pure/entra.js';

/**
 * What `backend.components.<key>` gives for a StaticSite.
 *
 * Azure assigns a Static Web App's default host name when it creates it (`<random>.azurestaticapps.net`),
 * so the plan cannot know it: in the plan, `defaultHostname` is the Terraform expression that resolves to it
 * (`${azurerm_static_web_app.<name>.default_host_name}`, written as a Terraform output); once the backend is
 * added to a stack it is the cdktf token of that attribute on the created site, usable in any stack of the
 * app. `url` is `https://<customDomain>` when one is set.
 *
 * @example
 * ```ts
 * const backend = defineBackend(
 *   {
 *     adminPortal: StaticSite.define('AdminPortal', {
 *       sourceDirectory: './admin',
 *       customDomain: 'admin.example.com',
 *     }),
 *   },
 *   { environment: 'prod' },
 * );
 * const site = backend.components.adminPortal;
 * site.siteName; // 'stapp-backend-prod-adminportal'
 * site.url; // 'https://admin.example.com' or 'https://${azurerm_static_web_app.….default_host_name}'
 * ```
 */
export interface StaticSiteHandle extends ComponentHandle {
  readonly componentType: 'StaticSite' | 'StaticSiteWithCdn';
  /** The Azure name of the Static Web App (one per site; sites are never shared). */
  readonly siteName: string;
  /** Static Web Apps region (the nearest one offering the service to the backend's location). */
  readonly siteLocation: string;
  /** Terraform expression of the generated host name (see above). */
  readonly defaultHostname: string;
  readonly url: string;
  /**
   * Every https origin the site is served from — the Static Web App's host, the custom domain, and for a
   * StaticSiteWithCdn the Front Door host — sorted. Its sign-in registration redirects to each (with
   * `auth.devOrigins`), and the API's CORS admits each.
   */
  readonly origins: readonly string[];
  readonly customDomain?: string;
  readonly sourceDirectory?: string;
  readonly buildCommand?: string;
  /** Where `buildCommand` writes the content, relative to `sourceDirectory`. */
  readonly outputDirectory?: string;
  /** The name the site's `atakora.config.json` is served under, when renamed. */
  readonly configFileName?: string;
  /** Where `atakora dev` / `atakora deploy` also write the site's configuration for a bundler. */
  readonly configExportPath?: string;
  /** Put this in the build output as `staticwebapp.config.json`. */
  readonly staticWebAppConfig: { readonly [k: string]: JsonValue };
  /**
   * Sign-in for the site (MSAL.js, see docs/sign-in.md): its single-page-app registration's client id, the
   * API's, the tenant, the scope and the API base URL — present when the stack creates the registrations
   * (the default) and the backend has an API. Unknown ids are Terraform expressions until apply.
   */
  readonly auth?: SiteAuthInfo;
}

/**
 * A StaticSiteWithCdn's handle: the site plus its Front Door endpoint.
 *
 * `cdnEndpoint` is `https://<customDomain>` when a custom domain is set — known from the plan. Otherwise it
 * is `https://${azurerm_cdn_frontdoor_endpoint.<name>.host_name}` in the plan: Front Door appends a hash to new
 * endpoints' host names (`<endpoint-name>-<hash>.z01.azurefd.net`), so writing `<endpoint-name>.z01.azurefd.net`
 * would be a guess; the expression resolves in the stack and in the `cdnEndpoint` Terraform output. After
 * `addToStack(stack)` it is the cdktf token of the created endpoint's `host_name`, usable in any stack.
 *
 * @example
 * ```ts
 * const backend = defineBackend({
 *   website: StaticSiteWithCdn.define('GlobalWebsite', {
 *     customDomain: 'app.example.com',
 *     dnsZoneName: 'example.com',
 *   }),
 * });
 * backend.components.website.cdnEndpoint; // 'https://app.example.com'
 * backend.components.website.cdnEndpointName; // 'globalwebsite-production-k3x9a1'
 * ```
 */
export interface StaticSiteWithCdnHandle extends StaticSiteHandle {
  readonly componentType: 'StaticSiteWithCdn';
  readonly cdnEndpoint: string;
  /** The Front Door endpoint's name (its host name is `<name>-<hash>.z01.azurefd.net`). */
  readonly cdnEndpointName: string;
  /** The Front Door profile, shared by every CDN site of the backend. */
  readonly cdnProfileName: string;
}
