import { cosmosRoomStore } from '../usage/room-store.js';
import type { Container, Database } from '@azure/cosmos';
import type { RuntimeManifest } from '../../model/runtime-manifest.js';
import { tenantSources } from '../caller/tenant-source.js';
import { contextEventLogger, type RuntimeEventLogger } from '../http/event-log.js';
import type { MembersApi } from '../members/members-api.js';
import { cosmosAuditStore } from '../audit/audit-store.js';
import { type AuditLog, retentionByPlan } from '../audit/record-audit.js';
import { membershipTenants } from '../members/membership-tenants.js';
import { keyTenants } from '../members/keys/key-tenants.js';
import { agentTenants } from '../members/agents/agent-tenants.js';
import type { AgentsApi } from '../members/agents/agents-api.js';
import { agentsApiOf } from './agents-api-wiring.js';
import { membersApiOf, type MembershipWiring } from '../members/membership-wiring.js';
import { seatQuantityWiring } from './seat-quantity-wiring.js';
import { cosmosRegistryAdmin, type RegistryAdminStore } from '../tenants/registry-admin-store.js';
import { runtimeServices, type RuntimeServices } from '../pipeline/services.js';
import { bindTenantRegistry, cosmosRegistryStore } from '../tenants/registry-binding.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import { bindUsageMeter } from '../usage/usage-binding.js';
import { UsageMeter } from '../usage/usage-meter.js';
import { cosmosUsageStore } from '../usage/usage-store.js';
import type { RegisterDeps } from './register-deps.js';
import { type AppWebhooks, appWebhooks } from '../webhooks/webhook-wiring.js';
import {
  customerRecords,
  type SubscriptionsApi,
  subscriptionsApiOf,
} from './subscriptions-wiring.js';

/**
 * The tenant registry's database (`auth.registry.database`: the registry, the usage ledger, the billing records):
 * the one the composition root hands over (`deps.registryDatabase`: start-runtime.ts makes it with the Cosmos
 * clients), else through the first entity's client — the identity the runtime reads that account with, which holds
 * a data role there (resources/cosmos/tenant-registry.ts grants every component readwrite); undefined without a
 * registry, or with neither.
 *
 * @example
 * ```ts
 * const database = registryDatabase(manifest, deps);
 * ```
 */
export function registryDatabase(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): Database | undefined {
  const reg = deps.caller?.registry ?? manifest.auth?.registry;
  if (!reg || reg.database === '') return undefined;
  if (deps.registryDatabase) return deps.registryDatabase;
  const first = manifest.entities[0];
  return first && deps.containerFor(first).database.client.database(reg.database);
}

/**
 * A container of the tenant registry's database ({@link registryDatabase}); undefined without one.
 *
 * @example
 * ```ts
 * const usage = registryContainer(manifest, deps, reg.usage);
 * ```
 */
export function registryContainer(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  name: string,
): Container | undefined {
  if (!deps.caller?.registry) return undefined;
  return registryDatabase(manifest, deps)?.container(name);
}

/**
 * The TenantAdmin API's store of the registry's records (the registry stage's identity), where a registry admits
 * callers: `deps.tenantRegistry.admin`, else the registry container through the first entity's client.
 */
function registryAdmin(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): RegistryAdminStore | undefined {
  const reg = deps.caller?.registry;
  if (!reg || reg.database === '') return undefined;
  if (deps.tenantRegistry?.admin) return deps.tenantRegistry.admin;
  const container = registryContainer(manifest, deps, reg.container);
  return container && cosmosRegistryAdmin(container, deps.cosmos);
}

/**
 * Tenants by membership: the audit log (the registry's `audit` container through the identity that reads the
 * registry, or `deps.audit.store`), each organization's retention its plan's, read through the registry cache.
 */
function auditOf(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  records: RegistryCache | undefined,
): AuditLog | undefined {
  const reg = deps.caller?.registry;
  const name = reg?.membership?.audit;
  if (!reg || name === undefined || reg.database === '') return undefined;
  const given = deps.audit ?? {};
  const container = given.store ? undefined : registryContainer(manifest, deps, name);
  const store = given.store ?? (container && cosmosAuditStore(container, deps.cosmos));
  if (!store) return undefined;
  return {
    ...given,
    store,
    retentionDays: retentionByPlan(reg, (t) => records?.get(t) ?? Promise.resolve(undefined)),
  };
}

/**
 * Tenants by membership (`registry.membership`): the members container beside the registry, through the first
 * entity's client (the identity that reads the registry holds a data role on it: resources/cosmos/tenant-registry.ts),
 * its cache bounded like the registry's; the realtime service closes a removed member's connections.
 */
function membersOf(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  admin: RegistryAdminStore | undefined,
  records: RegistryCache | undefined,
  audit: AuditLog | undefined,
  seats: Pick<MembershipWiring, 'rooms' | 'seatsChanged'> = {},
): MembersApi | undefined {
  const reg = deps.caller?.registry;
  if (!deps.caller || !reg?.membership || reg.database === '' || !admin) return undefined;
  const store = deps.members?.store;
  const container = store ? undefined : registryContainer(manifest, deps, reg.membership.container);
  const bounds = deps.tenantRegistry;
  // Invitation e-mail goes as the identity that reads the registry (the first entity's): it holds the sending role.
  const clientSetting = manifest.entities[0]?.settings.clientId;
  const clientId = clientSetting ? process.env[clientSetting]?.trim() : undefined;
  const emailSender = deps.members?.emailSender;
  return membersApiOf({
    ...(clientId ? { clientId } : {}),
    ...(emailSender ? { emailSender } : {}),
    policy: deps.caller,
    registry: reg,
    admin,
    ...(store ? { store } : {}),
    ...(container ? { container } : {}),
    ...(deps.members?.domains ? { domains: deps.members.domains } : {}),
    ...(deps.members?.resolveTxt ? { resolveTxt: deps.members.resolveTxt } : {}),
    ...(deps.members?.directories ? { directories: deps.members.directories } : {}),
    ...(deps.members?.joins ? { joins: deps.members.joins } : {}),
    ...(deps.members?.apiKeys ? { apiKeys: deps.members.apiKeys } : {}),
    ...(deps.cosmos ? { cosmos: deps.cosmos } : {}),
    cache: {
      ...(bounds?.maxAgeMs !== undefined ? { maxAgeMs: bounds.maxAgeMs } : {}),
      ...(bounds?.now ? { now: bounds.now } : {}),
    },
    ...(deps.realtime ? { realtime: deps.realtime.service } : {}),
    ...(records ? { records } : {}),
    ...(audit ? { audit } : {}),
    ...(seats.rooms ? { rooms: seats.rooms } : {}),
    ...(seats.seatsChanged ? { seatsChanged: seats.seatsChanged } : {}),
  });
}

/**
 * What the app is made of once, at start: its services (handed to every route it registers) and what the route
 * registration builds on — the registry cache, the TenantAdmin API's store, the members (tenants by membership) —
 * and what its background work uses: the registry's database (the billing timer's client) and the runtime's logger
 * for lines outside a request.
 */
export interface AppServices {
  readonly services: RuntimeServices;
  readonly registry?: RegistryCache;
  readonly admin?: RegistryAdminStore;
  readonly members?: MembersApi;
  /** The tenant registry's database, through the client the composition root made for it ({@link registryDatabase}). */
  readonly registryDatabase?: Database;
  /** Where the runtime's own lines go (a timer's run): `deps.eventLogger`, else through the invocation's context. */
  readonly log: RuntimeEventLogger;
  /** With subscriptions driving plans: Stripe, the registry and the audit log as billing's doors share them. */
  readonly subscriptions?: SubscriptionsApi;
  /** With tenants by membership: the organizations' outbound webhooks (runtime/webhooks/). */
  readonly webhooks?: AppWebhooks;
  /** With `mcp.authorization`: the authorization server's services (routes/agents-api-wiring.ts). */
  readonly agents?: AgentsApi;
  /** With per-seat prices: the billing timer's pass over the quantities Stripe could not be given (owed). */
  readonly settleSeats?: () => Promise<{ owed: number; settled: number }>;
}

/**
 * The app's services, made once here and handed to every route it registers: with `auth.allowedTenants:
 * 'registry'`, the registry cache every route's registry stage reads and the usage meter beside it (every request
 * counted, the plans' limits enforced), and the app's tenant source — the registry's directories, or with tenants by
 * membership the caller's organizations (members/membership-tenants.ts). Each is also bound in the process
 * (tenants/registry-binding.ts, usage/usage-binding.ts, caller/tenant-source.ts) for what is built apart from this
 * registration: the FunctionsApps' gate of the same app.
 *
 * @example
 * ```ts
 * const { services } = appServices(manifest, deps);
 * ```
 */
export function appServices(manifest: RuntimeManifest, deps: RegisterDeps): AppServices {
  const reg = deps.caller?.registry;
  let registry: RegistryCache | undefined;
  let meter: UsageMeter | undefined;
  if (reg && reg.database !== '') {
    const records = registryContainer(manifest, deps, reg.container);
    const store =
      deps.tenantRegistry?.store ?? (records && cosmosRegistryStore(records, deps.cosmos));
    if (store) registry = bindTenantRegistry(reg, store, deps.tenantRegistry ?? {});
    const usage = registryContainer(manifest, deps, reg.usage);
    const ledger =
      deps.usageLedger?.store ??
      (usage && reg.usage ? cosmosUsageStore(usage, deps.cosmos) : undefined);
    const rooms =
      deps.usageLedger?.rooms ?? (usage ? cosmosRoomStore(usage, deps.cosmos) : undefined);
    if (ledger) meter = bindUsageMeter(reg, new UsageMeter(ledger, { ...deps.usageLedger, rooms }));
  }
  const admin = registryAdmin(manifest, deps);
  const logged = auditOf(manifest, deps, registry);
  const webhooks = webhooksOf(manifest, deps, registry, logged);
  // The log every door records in: with webhooks, its tenant events also become deliveries.
  const audit = webhooks?.audit ?? logged;
  const rooms = meter?.rooms;
  const billed = subscriptionsOf(manifest, deps, admin, registry, audit);
  const seats = seatQuantityWiring(
    billed,
    rooms,
    admin,
    reg?.usage ? registryContainer(manifest, deps, reg.usage) : undefined,
  );
  const seatsChanged = seats?.seatsChanged;
  const made = membersOf(manifest, deps, admin, registry, audit, { rooms, seatsChanged });
  const subscriptions =
    billed && made
      ? {
          ...billed,
          ...(rooms ? { rooms } : {}),
          countMembers: (t: string) => made.countMembers?.(t) ?? Promise.resolve(1),
        }
      : billed;
  // An Owner's delete and undelete reach the organization's subscription (members/organization-owner-operations.ts).
  const members = made && subscriptions ? { ...made, billing: subscriptions } : made;
  const agents = agentsApiOf(
    manifest,
    deps,
    members,
    registry,
    reg?.membership && registryContainer(manifest, deps, reg.membership.container),
  );
  const tenants =
    reg?.membership && deps.caller?.required
      ? agentTenants(
          keyTenants(
            membershipTenants(reg, members, registry, meter),
            reg,
            members?.keys,
            registry,
            clockOf(members),
          ),
          agents,
        )
      : undefined;
  if (reg && tenants) tenantSources.bind(reg, tenants);
  const database = registryDatabase(manifest, deps);
  return {
    services: runtimeServices(deps.caller, {
      registry,
      meter,
      tenants,
      logger: deps.logger,
      audit,
      webhooks: webhooks?.sink,
    }),
    ...(database ? { registryDatabase: database } : {}),
    log: deps.eventLogger ?? contextEventLogger,
    ...(registry ? { registry } : {}),
    ...(admin ? { admin } : {}),
    ...(members ? { members } : {}),
    ...(subscriptions ? { subscriptions } : {}),
    ...(webhooks ? { webhooks } : {}),
    ...(agents ? { agents } : {}),
    ...(seats?.settleSeats ? { settleSeats: seats.settleSeats } : {}),
  };
}

/** Tenants by membership: the webhooks' endpoints and log in the `members` container (or `deps.webhooks.store`). */
function webhooksOf(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  records: RegistryCache | undefined,
  audit: AuditLog | undefined,
): AppWebhooks | undefined {
  const reg = deps.caller?.registry;
  if (!deps.caller?.required || !reg?.membership || reg.database === '') return undefined;
  const container = deps.webhooks?.store
    ? undefined
    : registryContainer(manifest, deps, reg.membership.container);
  return appWebhooks({
    registry: reg,
    entities: manifest.entities,
    container,
    cosmos: deps.cosmos,
    records,
    audit,
    auditContainer:
      reg.membership.audit === undefined
        ? undefined
        : { database: reg.database, container: reg.membership.audit },
    options: deps.webhooks,
  });
}

/**
 * With `tenants.billing.stripe.webhookSecret` on an organization registry: what the billing routes, the webhook, an
 * Owner's delete and undelete and the erase share (the key and signing secret read from the app settings on each
 * use, the SDK loaded on the first).
 */
function subscriptionsOf(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  admin: RegistryAdminStore | undefined,
  registry: RegistryCache | undefined,
  audit: AuditLog | undefined,
): SubscriptionsApi | undefined {
  const reg = deps.caller?.registry;
  const container = reg && registryDatabase(manifest, deps)?.container(reg.container);
  if (!reg?.billing?.subscriptions || !admin || !container) return undefined;
  return subscriptionsApiOf({
    registry: reg,
    admin,
    byCustomer: customerRecords(container),
    forget: (tenant) => registry?.forget(tenant),
    ...(deps.billing?.env ? { env: deps.billing.env } : {}),
    ...(deps.billing?.subscriptions ? { stripe: deps.billing.subscriptions } : {}),
    ...(audit ? { audit } : {}),
  });
}

/** The members' clock in ms (a test's), else the wall clock: what a key's expiry is read against. */
function clockOf(members: Pick<MembersApi, 'now'> | undefined): () => number {
  const now = members?.now;
  return now ? () => now().getTime() : Date.now;
}
