import { SYNC_TRIGGERS_OUTPUT_PREFIX } from '../../resources/functions/trigger-sync.js';
import { armEndpoint } from './endpoints.js';

/**
 * The trigger-sync calls of an applied stack, as data (pure: no call is made here; `syncTriggers` in
 * trigger-sync.ts makes them). Why they are needed and why Terraform cannot make them:
 * src/resources/functions/trigger-sync.ts.
 */

/** The REST API version of the call (Microsoft.Web, WebApps_SyncFunctionTriggers). */
export const SYNC_TRIGGERS_API_VERSION = '2024-04-01';

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
export function syncTriggersUrl(appResourceId: string, endpoint?: string): string {
  const id = appResourceId.startsWith('/') ? appResourceId : `/${appResourceId}`;
  return `${armEndpoint(endpoint, {})}${id}/syncfunctiontriggers?api-version=${SYNC_TRIGGERS_API_VERSION}`;
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
