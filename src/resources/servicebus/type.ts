import { requirementPath } from '../../kit/pure/resources/requirement-path.js';
import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedDeploy } from '../../model/plan.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import {
  defineResourceType,
  type TypedRequirement,
} from '../../kit/pure/resources/resource-type.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { HOURS_PER_MONTH } from '../../kit/pure/resources/prices.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { serviceBusFacts, SERVICEBUS_PRICES } from './facts.js';

/** A Service Bus tier, lowest first. */
export type ServiceBusSku = 'Basic' | 'Standard' | 'Premium';
/** What a component's Function App may do with the namespace's entities. */
export type ServiceBusAccess = 'send' | 'receive' | 'sendReceive';

/**
 * Config of a `servicebus` requirement: the seeds' custom provider's shape (`sku`, `queues`, `topics` with
 * `maxSize` in MB), plus the data roles the component's Function App gets. Every component shares the
 * backend's one namespace; the highest tier asked for wins. Identity only: the namespace has local (SAS key)
 * auth off, so apps connect with `<Prefix>__fullyQualifiedNamespace` (`ref('servicebus', 'fullyQualifiedNamespace')`).
 *
 * @example
 * ```ts
 * const req = {
 *   resourceType: 'servicebus',
 *   requirementKey: 'Orders-servicebus',
 *   config: { queues: [{ name: 'orders' }], access: 'send' },
 * };
 * ```
 */
export interface ServiceBusRequirementConfig {
  /** Default `'Standard'`. `'Premium'` is needed for private endpoints; isolated networking raises it to Premium. */
  readonly sku?: ServiceBusSku;
  readonly queues?: readonly ServiceBusEntity[];
  /** Not on the Basic tier. */
  readonly topics?: readonly ServiceBusEntity[];
  /** Data roles of the component's Function App (default `'sendReceive'`): Azure Service Bus Data Sender / Receiver. */
  readonly access?: ServiceBusAccess;
}

/** A queue or topic. */
export interface ServiceBusEntity {
  /**
   * 1-260 letters, digits, `.`, `-`, `_`, `/`; starts and ends with a letter or digit. Unique
   * across the namespace's queues and topics.
   */
  readonly name: string;
  /** Megabytes (default 1024): 1024-5120 in steps of 1024; Premium also 10240, 20480, 40960, 81920. */
  readonly maxSize?: number;
}

/** The merged `servicebus` config in the plan. */
export interface MergedServiceBusConfig {
  sku: ServiceBusSku;
  /** Messaging units: 1 on Premium, 0 otherwise (azurerm rejects any other pairing). */
  capacity: number;
  queues: { name: string; maxSizeInMegabytes: number }[];
  topics: { name: string; maxSizeInMegabytes: number }[];
  /** Component id → what its Function App may do. */
  access: Record<string, ServiceBusAccess>;
  /** `<namespace>.servicebus.windows.net`: what identity-based connections name. */
  fullyQualifiedNamespace: string;
}

/** Built-in Azure roles for Service Bus data, by direction. */
export const SERVICEBUS_DATA_ROLES = {
  send: 'Azure Service Bus Data Sender',
  receive: 'Azure Service Bus Data Receiver',
} as const;

/** The namespace tiers, lowest first (the group takes the highest asked). */
export const SERVICEBUS_SKUS: readonly ServiceBusSku[] = ['Basic', 'Standard', 'Premium'];
// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas (queue/topic size) and
// https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftservicebus
// (entity names).
const STANDARD_SIZES = [1024, 2048, 3072, 4096, 5120];
const PREMIUM_SIZES = [...STANDARD_SIZES, 10240, 20480, 40960, 81920];
const ENTITY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,258}[A-Za-z0-9])?$/;

const cfg = (r: TypedRequirement<ServiceBusRequirementConfig>): ServiceBusRequirementConfig =>
  r.requirement.config;
const path = (r: SourcedRequirement, ...rest: (string | number)[]) =>
  requirementPath(r, 'config', ...rest);
const isolated = (config: NormalizedConfig) =>
  config.networking.mode === 'isolated' && config.networking.privateEndpoints;

/**
 * One role assignment per Function App and direction (Azure refuses a second assignment of one role to one
 * identity at one scope; components on one app share its identity).
 *
 * @example
 * ```ts
 * serviceBusGrants('backend_servicebus_shared', { Orders: 'send' }, () => 'functions:shared');
 * // [{ functionsKey: 'functions:shared', role: 'send', name: 'backend_servicebus_shared_ra_functions_shared_send' }]
 * ```
 */
export function serviceBusGrants(
  namespaceTfName: string,
  access: Readonly<Record<string, ServiceBusAccess>>,
  functionsKeyOf: (componentId: string) => string | undefined,
): { functionsKey: string; role: 'send' | 'receive'; name: string }[] {
  const wanted = new Set<string>();
  for (const [id, mode] of Object.entries(access)) {
    const key = functionsKeyOf(id);
    if (!key) continue;
    if (mode !== 'receive') wanted.add(`${key}|send`);
    if (mode !== 'send') wanted.add(`${key}|receive`);
  }
  return [...wanted].sort(compare).map((w) => {
    const [functionsKey, role] = w.split('|') as [string, 'send' | 'receive'];
    return { functionsKey, role, name: tfName(namespaceTfName, 'ra', functionsKey, role) };
  });
}

/**
 * Azure Service Bus: one namespace per backend holding every component's queues and topics, identity only
 * (local auth off), TLS 1.2, private in isolated mode (Premium, with a private endpoint). Apply grants each
 * consumer's Function App the data roles it asked for.
 */
export const serviceBusType = defineResourceType<
  ServiceBusRequirementConfig,
  MergedServiceBusConfig
>()({
  type: 'servicebus',
  namePrefix: 'sbns',
  facts: serviceBusFacts,
  attributes: {
    name: (n) => n,
    fullyQualifiedNamespace: (n) => `${n}.servicebus.windows.net`,
    endpoint: (n) => `https://${n}.servicebus.windows.net:443/`,
  },
  compatibility: () => ({ key: 'default', isDefault: true }),
  merge(reqs, config, planned) {
    const issues: PlanIssue[] = [];
    const invalid = (
      r: TypedRequirement<ServiceBusRequirementConfig>,
      at: (string | number)[],
      message: string,
    ) =>
      issues.push({
        severity: 'error',
        code: 'SERVICEBUS_INVALID',
        path: path(r, ...at),
        components: [r.componentId],
        message,
      });
    let sku: ServiceBusSku = 'Basic';
    const access: Record<string, ServiceBusAccess> = {};
    for (const r of reqs) {
      const c = cfg(r);
      const asked = c.sku ?? 'Standard';
      if (!SERVICEBUS_SKUS.includes(asked))
        invalid(
          r,
          ['sku'],
          `Service Bus sku of ${r.componentId} must be 'Basic', 'Standard' or 'Premium' (got ` +
            `${JSON.stringify(c.sku)}).`,
        );
      else if (SERVICEBUS_SKUS.indexOf(asked) > SERVICEBUS_SKUS.indexOf(sku)) sku = asked;
      if (c.access !== undefined && !['send', 'receive', 'sendReceive'].includes(c.access)) {
        invalid(
          r,
          ['access'],
          `Service Bus access of ${r.componentId} must be 'send', 'receive' or 'sendReceive' (got ` +
            `${JSON.stringify(c.access)}).`,
        );
      }
      const mode = c.access ?? 'sendReceive';
      const had = access[r.componentId];
      access[r.componentId] = had === undefined || had === mode ? mode : 'sendReceive';
    }
    const ids = reqs.map((r) => r.componentId);
    if (isolated(config) && sku !== 'Premium') {
      // Private endpoints need Premium (facts.ts); without one, public access off would leave the
      // namespace unreachable.
      issues.push({
        severity: 'warning',
        code: 'SERVICEBUS_PREMIUM_FOR_ISOLATION',
        path: ['config', 'networking'],
        components: ids,
        details: { requestedSku: sku },
        message:
          `networking is isolated with private endpoints, which Service Bus supports on Premium only: the ` +
          `namespace is planned as Premium (about $${premiumMonthly()}/month) instead of ${sku}.`,
        resolution:
          "Ask for sku: 'Premium' to make it explicit, or use networking: 'public' if the namespace may stay " +
          'reachable from the internet.',
      });
      sku = 'Premium';
    }
    const queues = entities(reqs, 'queues', sku, invalid);
    const topics = entities(reqs, 'topics', sku, invalid);
    const askingTopics = reqs.find((r) => (cfg(r).topics ?? []).length > 0);
    if (sku === 'Basic' && topics.length > 0 && askingTopics) {
      issues.push({
        severity: 'error',
        code: 'SERVICEBUS_INVALID',
        path: path(askingTopics, 'topics'),
        components: ids,
        message: "The Basic Service Bus tier has no topics: ask for sku 'Standard' or 'Premium'.",
      });
    }
    const queueNames = new Set(queues.map((q) => q.name.toLowerCase()));
    for (const t of topics) {
      if (queueNames.has(t.name.toLowerCase()))
        issues.push({
          severity: 'error',
          code: 'SERVICEBUS_INVALID',
          path: ['resources', 'servicebus:shared'],
          components: ids,
          message: `"${t.name}" is both a queue and a topic; entity names are unique in a namespace.`,
        });
    }
    const name = planned ?? 'servicebus';
    const merged: MergedServiceBusConfig = {
      sku,
      capacity: sku === 'Premium' ? 1 : 0,
      queues,
      topics,
      access: Object.fromEntries(Object.entries(access).sort(([a], [b]) => compare(a, b))),
      fullyQualifiedNamespace: `${name}.servicebus.windows.net`,
    };
    return { config: merged, issues };
  },
  deploys(group, ctx) {
    const base = tfName(ctx.backendId, group.key);
    const c = group.config;
    return [
      { terraformType: 'azurerm_servicebus_namespace', name: base },
      ...c.queues.map(
        (q): PlannedDeploy => ({
          terraformType: 'azurerm_servicebus_queue',
          name: tfName(base, 'queue', q.name),
        }),
      ),
      ...c.topics.map(
        (t): PlannedDeploy => ({
          terraformType: 'azurerm_servicebus_topic',
          name: tfName(base, 'topic', t.name),
        }),
      ),
      ...serviceBusGrants(base, c.access, (id) => ctx.usage?.get(id)?.['functions']).map(
        (g): PlannedDeploy => ({ terraformType: 'azurerm_role_assignment', name: g.name }),
      ),
    ];
  },
  monthlyUsd(config) {
    if (config.sku === 'Premium')
      return round2(
        config.capacity * SERVICEBUS_PRICES.premiumPerMessagingUnitHour * HOURS_PER_MONTH,
      );
    return config.sku === 'Standard'
      ? round2(SERVICEBUS_PRICES.standardBasePerHour * HOURS_PER_MONTH)
      : 0;
  },
});

/** Queues or topics of every requirement, merged by name (the largest size wins), sorted. */
function entities(
  reqs: readonly TypedRequirement<ServiceBusRequirementConfig>[],
  kind: 'queues' | 'topics',
  sku: ServiceBusSku,
  invalid: (
    r: TypedRequirement<ServiceBusRequirementConfig>,
    at: (string | number)[],
    message: string,
  ) => void,
): { name: string; maxSizeInMegabytes: number }[] {
  const sizes = sku === 'Premium' ? PREMIUM_SIZES : STANDARD_SIZES;
  const byName = new Map<string, number>();
  for (const r of reqs) {
    const list = cfg(r)[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      invalid(
        r,
        [kind],
        `Service Bus ${kind} of ${r.componentId} must be a list of { name, maxSize? }.`,
      );
      continue;
    }
    list.forEach((e: ServiceBusEntity, i) => {
      const entityName = (e as { name?: unknown } | null)?.name;
      if (typeof entityName !== 'string' || !ENTITY_NAME.test(entityName)) {
        invalid(
          r,
          [kind, i, 'name'],
          `Service Bus ${kind.slice(0, -1)} name ${JSON.stringify(entityName)} of ${r.componentId} must be ` +
            `1-260 letters, digits, '.', '-', '_' or '/', starting and ending with a letter or digit.`,
        );
        return;
      }
      const size = e.maxSize ?? 1024;
      if (!sizes.includes(size)) {
        invalid(
          r,
          [kind, i, 'maxSize'],
          `Service Bus ${kind.slice(0, -1)} "${entityName}" of ${r.componentId} has maxSize ` +
            `${JSON.stringify(e.maxSize)}; the ${sku} tier accepts ${sizes.join(', ')} (MB).`,
        );
        return;
      }
      byName.set(entityName, Math.max(byName.get(entityName) ?? 0, size));
    });
  }
  return [...byName]
    .sort(([a], [b]) => compare(a, b))
    .map(([name, maxSizeInMegabytes]) => ({ name, maxSizeInMegabytes }));
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const premiumMonthly = () =>
  round2(SERVICEBUS_PRICES.premiumPerMessagingUnitHour * HOURS_PER_MONTH);
