/**
 * `atakora.config.json`: what a site's browser code needs to reach the backend, served at the site's root
 * (locally by `atakora dev`, in Azure uploaded by `atakora deploy`) and optionally written where a bundler
 * can import it (`configExportPath`). Nothing secret: API base URLs and public sign-in settings.
 *
 * - `apis`: each CrudApi's base URL by its component key (its `apiEndpoint`), e.g.
 *   `{ "notes": "https://…/api/notes" }`.
 * - `auth`: MSAL.js settings of the site's single-page-app registration (absent when the stack creates none).
 * - `dev`: only under `atakora dev`: no Entra ID there; send `dev.userHeader: dev.user` instead of a token.
 *
 * @example
 * ```ts
 * // In a site's code (the file is served at the root of each static site):
 * async function listNotes() {
 *   const config = (await (await fetch('/atakora.config.json')).json()) as AtakoraSiteConfig;
 *   return fetch(`${config.apis['notes']}`, {
 *     headers: config.dev ? { [config.dev.userHeader]: config.dev.user } : {},
 *   });
 * }
 * ```
 */
export interface AtakoraSiteConfig {
  readonly apis: { readonly [componentKey: string]: string };
  readonly auth?: AtakoraSiteAuth;
  readonly dev?: AtakoraDevSignIn;
}

/**
 * A site's sign-in settings, as MSAL.js takes them: `new PublicClientApplication({ auth: { clientId, authority } })`,
 * then `acquireTokenSilent({ scopes })`.
 *
 * @example
 * ```ts
 * const auth: AtakoraSiteAuth = {
 *   clientId: '1111…',
 *   authority: 'https://login.microsoftonline.com/<tenant>',
 *   scopes: ['api://2222…/user_impersonation'],
 * };
 * ```
 */
export interface AtakoraSiteAuth {
  readonly clientId: string;
  readonly authority: string;
  readonly scopes: readonly string[];
}

/**
 * `atakora dev`'s sign-in: the header that names the caller, and the session's caller (`<user>@<tenant>`).
 *
 * @example
 * ```ts
 * const dev: AtakoraDevSignIn = { userHeader: 'x-atakora-dev-user', user: 'alice@contoso' };
 * ```
 */
export interface AtakoraDevSignIn {
  readonly userHeader: string;
  readonly user: string;
}

/** The file name a site's configuration is served under unless `configFileName` says otherwise. */
export const DEFAULT_SITE_CONFIG_FILE = 'atakora.config.json';
