import type { UsagePrices } from '../../resources/usage-prices.js';
import { emptySums, type LedgerSums, roundedSums } from './usage-ledger-sums.js';
import type { RegistryEntry } from './usage-ledger-read.js';
import type { MonthInvoices, TenantInvoice } from './usage-invoice.js';
import type { StripeInvoiceUnread, StripeInvoiceView } from './usage-invoice-preview.js';

/** A tenant's estimated cost in USD over the window, by what it used (see {@link LedgerUsage.prices}). */
export interface EstimatedUsd {
  /** RU × the account's price per million RU. */
  readonly requestUnits: number;
  /** Stored bytes now × the GB-month prices × the window's share of a month. */
  readonly storage: number;
  /** Realtime messages × Web PubSub's price per million beyond the included ones. */
  readonly messages: number;
  /** Requests × the consumption plan's price per execution (no GB-seconds, no free grant). */
  readonly requests: number;
  readonly total: number;
}

/** One tenant's line of `atakora usage` from the ledger. */
export interface TenantUsage {
  readonly tenant: string;
  /** From the registry; absent for a tenant it does not hold (`anonymous`, a removed one). */
  readonly name?: string;
  readonly plan?: string;
  readonly status?: string;
  readonly requests: number;
  readonly refused: number;
  readonly requestUnits: number;
  readonly messages: number;
  readonly storedItemBytes: number;
  readonly storedFileBytes: number;
  readonly connections: number;
  /** COST TO SERVE: what the tenant's usage costs you in Azure (an estimate), never what it pays. */
  readonly estimatedUsd: EstimatedUsd;
  /** The monthly fee of the tenant's plan as the config declares it (`monthlyFeeUsd`), when it declares one. */
  readonly planFeeUsd?: number;
  /**
   * With `--month` and billing: our estimate of the calendar month's invoice (a tenant with a Stripe customer) — the
   * plan's price and each meter's quantity at Stripe's prices, recomputed by us, not Stripe's figure.
   */
  readonly invoice?: TenantInvoice;
  /**
   * With `--month` of the month in progress and the key: Stripe's own figure, the preview of the subscription's next
   * invoice (`invoices.createPreview`, per billing period); null when Stripe has none to preview.
   */
  readonly stripeInvoice?: StripeInvoiceView | StripeInvoiceUnread | null;
  /**
   * What is left of what the tenant pays once its cost to serve is paid: the invoice's total (priced by Stripe, in
   * USD) or, without billing, the plan's `monthlyFeeUsd`, less `estimatedUsd.total`. Absent when not known.
   */
  readonly marginUsd?: number;
}

/** `atakora usage` as data when it reads the ledger (`--json`). */
export interface LedgerUsage {
  readonly source: 'ledger';
  readonly backendId: string;
  /** `local` for the running `atakora dev`, else the environment. */
  readonly where: string;
  readonly since: string;
  /** The window: from the start of the UTC hour `since` ago, to now. */
  readonly from: string;
  readonly to: string;
  readonly prices: UsagePrices;
  /** What the estimate leaves out or assumes. */
  readonly estimate: string;
  /**
   * With `--month` and billing: how our estimates were priced (Stripe's prices, or quantities only and why), and
   * why Stripe's previews are absent when they are (`previewNote`).
   */
  readonly invoices?: {
    readonly priced: boolean;
    readonly note: string;
    readonly previewNote?: string;
  };
  /** Sorted by tenant id. */
  readonly tenants: readonly TenantUsage[];
  readonly total: Omit<
    TenantUsage,
    'tenant' | 'name' | 'plan' | 'status' | 'invoice' | 'stripeInvoice' | 'marginUsd'
  >;
}

const GB = 1024 ** 3;
const HOURS_PER_MONTH = 730;
const usd4 = (n: number): number => Math.round(n * 10_000) / 10_000;

/**
 * A tenant's estimated cost over `hours` from its sums and the backend's unit prices.
 *
 * @example
 * ```ts
 * estimateUsd({ ...emptySums(), requestUnits: 4_000_000 }, prices, 720).requestUnits; // 1 on a serverless account
 * ```
 */
export function estimateUsd(s: LedgerSums, p: UsagePrices, hours: number): EstimatedUsd {
  const requestUnits = (s.requestUnits / 1e6) * p.usdPerMillionRu;
  // Negative running totals (more removed than this ledger saw added) are no storage, not a credit.
  const storage =
    ((Math.max(0, s.storedItemBytes) / GB) * p.usdPerGbMonthItems +
      (Math.max(0, s.storedFileBytes) / GB) * p.usdPerGbMonthFiles) *
    (hours / HOURS_PER_MONTH);
  const messages = (s.messages / 1e6) * (p.usdPerMillionMessages ?? 0);
  const requests = (s.requests / 1e6) * p.usdPerMillionRequests;
  return {
    requestUnits: usd4(requestUnits),
    storage: usd4(storage),
    messages: usd4(messages),
    requests: usd4(requests),
    total: usd4(requestUnits + storage + messages + requests),
  };
}

/**
 * What the estimate is, in words: which prices, and what it does not count.
 *
 * @example
 * ```ts
 * estimateNote(prices); // 'Estimated: RU at the serverless price ($0.25 per million); …'
 * ```
 */
export function estimateNote(p: UsagePrices): string {
  const ru =
    p.ruPricing === 'serverless'
      ? `RU at the serverless price ($${String(p.usdPerMillionRu)} per million)`
      : `RU at the ${p.ruPricing} throughput price at full use ($${String(p.usdPerMillionRu)} per million: the ` +
        'account is billed for its RU/s whether used or not, so this is each tenant’s share, not a bill)';
  const requests =
    p.usdPerMillionRequests > 0
      ? `requests at $${String(p.usdPerMillionRequests)} per million executions (${p.functionsSku}; GB-seconds ` +
        'and the free grant not counted)'
      : `requests not priced (the ${p.functionsSku} plan is billed per instance, not per request)`;
  const messages =
    p.usdPerMillionMessages === undefined
      ? 'no realtime'
      : `realtime messages at $${String(p.usdPerMillionMessages)} per million (${p.realtime?.sku ?? ''}; the ` +
        'messages each unit includes a day and the units themselves are shared, not counted)';
  return (
    `Estimated at ${p.priceDate} list prices: ${ru}; stored bytes as now at $${String(p.usdPerGbMonthItems)} ` +
    `(items) and $${String(p.usdPerGbMonthFiles)} (files) per GB-month for the window's share of a month; ` +
    `${requests}; ${messages}. Shared resources' fixed costs are not split among tenants.`
  );
}

/**
 * The report: one line per tenant the ledger or the registry knows (a registered tenant with no usage shows zeros),
 * sorted by tenant id, and the total.
 *
 * @example
 * ```ts
 * ledgerUsage({ backendId: 'b', where: 'prod', since: '30d', from, to, hours: 720, prices, sums, registry });
 * ```
 */
export function ledgerUsage(o: {
  readonly backendId: string;
  readonly where: string;
  readonly since: string;
  readonly from: string;
  readonly to: string;
  readonly hours: number;
  readonly prices: UsagePrices;
  readonly sums: ReadonlyMap<string, LedgerSums>;
  readonly registry: ReadonlyMap<string, RegistryEntry>;
  readonly tenant?: string | undefined;
  /** Plan name → monthly fee (`tenants.plans.<name>.monthlyFeeUsd`). */
  readonly fees?: ReadonlyMap<string, number>;
}): LedgerUsage {
  const ids = new Set([...o.sums.keys(), ...o.registry.keys()]);
  if (o.tenant !== undefined) for (const id of ids) if (id !== o.tenant) ids.delete(id);
  const total = emptySums();
  const tenants = [...ids].sort().map((tenant): TenantUsage => {
    const s = roundedSums(o.sums.get(tenant) ?? emptySums());
    for (const k of Object.keys(total) as (keyof LedgerSums)[]) total[k] += s[k];
    const r = o.registry.get(tenant);
    const metered = figures(s, o.prices, o.hours);
    const fee = r?.plan === undefined ? undefined : o.fees?.get(r.plan);
    return {
      tenant,
      ...(r?.name !== undefined ? { name: r.name } : {}),
      ...(r?.plan !== undefined ? { plan: r.plan } : {}),
      ...(r?.status !== undefined ? { status: r.status } : {}),
      ...metered,
      ...(fee !== undefined ? { planFeeUsd: fee } : {}),
    };
  });
  return {
    source: 'ledger',
    backendId: o.backendId,
    where: o.where,
    since: o.since,
    from: o.from,
    to: o.to,
    prices: o.prices,
    estimate: estimateNote(o.prices),
    tenants,
    total: figures(roundedSums(total), o.prices, o.hours),
  };
}

function figures(s: LedgerSums, p: UsagePrices, hours: number): LedgerUsage['total'] {
  return {
    requests: s.requests,
    refused: s.refused,
    requestUnits: s.requestUnits,
    messages: s.messages,
    storedItemBytes: s.storedItemBytes,
    storedFileBytes: s.storedFileBytes,
    connections: s.connections,
    estimatedUsd: estimateUsd(s, p, hours),
  };
}

/**
 * The report with each billed tenant's invoice beside its cost to serve, and the margin between them (only in USD:
 * the cost estimate is in USD). A tenant without a customer keeps its plan fee's margin when there is no billing.
 *
 * @example
 * ```ts
 * withInvoices(report, await monthInvoices({ … })).tenants[0]?.marginUsd; // 32.71
 * ```
 */
export function withInvoices(u: LedgerUsage, invoices: MonthInvoices | undefined): LedgerUsage {
  const tenants = u.tenants.map((t): TenantUsage => {
    const invoice = invoices?.tenants.get(t.tenant);
    const cost = t.estimatedUsd.total;
    const paid =
      invoice !== undefined
        ? invoice.total !== undefined && invoice.currency === 'usd'
          ? invoice.total
          : undefined
        : invoices === undefined
          ? t.planFeeUsd
          : undefined;
    const preview = invoices?.previews?.get(t.tenant);
    return {
      ...t,
      ...(invoice ? { invoice } : {}),
      ...(preview !== undefined ? { stripeInvoice: preview } : {}),
      ...(paid !== undefined ? { marginUsd: Math.round((paid - cost) * 100) / 100 } : {}),
    };
  });
  return {
    ...u,
    ...(invoices
      ? {
          invoices: {
            priced: invoices.priced,
            note: invoices.note,
            ...(invoices.previewNote !== undefined ? { previewNote: invoices.previewNote } : {}),
          },
        }
      : {}),
    tenants,
  };
}
