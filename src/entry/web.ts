/**
 * `@atakora/component/web`: the StaticSite and StaticSiteWithCdn components.
 * @packageDocumentation
 */
export * from '../components/web/index.js';
