/**
 * The items of the usage ledger (`atakora`/`usage`, keyed by `/tenant`): one instance's absolute totals, upserted
 * whole, so a flush retried after a failure never counts twice. A tenant's hour is the sum of its `hour` items over
 * instances; its stored bytes the sum of its `stored` items.
 *
 * @example
 * ```ts
 * const item: HourItem = {
 *   id: 'hour:2026-03-01T14:i-1', tenant: 'contoso', kind: 'hour', hour: '2026-03-01T14:00:00.000Z',
 *   instance: 'i-1', requests: 12, refused: 1, ru: 31.5, messages: 0, itemBytes: 2048, fileBytes: 0,
 * };
 * ```
 */
export interface HourItem {
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'hour';
  readonly hour: string;
  readonly instance: string;
  readonly requests: number;
  readonly refused: number;
  readonly ru: number;
  readonly messages: number;
  readonly itemBytes: number;
  readonly fileBytes: number;
}

/** One instance's running totals of bytes added minus removed for a tenant; never expires (`ttl: -1`). */
export interface StoredItem {
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'stored';
  readonly instance: string;
  readonly itemBytes: number;
  readonly fileBytes: number;
  readonly ttl: -1;
}

/** One instance's requests of a tenant in one UTC minute (the rate window), per caller too; gone after 180 s. */
export interface MinuteItem {
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'minute';
  readonly minute: string;
  readonly instance: string;
  readonly requests: number;
  readonly users: Readonly<Record<string, number>>;
  readonly ttl: 180;
}

/** An item the meter writes. */
export type UsageItem = HourItem | StoredItem | MinuteItem;

/** The additive counters of an hour item. */
export interface HourCounts {
  requests: number;
  refused: number;
  ru: number;
  messages: number;
  itemBytes: number;
  fileBytes: number;
}

/** A fresh {@link HourCounts}, all zero. */
export const zeroHour = (): HourCounts => ({
  requests: 0,
  refused: 0,
  ru: 0,
  messages: 0,
  itemBytes: 0,
  fileBytes: 0,
});

/**
 * The UTC hour key of `ms` (`YYYY-MM-DDTHH`), as ids name it.
 *
 * @example
 * ```ts
 * hourKey(Date.UTC(2026, 2, 1, 14, 5)); // '2026-03-01T14'
 * ```
 */
export function hourKey(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  if (h !== lastHour.at) lastHour = { at: h, key: new Date(ms).toISOString().slice(0, 13) };
  return lastHour.key;
}

// Every request asks for its hour and minute: the text is made once per hour and minute, not per request.
let lastHour = { at: Number.NaN, key: '' };
let lastMinute = { at: Number.NaN, key: '' };
let lastDay = { at: Number.NaN, key: '' };

/**
 * The UTC day key of `ms` (`YYYY-MM-DD`), made once per day.
 *
 * @example
 * ```ts
 * dayKey(Date.UTC(2026, 2, 1, 14, 5)); // '2026-03-01'
 * ```
 */
export function dayKey(ms: number): string {
  const d = Math.floor(ms / 86_400_000);
  if (d !== lastDay.at) lastDay = { at: d, key: new Date(ms).toISOString().slice(0, 10) };
  return lastDay.key;
}

/**
 * The UTC minute key of `ms` (`YYYY-MM-DDTHH:MM`).
 *
 * @example
 * ```ts
 * minuteKey(Date.UTC(2026, 2, 1, 14, 5, 30)); // '2026-03-01T14:05'
 * ```
 */
export function minuteKey(ms: number): string {
  const m = Math.floor(ms / 60_000);
  if (m !== lastMinute.at) lastMinute = { at: m, key: new Date(ms).toISOString().slice(0, 16) };
  return lastMinute.key;
}

/** RU with two decimals, as Cosmos DB's `x-ms-request-charge` gives them. */
export const roundRu = (ru: number): number => Math.round(ru * 100) / 100;

/**
 * The `hour` item of `tenant` for `hour` (its key) on `instance` with `counts`.
 *
 * @example
 * ```ts
 * hourItem('contoso', '2026-03-01T14', 'i-1', zeroHour()).id; // 'hour:2026-03-01T14:i-1'
 * ```
 */
export function hourItem(tenant: string, hour: string, instance: string, c: HourCounts): HourItem {
  return {
    id: `hour:${hour}:${instance}`,
    tenant,
    kind: 'hour',
    hour: `${hour}:00:00.000Z`,
    instance,
    requests: c.requests,
    refused: c.refused,
    ru: roundRu(c.ru),
    messages: c.messages,
    itemBytes: c.itemBytes,
    fileBytes: c.fileBytes,
  };
}

/**
 * The `stored` item of `tenant` on `instance`.
 *
 * @example
 * ```ts
 * storedItem('contoso', 'i-1', { itemBytes: 10, fileBytes: 0 }).ttl; // -1
 * ```
 */
export function storedItem(
  tenant: string,
  instance: string,
  bytes: { readonly itemBytes: number; readonly fileBytes: number },
): StoredItem {
  return {
    id: `stored:${instance}`,
    tenant,
    kind: 'stored',
    instance,
    itemBytes: bytes.itemBytes,
    fileBytes: bytes.fileBytes,
    ttl: -1,
  };
}

/**
 * The `minute` item of `tenant` for `minute` (its key) on `instance`.
 *
 * @example
 * ```ts
 * minuteItem('contoso', '2026-03-01T14:05', 'i-1', 3, { u1: 3 }).id; // 'minute:2026-03-01T14:05:i-1'
 * ```
 */
export function minuteItem(
  tenant: string,
  minute: string,
  instance: string,
  requests: number,
  users: Readonly<Record<string, number>>,
): MinuteItem {
  return {
    id: `minute:${minute}:${instance}`,
    tenant,
    kind: 'minute',
    minute,
    instance,
    requests,
    users: { ...users },
    ttl: 180,
  };
}
