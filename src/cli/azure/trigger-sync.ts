import { azureToken } from './credentials.js';
import { armEndpoint } from './endpoints.js';
import { firstLine } from './errors.js';
import { azureRequest } from './http.js';
import { triggerSyncRequests } from './trigger-sync-requests.js';

/** The outcome for one app: `ok`, or why not, and the call that was (or would have been) made. */
export interface SyncResult {
  /** The app's Azure name (the resource id's last segment). */
  readonly app: string;
  /** The POST's URL, from the stack's `atakora_sync_triggers_<app>` output. */
  readonly url: string;
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

/**
 * Make the trigger-sync calls of an applied stack: one POST per `atakora_sync_triggers_<app>` output of
 * `terraform output -json`, to the URL {@link triggerSyncRequests} derives from the app's real resource id
 * (so neither the subscription nor the resource group is guessed here). The call goes through the management
 * plane (no SCM site, so a private app syncs the same way); why it is needed and why Terraform cannot make it:
 * src/resources/functions/trigger-sync.ts. The operation is WebApps_SyncFunctionTriggers
 * (https://learn.microsoft.com/rest/api/appservice/web-apps/sync-function-triggers).
 *
 * @example
 * ```ts
 * for (const r of await syncTriggers(outputs)) if (!r.ok) console.warn(`${r.app}: ${r.detail}`);
 * ```
 */
export async function syncTriggers(
  outputs: Readonly<Record<string, unknown>>,
  options: SyncOptions = {},
): Promise<SyncResult[]> {
  const env = options.env ?? process.env;
  const endpoint = armEndpoint(options.endpoint, env);
  const targets = triggerSyncRequests(outputs, endpoint).map((r) => ({
    app: siteName(r.url) ?? r.app,
    url: r.url,
    method: r.method,
  }));
  if (targets.length === 0) return [];
  let token: string;
  try {
    token = await (options.token ?? (() => azureToken(endpoint, env)))();
  } catch (e) {
    const detail = `no Azure Resource Manager token: ${firstLine(e)}`;
    return targets.map((t) => ({ app: t.app, url: t.url, ok: false, detail }));
  }
  return Promise.all(
    targets.map(async ({ app, url, method }) => {
      try {
        const res = await azureRequest({
          service: 'Resource Manager',
          what: `syncing the triggers of ${app}`,
          url,
          method,
          token,
        });
        return res.ok
          ? { app, url, ok: true, detail: `HTTP ${res.status}` }
          : { app, url, ok: false, detail: `HTTP ${res.status} ${res.text.slice(0, 300)}`.trim() };
      } catch (e) {
        return { app, url, ok: false, detail: firstLine(e) };
      }
    }),
  );
}

function siteName(url: string): string | undefined {
  return /\/providers\/Microsoft\.Web\/sites\/([^/?]+)\/syncfunctiontriggers/.exec(url)?.[1];
}
