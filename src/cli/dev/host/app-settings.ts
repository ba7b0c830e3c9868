import { REGISTRY_MAX_AGE_SETTING } from '../../../runtime/tenants/registry-cache.js';
import {
  AGENT_SIGNING_IDENTITY_SETTING,
  AGENT_SIGNING_KEY_ID_SETTING,
} from '../../../contract/mcp/oauth/agent-signing-key.js';
import type { NormalizedConfig } from '../../../model/config.js';
import { LANDING_SECRET_SETTING } from '../../../model/marketplace.js';
import { admissionPolicy, hasTenantRegistry } from '../../../kit/pure/tenant-registry.js';
import type { PlannedResource, ResourcePlan } from '../../../model/plan.js';
import { dataKeysOf } from '../../../kit/pure/http-functions.js';
import {
  AUTH_SETTING,
  COMPONENT_KEYS_SETTING,
  HOME_TENANT_SETTING,
  MANIFEST_SETTING,
  REALTIME_DEV_KEY_SETTING,
  type RuntimeAuth,
  type RuntimeEntity,
} from '../../../model/runtime-manifest.js';
import { CHANGE_FEED_ENDPOINT } from '../../../resources/functions/change-feed-connection.js';
import { runtimeManifestOf } from '../../../resources/functions/runtime-manifest.js';
import { mergedConfigOf } from '../../../resources/types.js';
import { DEV_BLOB_ORIGIN_SETTING } from '../../../runtime/files/dev-blob-origin.js';
import { DEV_USER_HEADER, type DevUser, emailUserOf } from '../sign-in/sign-in.js';
import { storesOf } from '../storage/storage.js';
import { devProtectedResource } from './protected-resource.js';

/**
 * How old (ms) a registry or membership answer may be on a dev worker ({@link REGISTRY_MAX_AGE_SETTING}): a change
 * made beside the runtime (`atakora tenant suspend --local`, a proof's record written straight) holds once this has
 * passed.
 *
 * @example
 * ```ts
 * await new Promise((r) => setTimeout(r, DEV_REGISTRY_MAX_AGE_MS)); // the record just written is read again
 * ```
 */
export const DEV_REGISTRY_MAX_AGE_MS = 1000;

/**
 * The app settings a Function App gets in Azure, with Cosmos DB and the FileStores pointing at the local servers:
 * the plan's settings less the values known only at deploy, the caller policy and the runtime manifest as apply
 * writes them (resources/functions/provision.ts, runtime-manifest.ts).
 *
 * @example
 * ```ts
 * const settings = devAppSettings(app, plan, entitiesOf(app), cosmos.endpoint, config, user, blobs.endpoint);
 * // with a realtime CrudApi: …, blobs.endpoint, blobs.browserOrigin, { endpoint: hub.endpoint, key: hub.key }
 * ```
 */
export function devAppSettings(
  app: PlannedResource,
  plan: ResourcePlan,
  entities: readonly RuntimeEntity[],
  endpoint: string,
  config: NormalizedConfig,
  user: DevUser,
  blobEndpoint: string,
  blobBrowserOrigin?: string,
  hub?: { readonly endpoint: string; readonly key: string },
): Record<string, string> {
  // Values known only at deploy (Terraform references) have no local meaning.
  // Dev signs agents' tokens with a local key (runtime/members/agents/agent-keys.ts), never the vault's; and it signs
  // the Marketplace buyer in as its own user, so App Service's landing provider secret is asked of nobody.
  const vaultOnly = new Set([
    AGENT_SIGNING_KEY_ID_SETTING,
    AGENT_SIGNING_IDENTITY_SETTING,
    LANDING_SECRET_SETTING,
  ]);
  const out = Object.fromEntries(
    Object.entries(app.config['appSettings'] as Record<string, string>).filter(
      ([k, v]) => !v.includes('${') && !vaultOnly.has(k),
    ),
  );
  for (const e of entities) out[e.settings.endpoint] = endpoint;
  // The onChange triggers' connections read the local server too (host/change-feed-triggers.ts).
  for (const k of Object.keys(app.config['appSettings'] as Record<string, string>))
    if (k.endsWith(CHANGE_FEED_ENDPOINT)) out[k] = endpoint;
  const stores = storesOf(app);
  for (const f of stores) out[f.settings.endpoint] = blobEndpoint;
  // Browsers PUT and GET the SAS URLs through dev's plain-HTTP door: they refuse Azurite's self-signed certificate.
  if (stores.length && blobBrowserOrigin) out[DEV_BLOB_ORIGIN_SETTING] = blobBrowserOrigin;
  // Realtime entities publish to, and mint tokens for, dev's loopback hub (cli/dev/realtime/hub.ts) with its key.
  for (const e of entities)
    if (hub && e.realtime && e.settings.realtimeEndpoint) {
      out[e.settings.realtimeEndpoint] = hub.endpoint;
      out[REALTIME_DEV_KEY_SETTING] = hub.key;
    }
  // The caller policy as apply writes it (functions/provision.ts), so dev authenticates and finds tenants as deployed.
  const auth: RuntimeAuth = {
    required: config.auth.enabled,
    tenantClaim: config.tenancy.claim,
    trustTenantHeader: config.tenancy.trustGatewayHeader,
    // The allow-list of a multi-tenant backend applies in dev too (sign in with a listed --tenant).
    ...admissionPolicy(config),
  };
  // The HTTP functions' gate reads the same policy as in Azure (resources/functions/provision.ts).
  out[AUTH_SETTING] = JSON.stringify(auth);
  const dataKeys = dataKeysOf(app.config, plan.components);
  if (dataKeys) out[COMPONENT_KEYS_SETTING] = JSON.stringify(dataKeys);
  // The MCP server's sign-in discovery, as App Service serves it in Azure (host/protected-resource.ts).
  Object.assign(out, devProtectedResource(config, app.config['crudRuntime'] === true));
  // With a registry, dev's one instance reads it at most a second late: `atakora tenant suspend --local` (which
  // writes the local server, not this runtime) holds on the next request, as the admin API's change does.
  // Memberships likewise: a removal or a role change holds within a second (DESIGN §2, 1 s under dev).
  if (hasTenantRegistry(config)) out[REGISTRY_MAX_AGE_SETTING] = String(DEV_REGISTRY_MAX_AGE_MS);
  // The home directory: auth.tenantId when given, else the session's own (the developer publishes the data).
  if (
    config.auth.enabled &&
    (config.auth.allowedTenants !== undefined || hasTenantRegistry(config))
  )
    out[HOME_TENANT_SETTING] =
      config.auth.tenantId ??
      (config.tenants?.membership ? emailUserOf(user, config.auth.customers?.tenantId) : user).tid;
  // As apply writes it (resources/functions/runtime-manifest.ts), less the per-component identities Azure has.
  const built = runtimeManifestOf(mergedConfigOf('functions', app), {
    backendId: plan.backendId,
    environment: plan.environment,
    auth,
    identities: false,
    ...(config.mcp ? { mcp: config.mcp } : {}),
  });
  // The served document describes how dev signs callers in (its header, no token), not the Entra scheme it
  // does not check (cli/dev/sign-in.ts); with auth off there is no sign-in to describe.
  const manifest: typeof built = config.auth.enabled
    ? { ...built, openapi: { ...built.openapi, devSignIn: { header: DEV_USER_HEADER } } }
    : built;
  out[MANIFEST_SETTING] = JSON.stringify(manifest);
  return out;
}
