import type { JsonValue } from '../../model/plan.js';
import { at } from '../../model/at.js';

/** Where MSAL.js signs users in and renews tokens (a hidden iframe): Entra ID's public cloud endpoint. */
export const ENTRA_LOGIN_ORIGIN = 'https://login.microsoftonline.com';

/**
 * The security headers every site sends, deployed (Static Web Apps reads `globalHeaders` from
 * `staticwebapp.config.json`, learn.microsoft.com/azure/static-web-apps/configuration#global-headers) and under
 * `atakora dev` alike: a Content-Security-Policy that lets the page load only its own scripts and styles and
 * call only its own origin, the APIs it is configured with and Entra ID; `nosniff`; a referrer policy that
 * sends no path cross-origin; framing by the site's own origin only.
 *
 * Why not no framing at all: MSAL.js renews tokens silently in a hidden iframe, into which Entra ID redirects to
 * the site's redirect URI (Learn, "Avoid page reloads when acquiring and renewing tokens silently using
 * MSAL.js": the redirect_uri's HTML is loaded in the iframe, and a page that forbids framing fails it with an
 * `X-Frame-Options: deny` error). That iframe is the site framing itself, so `frame-ancestors 'self'` and
 * `X-Frame-Options: SAMEORIGIN` let it load — once the SPA's refresh token expires (24 h, Learn "Refresh tokens
 * in the Microsoft identity platform", SPA lifetime) this is the only silent path — while every other origin
 * still cannot frame the site (clickjacking). Browsers that know `frame-ancestors` ignore X-Frame-Options
 * (CSP Level 2, frame-ancestors; RFC 7034 SAMEORIGIN for the others).
 *
 * A backend with FileStores adds their blob endpoints (`fileOrigins`) to `connect-src` and `img-src`: the page PUTs
 * an upload and reads a file straight from Blob Storage with the SAS URLs the API hands out. A backend with realtime
 * CrudApis adds its Web PubSub's WebSocket origin (`socketOrigins`, `wss://<name>.webpubsub.azure.com`; the loopback
 * hub's `ws://127.0.0.1:<port>` under `atakora dev`) to `connect-src`: a page's `connect-src 'self'` covers its own
 * origin's sockets only.
 *
 * @example
 * ```ts
 * siteSecurityHeaders(['https://func-notes-prod-k3x9a1.azurewebsites.net'])['Content-Security-Policy'];
 * ```
 */
export function siteSecurityHeaders(
  apiOrigins: readonly string[],
  fileOrigins: readonly string[] = [],
  socketOrigins: readonly string[] = [],
): Record<string, string> {
  const connect = [
    ...new Set(["'self'", ...apiOrigins, ...fileOrigins, ...socketOrigins, ENTRA_LOGIN_ORIGIN]),
  ].join(' ');
  const img = [...new Set(["'self'", 'data:', ...fileOrigins])].join(' ');
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      `img-src ${img}`,
      "font-src 'self'",
      `connect-src ${connect}`,
      `frame-src 'self' ${ENTRA_LOGIN_ORIGIN}`,
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'self'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'SAMEORIGIN',
  };
}

/**
 * The `staticwebapp.config.json` a site is served with: the planned one (index, error document, SPA
 * fallback), the site's own file merged over it (its keys win), and {@link siteSecurityHeaders} under
 * `globalHeaders` (a header the site's own file sets wins over ours).
 *
 * @example
 * ```ts
 * const swa = siteWebAppConfig(site.outputs.staticWebAppConfig, ['http://127.0.0.1:7071'], JSON.parse(ownFile));
 * ```
 */
export function siteWebAppConfig(
  planned: { readonly [k: string]: JsonValue },
  apiOrigins: readonly string[],
  own: { readonly [k: string]: JsonValue } = {},
  fileOrigins: readonly string[] = [],
  socketOrigins: readonly string[] = [],
): { [k: string]: JsonValue } {
  const ownHeaders = own['globalHeaders'];
  const headers: { readonly [k: string]: JsonValue } =
    ownHeaders && typeof ownHeaders === 'object' && !Array.isArray(ownHeaders)
      ? (ownHeaders as { readonly [k: string]: JsonValue })
      : {};
  return {
    ...planned,
    ...own,
    globalHeaders: {
      ...siteSecurityHeaders(apiOrigins, fileOrigins, socketOrigins),
      ...headers,
    },
  };
}

/**
 * The distinct origins of a site configuration's API URLs (what the CSP's `connect-src` must allow).
 *
 * @example
 * ```ts
 * apiOriginsOf({ notes: 'http://127.0.0.1:7071/api/notes' }); // ['http://127.0.0.1:7071']
 * ```
 */
export function apiOriginsOf(apis: { readonly [k: string]: string }): string[] {
  const out = new Set<string>();
  for (const url of Object.values(apis)) {
    const m = /^(https?:\/\/[^/\s]+)/.exec(url);
    if (m) out.add(at(m, 1));
  }
  return [...out].sort();
}
