/**
 * App setting of a Function App behind App Service authentication whose backend lets bearers of its own through
 * (`mcp.authorization`'s agent tokens at `api/mcp`, `tenants.apiKeys`' `atk_…` keys on the data routes): the paths
 * the plan put in `excludedPaths` for them and the Entra issuer and audiences App Service would have checked there
 * ({@link RuntimeDoor} as JSON). Apart from the manifest: the API registration's client id is a Terraform reference
 * until deploy. Absent (every other backend, `atakora dev`, in-process): the runtime trusts App Service's principal
 * as before.
 *
 * @example
 * ```ts
 * const door = JSON.parse(process.env[DOOR_SETTING] ?? 'null') as RuntimeDoor | null;
 * ```
 */
export const DOOR_SETTING = 'ATAKORA_DOOR';

/**
 * What the runtime checks itself on the paths App Service authentication no longer guards: `paths` as their
 * `excludedPaths` entries (a trailing `/*` covers every path below), `issuer` the provider's `tenantAuthEndpoint`
 * (`https://login.microsoftonline.com/<tenant>/v2.0`, `…/common/v2.0` for a multi-tenant API, an external tenant's
 * `ciamlogin.com` endpoint), `audiences` the tokens' allowed `aud` values (the API's client id and its
 * `allowedAudiences`).
 *
 * @example
 * ```ts
 * const door: RuntimeDoor = {
 *   paths: ['/api/mcp'],
 *   issuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
 *   audiences: ['11111111-2222-3333-4444-555555555555', 'api://11111111-2222-3333-4444-555555555555'],
 * };
 * ```
 */
export interface RuntimeDoor {
  readonly paths: readonly string[];
  readonly issuer: string;
  readonly audiences: readonly string[];
}

/**
 * Whether `path` (a request's path, `/api/…`) is one of `entries`, `excludedPaths`-style: an entry matches its own
 * path, and an entry ending in `/*` every path below it (not the path itself); case-insensitive, as App Service and
 * the Functions host route paths. Learn documents no more of the matching than "the paths for which unauthenticated
 * flow would not be redirected to the login page" (ARM GlobalValidation,
 * https://learn.microsoft.com/rest/api/appservice/web-apps/update-auth-settings-v2#globalvalidation); the `/*` form
 * is what the SCIM routes already rely on (docs/enterprise.md, "SCIM behind App Service authentication"), and the
 * runtime holds to the narrower reading whatever the platform does.
 *
 * @example
 * ```ts
 * excludedPathMatches('/api/notes/n1', ['/api/notes', '/api/notes/*']); // true
 * excludedPathMatches('/api/notesx', ['/api/notes', '/api/notes/*']); // false
 * ```
 */
export function excludedPathMatches(path: string, entries: readonly string[]): boolean {
  const p = path.toLowerCase();
  for (const raw of entries) {
    const e = raw.toLowerCase();
    if (e === p) return true;
    if (e.endsWith('/*') && p.length > e.length - 1 && p.startsWith(e.slice(0, -1))) return true;
  }
  return false;
}

/**
 * The paths an entity or file store route is served at, as `excludedPaths` entries: the collection and everything
 * below it (the item, its children, `search`, a file's content).
 *
 * @example
 * ```ts
 * routeDoorPaths('notes'); // ['/api/notes', '/api/notes/*']
 * ```
 */
export function routeDoorPaths(route: string): string[] {
  return [`/api/${route}`, `/api/${route}/*`];
}
