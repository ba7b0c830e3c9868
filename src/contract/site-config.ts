import type { AtakoraSiteConfig } from '../model/site-config.js';

/**
 * `atakora.config.json`, served at the root of every static site of a backend (DESIGN §2 "Sites"): the base URL
 * of each CrudApi by component key, and what a single-page app needs to sign in. `createClient({ config })`
 * reads it as is.
 *
 * @example
 * ```ts
 * // In a site's code (the file is served at the root of each static site):
 * async function usersApiUrl() {
 *   const config = (await (await fetch('/atakora.config.json')).json()) as SiteConfig;
 *   return config.apis['userApi']; // 'https://func-shop-prod-x1.azurewebsites.net/api/users'
 * }
 * ```
 */
export type SiteConfig = AtakoraSiteConfig;
