import {
  REALTIME_HUB,
  type RuntimeAuth,
  type RuntimeManifest,
  type RuntimeOpenApi,
} from '../../model/runtime-manifest.js';
import { asJsonObject } from '../../kit/pure/resources/resource-type.js';
import { componentIdentitySetting } from '../../kit/pure/names/component-identity.js';
import { runtimeOpenApiOf } from '../../kit/pure/http-functions.js';
import type { MergedFunctionsConfig } from './type.js';
import type { NormalizedConfig } from '../../model/config.js';

/** What a Function App's manifest is made of besides its merged config. */
export interface RuntimeManifestSource {
  readonly backendId: string;
  readonly environment: string;
  /** The caller policy apply (and `atakora dev`) derive from `BackendConfig.auth` / `tenancy`. */
  readonly auth: RuntimeAuth;
  /** The API's sign-in for the served document; apply leaves it to its own app setting (Terraform references). */
  readonly security?: RuntimeOpenApi['security'];
  /**
   * Name each component's own managed identity setting (Azure); without it the runtime uses its
   * default credential (dev).
   */
  readonly identities: boolean;
  /** The backend's MCP server (`NormalizedConfig.mcp`); absent → none. */
  readonly mcp?: NormalizedConfig['mcp'];
}

/**
 * The `ATAKORA_MANIFEST` a Function App running the CRUD runtime gets: one writer for apply and `atakora dev`,
 * typed by the schema the runtime parses it with (model/runtime-manifest-schema.ts).
 *
 * @example
 * ```ts
 * appSettings[MANIFEST_SETTING] = JSON.stringify(
 *   runtimeManifestOf(merged, { backendId, environment, auth, identities: true }),
 * );
 * ```
 */
export function runtimeManifestOf(
  config: MergedFunctionsConfig,
  source: RuntimeManifestSource,
): RuntimeManifest {
  const withIdentity = <T extends { readonly componentId: string; readonly settings: object }>(
    r: T,
  ): T =>
    source.identities
      ? { ...r, settings: { ...r.settings, clientId: componentIdentitySetting(r.componentId) } }
      : r;
  const fileStores = config.fileStores ?? [];
  return {
    version: 1,
    backendId: source.backendId,
    environment: source.environment,
    entities: config.crudEntities.map(withIdentity),
    auth: source.auth,
    // GET api/openapi.json serves what `atakora openapi` prints for this app (the CRUD contract's generator).
    openapi: runtimeOpenApiOf(
      `${source.backendId} (${source.environment})`,
      asJsonObject(config),
      source.security,
    ),
    ...(fileStores.length ? { fileStores: fileStores.map(withIdentity) } : {}),
    // One hub per backend (resources/webpubsub): the app publishes there when one of its entities is realtime.
    ...(config.crudEntities.some((e) => e.realtime) ? { realtime: { hub: REALTIME_HUB } } : {}),
    // The MCP server at api/mcp (runtime/mcp): the CRUD runtime's app serves it for the backend.
    ...(source.mcp
      ? {
          mcp: {
            writes: source.mcp.writes,
            ...(source.mcp.authorization ? { authorization: source.mcp.authorization } : {}),
          },
        }
      : {}),
  };
}
