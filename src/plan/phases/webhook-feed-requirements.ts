import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { resourceRef } from '../../kit/pure/resources/resource-ref.js';
import { settingName } from '../../kit/pure/names/terraform-names.js';
import { AUDIT_LOG } from '../../kit/pure/tenant-registry.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { WEBHOOK_AUDIT_FEED_SETTING } from '../../contract/integrations/webhooks.js';

/**
 * A CrudApi's change feed connection settings, before its prefix, and its lease container's name: the names
 * resources/functions/change-feed-connection.ts gives an `onChange` trigger (the planner reaches no resource module:
 * test/plan/webhook-feed-plan.test.ts and the runtime's start test hold them equal).
 */
const CHANGE_FEED_CONNECTION = 'CHANGE_FEED';
const CHANGE_FEED_ENDPOINT = `${CHANGE_FEED_CONNECTION}__accountEndpoint`;
const CHANGE_FEED_CREDENTIAL = `${CHANGE_FEED_CONNECTION}__credential`;
const leaseContainerOf = (container: string) => `${container}-leases`;

/** The part of a CrudApi's Cosmos DB requirement read here (resources/cosmos/requirement.ts). */
interface CosmosRequirementConfig {
  readonly access?: 'read' | 'readwrite';
  readonly databases?: readonly {
    readonly name: string;
    readonly containers?: readonly { readonly name: string }[];
  }[];
}

/** One tenant-scoped CrudApi whose changes become its organizations' webhook events. */
interface Fed {
  readonly functions: SourcedRequirement;
  readonly cosmos: SourcedRequirement;
  readonly database: string;
  readonly container: string;
  /** Its `onChange` has planned the connection and the lease container already. */
  readonly onChange: boolean;
}

/**
 * What outbound webhooks ask of the plan (DESIGN §2, "Integrations": entity events "delivered from the change
 * feed"): with tenants by membership and a plan that includes `webhooks`, each tenant-scoped CrudApi's container is
 * read by one more Cosmos DB trigger of the CRUD app (the runtime registers it: runtime/routes/webhook-trigger.ts),
 * so a write that does not pass through the runtime — a handler's own client, a migration, an import — reaches the
 * organization's endpoints too. Per CrudApi: its change feed connection (`<PREFIX>_CHANGE_FEED__accountEndpoint`,
 * `__credential`; apply sets `__clientId`, its own identity) and the lease container `<container>-leases` (its role
 * Contributor) — both already there when the CrudApi has `onChange`, whose trigger shares the lease container under
 * another lease prefix — and one more function. Then the tenant events' feed: {@link auditFeedRequirements}.
 * Nothing without webhooks.
 *
 * @example
 * ```ts
 * webhookFeedRequirements(config, collected); // [] unless a plan includes 'webhooks'
 * ```
 */
export function webhookFeedRequirements(
  config: NormalizedConfig,
  collected: readonly SourcedRequirement[],
): SourcedRequirement[] {
  const fed = fedCrudApis(config, collected);
  if (fed.length === 0) return [];
  return [...fed.flatMap(entityFeedRequirements), ...auditFeedRequirements(fed)];
}

/** One tenant-scoped CrudApi's entity feed: its connection (unless its onChange has it), lease container, function. */
function entityFeedRequirements(f: Fed): SourcedRequirement[] {
  const own = f.functions.requirement.config as { runtime?: string; version?: string };
  // The CrudApi's own runtime and version, so it joins the CRUD app (the same compatibility key).
  const functions = {
    runtime: own.runtime ?? 'node',
    ...(own.version ? { version: own.version } : {}),
    crudRuntime: true,
    functionCount: 1,
    ...(f.onChange
      ? {}
      : {
          environmentVariables: {
            [CHANGE_FEED_ENDPOINT]: resourceRef('cosmos', 'endpoint'),
            [CHANGE_FEED_CREDENTIAL]: 'managedidentity',
          },
        }),
  };
  // The CrudApi's own account settings (consistency, capacity mode, location, network rules: its compatibility
  // key), so the lease container lands on the account of the container it serves.
  const cosmos = {
    ...f.cosmos.requirement.config,
    databases: [
      {
        name: f.database,
        containers: [
          {
            name: leaseContainerOf(f.container),
            partitionKey: '/id',
            access: 'readwrite' as const,
            lease: true,
          },
        ],
      },
    ],
  };
  const next = f.functions.index + 100;
  return [
    sourcedAs(f.functions, 'functions', functions, next),
    ...(f.onChange ? [] : [sourcedAs(f.cosmos, 'cosmos', cosmos, next + 1)]),
  ];
}

/**
 * The tenant events' feed (DESIGN §2: the tenant events, too, "delivered from the change feed"): the runtime
 * registers `atakora-webhooks-audit` on the registry's `audit` container (runtime/routes/webhook-trigger.ts) when
 * {@link WEBHOOK_AUDIT_FEED_SETTING} names a change feed connection the app has, so an event reaches the endpoints
 * from its stored entry even when the instance that wrote it stops right after. The connection is the first
 * tenant-scoped CrudApi's by key (its own `<PREFIX>_CHANGE_FEED`, planned just above; every CrudApi is on the
 * registry's account — plan/checks/registry-account.ts —, whose containers grant its identity their data role, so
 * it reads `audit`); its leases are in `atakora/audit-leases` (partition key `/id`, beside `tenant-events`
 * functions' leases under another prefix), that identity Contributor there — Learn, "Azure Cosmos DB bindings for
 * Azure Functions 2.x and higher", "Identity-based connections": the role of a trigger is "Cosmos DB Built-in Data
 * Contributor" (https://learn.microsoft.com/azure/azure-functions/functions-bindings-cosmosdb-v2#identity-based-connections),
 * which the plan grants per container (resources/cosmos/type.ts), so on `audit-leases` alone. One more function.
 */
function auditFeedRequirements(fed: readonly Fed[]): SourcedRequirement[] {
  const host = auditFeedHost(fed);
  if (!host) return [];
  const own = host.functions.requirement.config as { runtime?: string; version?: string };
  const functions = {
    runtime: own.runtime ?? 'node',
    ...(own.version ? { version: own.version } : {}),
    crudRuntime: true,
    functionCount: 1,
    sharedSettings: {
      [WEBHOOK_AUDIT_FEED_SETTING]: auditConnectionOf(fed),
    },
  };
  // On the CrudApi's own account settings (its compatibility key): the registry's account.
  const cosmos = {
    ...host.cosmos.requirement.config,
    databases: [
      {
        name: AUDIT_LOG.database,
        containers: [
          {
            name: leaseContainerOf(AUDIT_LOG.container),
            partitionKey: '/id',
            access: 'readwrite' as const,
            lease: true,
          },
        ],
      },
    ],
  };
  const next = host.functions.index + 102;
  return [
    sourcedAs(host.functions, 'functions', functions, next, 'webhooks-audit'),
    sourcedAs(host.cosmos, 'cosmos', cosmos, next + 1, 'webhooks-audit'),
  ];
}

/**
 * The plan's note on it: which CrudApis' containers the webhooks' triggers read, and that a delete reaches a webhook
 * only when the runtime makes it (the change feed in latest-version mode carries no deletes).
 *
 * @example
 * ```ts
 * webhookFeedIssues(config, collected); // [{ severity: 'warning', code: 'WEBHOOKS_FROM_CHANGE_FEED', … }]
 * ```
 */
export function webhookFeedIssues(
  config: NormalizedConfig,
  collected: readonly SourcedRequirement[],
): PlanIssue[] {
  const fed = fedCrudApis(config, collected);
  if (fed.length === 0) return [];
  const names = fed.map((f) => `${f.functions.componentId} (${f.database}/${f.container})`);
  return [
    {
      severity: 'warning',
      code: 'WEBHOOKS_FROM_CHANGE_FEED',
      components: fed.map((f) => f.functions.componentId),
      path: ['config', 'tenants', 'plans'],
      message:
        `A plan includes 'webhooks': the CRUD app reads the change feed of ${names.join(', ')} with one ` +
        `Cosmos DB trigger each (atakora-webhooks-<id>, leases in <container>-leases), so every writer's creates ` +
        `and updates reach the organizations' endpoints; and the audit container's with atakora-webhooks-audit ` +
        `(through ${auditConnectionOf(fed)}, leases in ${AUDIT_LOG.database}/` +
        `${leaseContainerOf(AUDIT_LOG.container)}), so a tenant event is delivered from its stored entry even when ` +
        `the instance that wrote it stops. A delete is delivered only when the runtime makes it: the change feed ` +
        `carries no deletes (docs/integrations.md).`,
      resolution:
        'Nothing to do. Delete through the API (or dataOf) for item.deleted webhooks, or set a ttl on an item ' +
        'instead of deleting it from another tool.',
    },
  ];
}

/** Whose connection reads the audit container: the first tenant-scoped CrudApi by component key. */
function auditFeedHost(fed: readonly Fed[]): Fed | undefined {
  let host = fed[0];
  for (const f of fed)
    if (host && compare(f.functions.componentKey, host.functions.componentKey) < 0) host = f;
  return host;
}

/** The connection {@link WEBHOOK_AUDIT_FEED_SETTING} names: the host's own `<PREFIX>_CHANGE_FEED`. */
function auditConnectionOf(fed: readonly Fed[]): string {
  const host = auditFeedHost(fed);
  return host ? settingName(host.functions.componentId, CHANGE_FEED_CONNECTION) : '';
}

/** The tenant-scoped CrudApis of a backend whose plans include webhooks, by component key. */
function fedCrudApis(config: NormalizedConfig, collected: readonly SourcedRequirement[]): Fed[] {
  const tenants = config.tenants;
  // Only a plan that names 'webhooks' in its own features list: plans listing no features offer every built-in
  // feature, and a trigger polling each container's feed (its reads billed in RU) on every such backend would be a
  // cost no one asked for — there, the runtime's own writes are delivered as before.
  if (!tenants?.membership || !Object.values(tenants.plans).some(listsWebhooks)) return [];
  const out: Fed[] = [];
  for (const functions of collected) {
    if (functions.componentType !== 'CrudApi' || functions.requirement.resourceType !== 'functions')
      continue;
    const c = functions.requirement.config as {
      crudEntities?: readonly RuntimeEntity[];
      hostedFunctions?: readonly { trigger: string }[];
    };
    const entity = c.crudEntities?.[0];
    if (!entity || !isolated(entity)) continue;
    const cosmos = collected.find(
      (r) => r.componentKey === functions.componentKey && r.requirement.resourceType === 'cosmos',
    );
    const db = (cosmos?.requirement.config as CosmosRequirementConfig | undefined)?.databases?.[0];
    const container = db?.containers?.[0]?.name;
    if (!cosmos || !db || !container) continue;
    const onChange = (c.hostedFunctions ?? []).some((h) => h.trigger === 'change');
    out.push({ functions, cosmos, database: db.name, container, onChange });
  }
  return out;
}

/** Whether a plan's own features list names 'webhooks'. */
function listsWebhooks(plan: { readonly features?: readonly string[] | undefined }): boolean {
  return plan.features?.includes('webhooks') === true;
}

/** The runtime's rule (runtime/values/tenancy.ts `isIsolated`): keyed by `/tenantId`, or not declared shared. */
function isolated(entity: Pick<RuntimeEntity, 'partitionKey' | 'tenancy'>): boolean {
  return entity.partitionKey === '/tenantId' || entity.tenancy !== 'shared';
}

function sourcedAs(
  of: SourcedRequirement,
  resourceType: string,
  config: object,
  index: number,
  feature = 'webhooks',
): SourcedRequirement {
  return {
    ...of,
    requirement: {
      resourceType,
      requirementKey: `${of.componentId}-${feature}-${resourceType}`,
      priority: of.requirement.priority ?? 10,
      config: { ...config },
    },
    index,
  };
}
