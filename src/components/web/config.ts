/**
 * Configuration of a StaticSite (Azure Static Web Apps). `atakora deploy` uploads the content after Terraform
 * applies (running `buildCommand` first) and `atakora dev` serves it locally, each with the site's
 * `atakora.config.json` beside `index.html` (docs/sites.md). `indexDocument`, `errorDocument` and
 * `enableSpaMode` become the `staticwebapp.config.json` uploaded with the content (also on the handle,
 * `staticWebAppConfig`), because that file is where Static Web Apps reads them.
 *
 * Paths are relative to the working directory (where `atakora` runs), like FunctionsApp handlers. Without
 * `buildCommand`, `sourceDirectory` is the content and must hold `index.html` (a plan error otherwise).
 *
 * @example
 * ```ts
 * const plain: StaticSiteConfig = { sourceDirectory: './site' }; // ./site/index.html is uploaded
 * const vite: StaticSiteConfig = {
 *   sourceDirectory: './web',
 *   buildCommand: 'npm run build',
 *   outputDirectory: 'dist',
 *   enableSpaMode: true,
 * };
 * ```
 */
export interface StaticSiteConfig {
  /**
   * The site's folder. Without `outputDirectory` it is the content uploaded (and, with `buildCommand`, what
   * that command creates); with `outputDirectory`, the folder `buildCommand` runs in.
   */
  readonly sourceDirectory?: string;
  /**
   * Runs before the upload (and before `atakora dev` serves the site, when the content is missing): in
   * `sourceDirectory` when `outputDirectory` is given, else in the working directory.
   */
  readonly buildCommand?: string;
  /** Where `buildCommand` writes the content, relative to `sourceDirectory` (e.g. `'dist'`). */
  readonly outputDirectory?: string;
  /** The name the site's configuration is served under at its root. Default `'atakora.config.json'`. */
  readonly configFileName?: string;
  /**
   * Also write the site's configuration to this path (relative to the working directory) on `atakora dev`
   * and `atakora deploy`, for a bundler to import (e.g. `'./web/src/atakora.config.json'`).
   */
  readonly configExportPath?: string;
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
