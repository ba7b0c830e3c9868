/**
 * `atakora.config.json`, served at the root of every static site of a backend (DESIGN §2 "Sites"): the base URL
 * of each CrudApi by component key, and what a single-page app needs to sign in. `createClient({ config })`
 * reads it as is.
 *
 * @example
 * ```ts
 * const config = (await (await fetch('/atakora.config.json')).json()) as SiteConfig;
 * config.apis.userApi; // 'https://func-shop-prod-x1.azurewebsites.net/api/users'
 * ```
 */
export interface SiteConfig {
  /** Component key → the component's `apiEndpoint` (`https://<app>/api/<route>`). */
  readonly apis: Readonly<Record<string, string>>;
  /** Absent when the API takes no sign-in (`auth: 'none'`). */
  readonly auth?: {
    readonly clientId: string;
    readonly authority: string;
    readonly scopes: readonly string[];
  };
}
