export { StaticSite, StaticSiteWithCdn, type StaticSiteProps, type StaticSiteWithCdnProps, type StandaloneSiteProps } from './construct.js';
export { defineStaticSite, type StaticSiteDefinition } from './define-static-site.js';
export { defineStaticSiteWithCdn, type StaticSiteWithCdnDefinition } from './define-static-site-with-cdn.js';
export type { StaticSiteConfig, StaticSiteWithCdnConfig } from './config.js';
export type { StaticSiteHandle, StaticSiteWithCdnHandle } from './handle.js';
