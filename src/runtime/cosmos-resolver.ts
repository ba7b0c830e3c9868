import {
  type Container,
  CosmosClient,
  type CosmosClientOptions,
  type Database,
} from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { AtakoraError } from '../model/errors.js';
import { httpsSetting, requiredSetting } from './settings/app-settings.js';
import type { RuntimeEntity, RuntimeManifest } from '../model/runtime-manifest.js';
import { type CosmosCallPolicy, DEFAULT_COSMOS_POLICY } from './data/cosmos-policy.js';
import type { HealthTarget } from './health.js';

/**
 * Containers per entity and the distinct containers the health check reads, each through its owning
 * component's client (identity): what {@link registerCrudRoutes} needs, resolved once at startup.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const cosmos = createCosmosResolver(manifest, process.env);
 * registerCrudRoutes(app, manifest, {
 *   containerFor: (e) => cosmos.containerFor(e),
 *   healthTargets: cosmos.healthTargets,
 * });
 * ```
 */
export interface CosmosResolver {
  containerFor(entity: RuntimeEntity): Container;
  /** One per distinct `<endpoint host>/<database>/<container>`, read with the identity that holds its data role. */
  readonly healthTargets: readonly HealthTarget[];
  /**
   * A database of the app's Cosmos DB account through the first entity's client (its endpoint and identity): the
   * tenant registry's (`auth.registry.database`), on which resources/cosmos/tenant-registry.ts grants every
   * component a data role; undefined in an app without an entity (no account setting to reach it by).
   */
  databaseOf(name: string): Database | undefined;
}

/**
 * Options of {@link createCosmosResolver}. Keys are never an option: the app authenticates with its identity.
 *
 * @example
 * ```ts
 * import { ManagedIdentityCredential } from '@azure/identity';
 * const cosmos = createCosmosResolver(manifest, process.env, {
 *   credential: new ManagedIdentityCredential(), clientOptions: { userAgentSuffix: 'orders-api' },
 * });
 * ```
 */
export interface CosmosResolverOptions {
  /** Defaults to one `new DefaultAzureCredential()` shared by every client (managed identity in Azure). */
  readonly credential?: TokenCredential;
  /** Extra client options (e.g. `userAgentSuffix`); `endpoint` and `aadCredentials` are always set here. */
  readonly clientOptions?: Omit<
    CosmosClientOptions,
    'endpoint' | 'key' | 'aadCredentials' | 'tokenProvider'
  >;
  /**
   * Bounds the SDK's own per-request timeout and retries to the call deadline; default
   * {@link DEFAULT_COSMOS_POLICY}.
   */
  readonly cosmos?: CosmosCallPolicy;
}

/**
 * The SDK's defaults wait 60 s per network request and retry throttling for up to 30 s (and a timed-out
 * read again and again); the runtime's deadline cuts every call anyway, so the SDK is told the same budget
 * rather than holding sockets and retries open behind an answered request.
 */
function boundedConnectionPolicy(
  options: CosmosResolverOptions,
): CosmosClientOptions['connectionPolicy'] {
  const policy = options.cosmos ?? DEFAULT_COSMOS_POLICY;
  const given = options.clientOptions?.connectionPolicy ?? {};
  return {
    ...given,
    requestTimeout: Math.min(given.requestTimeout ?? policy.timeoutMs, policy.timeoutMs),
    retryOptions: {
      // Throttling is retried by callCosmos, which waits Cosmos DB's hint only when it fits in the deadline
      // and otherwise passes the 429 and its hint on; the SDK would sleep a 60 s hint past any deadline.
      maxRetryAttemptCount: 0,
      fixedRetryIntervalInMilliseconds: 0,
      ...given.retryOptions,
      maxWaitTimeInSeconds: Math.max(1, Math.floor(policy.timeoutMs / 1000)),
    },
  };
}

/**
 * Resolve every entity's container from the app settings named in the manifest, with one `CosmosClient`
 * per distinct endpoint and identity-based auth only (no keys exist in the app). Resolution is eager so a
 * missing setting fails at startup.
 *
 * @throws AtakoraError `RUNTIME_CONFIG_INVALID` for a missing setting or a non-https endpoint.
 * @example
 * ```ts
 * const cosmos = createCosmosResolver(manifest, process.env);
 * const users = cosmos.containerFor(manifest.entities[0]!);
 * ```
 */
export function createCosmosResolver(
  manifest: RuntimeManifest,
  env: Readonly<Record<string, string | undefined>>,
  options: CosmosResolverOptions = {},
): CosmosResolver {
  const shared = options.credential ?? new DefaultAzureCredential();
  // Each component reaches its container as its own user-assigned identity (the one holding its data role).
  const identities = new Map<string, TokenCredential>();
  const credentialFor = (entity: RuntimeEntity): { key: string; credential: TokenCredential } => {
    const clientId = entity.settings.clientId ? env[entity.settings.clientId]?.trim() : undefined;
    if (!clientId || options.credential) return { key: '', credential: shared };
    let credential = identities.get(clientId);
    if (!credential)
      identities.set(clientId, (credential = new ManagedIdentityCredential({ clientId })));
    return { key: clientId, credential };
  };
  const clients = new Map<string, CosmosClient>();
  const containers = new Map<RuntimeEntity, Container>();
  const ownDatabases = new Map<string, Database>();
  const healthTargets = new Map<string, HealthTarget>();
  let firstClient: CosmosClient | undefined;

  for (const entity of manifest.entities) {
    const url = httpsSetting(env, entity.settings.endpoint, entity, 'Cosmos endpoint');
    const dbName = requiredSetting(env, entity.settings.database, entity, 'database name');
    const containerName = requiredSetting(env, entity.settings.container, entity, 'container name');
    // Keyed by origin so that "https://a:443/" and "https://a" share one client (and one connection
    // pool), per identity.
    const { key: identityKey, credential } = credentialFor(entity);
    let client = clients.get(`${url.origin}|${identityKey}`);
    if (!client) {
      client = new CosmosClient({
        ...options.clientOptions,
        connectionPolicy: boundedConnectionPolicy(options),
        endpoint: url.origin,
        aadCredentials: credential,
      });
      clients.set(`${url.origin}|${identityKey}`, client);
    }
    firstClient ??= client;
    // The entity's own client (its identity): the role it holds covers its container and nothing else.
    const ownKey = `${url.origin}|${identityKey}/${dbName}`;
    let own = ownDatabases.get(ownKey);
    if (!own) ownDatabases.set(ownKey, (own = client.database(dbName)));
    const container = own.container(containerName);
    containers.set(entity, container);
    // Health reads the container, not the database: a container-scoped role assignment's readMetadata does
    // not cover the database (403). Two components sharing a container both hold a role on it; the first one's
    // client checks it.
    const name = `${url.host}/${dbName}/${containerName}`;
    if (!healthTargets.has(name)) healthTargets.set(name, { name, container });
  }

  return {
    containerFor(entity: RuntimeEntity): Container {
      const container = containers.get(entity);
      if (!container)
        throw new AtakoraError(
          'RUNTIME_CONFIG_INVALID',
          `No container resolved for ${entity.componentId}.`,
        );
      return container;
    },
    healthTargets: [...healthTargets.values()],
    databaseOf: (name) => firstClient?.database(name),
  };
}
