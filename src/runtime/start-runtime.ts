import { withSiteOrigins } from './mcp/origin.js';
import { AtakoraError } from '../model/errors.js';
import {
  APP_ROLE_SETTING,
  HOME_TENANT_SETTING,
  MANIFEST_SETTING,
  SCIM_APP_ROLE,
  OPENAPI_SECURITY_SETTING,
  PREFERRED_LOCATIONS_SETTING,
  type RuntimeAuth,
  type RuntimeManifest,
} from '../model/runtime-manifest.js';
import { CHANGE_DELIVERY_SETTING, type ChangeHandler } from './events/change-dispatch.js';
import { WEBHOOK_AUDIT_FEED_SETTING } from '../contract/integrations/webhooks.js';
import { storageWebhookQueue } from './webhooks/webhook-queue.js';
import { changeDeadlineMs, withChangeDeadline } from './events/change-deadline.js';
import type { ItemMigration } from './data/context.js';
import { cosmosPolicyFromEnv } from './data/cosmos-policy.js';
import { createCosmosResolver, type CosmosResolverOptions } from './cosmos-resolver.js';
import { createFileBlobsResolver, type FileBlobsOptions } from './files/blobs.js';
import { createMisconfiguredHealthHandler } from './health.js';
import { parseManifest } from './manifest-loader.js';
import { InProcessRoutes } from './in-process/routes.js';
import type { Publisher } from './realtime/publisher.js';
import type { RealtimeService } from './realtime/service.js';
import { DNS_SERVER_SETTING, txtResolverOf } from './members/domains/domain-dns.js';
import { realtimeEventsFromEnv, realtimeServiceFromEnv } from './realtime/service-from-env.js';
import { callerPolicyOf } from './caller/tenant-source.js';
import { doorSettingOf } from './caller/door.js';
import { DOOR_SETTING } from '../model/door/runtime-door.js';
import { registryMaxAgeFromEnv } from './tenants/registry-cache.js';
import {
  type FunctionRegistrar,
  HEALTH_ROUTE,
  type RegisterDeps,
  type RegisteredRoute,
  registerApp,
} from './register-routes.js';
import { registerScimApp } from './register-scim-app.js';
import {
  HOST_STORAGE_CONNECTION,
  hostQueueService,
  storageCascadeQueue,
} from './relations/storage-cascade-queue.js';

/**
 * What {@link startRuntime} did: the routes it registered, or the configuration error that left only the
 * health route (answering 503), so a host can decide whether to fail hard.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const result = startRuntime(app, process.env);
 * if (!result.ok) console.error(result.error.format());
 * ```
 */
export type StartResult =
  | {
      readonly ok: true;
      readonly routes: readonly RegisteredRoute[];
      /** The in-process entry to the CRUD routes, for the package's HTTP functions (dataOf, MCP tools). */
      readonly inProcess: InProcessRoutes;
    }
  | {
      readonly ok: false;
      readonly error: AtakoraError;
      readonly routes: readonly RegisteredRoute[];
    };

/**
 * Boot the Function App: read and validate `ATAKORA_MANIFEST` (and `ATAKORA_COSMOS_TIMEOUT_MS` when
 * set), resolve Cosmos containers from the app settings (managed identity), register every route.
 * On a configuration error it logs the
 * `RUNTIME_CONFIG_INVALID` error as one JSON line and registers only `health`, answering 503 with the
 * code — the app stays up and the failure shows in the platform's health probe.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const result = startRuntime(app, process.env);
 * ```
 */
export function startRuntime(
  app: FunctionRegistrar,
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: CosmosResolverOptions & {
    readonly files?: FileBlobsOptions;
    readonly changeHandlers?: Readonly<Record<string, ChangeHandler>>;
    readonly migrations?: Readonly<Record<string, Readonly<Record<number, ItemMigration>>>>;
    /** The Web PubSub to publish to (default: from the app settings) and the queue in front of it. */
    readonly realtime?: { readonly service?: RealtimeService; readonly publisher?: Publisher };
  } = {},
): StartResult {
  try {
    const scimRole = appRoleOf(env) === SCIM_APP_ROLE;
    const manifest = withOpenApiSecurity(
      parseManifest(env[MANIFEST_SETTING]),
      env[OPENAPI_SECURITY_SETTING],
    );
    const policy = options.cosmos ?? cosmosPolicyFromEnv(env);
    const cosmos = createCosmosResolver(manifest, env, {
      ...withPreferredLocations(options, env[PREFERRED_LOCATIONS_SETTING]),
      cosmos: policy,
    });
    const realtimeService =
      options.realtime?.service ?? realtimeServiceFromEnv(manifest, env, options.credential);
    const realtimeEvents = realtimeService ? realtimeEventsFromEnv(manifest, env) : undefined;
    const registryMaxAge = registryMaxAgeFromEnv(env);
    const inProcess = new InProcessRoutes();
    // The MCP endpoint's browser origins (mcp/origin.ts): the app's sites', dev's under `atakora dev`.
    const caller = withSiteOrigins(
      withHomeTenant(callerPolicyOf(manifest), env[HOME_TENANT_SETTING]),
      env,
    );
    const registryDatabase = caller.registry?.database
      ? cosmos.databaseOf(caller.registry.database)
      : undefined;
    // The SCIM app (no App Service authentication in front of it) registers its SCIM routes and health alone; its
    // health reads the registry's containers, the only ones its identity holds roles on.
    const register = scimRole ? registerScimApp : registerApp;
    // The paths App Service lets through for agents' tokens and API keys: their bearers checked here (caller/door.ts).
    const door = doorSettingOf(env[DOOR_SETTING]);
    const routes = register(app, manifest, {
      ...(door && !scimRole ? { door } : {}),
      inProcess,
      containerFor: (entity) => cosmos.containerFor(entity),
      ...(scimRole ? {} : { healthTargets: cosmos.healthTargets }),
      ...(registryDatabase ? { registryDatabase } : {}),
      cosmos: policy,
      caller,
      blobsFor: createFileBlobsResolver(
        manifest,
        env,
        options.files ?? (options.credential ? { credential: options.credential } : {}),
      ),
      // In Azure the change feed trigger delivers changes (the package registers it: packaging/register-hosted.ts),
      // and the writes to those containers carry their operation; `atakora dev` (no change feed locally) asks for
      // inline delivery after each write instead.
      ...(options.changeHandlers && env[CHANGE_DELIVERY_SETTING] === 'inline'
        ? { changeHandlers: withChangeDeadline(options.changeHandlers, changeDeadlineMs(env)) }
        : {}),
      ...(options.migrations ? { migrations: options.migrations } : {}),
      // Stamped under `atakora dev` too: its change feed emulation tells the runtime's own writes (delivered
      // inline) from those of other writers (seed, migrate) by the stamp.
      ...(options.changeHandlers ? { changeFeed: Object.keys(options.changeHandlers) } : {}),
      ...(realtimeService
        ? {
            realtime: {
              service: realtimeService,
              ...(options.realtime?.publisher ? { publisher: options.realtime.publisher } : {}),
              ...(realtimeEvents ? { events: realtimeEvents } : {}),
            },
          }
        : {}),
      ...hostCascadeQueue(manifest, env, options.credential),
      webhooks: hostWebhooks(caller, env, options.credential),
      // The billing timer reads the Stripe key (and STRIPE_API_BASE) from the app settings at each run.
      billing: { env },
      // A domain's TXT proof is looked up at ATAKORA_DNS_SERVER when set (dev's and tests' stand-in).
      members: { resolveTxt: txtResolverOf(env[DNS_SERVER_SETTING]) },
      ...(registryMaxAge === undefined ? {} : { tenantRegistry: { maxAgeMs: registryMaxAge } }),
    });
    return { ok: true, routes, inProcess };
  } catch (e) {
    if (!(e instanceof AtakoraError)) throw e;
    return misconfigured(app, e);
  }
}

/**
 * A configuration error at start: logged as one JSON line (no invocation context exists at startup; the worker
 * forwards console output to the app's logs) and only health registered, answering 503 with the code.
 */
function misconfigured(app: FunctionRegistrar, e: AtakoraError): StartResult {
  console.error(
    JSON.stringify({
      component: 'runtime',
      operation: 'startup',
      outcome: 'config_error',
      code: e.code,
      message: e.message,
      path: e.path,
    }),
  );
  app.http('health', {
    route: HEALTH_ROUTE,
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: createMisconfiguredHealthHandler(e),
  });
  return {
    ok: false,
    error: e,
    routes: [{ name: 'health', route: HEALTH_ROUTE, methods: ['GET'] }],
  };
}

/**
 * The app's role ({@link APP_ROLE_SETTING}): absent or empty, the shared app; `'scim'`, the SCIM app. Any other value
 * is a configuration error, never the shared app's routes on an app that may have no sign-in in front of it.
 */
function appRoleOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const role = env[APP_ROLE_SETTING]?.trim();
  if (!role) return undefined;
  if (role === SCIM_APP_ROLE) return role;
  throw new AtakoraError(
    'RUNTIME_CONFIG_INVALID',
    `${APP_ROLE_SETTING} is "${role}": the runtime knows "${SCIM_APP_ROLE}" alone (or no role, the shared app).`,
    {
      path: [APP_ROLE_SETTING],
      resolution: `Set ${APP_ROLE_SETTING} to "${SCIM_APP_ROLE}" on the SCIM app, or remove it.`,
    },
  );
}

/**
 * Cascades that outlast a request go through the app's own queue: `atakora-cascades` of the host storage account,
 * sent to with the host identity and read by a queue trigger on the host's connection — when the manifest has a
 * cascade and the app has host storage by identity (Azure). Otherwise (`atakora dev`, tests) the in-process queue.
 */
function hostCascadeQueue(
  manifest: RuntimeManifest,
  env: Readonly<Record<string, string | undefined>>,
  credential: CosmosResolverOptions['credential'],
): Pick<RegisterDeps, 'cascadeQueue' | 'cascadeTrigger'> {
  const cascades = manifest.entities.some((e) =>
    (e.relations ?? []).some((r) => r.kind === 'hasMany' && r.onDelete === 'cascade'),
  );
  const service = cascades ? hostQueueService(env) : undefined;
  if (!service) return {};
  const clientId = env[`${HOST_STORAGE_CONNECTION}__clientId`]?.trim();
  return {
    cascadeQueue: storageCascadeQueue(service, credential, clientId || undefined),
    cascadeTrigger: { connection: HOST_STORAGE_CONNECTION },
  };
}

/**
 * The organizations' webhooks: under `atakora dev` (inline change delivery) loopback receivers allowed and the
 * in-process queue; in Azure, with tenants by membership and host storage by identity, the `atakora-webhooks` queue
 * of the host storage account and its trigger.
 */
function hostWebhooks(
  caller: RuntimeAuth,
  env: Readonly<Record<string, string | undefined>>,
  credential: CosmosResolverOptions['credential'],
): NonNullable<RegisterDeps['webhooks']> {
  const dev = env[CHANGE_DELIVERY_SETTING] === 'inline';
  const feed = webhookFeedOf(env);
  const service = caller.registry?.membership && !dev ? hostQueueService(env) : undefined;
  if (!service) return { allowLoopback: dev, ...feed };
  const clientId = env[`${HOST_STORAGE_CONNECTION}__clientId`]?.trim();
  return {
    ...feed,
    allowLoopback: false,
    queue: storageWebhookQueue(service, credential, clientId || undefined),
    trigger: { connection: HOST_STORAGE_CONNECTION },
  };
}

/**
 * The webhooks' change feed triggers: an entity's is registered when the app has its change feed connection — the
 * CrudApi's own `<PREFIX>_CHANGE_FEED` (its identity; resources/functions/change-feed-connection.ts), named beside its
 * `<PREFIX>_COSMOS_ENDPOINT` setting — which the plan gives a tenant-scoped CrudApi of a backend with webhooks, and
 * `atakora dev` points at its local server (its worker then emulates the trigger).
 */
function webhookFeedOf(
  env: Readonly<Record<string, string | undefined>>,
): Pick<NonNullable<RegisterDeps['webhooks']>, 'feed' | 'auditFeed'> {
  const suffix = 'COSMOS_ENDPOINT';
  // Tenant events from the audit container's feed, through the connection the setting names, when the app has it.
  const audit = env[WEBHOOK_AUDIT_FEED_SETTING]?.trim();
  return {
    ...(audit && env[`${audit}__accountEndpoint`]?.trim()
      ? { auditFeed: { connection: audit } }
      : {}),
    feed: {
      connectionOf: (entity) => {
        const endpoint = entity.settings.endpoint;
        if (!endpoint.endsWith(suffix)) return undefined;
        const connection = `${endpoint.slice(0, -suffix.length)}CHANGE_FEED`;
        return env[`${connection}__accountEndpoint`]?.trim() ? connection : undefined;
      },
    },
  };
}

/** The backend's own directory, from its app setting (a deploy-time value, so not in the manifest). */
function withHomeTenant(policy: RuntimeAuth, setting: string | undefined): RuntimeAuth {
  const home = setting?.trim();
  return home ? { ...policy, homeTenant: home } : policy;
}

/** A DR deployment reads from its own region first (the SDK matches 'westus2' and 'West US 2' alike). */
function withPreferredLocations(
  options: CosmosResolverOptions,
  setting: string | undefined,
): CosmosResolverOptions {
  const locations = (setting ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  if (locations.length === 0) return options;
  const clientOptions = options.clientOptions ?? {};
  return {
    ...options,
    clientOptions: {
      ...clientOptions,
      connectionPolicy: { ...clientOptions.connectionPolicy, preferredLocations: locations },
    },
  };
}

/**
 * The API's sign-in from its own app setting into the served OpenAPI document. Only documentation: a setting
 * that is not `{ tenantId, scope }` JSON is left out (the document then names no scheme), never a start-up failure.
 */
function withOpenApiSecurity(
  manifest: RuntimeManifest,
  setting: string | undefined,
): RuntimeManifest {
  if (!setting) return manifest;
  let value: unknown;
  try {
    value = JSON.parse(setting);
  } catch {
    return manifest;
  }
  const v = value as { tenantId?: unknown; scope?: unknown } | null;
  if (!v || typeof v.tenantId !== 'string' || typeof v.scope !== 'string') return manifest;
  return {
    ...manifest,
    openapi: { ...manifest.openapi, security: { tenantId: v.tenantId, scope: v.scope } },
  };
}
