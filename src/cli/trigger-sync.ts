/** A Function App to sync: where it lives in Azure Resource Manager. */
export interface SyncTarget {
  readonly app: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
}

/** The outcome for one app: `ok`, or why not. */
export interface SyncResult extends SyncTarget {
  readonly ok: boolean;
  readonly detail: string;
}

/** Options of {@link syncTriggers}. */
export interface SyncOptions {
  /** Resource Manager's base URL; `ATAKORA_ARM_ENDPOINT`, else the public cloud's. */
  readonly endpoint?: string;
  /** A bearer token for Resource Manager; default: `ATAKORA_ARM_TOKEN`, else one from the deployer's credential. */
  readonly token?: () => Promise<string>;
  readonly env?: NodeJS.ProcessEnv;
}

const API_VERSION = '2023-12-01';

/**
 * POST `…/Microsoft.Web/sites/<app>/syncfunctiontriggers` for each app, through the management plane (no SCM
 * site, so a private app syncs the same way). The app's package is uploaded as a blob (Flex: the deployment
 * container; Premium/Dedicated: the run-from-package URL), and Learn says that a package deployed that way
 * does not sync triggers by itself ("Trigger syncing", https://learn.microsoft.com/azure/azure-functions/functions-deployment-technologies#trigger-syncing);
 * the operation is WebApps_SyncFunctionTriggers (https://learn.microsoft.com/rest/api/appservice/web-apps/sync-function-triggers).
 *
 * @example
 * ```ts
 * const [r] = await syncTriggers([{ app: 'func-backend-prod-k3x9a1', subscriptionId: sub, resourceGroup: 'rg-backend-prod' }]);
 * if (!r.ok) console.warn(r.detail);
 * ```
 */
export async function syncTriggers(targets: readonly SyncTarget[], options: SyncOptions = {}): Promise<SyncResult[]> {
  if (targets.length === 0) return [];
  const env = options.env ?? process.env;
  const endpoint = (options.endpoint ?? (env['ATAKORA_ARM_ENDPOINT'] || 'https://management.azure.com')).replace(/\/+$/, '');
  let token: string;
  try {
    token = await (options.token ?? (() => armToken(endpoint, env)))();
  } catch (e) {
    const detail = `no Azure Resource Manager token: ${firstLine(e)}`;
    return targets.map((t) => ({ ...t, ok: false, detail }));
  }
  return Promise.all(targets.map(async (t) => {
    const url = `${endpoint}/subscriptions/${encodeURIComponent(t.subscriptionId)}/resourceGroups/${encodeURIComponent(t.resourceGroup)}/providers/Microsoft.Web/sites/${encodeURIComponent(t.app)}/syncfunctiontriggers?api-version=${API_VERSION}`;
    try {
      const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-length': '0' }, signal: AbortSignal.timeout(60_000) });
      const body = await res.text();
      return res.ok ? { ...t, ok: true, detail: `HTTP ${res.status}` } : { ...t, ok: false, detail: `HTTP ${res.status} ${body.slice(0, 300)}`.trim() };
    } catch (e) {
      return { ...t, ok: false, detail: firstLine(e) };
    }
  }));
}

/**
 * A token for Resource Manager from the deployer's identity. Terraform's azurerm provider reads `ARM_*`
 * variables, `@azure/identity` reads `AZURE_*`: so a service principal given as ARM_CLIENT_ID / ARM_TENANT_ID /
 * ARM_CLIENT_SECRET, and GitHub's OIDC (ARM_USE_OIDC with the runner's ACTIONS_ID_TOKEN_REQUEST_* variables, the
 * token exchanged as a client assertion with audience api://AzureADTokenExchange,
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation) are used as such; otherwise
 * DefaultAzureCredential (AZURE_* variables, managed identity, `az login`).
 */
async function armToken(endpoint: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (env['ATAKORA_ARM_TOKEN']) return env['ATAKORA_ARM_TOKEN'];
  const identity = await import('@azure/identity');
  const tenant = env['ARM_TENANT_ID'];
  const client = env['ARM_CLIENT_ID'];
  let credential: import('@azure/identity').TokenCredential;
  if (tenant && client && env['ARM_CLIENT_SECRET']) credential = new identity.ClientSecretCredential(tenant, client, env['ARM_CLIENT_SECRET']);
  else if (tenant && client && isTrue(env['ARM_USE_OIDC']) && env['ACTIONS_ID_TOKEN_REQUEST_URL'] && env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']) {
    const url = `${env['ACTIONS_ID_TOKEN_REQUEST_URL']}&audience=${encodeURIComponent('api://AzureADTokenExchange')}`;
    credential = new identity.ClientAssertionCredential(tenant, client, async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? ''}` } });
      return ((await res.json()) as { value: string }).value;
    });
  } else credential = new identity.DefaultAzureCredential();
  const token = await credential.getToken(`${endpoint}/.default`);
  if (!token) throw new Error('the credential returned no token');
  return token.token;
}

const isTrue = (v: string | undefined) => v === 'true' || v === '1';

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
