/**
 * Where the CLI reaches Azure: every service's public-cloud address, the Entra audience its tokens are for, and
 * the one variable that overrides it (a sovereign cloud, a proxy, or a test's loopback stand-in). Nothing else in
 * the CLI reads an `ATAKORA_*_ENDPOINT` variable or writes an Azure host name: a new service gets its row here.
 *
 * | service | default | override (placeholder) |
 * |---|---|---|
 * | Resource Manager | `https://management.azure.com` | `ATAKORA_ARM_ENDPOINT` |
 * | Microsoft Graph | `https://graph.microsoft.com` | `ATAKORA_GRAPH_ENDPOINT` |
 * | Key Vault data plane | `https://{vault}.vault.azure.net` | `ATAKORA_KEYVAULT_ENDPOINT` (`{vault}`) |
 * | Blob Storage | `https://{account}.blob.core.windows.net` | `ATAKORA_BLOB_ENDPOINT` (`{account}`) |
 * | Cosmos DB data plane | the account's endpoint from the plan | `ATAKORA_COSMOS_ENDPOINT` (`{account}`), `ATAKORA_COSMOS_CA` |
 * | One Deploy (Kudu) | the app's SCM host (Resource Manager) | `ATAKORA_SCM_ENDPOINT` (`{host}`, `{app}`) |
 * | Log Analytics query API | `https://api.loganalytics.io` | `ATAKORA_LOGS_ENDPOINT` |
 * | this machine's public address | `https://api.ipify.org` | `ATAKORA_IP_ECHO_URL` |
 */

/** The variables that override an endpoint, by service. */
export const ENDPOINT_VARIABLES = {
  arm: 'ATAKORA_ARM_ENDPOINT',
  graph: 'ATAKORA_GRAPH_ENDPOINT',
  keyVault: 'ATAKORA_KEYVAULT_ENDPOINT',
  blob: 'ATAKORA_BLOB_ENDPOINT',
  cosmos: 'ATAKORA_COSMOS_ENDPOINT',
  cosmosCa: 'ATAKORA_COSMOS_CA',
  scm: 'ATAKORA_SCM_ENDPOINT',
  logs: 'ATAKORA_LOGS_ENDPOINT',
  ipEcho: 'ATAKORA_IP_ECHO_URL',
} as const;

/**
 * The Entra audiences of the data planes (a token's scope is `<audience>/.default`): Storage
 * (https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory), Key Vault
 * (https://learn.microsoft.com/azure/key-vault/general/authentication), Cosmos DB
 * (https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac), Log Analytics
 * (https://learn.microsoft.com/azure/azure-monitor/logs/api/access-api). Resource Manager's and Graph's audience
 * is their endpoint.
 */
export const AUDIENCES = {
  storage: 'https://storage.azure.com',
  keyVault: 'https://vault.azure.net',
  cosmos: 'https://cosmos.azure.com',
  logs: 'https://api.loganalytics.io',
} as const;

/** The IP echo service `--admit-address auto` asks for this machine's public address. */
export const DEFAULT_IP_ECHO_URL = 'https://api.ipify.org';

const trim = (url: string) => url.replace(/\/+$/, '');

/**
 * Resource Manager's base URL, without a trailing slash: the given one, else `ATAKORA_ARM_ENDPOINT`, else the
 * public cloud's. Also the audience of its tokens.
 *
 * @example
 * ```ts
 * armEndpoint(undefined, process.env); // 'https://management.azure.com'
 * ```
 */
export function armEndpoint(given: string | undefined, env: NodeJS.ProcessEnv): string {
  return trim(given ?? (env[ENDPOINT_VARIABLES.arm] || 'https://management.azure.com'));
}

/**
 * Microsoft Graph's base URL (also its tokens' audience): `ATAKORA_GRAPH_ENDPOINT`, else the public cloud's.
 *
 * @example
 * ```ts
 * graphEndpoint({}); // 'https://graph.microsoft.com'
 * ```
 */
export function graphEndpoint(env: NodeJS.ProcessEnv): string {
  return trim(env[ENDPOINT_VARIABLES.graph] || 'https://graph.microsoft.com');
}

/**
 * The vault's data-plane base URL: `https://<vault>.vault.azure.net`, or `ATAKORA_KEYVAULT_ENDPOINT` where
 * `{vault}` stands for the vault name.
 *
 * @example
 * ```ts
 * vaultUrl('kv-backend-dev-k3x9a1', {}); // 'https://kv-backend-dev-k3x9a1.vault.azure.net'
 * vaultUrl('kv-a', { ATAKORA_KEYVAULT_ENDPOINT: 'http://127.0.0.1:9000/{vault}' }); // 'http://127.0.0.1:9000/kv-a'
 * ```
 */
export function vaultUrl(vault: string, env: NodeJS.ProcessEnv): string {
  return trim(
    (env[ENDPOINT_VARIABLES.keyVault] || 'https://{vault}.vault.azure.net').replace(
      '{vault}',
      vault,
    ),
  );
}

/**
 * A storage account's blob service URL, without a trailing slash: `https://<account>.blob.core.windows.net`, or
 * `ATAKORA_BLOB_ENDPOINT` where `{account}` stands for the account name.
 *
 * @example
 * ```ts
 * blobServiceUrl('stbackenddev', {}); // 'https://stbackenddev.blob.core.windows.net'
 * ```
 */
export function blobServiceUrl(account: string, env: NodeJS.ProcessEnv): string {
  return trim(
    (env[ENDPOINT_VARIABLES.blob] || 'https://{account}.blob.core.windows.net').replace(
      '{account}',
      account,
    ),
  );
}

/**
 * The public address of a blob container, as Terraform writes it into an app's settings (never overridden: it is
 * what Azure reads, compared with what Resource Manager reports).
 *
 * @example
 * ```ts
 * publicContainerUrl('stbackenddev', 'app-package-func-x'); // 'https://stbackenddev.blob.core.windows.net/app-package-func-x'
 * ```
 */
export function publicContainerUrl(account: string, container: string): string {
  return `https://${account}.blob.core.windows.net/${container}`;
}

/**
 * The Cosmos DB endpoint to call for an account whose planned endpoint is `accountEndpoint`: that one, or
 * `ATAKORA_COSMOS_ENDPOINT` where `{account}` stands for the account's name.
 *
 * @example
 * ```ts
 * cosmosEndpoint('https://cosmos-a.documents.azure.com:443/', { ATAKORA_COSMOS_ENDPOINT: 'https://127.0.0.1:8081/' });
 * // 'https://127.0.0.1:8081/'
 * ```
 */
export function cosmosEndpoint(accountEndpoint: string, env: NodeJS.ProcessEnv): string {
  const override = env[ENDPOINT_VARIABLES.cosmos];
  if (!override) return accountEndpoint;
  return override.replace('{account}', new URL(accountEndpoint).hostname.split('.')[0] ?? '');
}

/**
 * A Function App's deployment (Kudu) site, without a trailing slash: `https://<scm host>` — the host Resource Manager
 * lists for the app (azure/sites.ts, `siteState().scmHost`; an app with a unique default host name answers only on
 * its own), else `<app>.scm.azurewebsites.net` — or `ATAKORA_SCM_ENDPOINT`, where `{host}` stands for that host and
 * `{app}` for the app's name.
 *
 * @example
 * ```ts
 * scmUrl('func-backend-sbx-ada', {}); // 'https://func-backend-sbx-ada.scm.azurewebsites.net'
 * scmUrl('func-a', {}, 'func-a-b7c3d9e0f1a2b3c4.scm.westeurope-01.azurewebsites.net');
 * // 'https://func-a-b7c3d9e0f1a2b3c4.scm.westeurope-01.azurewebsites.net'
 * ```
 */
export function scmUrl(app: string, env: NodeJS.ProcessEnv, scmHost?: string): string {
  const host = scmHost ?? `${app}.scm.azurewebsites.net`;
  return trim(
    (env[ENDPOINT_VARIABLES.scm] || 'https://{host}').replace('{host}', host).replace('{app}', app),
  );
}

/**
 * The Log Analytics query API's base URL: `ATAKORA_LOGS_ENDPOINT`, else the public cloud's.
 *
 * @example
 * ```ts
 * logsEndpoint({}); // 'https://api.loganalytics.io'
 * ```
 */
export function logsEndpoint(env: NodeJS.ProcessEnv): string {
  return trim(env[ENDPOINT_VARIABLES.logs] || 'https://api.loganalytics.io');
}

/**
 * The IP echo service's URL: `ATAKORA_IP_ECHO_URL`, else {@link DEFAULT_IP_ECHO_URL}.
 *
 * @example
 * ```ts
 * ipEchoUrl({}); // 'https://api.ipify.org'
 * ```
 */
export function ipEchoUrl(env: NodeJS.ProcessEnv): string {
  return env[ENDPOINT_VARIABLES.ipEcho] || DEFAULT_IP_ECHO_URL;
}

/**
 * A Function App's default public address (`https://<app>.azurewebsites.net`), where its health is checked when
 * no output names another.
 *
 * @example
 * ```ts
 * appDefaultUrl('func-backend-prod-k3x9a1'); // 'https://func-backend-prod-k3x9a1.azurewebsites.net'
 * ```
 */
export function appDefaultUrl(app: string): string {
  return `https://${app}.azurewebsites.net`;
}

/**
 * One Function App's URL under Resource Manager (`<arm>/subscriptions/<s>/resourceGroups/<rg>/providers/
 * Microsoft.Web/sites/<app>`): the base of its settings, restarts, references and trigger sync.
 *
 * @example
 * ```ts
 * siteResourceUrl('https://management.azure.com', 'sub', 'rg-backend-dev', 'func-x');
 * ```
 */
export function siteResourceUrl(
  arm: string,
  subscriptionId: string,
  resourceGroup: string,
  app: string,
): string {
  return `${arm}/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${app}`;
}
