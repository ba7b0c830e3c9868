/**
 * Configuration of a StaticSite (Azure Static Web Apps). The content is built and uploaded outside
 * Terraform (`swa deploy` or the Static Web Apps GitHub action); `indexDocument`, `errorDocument` and
 * `enableSpaMode` become the `staticwebapp.config.json` the handle gives you (`staticWebAppConfig`) to
 * place in the build output, because that file is where Static Web Apps reads them.
 *
 * @example
 * ```ts
 * const config: StaticSiteConfig = { sourceDirectory: './admin', buildCommand: 'npm run build', enableSpaMode: true };
 * ```
 */
export interface StaticSiteConfig {
  /** Where the site's sources live (recorded for the deploy step). */
  readonly sourceDirectory?: string;
  /** The command that builds the site (recorded for the deploy step). */
  readonly buildCommand?: string;
  /** Default `index.html`. */
  readonly indexDocument?: string;
  /** Served with status 404 for unknown paths (unless SPA mode rewrites them to the index). */
  readonly errorDocument?: string;
  /** Rewrite unknown paths to the index document (client-side routing). Default false. */
  readonly enableSpaMode?: boolean;
  /** Static Web Apps plan. Default `'Free'`. */
  readonly sku?: 'Free' | 'Standard';
  /** A DNS name for the site, e.g. `admin.example.com` (validated by a TXT token, see the outputs). */
  readonly customDomain?: string;
  /** Conflict resolution against other components (higher wins). Default 10. */
  readonly priority?: number;
}

/**
 * Configuration of a StaticSiteWithCdn: a static site behind an Azure Front Door (Standard) endpoint. The
 * custom domain, when given, is served by Front Door (managed certificate); with `dnsZoneName` the CNAME and
 * the `_dnsauth` validation TXT record are created in that Azure DNS zone.
 *
 * @example
 * ```ts
 * const config: StaticSiteWithCdnConfig = {
 *   indexDocument: 'index.html', enableSpaMode: true, customDomain: 'app.example.com', dnsZoneName: 'example.com',
 *   enableCompression: true, cacheMaxAge: 3600, cors: { allowedOrigins: ['*'] },
 * };
 * ```
 */
export interface StaticSiteWithCdnConfig extends StaticSiteConfig {
  /** An Azure DNS zone that holds `customDomain` (which must be a subdomain of it). */
  readonly dnsZoneName?: string;
  /** Resource group of the DNS zone. Default the stack's resource group. */
  readonly dnsZoneResourceGroupName?: string;
  /** Compress text content at the edge. Default true. */
  readonly enableCompression?: boolean;
  /**
   * Put a Web Application Firewall policy (Microsoft default rule set and bot protection, prevention mode)
   * in front of this site's endpoint. Managed rule sets need Front Door **Premium**, so the backend's profile
   * becomes Premium (a higher base fee, shown in the plan's cost). Default false.
   */
  readonly waf?: boolean;
  /** `Cache-Control: public, max-age=<seconds>` on responses. */
  readonly cacheMaxAge?: number;
  /** `Access-Control-Allow-Origin` for the given origins (`'*'` for any). */
  readonly cors?: { readonly allowedOrigins: readonly string[] };
}
