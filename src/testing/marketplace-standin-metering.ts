import { randomUUID } from 'node:crypto';
import { MARKETPLACE_BATCH_SIZE, MARKETPLACE_WINDOW_MS } from '../model/marketplace.js';
import type { StandInSubscription } from './marketplace-standin-saas.js';

/** A usage event Marketplace accepted (what the publisher will be paid for). */
export interface AcceptedUsage {
  readonly usageEventId: string;
  readonly resourceId: string;
  readonly quantity: number;
  readonly dimension: string;
  readonly effectiveStartTime: string;
  readonly planId: string;
  readonly messageTime: string;
}

/**
 * Faults of the metering API: the next `count` `batchUsageEvent` calls answer `status` (default 503) — or, with
 * `afterTaking`, take the events first and then answer it (a publisher killed or cut off after Marketplace took them).
 */
export interface MeteringFaults {
  count: number;
  status?: number;
  afterTaking?: boolean;
}

/** The metering side's state: what was accepted, each call's size, the dimensions an offer declares. */
export interface MeteringState {
  readonly accepted: AcceptedUsage[];
  readonly batches: number[];
  readonly faults: MeteringFaults;
  /** Dimension ids the plans declare (none: any is taken). */
  readonly dimensions: readonly string[] | undefined;
}

const HOUR_MS = 3_600_000;
const hourOf = (iso: string): number => Math.floor(Date.parse(iso) / HOUR_MS);

/** One event's outcome, as Learn's `BatchUsageEvent` result lists statuses. */
function outcome(
  e: Record<string, unknown>,
  subs: ReadonlyMap<string, StandInSubscription>,
  state: MeteringState,
  nowMs: number,
): { status: string; message?: string } {
  const id = e['resourceId'];
  const sub = typeof id === 'string' ? subs.get(id.toLowerCase()) : undefined;
  const at =
    typeof e['effectiveStartTime'] === 'string' ? Date.parse(e['effectiveStartTime']) : NaN;
  const quantity = e['quantity'];
  if (typeof e['dimension'] !== 'string' || typeof e['planId'] !== 'string' || Number.isNaN(at))
    return { status: 'BadArgument', message: 'The input is missing or malformed.' };
  if (!sub)
    return { status: 'ResourceNotFound', message: 'The usage resource provided is invalid.' };
  if (sub.status !== 'Subscribed')
    return {
      status: 'ResourceNotActive',
      message: 'The resource is suspended or was never activated.',
    };
  if (
    e['planId'] !== sub.planId ||
    (state.dimensions && !state.dimensions.includes(e['dimension']))
  )
    return { status: 'InvalidDimension', message: 'The dimension is invalid for this offer/plan.' };
  if (typeof quantity !== 'number' || !(quantity > 0))
    return { status: 'InvalidQuantity', message: 'The quantity passed is lower or equal to 0.' };
  // "Usage events can only be emitted for the past 24 hours" (and none ahead of now).
  if (at > nowMs || nowMs - at > MARKETPLACE_WINDOW_MS)
    return { status: 'Expired', message: 'Expired usage.' };
  return { status: 'Accepted' };
}

/**
 * `POST /api/batchUsageEvent` (Learn, "Marketplace metered billing APIs"): 400 past 25 events; else 200 with each
 * event's result — `Accepted`, or `Duplicate` (error `Conflict`, the accepted one named) for a second event of one
 * subscription, dimension and hour ("Only one usage event can be emitted for each hour of a calendar day per
 * resource"), or `Expired`, `ResourceNotFound`, `ResourceNotActive`, `InvalidDimension`, `InvalidQuantity`,
 * `BadArgument`.
 *
 * @example
 * ```ts
 * const { status, body } = batchUsage(request, subscriptions, state, Date.now());
 * ```
 */
export function batchUsage(
  body: unknown,
  subs: ReadonlyMap<string, StandInSubscription>,
  state: MeteringState,
  nowMs: number,
): { status: number; body: unknown } {
  const request = (body as { request?: unknown } | undefined)?.request;
  if (!Array.isArray(request))
    return { status: 400, body: { code: 'BadArgument', message: 'request is required.' } };
  if (request.length > MARKETPLACE_BATCH_SIZE)
    return {
      status: 400,
      body: { code: 'BadArgument', message: 'The batch contained more than 25 usage events.' },
    };
  state.batches.push(request.length);
  const result = request.map((raw) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const o = outcome(e, subs, state, nowMs);
    const echo = {
      resourceId: e['resourceId'],
      quantity: e['quantity'],
      dimension: e['dimension'],
      effectiveStartTime: e['effectiveStartTime'],
      planId: e['planId'],
    };
    if (o.status !== 'Accepted')
      return {
        status: o.status,
        messageTime: '0001-01-01T00:00:00',
        ...echo,
        error: { code: o.status, message: o.message },
      };
    const twin = state.accepted.find(
      (a) =>
        a.resourceId.toLowerCase() === String(e['resourceId']).toLowerCase() &&
        a.dimension === e['dimension'] &&
        hourOf(a.effectiveStartTime) === hourOf(String(e['effectiveStartTime'])),
    );
    if (twin)
      return {
        status: 'Duplicate',
        messageTime: '0001-01-01T00:00:00',
        ...echo,
        error: {
          additionalInfo: { acceptedMessage: { ...twin, status: 'Duplicate' } },
          message: 'This usage event already exist.',
          code: 'Conflict',
        },
      };
    const taken: AcceptedUsage = {
      usageEventId: randomUUID(),
      resourceId: String(e['resourceId']),
      quantity: Number(e['quantity']),
      dimension: String(e['dimension']),
      effectiveStartTime: String(e['effectiveStartTime']),
      planId: String(e['planId']),
      messageTime: new Date(nowMs).toISOString(),
    };
    state.accepted.push(taken);
    return { ...taken, status: 'Accepted' };
  });
  return { status: 200, body: { count: result.length, result } };
}

/**
 * `GET /api/usageEvents?usageStartDate&usageEndDate&offerId&planId&dimension` (Learn): the accepted events summed per
 * day, subscription, dimension and plan — `submittedQuantity`, `processedQuantity` (as processed: the same),
 * `submittedCount`, `reconStatus` `Accepted`.
 *
 * @example
 * ```ts
 * usageEvents(new URL('http://x/api/usageEvents?usageStartDate=2026-11-24'), state, subscriptions);
 * ```
 */
export function usageEvents(
  url: URL,
  state: MeteringState,
  subs: ReadonlyMap<string, StandInSubscription>,
): unknown[] {
  const from = Date.parse(url.searchParams.get('usageStartDate') ?? '');
  // The spec spells it `UsageEndDate` (meteringapi.v1.json): either spelling is read.
  const toText = [...url.searchParams].find(([k]) => k.toLowerCase() === 'usageenddate')?.[1];
  const to = toText ? Date.parse(toText) : Infinity;
  const offer = url.searchParams.get('offerId');
  const rows = new Map<
    string,
    Record<string, unknown> & { submittedQuantity: number; submittedCount: number }
  >();
  for (const a of state.accepted) {
    const at = Date.parse(a.effectiveStartTime);
    const sub = subs.get(a.resourceId.toLowerCase());
    if (Number.isNaN(from) || at < from || at > to || (offer && sub?.offerId !== offer)) continue;
    const day = `${a.effectiveStartTime.slice(0, 10)}T00:00:00Z`;
    const key = `${day}|${a.resourceId}|${a.dimension}|${a.planId}`;
    const row = rows.get(key) ?? {
      usageDate: day,
      usageResourceId: a.resourceId,
      dimension: a.dimension,
      planId: a.planId,
      planName: a.planId,
      offerId: sub?.offerId ?? '',
      offerName: sub?.offerId ?? '',
      offerType: 'SaaS',
      // A uuid in the spec (meteringapi.v1.json, GetUsageEvent.azureSubscriptionId), never the empty string.
      azureSubscriptionId: randomUUID(),
      reconStatus: 'Accepted',
      submittedQuantity: 0,
      processedQuantity: 0,
      submittedCount: 0,
    };
    row.submittedQuantity += a.quantity;
    row['processedQuantity'] = row.submittedQuantity;
    row.submittedCount += 1;
    rows.set(key, row);
  }
  return [...rows.values()];
}
