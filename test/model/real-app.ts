/**
 * The real side of the model-based test: a generated backend declared through the public API (`CrudApi.define`,
 * `defineBackend`), planned, turned into the runtime manifest apply writes (`runtimeManifestOf`), and served by the
 * runtime's own route registration over containers of the local Cosmos DB server, with the real `@azure/cosmos`
 * client. Requests go to the registered handlers as the Functions host would call them.
 */
import { cosmosDomainClaims } from '../../src/runtime/members/domains/domain-claim-store.js';
import type { Container } from '@azure/cosmos';
import type {
  HttpFunctionOptions,
  HttpHandler,
  TimerFunctionOptions,
  TimerHandler,
} from '@azure/functions';
import type { RuntimeEventEntry } from '../../src/runtime/http/event-log.js';
import { AUDIT_CONTAINER } from '../../src/contract/audit.js';
import type { Backend } from '../../src/backend/backend.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import type { RegistryCacheOptions } from '../../src/runtime/tenants/registry-cache.js';
import { cosmosApiKeyStore } from '../../src/runtime/members/keys/api-key-store.js';
import { cosmosRegistryStore } from '../../src/runtime/tenants/registry-binding.js';
import { cosmosRegistryAdmin } from '../../src/runtime/tenants/registry-admin-store.js';
import { cosmosMemberStore } from '../../src/runtime/members/member-store.js';
import { cosmosDomainStore } from '../../src/runtime/members/domains/domain-store.js';
import { cosmosJoinRequestStore } from '../../src/runtime/members/joins/join-request-store.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import type { CrudApiConfig } from '../../src/components/crud/config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import type { RuntimeAuth, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { runtimeManifestOf } from '../../src/resources/functions/runtime-manifest.js';
import { mergedConfigOf } from '../../src/resources/types.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import type { ChangeHandler } from '../../src/runtime/events/change-dispatch.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { InProcessRoutes } from '../../src/runtime/in-process/routes.js';
import { Publisher } from '../../src/runtime/realtime/publisher.js';
import { webPubSubService } from '../../src/runtime/realtime/service.js';
import { cosmosConnectionLedger } from '../../src/runtime/realtime/connection-ledger.js';
import type { RealtimeHub } from '../../src/cli/dev/realtime/hub.js';
import { listen, type Listener } from '../realtime/support/realtime-app.js';
import { principalHeader } from '../runtime/support/built-app.js';
import { invoke, type Reply } from '../runtime/support/http.js';
import type { LocalCosmos } from '../runtime/support/local-cosmos.js';
import type { ItemMigration } from '../../src/runtime/data/context.js';
import {
  CUSTOMER,
  DEFAULTED,
  DROPPED,
  HOME,
  MAX_ORGANIZATIONS,
  type ModelBackend,
  type ModelEntity,
  OPERATIONS,
  PRINCIPALS,
  type Principal,
  SEARCHED,
} from './backend.js';
import type { ModelEvent } from './delivery.js';

/** The `CrudApi.define` config of a generated entity. */
export function crudConfigOf(b: ModelBackend, e: ModelEntity): CrudApiConfig {
  const schema: Record<string, unknown> = { id: 'string' };
  for (const f of e.fields) schema[f] = 'string';
  if (e.key === 'region') schema.region = { type: 'string', required: true };
  // An enum: every create the model makes stores the default, which the runtime checks against the list.
  schema[DEFAULTED.field] = {
    type: 'string',
    enum: [DEFAULTED.value, 'closed'],
    default: DEFAULTED.value,
  };
  // The vector field search ranks by: declared, never written by the model (no embed), so a vector search finds none.
  schema[SEARCHED.vector] = 'array';
  const relations: Record<string, unknown> = {};
  for (const r of e.relations) {
    const target = b.entities[r.target]!.componentId;
    relations[r.name] =
      r.kind === 'belongsTo'
        ? { belongsTo: target, field: r.field }
        : { hasMany: target, field: r.field, ...(r.onDelete ? { onDelete: r.onDelete } : {}) };
  }
  return {
    entityName: e.entityName,
    route: e.route,
    partitionKey: `/${e.key}`,
    schema,
    operations: [...OPERATIONS],
    // Sorted children pages (`$orderby=id`) go through the composite index the plan derives for each parent field.
    sortable: ['id'],
    ...(e.versioned ? { schemaVersion: 2, migrations: { 2: './migrations/drop-ssn.ts' } } : {}),
    ...(e.shared ? { tenancy: 'shared' as const } : {}),
    ...(e.access ? { access: e.access } : {}),
    ...(e.relations.length ? { relations } : {}),
    ...(b.realtime ? { realtime: true } : {}),
    // Full-text search over `name` and a vector field: `POST api/<route>/search` and `$apply` (search-reference.ts).
    search: {
      text: [SEARCHED.text],
      vector: {
        path: SEARCHED.vector,
        dimensions: SEARCHED.dimensions,
        distance: 'cosine',
        index: 'flat',
      },
    },
    // Every tool on the MCP server: the model's MCP door calls each operation (doors.ts).
    mcp: 'readwrite',
  } as unknown as CrudApiConfig;
}

/** Version 2's migration of every versioned entity: `ssn` is no longer kept, nor ever served. */
export const dropSsn: ItemMigration = (item) => {
  const { [DROPPED]: _dropped, ...rest } = item;
  return rest;
};

/**
 * `tenants.apiKeys` of the membership backends: two keys an organization, four days' life at most (the Owners'
 * runs move their clock up to six days: keys expire in them).
 */
export const API_KEYS = { perOrganization: 2, maxDays: 4 } as const;

/** The backend declared as a user would (with a registry: `allowedTenants: 'registry'` and its `tenants`). */
export function definitionOf(b: ModelBackend): Backend {
  const components = Object.fromEntries(
    b.entities.map((e) => [e.componentId, CrudApi.define(e.componentId, crudConfigOf(b, e))]),
  );
  if (b.membership)
    return defineBackend(components, {
      // Work accounts of every directory: an organization's Owner may link theirs (directory sign-in).
      auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' },
      tenants: {
        by: 'membership',
        createTenants: 'any-user',
        maxOrganizationsPerUser: MAX_ORGANIZATIONS,
        plans: { free: {}, pro: {} },
        defaultPlan: 'free',
        ...(b.invitationsPerDay !== undefined
          ? { email: { invitationsPerDay: b.invitationsPerDay } }
          : {}),
        ...(b.deleteAfterDays !== undefined ? { deleteAfterDays: b.deleteAfterDays } : {}),
        // Organization API keys (key-commands.ts): few and short-lived, so a run meets the bound and the expiry.
        apiKeys: API_KEYS,
      },
    });
  return defineBackend(components, {
    auth: b.registry
      ? { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' }
      : b.multi
        ? { signInAudience: 'AzureADMultipleOrgs', allowedTenants: [HOME, CUSTOMER] }
        : { clientId: '11111111-2222-4333-8444-555555555555' },
    ...(b.registry ? { tenants: b.registry } : {}),
    mcp: { writes: true },
  });
}

/** The backend declared and planned as a user would. */
export function planOf(b: ModelBackend): ResourcePlan {
  return definitionOf(b).plan();
}

/** The caller policy apply writes for the backend (plus the home directory, a deploy-time app setting). */
export function authOf(b: ModelBackend): RuntimeAuth {
  return {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    ...(b.registry || b.membership
      ? { ...admissionPolicy(definitionOf(b).config), homeTenant: HOME }
      : b.multi
        ? { allowedTenants: [HOME, CUSTOMER], homeTenant: HOME }
        : {}),
  };
}

/** The manifest of the plan's Function App (the one running the CRUD runtime). */
export function manifestOf(b: ModelBackend, plan: ResourcePlan): RuntimeManifest {
  const app = plan.resources.find(
    (r) => r.type === 'functions' && mergedConfigOf('functions', r).crudRuntime,
  );
  if (!app) throw new Error('the plan has no Function App running the CRUD runtime');
  return runtimeManifestOf(mergedConfigOf('functions', app), {
    backendId: plan.backendId,
    environment: plan.environment,
    auth: authOf(b),
    identities: false,
    mcp: { writes: true },
  });
}

/**
 * The principal header App Service authentication would inject for `p` (with `email`, the verified email
 * `<oid>@example.com`: Entra's `email` and `xms_edov`; its directory roles, one `wids` claim each).
 */
export function headerOf(p: Principal, email = false): Record<string, string> {
  return principalHeader([
    ['tid', p.tid],
    ['oid', p.oid],
    ...p.roles.map((r) => ['roles', r] as const),
    ...(p.wids ?? []).map((w) => ['wids', w] as const),
    ...(email
      ? ([
          ['email', `${p.oid}@example.com`],
          ['xms_edov', 'true'],
        ] as const)
      : []),
  ]);
}

/** A served backend: its handlers by function name and its containers by entity index. */
export interface RealApp {
  readonly manifest: RuntimeManifest;
  readonly containers: readonly Container[];
  /** The run's database. */
  readonly database: string;
  /** With a tenant registry: its container (in the run's database). */
  readonly registry?: Container;
  /** The runtime's in-process entry (what `dataOf` and the MCP server call through). */
  readonly inProcess: InProcessRoutes;
  /** The caller policy the routes are served under (what a function's gate of this app is given too). */
  readonly policy: RuntimeAuth;
  /** With tenants by membership: the members container (in the run's database). */
  readonly members?: Container;
  /** With a tenant registry: the usage ledger beside it. */
  readonly usage?: Container;
  /** Write an item straight into entity `entity`'s container, as the code's previous version stored it. */
  insertStored(entity: number, item: Readonly<Record<string, unknown>>): Promise<void>;
  call(
    name: string,
    method: string,
    path: string,
    who: Principal,
    opts?: {
      body?: unknown;
      query?: Record<string, string>;
      params?: Record<string, string>;
      /** More request headers (the organization a membership request names). */
      headers?: Record<string, string>;
    },
  ): Promise<Reply>;
  /**
   * The realtime events each principal's connection received so far (`at` aside), by principal name; a principal
   * whose negotiate was refused has none. Empty without a hub.
   */
  events(): Promise<Map<string, ModelEvent[]>>;
  /** The principals whose negotiate succeeded and who connected before the first request. */
  connected(): Set<string>;
  /** The principals whose socket the server closed since (those never connected are not in it). */
  closedSockets(): Set<string>;
  /**
   * Run the timer function `name` the app registered, as the host would on its schedule; the line its run logged
   * (`operation`, `outcome`, …).
   */
  runTimer(name: string): Promise<RuntimeEventEntry | undefined>;
  /** Close the connections and drop the run's database. */
  dispose(): Promise<void>;
}

let runs = 0;

/**
 * Serve `manifest` over fresh containers (one database per run) of the shared local server. `manifest` is the
 * plan's, or — for the regression cases that show what the runtime does when the plan is bypassed — one written
 * by hand.
 */
export async function serve(
  cosmos: LocalCosmos,
  b: ModelBackend,
  manifest: RuntimeManifest,
  options: {
    changeHandlers?: Readonly<Record<string, ChangeHandler>>;
    /** The loopback hub realtime entities publish to; every principal connects before the first request. */
    hub?: RealtimeHub;
    /** With a tenant registry (in the run's database, read as the runtime reads it): the cache's clock and bound. */
    registryCache?: RegistryCacheOptions;
    /** Registry records written before anyone negotiates (the run's starting registry). */
    registryRecords?: readonly { id: string; plan: string; status: 'active' | 'suspended' }[];
    /** How often the runtime sweeps for suspended tenants' sockets (default: as the runtime decides). */
    suspensionSweepMs?: number;
  } = {},
): Promise<RealApp> {
  const db = `model-${process.pid}-${++runs}`;
  const containers: Container[] = [];
  // One at a time: the first creates the database, which parallel creates would race for.
  // With the composite indexes of the entity's sorts (its children routes' parent-led ones too), as dev makes them.
  for (const e of b.entities)
    containers.push(
      await cosmos.container(
        e.route,
        `/${e.key}`,
        db,
        manifest.entities.find((m) => m.componentId === e.componentId),
      ),
    );
  const byId = new Map(b.entities.map((e, i) => [e.componentId, containers[i]!]));
  // The registry's container in the run's database (the manifest names the deployed one, `atakora/tenants`).
  const keeps = b.registry !== undefined || b.membership === true;
  const registry = keeps ? await cosmos.container('tenants', '/id', db) : undefined;
  // The usage ledger beside it, as the plan puts it beside the deployed registry.
  const usage = keeps ? await cosmos.container('usage', '/tenant', db) : undefined;
  // Tenants by membership: the members container beside them.
  const members = b.membership ? await cosmos.container('members', '/tenant', db) : undefined;
  // And its audit log: what the runtime finds by the registry's names (an erase, a timer) is the run's too.
  if (members) await cosmos.container(AUDIT_CONTAINER, '/tenant', db);
  const at = new Date(0).toISOString();
  for (const r of options.registryRecords ?? [])
    await registry?.items.upsert({ ...r, createdOn: at, updatedOn: at });
  // The suspension sweep stops with the run.
  const stop = new AbortController();
  const handlers = new Map<string, HttpHandler>();
  const timers = new Map<string, TimerHandler>();
  const lines: RuntimeEventEntry[] = [];
  const service =
    options.hub && manifest.realtime
      ? webPubSubService({
          endpoint: options.hub.endpoint,
          hub: manifest.realtime.hub,
          credential: { key: options.hub.key },
        })
      : undefined;
  const publisher = service ? new Publisher(service) : undefined;
  const inProcess = new InProcessRoutes();
  // The home directory is a deploy-time app setting startRuntime adds to the manifest's policy.
  const base = callerPolicyOf(manifest);
  const policy: RuntimeAuth = {
    ...base,
    ...(b.multi ? { homeTenant: HOME } : {}),
    // With memberships, the registry's database is the run's: the containers the runtime opens by the registry's
    // names (the daily erase's members and records, the audit log) are the ones the stores given here read.
    ...(members && base.registry ? { registry: { ...base.registry, database: db } } : {}),
  };
  registerCrudRoutes(
    {
      http: (name: string, o: HttpFunctionOptions) => void handlers.set(name, o.handler),
      timer: (name: string, o: TimerFunctionOptions) => void timers.set(name, o.handler),
    },
    manifest,
    {
      containerFor: (e) => byId.get(e.componentId)!,
      caller: policy,
      eventLogger: (entry) => void lines.push(entry),
      cosmos: { timeoutMs: 10_000, retryAfterSeconds: 1 },
      migrations: Object.fromEntries(
        b.entities.filter((e) => e.versioned).map((e) => [e.componentId, { 2: dropSsn }]),
      ),
      ...(options.changeHandlers ? { changeHandlers: options.changeHandlers } : {}),
      ...(registry
        ? {
            tenantRegistry: {
              ...options.registryCache,
              store: cosmosRegistryStore(registry),
              admin: cosmosRegistryAdmin(registry),
            },
          }
        : {}),
      // Invitation e-mail goes nowhere here: what the model checks is the delivery recorded and the daily bound.
      ...(members
        ? {
            members: {
              store: cosmosMemberStore(members),
              emailSender: { send: async () => {} },
              directories: cosmosDomainClaims(members, undefined, 'directory'),
              // Verified domains and joins by domain beside the memberships (join-commands.ts).
              domains: cosmosDomainStore(members),
              joins: cosmosJoinRequestStore(members),
              // Organization API keys beside them (key-commands.ts).
              apiKeys: cosmosApiKeyStore(members),
            },
          }
        : {}),
      ...(usage ? { usageLedger: { store: cosmosUsageStore(usage), flushIntervalMs: 0 } } : {}),
      ...(service && publisher
        ? {
            realtime: {
              service,
              publisher,
              // Live connections in the run's usage container (the manifest names the deployed one).
              ...(usage ? { ledger: cosmosConnectionLedger(usage) } : {}),
              suspension: {
                signal: stop.signal,
                ...(options.suspensionSweepMs === undefined
                  ? {}
                  : { sweepEveryMs: options.suspensionSweepMs }),
              },
            },
          }
        : {}),
      inProcess,
    },
  );
  // Every principal negotiates and connects as a page would; one refused (no realtime entity it may read, a
  // directory not admitted) listens to nothing.
  const listeners = new Map<string, Listener>();
  const negotiate = handlers.get('realtime-negotiate');
  if (publisher && negotiate)
    for (const p of PRINCIPALS) {
      const n = await invoke(negotiate, 'POST', 'realtime/negotiate', { headers: headerOf(p) });
      if (n.status === 200) listeners.set(p.name, await listen(n.body.url as string));
    }
  return {
    manifest,
    containers,
    database: db,
    inProcess,
    policy,
    ...(registry ? { registry } : {}),
    ...(members ? { members } : {}),
    ...(usage ? { usage } : {}),
    async insertStored(entity, item) {
      await containers[entity]!.items.create({ ...item });
    },
    call(name, method, path, who, opts = {}) {
      const h = handlers.get(name);
      if (!h) throw new Error(`no function ${name}`);
      // A request presenting a bearer (an organization's API key) carries no principal: App Service vouches for no
      // one whose token it did not issue.
      const person = opts.headers?.authorization === undefined;
      return invoke(h, method, path, {
        headers: { ...(person ? headerOf(who, b.membership === true) : {}), ...opts.headers },
        ...(opts.body !== undefined ? { body: opts.body } : {}),
        ...(opts.query ? { query: opts.query } : {}),
        ...(opts.params ? { params: opts.params } : {}),
      });
    },
    async runTimer(name) {
      const t = timers.get(name);
      if (!t) throw new Error(`no timer ${name}`);
      const before = lines.length;
      await (t as (timer: unknown, context: unknown) => Promise<void>)({}, {});
      return lines.slice(before).at(-1);
    },
    async events() {
      // Everything published has been sent, and everything the hub sent each socket has arrived.
      await publisher?.idle();
      for (const l of listeners.values()) await l.barrier();
      const out = new Map<string, ModelEvent[]>();
      for (const [name, l] of listeners)
        out.set(
          name,
          l.events.map(({ data }) => {
            const { at: _at, ...event } = data;
            return event as unknown as ModelEvent;
          }),
        );
      return out;
    },
    connected() {
      return new Set(listeners.keys());
    },
    closedSockets() {
      return new Set(
        [...listeners]
          .filter(([, l]) => l.socket.readyState === l.socket.CLOSED)
          .map(([name]) => name),
      );
    },
    async dispose() {
      stop.abort();
      for (const l of listeners.values()) l.close();
      await cosmos.client
        .database(db)
        .delete()
        .catch(() => undefined);
    },
  };
}
