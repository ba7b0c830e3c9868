import { UsageError } from '../shared/usage-error.js';

/**
 * The Kusto queries of `atakora logs` and `atakora usage`, over the rows the runtime's server spans become in the
 * workspace (`AppRequests`: docs/observability.md "In Azure"). Pure: text in, text out. Values that come from the
 * command line (a tenant, a time) enter a query only after a check that leaves nothing a query could read as
 * syntax: the query API takes no parameters.
 */

/** A `--since` read: the ISO 8601 duration the API takes as `timespan`, and the milliseconds. */
export interface Since {
  readonly text: string;
  readonly iso: string;
  readonly ms: number;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Log Analytics keeps data at most 12 years, interactive retention at most 2 years (730 days). */
const MAX_SINCE_MS = 730 * UNIT_MS.d;

/**
 * `--since 30m | 1h | 7d | 90s` as a duration.
 *
 * @example
 * ```ts
 * parseSince('1h'); // { text: '1h', iso: 'PT1H', ms: 3600000 }
 * parseSince('30d').iso; // 'P30D'
 * ```
 */
export function parseSince(text: string): Since {
  const m = /^(\d{1,6})([smhd])$/.exec(text.trim());
  const n = m ? Number(m[1]) : 0;
  const unit = m?.[2] as keyof typeof UNIT_MS | undefined;
  const ms = unit ? n * UNIT_MS[unit] : 0;
  if (!unit || ms <= 0 || ms > MAX_SINCE_MS)
    throw new UsageError(
      `--since takes a duration such as 90s, 30m, 1h or 7d, at most 730d (got ${JSON.stringify(text)}).`,
    );
  const iso = unit === 'd' ? `P${String(n)}D` : `PT${String(n)}${unit.toUpperCase()}`;
  return { text: text.trim(), iso, ms };
}

/**
 * A `--tenant` as the runtime records it (a directory id, `shared`, or a gateway's tenant id): letters, digits and
 * `. _ - : @`, at most 128 characters — so it can stand in a query's string literal as it is.
 *
 * @example
 * ```ts
 * checkTenant('72f988bf-86f1-41af-91ab-2d7cd011db47'); // the same
 * checkTenant('x" or 1==1'); // throws a UsageError
 * ```
 */
export function checkTenant(tenant: string): string {
  if (/^[A-Za-z0-9._:@-]{1,128}$/.test(tenant)) return tenant;
  throw new UsageError(
    `--tenant takes a tenant id as the runtime records it (letters, digits and . _ - : @, at most 128; ` +
      `got ${JSON.stringify(tenant.slice(0, 40))}).`,
  );
}

/** The runtime's server spans only: the host's own request rows carry no `atakora.component`. */
const RUNTIME_REQUESTS = `AppRequests
| where isnotempty(tostring(Properties["atakora.component"]))`;

/** The most rows one `atakora logs` prints (the newest ones). */
export const LOGS_MAX_ROWS = 1000;

/**
 * The requests of the last `since` (or, when following, those ingested after `after`, an ISO time: a row reaches
 * the workspace minutes after its request, so a follow asks by ingestion time, not by the request's), oldest first,
 * at most {@link LOGS_MAX_ROWS} — the newest ones.
 *
 * @example
 * ```ts
 * requestsQuery({ tenant: 'contoso-tid' });
 * ```
 */
export function requestsQuery(o: { tenant?: string; after?: string }): string {
  const where: string[] = [];
  if (o.tenant !== undefined)
    where.push(`| where tostring(Properties["atakora.tenant"]) == "${checkTenant(o.tenant)}"`);
  if (o.after !== undefined) where.push(`| where ingestion_time() > datetime(${isoTime(o.after)})`);
  return [
    RUNTIME_REQUESTS,
    ...where,
    `| top ${String(LOGS_MAX_ROWS)} by TimeGenerated desc`,
    `| project TimeGenerated, Id, OperationId, Name, ResultCode, Success, DurationMs, ItemCount,
    Tenant = tostring(Properties["atakora.tenant"]), Component = tostring(Properties["atakora.component"]),
    Operation = tostring(Properties["atakora.operation"]), UserId = UserAuthenticatedId,
    RequestCharge = todouble(Properties["db.cosmosdb.request_charge"]), Ingested = ingestion_time()`,
    '| order by TimeGenerated asc',
  ].join('\n');
}

/**
 * Requests, failures and RU per tenant and component, scaled back from the sampling (`ItemCount`: a row kept at 25 %
 * stands for four requests).
 *
 * @example
 * ```ts
 * usageQuery();
 * ```
 */
export function usageQuery(): string {
  return [
    RUNTIME_REQUESTS,
    `| extend Tenant = tostring(Properties["atakora.tenant"]), Component = tostring(Properties["atakora.component"]),
    RequestCharge = todouble(Properties["db.cosmosdb.request_charge"])`,
    `| summarize Requests = sum(ItemCount), Failures = sumif(ItemCount, Success == false),
    RequestUnits = sum(coalesce(RequestCharge, 0.0) * ItemCount) by Tenant, Component`,
    '| order by RequestUnits desc',
  ].join('\n');
}

/** An ISO time from a row (or the clock) checked before it enters a query. */
function isoTime(t: string): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${t}`);
  return d.toISOString();
}
