/**
 * Trigger sync for Function Apps after a package change, as a management-plane call.
 *
 * Why it is needed: the package is written as a blob (package-delivery.ts), not published through OneDeploy,
 * and a Flex app scaled to zero starts no instance that would sync its triggers by itself; the scale
 * controller then knows nothing of new timer or queue triggers until an HTTP request starts an instance
 * (Learn, "Deployment technologies in Azure Functions", trigger syncing). The fix is `POST
 * …/providers/Microsoft.Web/sites/{app}/syncfunctiontriggers` (REST: WebApps_SyncFunctionTriggers), which goes
 * through Azure Resource Manager and so works for a private app too.
 *
 * Why not inside Terraform: the pinned providers cannot make that call. azurerm 4.55 has no resource or
 * action for it (its only publish path, `zip_deploy_file`, posts to Kudu's /api/zipdeploy, absent on Flex:
 * hashicorp/terraform-provider-azurerm#29630), and azapi is not among the pinned providers. A `local-exec`
 * running `az rest` would run on whatever machine runs `terraform apply`, need the Azure CLI signed in there
 * beside Terraform's own credentials, and fail apply where it is missing (Terraform Cloud remote runs, a bare
 * CI image). So the stack outputs, per Function App, what the call needs — its ARM id and its package hash —
 * and `atakora deploy` (or your pipeline) makes the call after apply when the hash changed.
 */

/** The REST API version of the call (Microsoft.Web, WebApps_SyncFunctionTriggers). */
export const SYNC_TRIGGERS_API_VERSION = '2024-04-01';

/** Prefix of the stack output each Function App gets (`atakora_sync_triggers_<app's logical name>`). */
export const SYNC_TRIGGERS_OUTPUT_PREFIX = 'atakora_sync_triggers_';

/** One Function App's trigger sync: the POST to make and the package it is for. */
export interface TriggerSyncRequest {
  /** The app's Terraform logical name (the output's suffix). */
  readonly app: string;
  readonly method: 'POST';
  /** `https://management.azure.com/<app id>/syncfunctiontriggers?api-version=…` */
  readonly url: string;
  /** MD5 of the app's package (`filemd5`), empty when it ships none: compare with the last synced one. */
  readonly packageMd5: string;
}

/**
 * The management-plane URL that syncs one app's triggers.
 *
 * @example
 * ```ts
 * syncTriggersUrl('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-x');
 * // 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-x/syncfunctiontriggers?api-version=2024-04-01'
 * ```
 */
export function syncTriggersUrl(
  appResourceId: string,
  endpoint = 'https://management.azure.com',
): string {
  const id = appResourceId.startsWith('/') ? appResourceId : `/${appResourceId}`;
  return `${endpoint.replace(/\/+$/, '')}${id}/syncfunctiontriggers?api-version=${SYNC_TRIGGERS_API_VERSION}`;
}

/**
 * The trigger-sync calls for every Function App of an applied stack, read from `terraform output -json`
 * (`{ name: { value, type, sensitive } }`) or a plain `{ name: value }` map. Pure: it makes no call.
 * `endpoint` is Resource Manager's base URL (another cloud's, e.g. `https://management.usgovcloudapi.net`);
 * `atakora deploy` makes exactly these calls after apply.
 *
 * @example
 * ```ts
 * import { execFileSync } from 'node:child_process';
 * // After `terraform apply`, with a Resource Manager access token:
 * async function syncTriggers(token: string) {
 *   const outputs = JSON.parse(
 *     execFileSync('terraform', ['-chdir=cdktf.out/stacks/S', 'output', '-json'], {
 *       encoding: 'utf8',
 *     }),
 *   );
 *   for (const r of triggerSyncRequests(outputs))
 *     await fetch(r.url, { method: r.method, headers: { authorization: `Bearer ${token}` } });
 * }
 * ```
 */
export function triggerSyncRequests(
  outputs: Readonly<Record<string, unknown>>,
  endpoint?: string,
): TriggerSyncRequest[] {
  const out: TriggerSyncRequest[] = [];
  for (const [name, raw] of Object.entries(outputs)) {
    if (!name.startsWith(SYNC_TRIGGERS_OUTPUT_PREFIX)) continue;
    const value = raw && typeof raw === 'object' && 'value' in raw ? raw.value : raw;
    if (!value || typeof value !== 'object') continue;
    const { resource_id: id, package_md5: md5 } = value as {
      resource_id?: unknown;
      package_md5?: unknown;
    };
    if (typeof id !== 'string' || !id.includes('/providers/Microsoft.Web/sites/')) continue;
    out.push({
      app: name.slice(SYNC_TRIGGERS_OUTPUT_PREFIX.length),
      method: 'POST',
      url: syncTriggersUrl(id, endpoint),
      packageMd5: typeof md5 === 'string' ? md5 : '',
    });
  }
  return out.sort((a, b) => (a.app < b.app ? -1 : a.app > b.app ? 1 : 0));
}
