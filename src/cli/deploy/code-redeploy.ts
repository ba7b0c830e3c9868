import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { appPackageFile } from '../../apply/package/app-package.js';
import type { ResourcePlan } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';
import { splitHandler } from '../../packaging/entry-source.js';
import {
  FLEX_PACKAGE_BLOB,
  hostingOf,
  packageContainerName,
} from '../../resources/functions/hosting.js';
import { mergedConfigOf } from '../../resources/types.js';
import { armToken } from './arm-token.js';
import { armEndpoint, firstLine } from './trigger-sync.js';

/**
 * Storage's data-plane audience
 * (https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory).
 */
const STORAGE_AUDIENCE = 'https://storage.azure.com';

/** One Node Function App whose package the CLI can build and upload itself. */
export interface CodeTarget {
  readonly app: string;
  /**
   * The blob the app runs from: `https://<account>.blob.core.windows.net/<container>/<blob>`
   * (before ATAKORA_BLOB_ENDPOINT).
   */
  readonly account: string;
  readonly container: string;
  readonly blob: string;
  /** Absolute paths of the handler modules bundled into its package. */
  readonly handlers: readonly string[];
  readonly crudRuntime: boolean;
  readonly functions: readonly HostedFunction[];
}

/**
 * The apps of a deployed plan whose code the CLI can redeploy without Terraform: Node apps built from
 * handlers, whose package is the blob apply uploads (resources/functions/package-delivery.ts) in the host
 * storage account. An isolated backend's package account is firewalled: none (a full deploy admits the runner).
 *
 * @example
 * ```ts
 * codeTargets(plan, config.networking.mode === 'isolated').map((t) => t.app);
 * ```
 */
export function codeTargets(plan: ResourcePlan, isolated: boolean): CodeTarget[] {
  if (isolated) return [];
  const out: CodeTarget[] = [];
  for (const app of plan.resources.filter((r) => r.type === 'functions')) {
    const c = mergedConfigOf('functions', app);
    if (c.runtime !== 'node' || c.codePath !== undefined) continue;
    const hosting = hostingOf(c.sku);
    if (hosting === 'unsupported') continue;
    const account = plan.resources.find((r) => r.key === c.hostStorage)?.name;
    if (!account) continue;
    const functions = c.hostedFunctions ?? [];
    out.push({
      app: app.name,
      account,
      container: packageContainerName(app.name),
      blob: hosting === 'flex' ? FLEX_PACKAGE_BLOB : `${app.name}.zip`,
      handlers: functions
        .filter((f) => f.handler)
        .map((f) => resolve(splitHandler(f.handler!).file)),
      crudRuntime: c.crudRuntime,
      functions,
    });
  }
  return out;
}

/**
 * Build each target's package as apply builds it, upload it over the blob the app runs from (Entra token for
 * Storage: the deployer's Storage Blob Data Contributor, as Terraform's upload needs), then restart the app so it
 * loads it (Resource Manager, `POST …/sites/<app>/restart`:
 * https://learn.microsoft.com/rest/api/appservice/web-apps/restart).
 * No Terraform run: the next full deploy uploads the same bytes (the package is deterministic). Lines to `log`.
 *
 * @example
 * ```ts
 * await redeployCode(targets, { subscriptionId, resourceGroup: 'rg-backend-sbx-ada-3k9qz', log: console.error });
 * ```
 */
export async function redeployCode(
  targets: readonly CodeTarget[],
  where: {
    subscriptionId: string | undefined;
    resourceGroup: string;
    log: (line: string) => void;
    env?: NodeJS.ProcessEnv;
  },
): Promise<void> {
  const env = where.env ?? process.env;
  const storageToken = await armToken(STORAGE_AUDIENCE, env);
  const arm = armEndpoint(undefined, env);
  for (const t of targets) {
    const file = appPackageFile(
      { appName: t.app, crudRuntime: t.crudRuntime, functions: t.functions },
      process.cwd(),
    );
    if (!file) continue;
    const url = `${(env['ATAKORA_BLOB_ENDPOINT'] || 'https://{account}.blob.core.windows.net').replace('{account}', t.account).replace(/\/+$/, '')}/${t.container}/${t.blob}`;
    const res = await fetch(url, {
      method: 'PUT',
      body: readFileSync(file),
      headers: {
        authorization: `Bearer ${storageToken}`,
        'x-ms-blob-type': 'BlockBlob',
        'x-ms-version': '2023-11-03',
        'content-type': 'application/zip',
      },
      signal: AbortSignal.timeout(120_000),
    });
    await res.text();
    if (!res.ok) throw new Error(`uploading the package of ${t.app} answered HTTP ${res.status}`);
    where.log(`${t.app}: package uploaded (${t.account}/${t.container}/${t.blob})`);
    if (!where.subscriptionId) {
      where.log(
        `${t.app}: not restarted (ARM_SUBSCRIPTION_ID is not set): restart it to load the new code`,
      );
      continue;
    }
    try {
      const token = await armToken(arm, env);
      const restart = await fetch(
        `${arm}/subscriptions/${where.subscriptionId}/resourceGroups/${where.resourceGroup}/providers/Microsoft.Web/sites/${t.app}/restart?api-version=2023-12-01`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-length': '0' },
          signal: AbortSignal.timeout(60_000),
        },
      );
      await restart.text();
      where.log(
        restart.ok
          ? `${t.app}: restarted with the new code`
          : `${t.app}: restart answered HTTP ${restart.status}; restart it to load the new code`,
      );
    } catch (e) {
      where.log(`${t.app}: not restarted (${firstLine(e)}); restart it to load the new code`);
    }
  }
}
