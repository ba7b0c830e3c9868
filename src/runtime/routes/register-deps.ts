import type { TokenCredential } from '@azure/core-auth';
import type { RuntimeDoor } from '../../model/door/runtime-door.js';
import type { WebhookOptions } from '../webhooks/webhook-wiring.js';
import type { EmailSender } from '../email/email-sender.js';
import type { MemberStore } from '../members/member-store.js';
import type { TxtResolver } from '../members/domains/domain-dns.js';
import type { DomainClaims } from '../members/domains/domain-claim-store.js';
import type { DomainStore } from '../members/domains/domain-store.js';
import type { JoinRequestStore } from '../members/joins/join-request-store.js';
import type { ApiKeyStore } from '../members/keys/api-key-store.js';
import type { AuditLog } from '../audit/record-audit.js';
import type { BillingDeps } from '../billing/billing-timer.js';
import type { MarketplaceClient } from '../marketplace/marketplace-port.js';
import type { QueryEmbedder } from '../embed/query-embedder.js';
import type { InProcessRoutes } from '../in-process/routes.js';
import type { ClientMetadataFetch } from '../mcp/oauth/client-metadata-fetch.js';
import type { OAuthRateLimits } from '../members/agents/oauth-limits.js';
import type { Container, Database } from '@azure/cosmos';
import type {
  HttpFunctionOptions,
  CosmosDBv4LatestVersionFunctionOptions,
  HttpMethod,
  StorageQueueFunctionOptions,
  TimerFunctionOptions,
} from '@azure/functions';
import type { RuntimeAuth, RuntimeEntity, RuntimeFileStore } from '../../model/runtime-manifest.js';
import type { RouteMethod } from '../../contract/routes.js';
import type { FileBlobs } from '../files/blobs.js';
import type { CosmosCallPolicy } from '../data/cosmos-policy.js';
import type { ChangeHandler } from '../events/change-dispatch.js';
import type { ItemMigration } from '../data/context.js';
import type { RuntimeEventLogger } from '../http/event-log.js';
import type { RuntimeLogger } from '../http/log.js';
import type { UsageMeterOptions } from '../usage/usage-meter.js';
import type { UsageStore } from '../usage/usage-store.js';
import type { RegistryAdminStore } from '../tenants/registry-admin-store.js';
import type { RegistryCacheOptions, RegistryStore } from '../tenants/registry-cache.js';
import type { Publisher } from '../realtime/publisher.js';
import type { RealtimeService } from '../realtime/service.js';
import type { ConnectionLedger } from '../realtime/connection-ledger.js';
import type { ServiceEventsAuth } from '../realtime/service-events-auth.js';
import type { CascadeJob, CascadeQueue } from '../relations/cascade-queue.js';
import type { CascadePolicy } from '../relations/cascade-delete.js';

/**
 * One Cosmos DB container the app depends on, reached through the client (and so the identity) that serves
 * it. `name` (`<endpoint host>/<database>/<container>`) goes to the logs only: the anonymous health response
 * labels containers `container-1`, `container-2`, … so it reveals no host, database or container names.
 *
 * A container, not its database: each component's identity holds its data role on its own container only, and
 * with a container-scoped role assignment `Microsoft.DocumentDB/databaseAccounts/readMetadata` allows reading
 * that container's metadata but not the database's, which Cosmos DB refuses with 403
 * (https://learn.microsoft.com/azure/cosmos-db/nosql/security/how-to-grant-data-plane-role-based-access).
 *
 * @example
 * ```ts
 * const target: HealthTarget = {
 *   name: 'cosmos-app.documents.azure.com/app/users',
 *   container: client.database('app').container('users'),
 * };
 * ```
 */
export interface HealthTarget {
  readonly name: string;
  readonly container: Container;
}

/** The function running background cascades from the app's queue. */
export const CASCADE_FUNCTION = 'atakora-cascades';

/**
 * The part of `@azure/functions`' `app` the runtime uses (so tests can capture registrations).
 *
 * @example
 * ```ts
 * const seen: string[] = [];
 * const fake: FunctionRegistrar = { http: (name) => { seen.push(name); } };
 * registerCrudRoutes(fake, manifest, { containerFor });
 * ```
 */
export interface FunctionRegistrar {
  http(name: string, options: HttpFunctionOptions): void;
  /** Needed only for `RegisterDeps.cascadeTrigger` (`@azure/functions`' `app` has it). */
  storageQueue?(name: string, options: StorageQueueFunctionOptions): void;
  /** Needed only for the billing timer (`tenants.billing`; `@azure/functions`' `app` has it). */
  timer?(name: string, options: TimerFunctionOptions): void;
  /** Needed only for `RegisterDeps.webhooks.feed` (`@azure/functions`' `app` has it). */
  cosmosDB?(name: string, options: CosmosDBv4LatestVersionFunctionOptions): void;
}

/**
 * Dependencies of {@link registerApp}: where each entity's container comes from, and optional
 * logging, health targets and auth level.
 *
 * @example
 * ```ts
 * const deps: RegisterDeps = {
 *   containerFor: (e) => client.database('app').container(e.entityName.toLowerCase()),
 *   authLevel: 'function',
 * };
 * ```
 */
export interface RegisterDeps {
  containerFor(entity: RuntimeEntity): Container;
  /**
   * Containers `GET api/health` reads; omitted → the entities' distinct containers, each through the client
   * `containerFor` gave it (so with the identity that holds its data role).
   */
  readonly healthTargets?: readonly HealthTarget[];
  readonly logger?: RuntimeLogger;
  /** Where the runtime's lines outside a request go (the billing timer's runs); omitted → the invocation's context. */
  readonly eventLogger?: RuntimeEventLogger;
  /**
   * With `caller.registry`: its database (`registry.database`: the registry, the usage ledger, billing) through the
   * client and identity that read it; omitted → through the first entity's client (`containerFor`). An app with
   * `tenants.billing` and neither is refused at start (RUNTIME_CONFIG_INVALID).
   */
  readonly registryDatabase?: Database;
  /**
   * Function-level auth of the CRUD routes. Default `'anonymous'`: the API is meant to sit behind the
   * platform's authentication (App Service auth / APIM), which function keys would only duplicate.
   */
  readonly authLevel?: 'anonymous' | 'function' | 'admin';
  /** Deadline of each Cosmos call (CRUD routes); defaults to `DEFAULT_COSMOS_POLICY`. */
  readonly cosmos?: CosmosCallPolicy;
  /** Who may call and where the tenant comes from (`callerPolicyOf(manifest)` in the deployed app). */
  readonly caller?: RuntimeAuth;
  /**
   * The paths App Service authentication lets through whose bearers the runtime checks itself (`ATAKORA_DOOR`,
   * caller/door.ts); omitted → App Service's principal is trusted on every path, as before.
   */
  readonly door?: RuntimeDoor;
  /**
   * With `caller.registry`: the registry cache's bounds (default ≤ 1,000 directories, each read ≤ 30 s old) and its
   * store; omitted store → the registry container through the first entity's client (its identity).
   */
  readonly tenantRegistry?: RegistryCacheOptions & {
    readonly store?: RegistryStore;
    /** The TenantAdmin API's store; omitted → the registry container, as for `store`. */
    readonly admin?: RegistryAdminStore;
  };
  /**
   * With `caller.registry`: the usage meter's instance id, clock and intervals, and its store; omitted store → the
   * registry's `usage` container through the first entity's client (runtime/usage/usage-meter.ts).
   */
  readonly usageLedger?: UsageMeterOptions & { readonly store?: UsageStore };
  /**
   * With tenants by membership: the members store (omitted → the registry's `members` container), with
   * `tenants.email` how invitation e-mail leaves (omitted → from the app settings: runtime/email/email-sender.ts),
   * and the organizations' domains.
   */
  readonly members?: {
    readonly store?: MemberStore;
    readonly emailSender?: EmailSender;
    /** The organizations' domains (omitted → the `members` container's, beside the memberships). */
    readonly domains?: DomainStore;
    /** The TXT lookup of a domain's proof (omitted → node:dns; start-runtime passes `ATAKORA_DNS_SERVER`'s). */
    readonly resolveTxt?: TxtResolver;
    /** The linked directories' claims (omitted → the `members` container's), with directory sign-in. */
    readonly directories?: DomainClaims;
    /** The organizations' pending join requests (default: in the `members` container). */
    readonly joins?: JoinRequestStore;
    /** The organizations' API keys (default: in the `members` container). */
    readonly apiKeys?: ApiKeyStore;
  };
  /**
   * With tenants by membership: the audit log's store, clock and failure report (omitted → the registry's `audit`
   * container, the wall clock, an error line).
   */
  readonly audit?: Partial<Omit<AuditLog, 'retentionDays'>>;
  /**
   * Each FileStore's container and SAS signer (`createFileBlobsResolver`); required when the
   * manifest has FileStores.
   */
  readonly blobsFor?: (store: RuntimeFileStore) => FileBlobs;
  /** Change handlers by CrudApi id, called by the runtime after each write (`atakora dev`'s delivery). */
  readonly changeHandlers?: Readonly<Record<string, ChangeHandler>>;
  /** Migrations per CrudApi (component id), by the version each produces. */
  readonly migrations?: Readonly<Record<string, Readonly<Record<number, ItemMigration>>>>;
  /**
   * CrudApi ids whose changes a change feed trigger delivers (in Azure): every entity writing to one of their
   * containers stamps its writes with the operation (runtime/events/change-feed.ts), whichever CrudApi it is.
   */
  readonly changeFeed?: readonly string[];
  /**
   * Where realtime entities publish and negotiate mints tokens (required when the manifest has `realtime`):
   * the Web PubSub service, and optionally the publisher that queues the sends (tests pass one to await it).
   */
  readonly realtime?: {
    readonly service: RealtimeService;
    readonly publisher?: Publisher;
    /**
     * With a tenant registry: who may post the hub's connection events (service-events-auth.ts) and the service's
     * host (the abuse-protection answer); absent → no events route, and no connection is ever counted.
     */
    readonly events?: { readonly auth: ServiceEventsAuth; readonly serviceHost: string };
    /** Where live connections are kept; omitted → the registry's usage container through the first entity's client. */
    readonly ledger?: ConnectionLedger;
    /**
     * With a tenant registry: how often suspended tenants' sockets are swept (realtime/suspension-wiring.ts), and a
     * signal that stops the sweep (a host's or a test's graceful stop).
     */
    readonly suspension?: { readonly sweepEveryMs?: number; readonly signal?: AbortSignal };
  };
  /**
   * The app's queue for cascades that outlast one request (relations/cascade-queue.ts); omitted → an in-process
   * queue. A queue with `attach` gets the job runner; the Storage queue of Azure is consumed by the trigger
   * `cascadeTrigger` registers instead.
   */
  readonly cascadeQueue?: CascadeQueue & { attach?(run: (job: CascadeJob) => Promise<void>): void };
  /** The budgets of a parent's delete (relations/cascade-delete.ts); omitted → the defaults. */
  readonly cascadePolicy?: Partial<CascadePolicy>;
  /**
   * With tenants by membership: the outbound webhooks' store, queue, clock and URL policy (runtime/webhooks/
   * webhook-wiring.ts; `allowLoopback` under `atakora dev`), and `trigger`: register the queue trigger that runs
   * deliveries from the host storage's `atakora-webhooks` queue (Azure).
   */
  readonly webhooks?: WebhookOptions & { readonly trigger?: { readonly connection: string } };
  /** Register the queue trigger running background cascades, on this connection's queue service (Azure). */
  readonly cascadeTrigger?: { readonly connection: string };
  /** With `tenants.billing`: the billing timer's settings (the key's), sender and clock (runtime/billing). */
  readonly billing?: BillingDeps;
  /**
   * With `tenants.billing.marketplace`: the app settings the fulfillment app's secret and `ATAKORA_MARKETPLACE_API` are
   * read from (default `process.env`), a test's own Marketplace, and a clock (runtime/marketplace).
   */
  readonly marketplace?: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly client?: MarketplaceClient;
    readonly now?: () => Date;
  };
  /**
   * The runtime's in-process entry (runtime/in-process/routes.ts), filled with each CrudApi's registered handlers:
   * what `dataOf(request)` and the MCP server call. Omitted → one of its own when the manifest has `mcp`.
   */
  readonly inProcess?: InProcessRoutes;
  /**
   * With `mcp.authorization`: how agents' Client ID Metadata Documents are fetched (default: public addresses only,
   * or loopback too under `atakora dev`), the settings the signing key is read from (default `process.env`), and the
   * authorization server's clock (default: the members' clock), and its rate limits (default
   * `OAUTH_RATE_LIMITS`, members/agents/oauth-limits.ts).
   */
  readonly agents?: {
    readonly clients?: ClientMetadataFetch;
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly now?: () => number;
    readonly limits?: OAuthRateLimits;
    /** The credential Key Vault's signing key is used with (tests: the stand-in's); absent → the managed identity. */
    readonly vaultCredential?: TokenCredential;
  };
  /**
   * The query embedder of a CrudApi that declares `search.vector.embed` (runtime/embed/query-embedder.ts): what
   * turns a vector or hybrid search's text into its vector. None (or undefined for the entity) → such a search
   * must send `vector`.
   */
  readonly queryEmbedderFor?: (entity: RuntimeEntity) => QueryEmbedder | undefined;
}

/**
 * One registered function, as the host sees it (route without the `api/` prefix). Returned so a host can log
 * or test what it serves.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * for (const r of registerCrudRoutes(app, manifest, { containerFor }))
 *   console.log(r.name, r.route, r.methods.join(','));
 * // UserApi-collection users GET,POST,PUT,PATCH,DELETE
 * ```
 */
export interface RegisteredRoute {
  readonly name: string;
  readonly route: string;
  readonly methods: readonly RouteMethod[];
}

/**
 * How a route registration adds one function to the host: its name, route and handler — on every method by
 * default, so that a method the route does not serve answers 405 rather than the host's 404; `methods` names the
 * host's methods and those listed among the registered routes when a route takes others (the realtime events'
 * `OPTIONS` handshake).
 *
 * @example
 * ```ts
 * add('NoteApi-item', 'notes/{id}', handlers.item);
 * ```
 */
export type AddRoute = (
  name: string,
  route: string,
  handler: HttpFunctionOptions['handler'],
  methods?: { readonly host: readonly HttpMethod[]; readonly listed: readonly RouteMethod[] },
) => void;
