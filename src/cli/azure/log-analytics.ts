import { azureToken } from './credentials.js';
import { AUDIENCES, logsEndpoint } from './endpoints.js';
import { azureOk } from './http.js';

/** One table of a query's answer, as the API sends it: columns, then rows of values in their order. */
export interface LogsTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly unknown[])[];
}

/**
 * A query of one workspace: by its id, or in the context of an Azure resource (a workspace's or an Application
 * Insights component's Resource Manager id), which needs no id that only Azure knows.
 */
export type LogsQuery = LogsQueryOptions &
  (
    | {
        /** The workspace's id (its customer id: a GUID, the Terraform attribute `workspace_id`). */
        readonly workspaceId: string;
        readonly resourceId?: undefined;
      }
    | {
        /** A resource's Resource Manager id (`/subscriptions/…/workspaces/<name>`): "Query - Execute With Resource Id". */
        readonly resourceId: string;
        readonly workspaceId?: undefined;
      }
  );

/** What every query takes besides where it runs. */
export interface LogsQueryOptions {
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
 * `https://api.loganalytics.io/.default`; the answer is `{ tables: [{ name, columns: [{ name, type }], rows }] }`),
 * or in a resource's context ("Query - Execute With Resource Id": `POST …/v1/{resourceId}/query`, the same body and
 * answer; the caller needs read access to that resource).
 * `ATAKORA_LOGS_ENDPOINT` replaces the endpoint (a stand-in). A non-2xx or no answer is an AzureRequestError.
 *
 * @example
 * ```ts
 * const [table] = await queryLogs({ workspaceId, query: 'AppRequests | take 10', timespan: 'PT1H' });
 * await queryLogs({ resourceId: workspaceResourceId(sub, 'rg-backend-prod', 'log-backend-prod'), query: 'AppRequests | take 1' });
 * ```
 */
export async function queryLogs(q: LogsQuery): Promise<LogsTable[]> {
  const env = q.env ?? process.env;
  const token = await (q.token ?? (() => azureToken(AUDIENCES.logs, env)))();
  const answer = await azureOk({
    service: 'Log Analytics',
    what:
      q.resourceId === undefined
        ? `querying workspace ${q.workspaceId}`
        : `querying ${q.resourceId.split('/').pop() ?? q.resourceId}`,
    url:
      q.resourceId === undefined
        ? `${logsEndpoint(env)}/v1/workspaces/${encodeURIComponent(q.workspaceId)}/query`
        : `${logsEndpoint(env)}/v1${q.resourceId.split('/').map(encodeURIComponent).join('/')}/query`,
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

/**
 * A Log Analytics workspace's Resource Manager id, for {@link queryLogs}' `resourceId`.
 *
 * @example
 * ```ts
 * workspaceResourceId('5f1c…', 'rg-backend-prod', 'log-backend-prod');
 * // '/subscriptions/5f1c…/resourceGroups/rg-backend-prod/providers/Microsoft.OperationalInsights/workspaces/log-backend-prod'
 * ```
 */
export function workspaceResourceId(
  subscriptionId: string,
  resourceGroup: string,
  workspace: string,
): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${workspace}`;
}
