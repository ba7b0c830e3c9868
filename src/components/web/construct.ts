import type { TerraformStack } from '../../kit/cdktf/engine.js';
import { StandaloneComponent, componentConfigOf, type StandaloneProps } from '../standalone.js';
import type { StaticSiteConfig, StaticSiteWithCdnConfig } from './config.js';
import { defineStaticSite } from './define-static-site.js';
import { defineStaticSiteWithCdn } from './define-static-site-with-cdn.js';
import type { StaticSiteHandle, StaticSiteWithCdnHandle } from './handle.js';

/**
 * Backend settings of a stand-alone site's own resources: `environment`, `location` (default the stack's)
 * and `tags`.
 *
 * @example
 * ```ts
 * const settings: StandaloneSiteProps = { environment: 'prod', location: 'westeurope' };
 * new StaticSite(stack, 'Docs', { enableSpaMode: true, ...settings });
 * ```
 */
export type StandaloneSiteProps = StandaloneProps;
/**
 * Props of the stand-alone StaticSite: its config plus {@link StandaloneSiteProps}.
 *
 * @example
 * ```ts
 * const props: StaticSiteProps = { sourceDirectory: './admin', buildCommand: 'npm run build', environment: 'prod' };
 * new StaticSite(stack, 'AdminPortal', props);
 * ```
 */
export interface StaticSiteProps extends StaticSiteConfig, StandaloneProps {}
/**
 * Props of the stand-alone StaticSiteWithCdn: its config plus {@link StandaloneSiteProps}.
 *
 * @example
 * ```ts
 * const props: StaticSiteWithCdnProps = {
 *   enableSpaMode: true,
 *   customDomain: 'app.example.com',
 *   dnsZoneName: 'example.com',
 * };
 * new StaticSiteWithCdn(stack, 'GlobalWebsite', props).cdnEndpoint; // 'https://app.example.com'
 * ```
 */
export interface StaticSiteWithCdnProps extends StaticSiteWithCdnConfig, StandaloneProps {}

/**
 * A static web site on Azure Static Web Apps. Two forms:
 * - `StaticSite.define(id, config)` — a definition for `defineBackend` (each site gets its own Static Web App);
 * - `new StaticSite(stack, id, props)` — the stand-alone form.
 *
 * @example
 * ```ts
 * const backend = defineBackend({
 *   adminPortal: StaticSite.define('AdminPortal', {
 *     sourceDirectory: './admin',
 *     buildCommand: 'npm run build',
 *   }),
 * });
 * backend.components.adminPortal.siteName; // 'stapp-backend-dev-adminportal'
 * const docs = new StaticSite(stack, 'Docs', { enableSpaMode: true });
 * ```
 */
export class StaticSite extends StandaloneComponent<StaticSiteHandle> {
  /** Define a StaticSite for a backend (nothing is created yet). */
  static readonly define = defineStaticSite;

  readonly siteName: string;
  readonly url: string;

  constructor(scope: TerraformStack, id: string, props: StaticSiteProps = {}) {
    super(scope, `site-${id}`, id, props, defineStaticSite(id, componentConfigOf(props)));
    this.siteName = this.handle.siteName;
    this.url = this.handle.url;
  }
}

/**
 * A static web site behind Azure Front Door (Standard). Two forms:
 * - `StaticSiteWithCdn.define(id, config)` — for `defineBackend` (CDN sites share one Front Door profile);
 * - `new StaticSiteWithCdn(stack, id, props)` — the stand-alone form.
 *
 * @example
 * ```ts
 * const frontend = defineBackend({
 *   website: StaticSiteWithCdn.define('GlobalWebsite', {
 *     enableSpaMode: true,
 *     customDomain: 'app.example.com',
 *     dnsZoneName: 'example.com',
 *   }),
 * });
 * frontend.components.website.cdnEndpoint; // 'https://app.example.com'
 * ```
 */
export class StaticSiteWithCdn extends StandaloneComponent<StaticSiteWithCdnHandle> {
  /** Define a StaticSiteWithCdn for a backend (nothing is created yet). */
  static readonly define = defineStaticSiteWithCdn;

  readonly siteName: string;
  readonly cdnEndpoint: string;

  constructor(scope: TerraformStack, id: string, props: StaticSiteWithCdnProps = {}) {
    super(
      scope,
      `cdn-site-${id}`,
      id,
      props,
      defineStaticSiteWithCdn(id, componentConfigOf(props)),
    );
    this.siteName = this.handle.siteName;
    this.cdnEndpoint = this.handle.cdnEndpoint;
  }
}
