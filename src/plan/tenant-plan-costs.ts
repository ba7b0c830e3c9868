import type { NormalizedConfig, TenantPlan } from '../model/config.js';
import type { PlannedResource } from '../model/plan.js';
import type {
  TenantPlanCost,
  TenantPlanCostLine,
  TenantPlanCosts,
  TenantPlanNeeds,
} from '../model/tenant-plan-costs.js';
import { type UsagePrices, usagePrices } from '../resources/facts.js';
import type { RuntimeEntity } from '../model/runtime-manifest.js';
import { mergedConfigOf } from '../resources/types.js';
import { hasTenantRegistry } from '../kit/pure/tenant-registry.js';
import { featuresOf } from '../model/plans/plan-features.js';
import { largestRealtimeEvent, type RealtimeEventBound } from './realtime-event-bound.js';
import { priceNotes, withPrice } from './tenant-plan-prices.js';
import { packageAssumptions, tenantPlanPackages } from './tenant-plan-packages.js';

/** Days a month is priced at for a daily or per-minute bound (`requestUnitsPerDay × 30`). */
const DAYS = 30;
const MINUTES_PER_MONTH = DAYS * 24 * 60;
/**
 * Each declared tenant plan priced at its bounds — the margin view a SaaS owner prices with: RU/day × 30 at the
 * account's RU price, `storageMb` at the storage price, `requestsPerMinute` × 43,200 executions at the consumption
 * plan's price, and the realtime messages those writes can send to `realtimeConnections` connections (each event
 * as large as the largest the realtime CrudApis' schemas admit: plan/realtime-event-bound.ts; 1 MB, 489 billed
 * messages, when a schema leaves it unbounded). A bound the plan leaves out is unbounded: that line is `null`, and so is the
 * worst case. Undefined without a tenant registry. Pure.
 *
 * @example
 * ```ts
 * const costs = tenantPlanCosts(resources, config);
 * costs?.plans.map((p) => [p.plan, p.worstCaseMonthlyUsd]); // [['free', 0.41], ['pro', null]]
 * ```
 */
export function tenantPlanCosts(
  resources: readonly PlannedResource[],
  config: NormalizedConfig,
): TenantPlanCosts | undefined {
  const tenants = config.tenants;
  if (!tenants || !hasTenantRegistry(config)) return undefined;
  const p = usagePrices({ resources });
  const event = largestRealtimeEvent(realtimeEntities(resources));
  const names = Object.keys(tenants.plans).sort();
  const meters = tenants.billing?.stripe?.meters;
  const plans = names.map((name) => {
    const limits = tenants.plans[name] ?? {};
    return withPrice(
      planCost(
        name,
        limits,
        name === tenants.defaultPlan,
        p,
        realtimeOf(limits, tenants.plans, event),
      ),
      limits,
      meters,
    );
  });
  return {
    prices: {
      priceDate: p.priceDate,
      ruPricing: p.ruPricing,
      usdPerMillionRu: p.usdPerMillionRu,
      usdPerGbMonth: storagePrice(p),
      usdPerMillionRequests: p.usdPerMillionRequests,
      usdPerMillionMessages: p.usdPerMillionMessages ?? null,
    },
    plans,
    notes: [
      ...capacityNotes(plans, p),
      ...(p.usdPerMillionMessages === undefined ? [] : eventNote(event)),
      ...priceNotes(plans, config),
    ],
    // Each plan as the product it sells, beside its cost to serve at its limits (DESIGN §2).
    packages: tenantPlanPackages(tenants, plans),
    packageAssumptions: packageAssumptions(),
  };
}

/** The largest realtime event a plan's tenants can be sent, and whether the plan sells realtime at all. */
interface PlanRealtime {
  readonly event: RealtimeEventBound | undefined;
  readonly sold: boolean;
}

/**
 * A plan without the `realtime` feature holds no connection: its negotiate answers 402 `feature-not-in-plan` and the
 * runtime publishes no write of its tenants (docs/realtime.md, "Plans without realtime"), so its realtime messages
 * are zero and bounded whatever its `realtimeConnections` says.
 */
function realtimeOf(
  plan: TenantPlan,
  plans: Readonly<Record<string, TenantPlan>>,
  event: RealtimeEventBound | undefined,
): PlanRealtime {
  return { event, sold: featuresOf(plan, plans).has('realtime') };
}

/** Every CrudApi the Function Apps serve: the realtime ones publish each write. */
function realtimeEntities(resources: readonly PlannedResource[]): RuntimeEntity[] {
  return resources
    .filter((r) => r.type === 'functions')
    .flatMap((r) => mergedConfigOf('functions', r).crudEntities ?? []);
}

/** The largest event, in words: what bounds it, or why nothing does and how to bound it. */
function eventText(e: RealtimeEventBound): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return e.eventBytes === null
    ? (e.unboundedBy ?? e.entity)
    : `the largest event ${e.entity}'s schema admits: ${n(e.eventBytes)} bytes, ${n(e.messageBytes)} as ` +
        `delivered, ${n(e.messages)} message${e.messages === 1 ? '' : 's'}`;
}

function eventNote(event: RealtimeEventBound | undefined): string[] {
  if (!event) return [];
  return [
    `Realtime events: ${eventText(event)}` +
      (event.eventBytes === null
        ? ` (${String(event.messages)} messages) — give each string field of the realtime CrudApis a ` +
          'maxLength (and no object or array fields) to bound it.'
        : ' (every field bounded: ids, maxLength strings as fully escaped JSON, numbers, dates, enums).'),
  ];
}

// A plan's storageMb holds items and files together, in a split only the tenant decides: the higher price bounds it.
const storagePrice = (p: UsagePrices): number =>
  Math.max(p.usdPerGbMonthItems, p.usdPerGbMonthFiles);

const usd = (n: number): number => Math.round(n * 100) / 100;

function planCost(
  name: string,
  limits: TenantPlan,
  isDefault: boolean,
  p: UsagePrices,
  realtime: PlanRealtime,
): Omit<TenantPlanCost, 'priceMonthlyUsd' | 'stripePrice' | 'unbilled'> {
  const lines: TenantPlanCostLine[] = [
    line(
      'requestUnits',
      'RU',
      limits.requestUnitsPerDay === undefined ? null : limits.requestUnitsPerDay * DAYS,
      p.usdPerMillionRu / 1e6,
      limits.requestUnitsPerDay === undefined
        ? 'requestUnitsPerDay is not set'
        : `requestUnitsPerDay ${String(limits.requestUnitsPerDay)} × ${String(DAYS)} days` +
            (p.ruPricing === 'serverless'
              ? ''
              : ` (${p.ruPricing}: the RU's share of the throughput at full use)`),
    ),
    line(
      'storage',
      'GB',
      limits.storageMb === undefined ? null : limits.storageMb / 1024,
      storagePrice(p),
      limits.storageMb === undefined
        ? 'storageMb is not set'
        : `storageMb ${String(limits.storageMb)} all month, at the higher of the items' and files' GB-month price`,
    ),
    line(
      'requests',
      'executions',
      limits.requestsPerMinute === undefined ? null : limits.requestsPerMinute * MINUTES_PER_MONTH,
      p.usdPerMillionRequests / 1e6,
      limits.requestsPerMinute === undefined
        ? 'requestsPerMinute is not set'
        : `requestsPerMinute ${String(limits.requestsPerMinute)} × ${String(MINUTES_PER_MONTH)} minutes` +
            (p.usdPerMillionRequests > 0
              ? ` at the ${p.functionsSku} price per execution (GB-seconds not counted)`
              : ` (the ${p.functionsSku} plan is billed per instance, not per request)`),
    ),
    messagesLine(limits, p, realtime),
  ];
  const unbounded = lines.filter((l) => l.monthlyUsd === null).map((l) => l.dimension);
  const bounded = usd(lines.reduce((s, l) => s + (l.monthlyUsd ?? 0), 0));
  return {
    plan: name,
    isDefault,
    worstCaseMonthlyUsd: unbounded.length > 0 ? null : bounded,
    boundedMonthlyUsd: bounded,
    unbounded,
    lines,
    needs: needsOf(limits, p, realtime.sold),
  };
}

function line(
  dimension: string,
  unit: string,
  quantity: number | null,
  usdPerUnit: number,
  basis: string,
): TenantPlanCostLine {
  return {
    dimension,
    monthlyQuantity: quantity,
    unit,
    monthlyUsd: quantity === null ? null : usd(quantity * usdPerUnit),
    basis,
  };
}

/**
 * Realtime messages: a tenant's writes (at most `requestsPerMinute`) each send one event to each of its live
 * connections (at most `realtimeConnections`), each delivery at most the largest event's billed messages.
 * Boundable only when both are.
 */
function messagesLine(
  limits: TenantPlan,
  p: UsagePrices,
  { event, sold }: PlanRealtime,
): TenantPlanCostLine {
  if (p.usdPerMillionMessages === undefined || !event)
    return line('realtimeMessages', 'messages', 0, 0, 'no realtime: no Web PubSub is planned');
  if (!sold)
    return line(
      'realtimeMessages',
      'messages',
      0,
      0,
      'no `realtime` feature: negotiate answers 402 and no write of its tenants is published',
    );
  const rpm = limits.requestsPerMinute;
  const connections = limits.realtimeConnections;
  if (connections === 0)
    return line('realtimeMessages', 'messages', 0, 0, 'realtimeConnections 0: no live connection');
  if (rpm === undefined || connections === undefined)
    return line(
      'realtimeMessages',
      'messages',
      null,
      0,
      `unbounded: ${rpm === undefined ? 'requestsPerMinute' : 'realtimeConnections'} is not set ` +
        '(messages = writes × live connections)',
    );
  return line(
    'realtimeMessages',
    'messages',
    rpm * MINUTES_PER_MONTH * connections * event.messages,
    p.usdPerMillionMessages / 1e6,
    `requestsPerMinute ${String(rpm)} × ${String(MINUTES_PER_MONTH)} minutes × realtimeConnections ` +
      `${String(connections)} × ${String(event.messages)} message${event.messages === 1 ? '' : 's'} (${eventText(event)}; billed per 2 KB)` +
      (p.usdPerMillionMessages === 0
        ? ` (${p.realtime?.sku ?? ''} stops at its daily cap instead of billing)`
        : ''),
  );
}

function needsOf(limits: TenantPlan, p: UsagePrices, sold: boolean): TenantPlanNeeds {
  const ru = limits.requestUnitsPerDay;
  const averageRuPerSecond = ru === undefined ? null : Math.round((ru / 86_400) * 100) / 100;
  const connections = p.realtime ? (sold ? (limits.realtimeConnections ?? null) : 0) : null;
  const perUnit = p.realtime?.connectionsPerUnit;
  return {
    averageRuPerSecond,
    tenantsAtPlannedThroughput:
      averageRuPerSecond === null || averageRuPerSecond === 0 || p.ruPricing === 'serverless'
        ? null
        : Math.floor(p.provisionedRuPerSecond / averageRuPerSecond),
    realtimeConnections: connections,
    webPubSubUnits:
      connections === null || perUnit === undefined
        ? null
        : Math.round((connections / perUnit) * 1000) / 1000,
    tenantsAtPlannedUnits:
      connections === null || connections === 0 || perUnit === undefined || !p.realtime
        ? null
        : Math.floor((p.realtime.units * perUnit) / connections),
  };
}

/** The planned shared capacity against the plans, in words. */
function capacityNotes(plans: readonly TenantPlanCost[], p: UsagePrices): string[] {
  const notes: string[] = [];
  if (p.realtime) {
    const held = p.realtime.units * p.realtime.connectionsPerUnit;
    // Learn, "Billing model for Azure Web PubSub service": each unit supports up to 1,000 concurrent connections;
    // Free: 20 (pricing page). WEBPUBSUB_LIMITS in src/resources/webpubsub/facts.ts.
    const each = plans.map((x) =>
      x.needs.realtimeConnections === 0
        ? `${x.plan}: no realtime connections`
        : x.needs.tenantsAtPlannedUnits === null
          ? `${x.plan}: unbounded (realtimeConnections is not set: one tenant may take all ${String(held)})`
          : `${x.plan}: ${String(x.needs.tenantsAtPlannedUnits)} tenant(s) at their bound`,
    );
    notes.push(
      `Web PubSub ${p.realtime.sku} × ${String(p.realtime.units)} unit(s) holds ${String(held)} connections ` +
        `(${String(p.realtime.connectionsPerUnit)} a unit) — ${each.join('; ')}.`,
    );
  }
  if (p.ruPricing === 'serverless')
    notes.push(
      'Cosmos DB is serverless: RU are billed as used, with no RU/s to provision; a tenant at its daily RU bound ' +
        'costs the requestUnits line.',
    );
  else
    notes.push(
      `Cosmos DB is ${p.ruPricing} at ${String(p.provisionedRuPerSecond)} RU/s: ` +
        plans
          .map((x) =>
            x.needs.tenantsAtPlannedThroughput === null
              ? `${x.plan}: unbounded (requestUnitsPerDay is not set)`
              : `${x.plan}: ${String(x.needs.tenantsAtPlannedThroughput)} tenant(s) at their daily bound spread ` +
                'evenly (a day’s RU spent in a burst needs more)',
          )
          .join('; ') +
        '.',
    );
  return notes;
}
