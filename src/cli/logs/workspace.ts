import type { Backend } from '../../backend/backend.js';
import { AtakoraError } from '../../model/errors.js';
import { MONITORING_KEY } from '../../resources/monitoring/type.js';
import { azureToken } from '../azure/credentials.js';
import { AUDIENCES } from '../azure/endpoints.js';
import { AzureRequestError, firstLine } from '../azure/errors.js';
import { logsRows, queryLogs, workspaceResourceId } from '../azure/log-analytics.js';
import { deployedPlan } from '../shared/secrets/secret-target.js';
import { printable } from '../shared/terminal-text.js';

/** Where an environment's telemetry is: its Log Analytics workspace, as `atakora deploy` names it. */
export interface LogsTarget {
  readonly stack: string;
  readonly environment: string;
  readonly resourceGroup: string;
  readonly subscriptionId: string;
  readonly workspace: string;
  readonly resourceId: string;
  readonly samplingPercentage: number;
  /** Every Cosmos DB account of the backend is serverless (billed per RU, so RU × price is money). */
  readonly serverless: boolean;
}

/**
 * The workspace of a backend's environment: the plan for its deployment target (`rg-<stack>` unless
 * `--resource-group`; ARM_SUBSCRIPTION_ID), queried in the workspace's context, so no id only Azure knows is
 * needed. LOGS_MONITORING_OFF without `monitoring`, LOGS_SUBSCRIPTION_MISSING without a subscription.
 *
 * @example
 * ```ts
 * const t = logsTarget(backend, undefined);
 * t.workspace; // 'log-backend-prod-k3x9a1'
 * ```
 */
export function logsTarget(backend: Backend, resourceGroup: string | undefined): LogsTarget {
  const { stack, plan, resourceGroup: rg, subscriptionId } = deployedPlan(backend, resourceGroup);
  const monitoring = plan.resources.find((r) => r.key === MONITORING_KEY);
  if (!monitoring)
    throw new AtakoraError(
      'LOGS_MONITORING_OFF',
      `${stack} has no monitoring: nothing records its requests in Azure, so there are no logs to read.`,
      { path: ['config', 'monitoring'] },
    );
  if (!subscriptionId)
    throw new AtakoraError(
      'LOGS_SUBSCRIPTION_MISSING',
      `ARM_SUBSCRIPTION_ID is not set, so ${stack}'s workspace (${monitoring.name} in ${rg}) cannot be named.`,
      { path: ['ARM_SUBSCRIPTION_ID'] },
    );
  const cosmos = plan.resources.filter((r) => r.type === 'cosmos');
  return {
    stack,
    environment: plan.environment,
    resourceGroup: rg,
    subscriptionId,
    workspace: monitoring.name,
    resourceId: workspaceResourceId(subscriptionId, rg, monitoring.name),
    samplingPercentage: Number(monitoring.config['samplingPercentage'] ?? 100),
    serverless: cosmos.every((r) => r.config['serverless'] === true),
  };
}

/**
 * Run one query in the target's workspace with the deployer's identity and read its first table's rows. A
 * workspace that never received a request has no `AppRequests` table yet: that is no rows, not an error. Failures
 * become AtakoraErrors that say what to do: LOGS_SIGN_IN_FAILED, LOGS_ACCESS_DENIED (the role to ask for),
 * LOGS_WORKSPACE_NOT_FOUND, LOGS_QUERY_FAILED.
 *
 * @example
 * ```ts
 * const rows = await runQuery(target, usageQuery(), 'P30D');
 * ```
 */
export async function runQuery(
  target: LogsTarget,
  query: string,
  timespan: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, unknown>[]> {
  try {
    const [table] = await queryLogs({
      resourceId: target.resourceId,
      query,
      timespan,
      env,
      token: () => signIn(target, env),
    });
    return table ? logsRows(table) : [];
  } catch (e) {
    if (!(e instanceof AzureRequestError)) throw e;
    if (e.status === 400 && /SemanticError|Failed to resolve table/.test(e.body)) return [];
    throw queryError(target, e);
  }
}

async function signIn(target: LogsTarget, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return await azureToken(AUDIENCES.logs, env);
  } catch (e) {
    throw new AtakoraError(
      'LOGS_SIGN_IN_FAILED',
      `No token for the Log Analytics query API (${AUDIENCES.logs}) to read ${target.stack}'s logs: ${firstLine(e)}`,
      {
        resolution:
          'Sign in as the deployer: az login (or ARM_CLIENT_ID / ARM_TENANT_ID / ARM_CLIENT_SECRET, or ' +
          'ARM_USE_OIDC in a pipeline), then run the command again.',
      },
    );
  }
}

function queryError(target: LogsTarget, e: AzureRequestError): AtakoraError {
  const where = `${target.workspace} in ${target.resourceGroup}`;
  // The service's own words, printed with the error: escaped as the rows are (shared/terminal-text.ts).
  const said = printable(e.azureMessage ?? e.body.slice(0, 200));
  if (e.status === 401 || e.status === 403)
    return new AtakoraError(
      'LOGS_ACCESS_DENIED',
      `The Log Analytics query API refused to read ${where} (HTTP ${String(e.status)}${said ? `: ${said}` : ''}).`,
      {
        path: ['monitoring', target.workspace],
        resolution:
          `Ask for Log Analytics Reader (or Reader) on the workspace: az role assignment create --role ` +
          `"Log Analytics Reader" --assignee "$(az ad signed-in-user show --query id -o tsv)" --scope ` +
          `${target.resourceId}. A new role ` +
          'assignment takes a few minutes to apply.',
      },
    );
  if (e.status === 404)
    return new AtakoraError(
      'LOGS_WORKSPACE_NOT_FOUND',
      `There is no workspace ${where} in subscription ${target.subscriptionId}: ${target.stack} is not ` +
        'deployed with monitoring there.',
      {
        path: ['monitoring', target.workspace],
        resolution:
          `Deploy it (atakora deploy <entry>${target.environment ? ` --environment ${target.environment}` : ''}), ` +
          'or name where it is: --resource-group <name> and ARM_SUBSCRIPTION_ID.',
      },
    );
  return new AtakoraError(
    'LOGS_QUERY_FAILED',
    `Reading ${where} failed: ${e.status === undefined ? `no answer (${e.network ?? e.message})` : `HTTP ${String(e.status)}${said ? ` ${said}` : ''}`}.`,
    {
      path: ['monitoring', target.workspace],
      resolution:
        'Run it again; if it persists, check the network to the Log Analytics query API ' +
        '(ATAKORA_LOGS_ENDPOINT replaces it) and the service health of Azure Monitor.',
    },
  );
}
