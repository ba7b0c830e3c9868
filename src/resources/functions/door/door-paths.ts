import type { NormalizedConfig } from '../../../model/config.js';
import type { RuntimeManifest } from '../../../model/runtime-manifest.js';
import { routeDoorPaths, type RuntimeDoor } from '../../../model/door/runtime-door.js';
import { allowedAudiencesOf, issuerEndpointOf } from '../auth-settings.js';

/**
 * The MCP endpoint's path (contract/mcp/protocol.ts `MCP_ROUTE` under `api/`, which a resource type may not import:
 * test/cli/dev-door-exempt.test.ts holds the two together).
 */
export const MCP_DOOR_PATH = '/api/mcp';

/**
 * The paths App Service authentication must let through for bearers it cannot validate, the narrowest that work:
 * with `mcp.authorization` the MCP door `/api/mcp` (an agent carries the backend's own ES256 token, which App
 * Service would answer 401: `unauthenticatedClientAction: Return401`); with `tenants.apiKeys` the routes a key may
 * call — each CrudApi's and FileStore's `api/<route>` and what lies below it (item, children, search, content) —
 * never the people routes (`api/tenant/…`, `api/me/…`: a key is refused there anyway). None with neither, nor with
 * `auth: 'none'` (nothing to pass). On every one of them the runtime authenticates the request itself and never
 * reads a client-sent `x-ms-client-principal` (runtime/caller/door.ts): Learn says App Service strips it ("External
 * requests aren't allowed to set these headers", Work with user identities) but not that it does so on an excluded
 * path, so the runtime assumes it does not.
 *
 * @example
 * ```ts
 * doorPathsOf(config, manifest); // ['/api/mcp'] with mcp.authorization alone
 * ```
 */
export function doorPathsOf(
  config: Pick<NormalizedConfig, 'auth' | 'tenants'> & Partial<Pick<NormalizedConfig, 'mcp'>>,
  manifest: Pick<RuntimeManifest, 'entities' | 'fileStores'>,
): string[] {
  if (!config.auth.enabled) return [];
  return pathsOf(
    Boolean(config.mcp?.authorization),
    config.tenants?.membership?.apiKeys !== undefined,
    manifest,
  );
}

/**
 * {@link doorPathsOf} read from a runtime manifest alone (its `mcp.authorization`, its registry's `apiKeys`: present
 * exactly when declared), for `atakora dev`'s App Service stand-in (cli/dev/host/hosts.ts), which lets the same paths
 * past its sign-in so the runtime answers there as it does in Azure.
 *
 * @example
 * ```ts
 * manifestDoorPaths(manifest); // ['/api/mcp', '/api/notes', '/api/notes/*']
 * ```
 */
export function manifestDoorPaths(
  manifest: Pick<RuntimeManifest, 'entities' | 'fileStores' | 'mcp' | 'auth'>,
): string[] {
  return pathsOf(
    Boolean(manifest.mcp?.authorization),
    manifest.auth?.registry?.membership?.apiKeys !== undefined,
    manifest,
  );
}

function pathsOf(
  agents: boolean,
  keys: boolean,
  manifest: Pick<RuntimeManifest, 'entities' | 'fileStores'>,
): string[] {
  const paths: string[] = [];
  if (agents) paths.push(MCP_DOOR_PATH);
  if (keys) {
    for (const e of manifest.entities) paths.push(...routeDoorPaths(e.route));
    for (const f of manifest.fileStores ?? []) paths.push(...routeDoorPaths(f.route));
  }
  return [...new Set(paths)];
}

/**
 * The door's app setting ({@link RuntimeDoor}): its paths, and the issuer and audiences App Service's provider
 * checks (auth-settings.ts `authSettingsFor`), so a token the runtime validates on an excluded path is one the
 * platform would have taken elsewhere. The API's client id is always an allowed audience ("The client ID of the
 * application is *always* implicitly considered to be an allowed audience", Learn, Configure Microsoft Entra
 * authentication, Allowed token audiences). Undefined without paths.
 *
 * @example
 * ```ts
 * doorSettingOf(config, tenantId, clientId, ['/api/mcp']); // { paths: ['/api/mcp'], issuer: 'https://…/v2.0', audiences: [clientId, 'api://…'] }
 * ```
 */
export function doorSettingOf(
  config: NormalizedConfig,
  deploymentTenantId: string,
  clientId: string,
  paths: readonly string[],
): RuntimeDoor | undefined {
  if (paths.length === 0) return undefined;
  return {
    paths: [...paths],
    issuer: issuerEndpointOf(config, deploymentTenantId),
    audiences: [clientId, ...allowedAudiencesOf(config, clientId)],
  };
}
