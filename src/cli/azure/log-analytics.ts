import { azureToken } from './credentials.js';
import { AUDIENCES, logsEndpoint } from './endpoints.js';
import { azureOk } from './http.js';

/** One table of a query's answer, as the API sends it: columns, then rows of values in their order. */
export interface LogsTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly unknown[])[];
}

/** A query of one workspace. */
export interface LogsQuery {
  /** The workspace's id (its customer id: a GUID, the Terraform attribute `workspace_id`). */
  readonly workspaceId: string;
  /** The Kusto query. */
  readonly query: string;
  /** An ISO 8601 duration applied besides the query's own filters (`PT1H`, `P30D`). */
  readonly timespan?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** A bearer token for the audience `https://api.loganalytics.io`; default: the deployer's (credentials.ts). */
  readonly token?: () => Promise<string>;
}

/**
 * Run a query through the Log Analytics query API (Learn, "Query - Execute": `POST
 * https://api.loganalytics.io/v1/workspaces/{workspaceId}/query` with `{ query, timespan }`, scope
 * `https://api.loganalytics.io/.default`; the answer is `{ tables: [{ name, columns: [{ name, type }], rows }] }`).
 * `ATAKORA_LOGS_ENDPOINT` replaces the endpoint (a stand-in). A non-2xx or no answer is an AzureRequestError.
 *
 * @example
 * ```ts
 * const [table] = await queryLogs({ workspaceId, query: 'AppRequests | take 10', timespan: 'PT1H' });
 * ```
 */
export async function queryLogs(q: LogsQuery): Promise<LogsTable[]> {
  const env = q.env ?? process.env;
  const token = await (q.token ?? (() => azureToken(AUDIENCES.logs, env)))();
  const answer = await azureOk({
    service: 'Log Analytics',
    what: `querying workspace ${q.workspaceId}`,
    url: `${logsEndpoint(env)}/v1/workspaces/${encodeURIComponent(q.workspaceId)}/query`,
    method: 'POST',
    token,
    json: { query: q.query, ...(q.timespan ? { timespan: q.timespan } : {}) },
    timeoutMs: 120_000,
  });
  return ((answer.json() as { tables?: LogsTable[] } | undefined)?.tables ?? []).map((t) => ({
    name: t.name,
    columns: t.columns,
    rows: t.rows,
  }));
}

/**
 * A table's rows as objects keyed by column name.
 *
 * @example
 * ```ts
 * logsRows(table); // [{ TimeGenerated: '2026-…', ResultCode: '200', … }]
 * ```
 */
export function logsRows(table: LogsTable): Record<string, unknown>[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]])));
}
