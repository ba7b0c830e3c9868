export {
  StaticSite,
  StaticSiteWithCdn,
  type StaticSiteProps,
  type StaticSiteWithCdnProps,
  type StandaloneSiteProps,
} from './construct.js';
export { defineStaticSite, type StaticSiteDefinition } from './define-static-site.js';
export {
  defineStaticSiteWithCdn,
  type StaticSiteWithCdnDefinition,
} from './define-static-site-with-cdn.js';
export type { StaticSiteConfig, StaticSiteWithCdnConfig } from './config.js';
export type { StaticSiteHandle, StaticSiteWithCdnHandle } from './handle.js';
export type {
  AtakoraSiteConfig,
  AtakoraSiteAuth,
  AtakoraDevSignIn,
} from '../../model/site-config.js';
export { DEFAULT_SITE_CONFIG_FILE } from '../../model/site-config.js';
export {
  siteConfigOf,
  siteConfigFileName,
  type SiteConfigOptions,
} from '../../kit/pure/site-config.js';
export { siteContentDirectory } from './site-source.js';
