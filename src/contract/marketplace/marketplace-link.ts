// An organization's Azure Marketplace subscription as its registry record holds it: one home for its shape and the
// rule that reads it back, so the runtime (landing page, webhook, metering), the CLI and the OpenAPI document agree.
import { METER_KEYS, type MeterKey } from '../../model/billing.js';
import { SAAS_STATUSES, type SaasStatus } from '../../model/marketplace.js';

/** A subscription's billing term as Marketplace reports it (`term`: ISO dates and `P1M`/`P1Y`). */
export interface MarketplaceTerm {
  readonly startDate: string;
  readonly endDate?: string;
  readonly termUnit?: string;
}

/**
 * The Marketplace subscription an organization is billed through (`TenantRecord.marketplace`): written by the landing
 * page (`GET api/marketplace/landing`) and Microsoft's webhook (`POST api/marketplace/webhook`) only, each value as the
 * SaaS fulfillment API answered it — never from a request's body.
 *
 * @example
 * ```ts
 * const link: MarketplaceLink = {
 *   subscriptionId: '37f9dea2-4345-438f-b0bd-03d40d28c7e0', offerId: 'contoso-notes', planId: 'pro-monthly',
 *   status: 'Subscribed', activatedOn: '2026-11-25T10:12:00.000Z',
 * };
 * ```
 */
export interface MarketplaceLink {
  readonly subscriptionId: string;
  readonly offerId: string;
  readonly planId: string;
  readonly status: SaasStatus;
  /** Seats, for a per-seat plan. */
  readonly quantity?: number;
  /** When the landing page activated it: billing starts then, and no usage before it is ever sent. */
  readonly activatedOn?: string;
  /**
   * The usage the ledger held of the hour of activation when it was written, per meter (requests, request units
   * rounded up, realtime messages): that hour is billed less it — its usage before the activation is neither billed
   * nor counted against the included quantity. Written with `activatedOn`, in the same write; a link without it (one
   * activated before it was kept) is billed from the next hour.
   */
  readonly activationHourBaseline?: Readonly<Partial<Record<MeterKey, number>>>;
  readonly term?: MarketplaceTerm;
  /** The term before the last renewal (usage of its last hours may still be due). */
  readonly previousTerm?: MarketplaceTerm;
  readonly renewedOn?: string;
  /** The ids of the last webhook operations applied (each applied once; a repeat changes nothing). */
  readonly operations?: readonly string[];
}

/** How many applied operation ids a record keeps: Microsoft retries a webhook call for 8 hours, far fewer than this. */
export const KEPT_OPERATION_IDS = 50;

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

function termOf(v: unknown): MarketplaceTerm | undefined {
  const o = v as Record<string, unknown> | null | undefined;
  const startDate = text(o?.['startDate']);
  if (!startDate || Number.isNaN(Date.parse(startDate))) return undefined;
  const endDate = text(o?.['endDate']);
  const termUnit = text(o?.['termUnit']);
  return {
    startDate,
    ...(endDate && !Number.isNaN(Date.parse(endDate)) ? { endDate } : {}),
    ...(termUnit ? { termUnit } : {}),
  };
}

/** A stored baseline's meters that hold a count (whole, not negative); none → undefined. */
function baselineOf(v: unknown): Partial<Record<MeterKey, number>> | undefined {
  const o = v as Record<string, unknown> | null | undefined;
  if (typeof o !== 'object' || o === null) return undefined;
  const out: Partial<Record<MeterKey, number>> = {};
  for (const m of METER_KEYS) {
    const n = o[m];
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) out[m] = n;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The link a stored value holds, else none (a record edited by hand into another shape never bills anything).
 *
 * @example
 * ```ts
 * marketplaceLinkOf({ subscriptionId: 's', offerId: 'o', planId: 'p', status: 'Subscribed' })?.status; // 'Subscribed'
 * marketplaceLinkOf({ subscriptionId: 's', status: 'Gone' }); // undefined
 * ```
 */
export function marketplaceLinkOf(value: unknown): MarketplaceLink | undefined {
  const o = value as Record<string, unknown> | null | undefined;
  const subscriptionId = text(o?.['subscriptionId']);
  const offerId = text(o?.['offerId']);
  const planId = text(o?.['planId']);
  const status = SAAS_STATUSES.find((s) => s === o?.['status']);
  if (!subscriptionId || !offerId || !planId || !status) return undefined;
  const quantity = o?.['quantity'];
  const activatedOn = text(o?.['activatedOn']);
  const baseline = activatedOn ? baselineOf(o?.['activationHourBaseline']) : undefined;
  const renewedOn = text(o?.['renewedOn']);
  const term = termOf(o?.['term']);
  const previousTerm = termOf(o?.['previousTerm']);
  const operations = Array.isArray(o?.['operations'])
    ? o['operations'].filter((e): e is string => typeof e === 'string')
    : undefined;
  return {
    subscriptionId,
    offerId,
    planId,
    status,
    ...(typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 0
      ? { quantity }
      : {}),
    ...(activatedOn ? { activatedOn } : {}),
    ...(baseline ? { activationHourBaseline: baseline } : {}),
    ...(term ? { term } : {}),
    ...(previousTerm ? { previousTerm } : {}),
    ...(renewedOn ? { renewedOn } : {}),
    ...(operations?.length ? { operations } : {}),
  };
}

/** Whether a link still bills the organization (anything but `Unsubscribed`): it holds the organization's one channel. */
export const marketplaceLive = (link: MarketplaceLink | undefined): boolean =>
  link !== undefined && link.status !== 'Unsubscribed';
