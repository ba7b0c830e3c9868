import { at } from '../../model/at.js';
import { COSMOS_PRICES } from '../../resources/cosmos/prices.js';
import { printable } from '../shared/terminal-text.js';

/** One request as `atakora logs` prints it (`--json`: one such object per line). */
export interface RequestLine {
  readonly time: string;
  /** `<METHOD> <route template>`. */
  readonly name: string;
  readonly status: string;
  readonly success: boolean;
  readonly durationMs: number;
  readonly tenant: string;
  readonly component: string;
  readonly operation: string;
  /** The caller's `oid`, or '' for an anonymous request. */
  readonly userId: string;
  readonly requestCharge: number;
  /** How many requests this row stands for (100 / the sampling percentage). */
  readonly itemCount: number;
  readonly operationId: string;
  /** Row id (dedupe while following) and ingestion time (where a follow goes on from); not printed. */
  readonly id: string;
  readonly ingested: string;
}

// Every value a row carries came from the workspace, where any caller's request wrote it (a route, a tenant claim,
// a user id): escaped before anything prints it (shared/terminal-text.ts).
const text = (v: unknown): string =>
  printable(
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '',
  );
const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
};

/**
 * A row of the requests query (queries.ts) as a {@link RequestLine}.
 *
 * @example
 * ```ts
 * requestLine({ TimeGenerated: '2026-11-25T10:00:00Z', Name: 'GET api/notes', ResultCode: '200', … });
 * ```
 */
export function requestLine(row: Record<string, unknown>): RequestLine {
  return {
    time: text(row['TimeGenerated']),
    name: text(row['Name']),
    status: text(row['ResultCode']),
    success: row['Success'] === true || row['Success'] === 'True' || row['Success'] === 'true',
    durationMs: num(row['DurationMs']),
    tenant: text(row['Tenant']),
    component: text(row['Component']),
    operation: text(row['Operation']),
    userId: text(row['UserId']),
    requestCharge: num(row['RequestCharge']),
    itemCount: num(row['ItemCount']) || 1,
    operationId: text(row['OperationId']),
    id: text(row['Id']),
    ingested: text(row['Ingested']),
  };
}

/**
 * One request as a line of text: time, status, route, duration, RU, tenant, component and operation, the caller,
 * the operation id (to find its Cosmos DB calls: docs/observability.md "KQL examples").
 *
 * @example
 * ```ts
 * formatRequest(line, (s) => s); // '2026-11-25T10:00:00.000Z  200  GET api/notes  12 ms  3.2 RU  tenant=t1  NoteApi list  user=o1  op=4bf9…'
 * ```
 */
export function formatRequest(r: RequestLine, failed: (s: string) => string): string {
  const status = r.success ? r.status : failed(r.status);
  const sampled = r.itemCount > 1 ? `  ×${String(Math.round(r.itemCount))}` : '';
  return (
    `${r.time}  ${status.padEnd(3)}  ${r.name}  ${r.durationMs.toFixed(0)} ms  ${round1(r.requestCharge)} RU  ` +
    `tenant=${r.tenant || '-'}  ${r.component} ${r.operation}  user=${r.userId || '-'}  op=${r.operationId}${sampled}`
  );
}

/** Requests, failures, RU and their estimated Cosmos DB cost of one tenant or component. */
export interface UsageRow {
  readonly requests: number;
  readonly failures: number;
  readonly requestUnits: number;
  /** RU × the serverless price ($0.25 per million RU); on a provisioned account, the share, not a bill. */
  readonly estimatedUsd: number;
}

/** `atakora usage` as data (`--json`). */
export interface Usage {
  readonly stack: string;
  readonly environment: string;
  readonly since: string;
  readonly samplingPercentage: number;
  readonly serverless: boolean;
  readonly usdPerMillionRu: number;
  readonly tenants: readonly (UsageRow & { readonly tenant: string })[];
  readonly components: readonly (UsageRow & { readonly component: string })[];
  readonly total: UsageRow;
}

/**
 * Sum the usage query's rows (one per tenant and component) per tenant, per component and in all, largest RU
 * first.
 *
 * @example
 * ```ts
 * usageOf(rows, { stack: 'backend-prod', environment: 'prod', since: '30d', samplingPercentage: 25, serverless: true });
 * ```
 */
export function usageOf(
  rows: readonly Record<string, unknown>[],
  about: Pick<Usage, 'stack' | 'environment' | 'since' | 'samplingPercentage' | 'serverless'>,
): Usage {
  const tenants = new Map<string, Sum>();
  const components = new Map<string, Sum>();
  const total = new Sum();
  for (const row of rows) {
    const add = (s: Sum) => {
      s.add(num(row['Requests']), num(row['Failures']), num(row['RequestUnits']));
    };
    const tenant = text(row['Tenant']) || '(none)';
    const component = text(row['Component']);
    add(sumOf(tenants, tenant));
    add(sumOf(components, component));
    add(total);
  }
  const byRu = <T extends UsageRow>(a: T, b: T) => b.requestUnits - a.requestUnits;
  return {
    ...about,
    usdPerMillionRu: COSMOS_PRICES.serverlessPerMillionRu,
    tenants: [...tenants].map(([tenant, s]) => ({ tenant, ...s.row() })).sort(byRu),
    components: [...components].map(([component, s]) => ({ component, ...s.row() })).sort(byRu),
    total: total.row(),
  };
}

function sumOf(sums: Map<string, Sum>, key: string): Sum {
  const known = sums.get(key);
  if (known) return known;
  const added = new Sum();
  sums.set(key, added);
  return added;
}

class Sum {
  requests = 0;
  failures = 0;
  requestUnits = 0;
  add(requests: number, failures: number, requestUnits: number): void {
    this.requests += requests;
    this.failures += failures;
    this.requestUnits += requestUnits;
  }
  row(): UsageRow {
    return {
      requests: Math.round(this.requests),
      failures: Math.round(this.failures),
      requestUnits: round1(this.requestUnits),
      estimatedUsd:
        Math.round(
          (this.requestUnits / 1_000_000) * COSMOS_PRICES.serverlessPerMillionRu * 10_000,
        ) / 10_000,
    };
  }
}

/**
 * `atakora usage` as text: a header (what, how long, the sampling), a table per tenant, one per component.
 *
 * @example
 * ```ts
 * io.out(formatUsage(usage));
 * ```
 */
export function formatUsage(u: Usage): string {
  const head =
    `${u.stack} (${u.environment}): requests, RU and estimated Cosmos DB cost in the last ${u.since}` +
    (u.samplingPercentage < 100
      ? `, from traces kept at ${String(u.samplingPercentage)}% (counts scaled back: estimates)`
      : '');
  const price = u.serverless
    ? `USD at the serverless price, $${String(u.usdPerMillionRu)} per million RU.`
    : `USD: the RU at the serverless price, $${String(u.usdPerMillionRu)} per million: a provisioned account is ` +
      'billed for its throughput, so this is each one’s share, not its bill.';
  const table = (label: string, rows: readonly (UsageRow & { key: string })[]) => {
    const lines = [
      [label, 'REQUESTS', 'FAILURES', 'RU', 'USD'],
      ...rows.map((r) => [
        r.key,
        String(r.requests),
        String(r.failures),
        String(r.requestUnits),
        r.estimatedUsd.toFixed(4),
      ]),
    ];
    const widths = at(lines, 0).map((_, i) => Math.max(...lines.map((l) => at(l, i).length)));
    return lines
      .map((l) =>
        l
          .map((c, i) => (i === 0 ? c.padEnd(at(widths, i)) : c.padStart(at(widths, i))))
          .join('  ')
          .trimEnd(),
      )
      .join('\n');
  };
  if (u.total.requests === 0)
    return `${head}\nNo requests recorded in that time (a row reaches the workspace a few minutes after its request).\n`;
  return [
    head,
    '',
    table(
      'TENANT',
      u.tenants.map((t) => ({ ...t, key: t.tenant })),
    ),
    '',
    table(
      'COMPONENT',
      u.components.map((c) => ({ ...c, key: c.component })),
    ),
    '',
    `total: ${String(u.total.requests)} requests, ${String(u.total.failures)} failed, ${String(u.total.requestUnits)} RU, ` +
      `~$${u.total.estimatedUsd.toFixed(4)}. ${price}`,
    '',
  ].join('\n');
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
