import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { appPackageFile } from '../../apply/package/app-package.js';
import { packageMd5, packageVersion } from '../../kit/node/package-version.js';
import { AtakoraError } from '../../model/errors.js';
import type { ResourcePlan } from '../../model/plan.js';
import type { AppPackageRequest } from '../../kit/cdktf/provision-context.js';
import { splitHandler } from '../../packaging/entry-source.js';
import {
  PACKAGE_HASH_SETTING,
  hostingOf,
  packageLocation,
} from '../../resources/functions/hosting.js';
import { packageRequest } from '../../resources/functions/package-request.js';
import { RUN_FROM_PACKAGE_SETTING } from '../../resources/functions/applied-settings.js';
import { mergedConfigOf } from '../../resources/types.js';
import { armToken } from './arm-token.js';
import { appSettings, putAppSettings, restartSite, siteState, type SiteRef } from './site-arm.js';
import { armEndpoint } from './trigger-sync.js';

/**
 * Storage's data-plane audience
 * (https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory).
 */
const STORAGE_AUDIENCE = 'https://storage.azure.com';

/** One Node Function App whose package the CLI can build and upload itself. */
export interface CodeTarget {
  readonly app: string;
  readonly hosting: 'flex' | 'package-url';
  /** The storage account holding the package (the host storage account). */
  readonly account: string;
  /**
   * Where the deployed app reads its package — `https://<account>.blob.core.windows.net/<container>/<blob>` —
   * from {@link packageLocation} with the version of the package the last full deploy uploaded: the same
   * function apply names the upload with, so the two cannot drift apart.
   */
  readonly container: string;
  readonly blob: string;
  /** The version the last full deploy uploaded (7 hex of the package's SHA-256). */
  readonly version: string;
  /** Absolute paths of the handler modules bundled into its package. */
  readonly handlers: readonly string[];
  /** What its package is built from, as apply builds it. */
  readonly request: AppPackageRequest;
}

/**
 * The apps of a deployed plan whose code the CLI can redeploy without Terraform: Node apps built from
 * handlers, whose package is the blob apply uploads (resources/functions/package-delivery.ts) in the host
 * storage account. An isolated backend's package account is firewalled: none (a full deploy admits the runner).
 * Builds each package as apply does (so call it right after a full deploy: the version it finds is the one
 * the app reads).
 *
 * @example
 * ```ts
 * codeTargets(plan, config.networking.mode === 'isolated').map((t) => `${t.container}/${t.blob}`);
 * ```
 */
export function codeTargets(
  plan: ResourcePlan,
  isolated: boolean,
  workingDir: string = process.cwd(),
): CodeTarget[] {
  if (isolated) return [];
  const out: CodeTarget[] = [];
  for (const app of plan.resources.filter((r) => r.type === 'functions')) {
    const c = mergedConfigOf('functions', app);
    if (c.runtime !== 'node' || c.codePath !== undefined) continue;
    const hosting = hostingOf(c.sku);
    if (hosting === 'unsupported') continue;
    const account = plan.resources.find((r) => r.key === c.hostStorage)?.name;
    if (!account) continue;
    const request = packageRequest(app.name, c, app.consumers);
    const file = appPackageFile(request, workingDir);
    if (!file) continue;
    const version = packageVersion(file);
    out.push({
      app: app.name,
      hosting,
      account,
      ...packageLocation(app.name, hosting, version),
      version,
      handlers: request.functions.flatMap((f) =>
        f.handler ? [resolve(workingDir, splitHandler(f.handler).file)] : [],
      ),
      request,
    });
  }
  return out;
}

/** Where Azure reads a target's package: the URL its Terraform attribute holds. */
function readUrl(t: CodeTarget): string {
  const container = `https://${t.account}.blob.core.windows.net/${t.container}`;
  return t.hosting === 'flex' ? container : `${container}/${t.blob}`;
}

const same = (a: string | undefined, b: string) =>
  (a ?? '').replace(/\/+$/, '').toLowerCase() === b.toLowerCase();

/**
 * Build each target's package as apply builds it and put it where the deployed app reads it, then make the
 * app load it and check that it did:
 * 1. Resource Manager says where the app reads (Flex: `functionAppConfig.deployment.storage.value`; Premium /
 *    Dedicated: `WEBSITE_RUN_FROM_PACKAGE`); it must be the target's address, else REDEPLOY_TARGET_MISMATCH —
 *    nothing is uploaded where nothing reads.
 * 2. Put Blob over that address (Entra token for Storage: the deployer's Storage Blob Data Contributor, as
 *    Terraform's upload needs), with its MD5; Get Blob Properties must report that MD5.
 * 3. The package-hash app setting (ATAKORA_PACKAGE_MD5, the hex MD5 Terraform's `filemd5()` writes on the next
 *    full deploy, so no drift) is set to the new package's, and the app restarted (POST …/restart): an app loads
 *    a package republished where it reads it at its next start (Learn, "Run your functions from a package file";
 *    Flex instances fetch their deployment container's package when they start).
 * 4. The app's settings then hold that hash, it still reads the same address, and its state is Running —
 *    else REDEPLOY_NOT_VERIFIED. Only then "restarted with the new code".
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
    workingDir?: string;
  },
): Promise<void> {
  const env = where.env ?? process.env;
  if (!where.subscriptionId)
    throw new AtakoraError(
      'REDEPLOY_NOT_VERIFIED',
      'ARM_SUBSCRIPTION_ID is not set: the code-only redeploy cannot ask Resource Manager where the app reads ' +
        'its package, nor check that it runs the new one.',
      { path: ['ARM_SUBSCRIPTION_ID'], resolution: 'Set ARM_SUBSCRIPTION_ID and save again.' },
    );
  const arm = armEndpoint(undefined, env);
  const armBearer = await armToken(arm, env);
  const storageToken = await armToken(STORAGE_AUDIENCE, env);
  for (const t of targets) {
    const site: SiteRef = {
      app: t.app,
      url:
        `${arm}/subscriptions/${where.subscriptionId}/resourceGroups/${where.resourceGroup}` +
        `/providers/Microsoft.Web/sites/${t.app}`,
      token: armBearer,
    };
    const expected = readUrl(t);
    const reads = async () =>
      t.hosting === 'flex'
        ? (await siteState(site)).deploymentContainer
        : (await appSettings(site))[RUN_FROM_PACKAGE_SETTING];
    const before = await reads();
    if (!same(before, expected))
      throw new AtakoraError(
        'REDEPLOY_TARGET_MISMATCH',
        `${t.app} reads its package from ${before ?? '(nothing)'}, not ${expected} where the last deploy of ` +
          `this build put it: uploading there would change nothing the app runs.`,
        { path: [t.app] },
      );
    const file = appPackageFile(t.request, where.workingDir ?? process.cwd());
    if (!file) continue;
    const bytes = readFileSync(file);
    const md5 = packageMd5(file);
    const blobUrl =
      (env['ATAKORA_BLOB_ENDPOINT'] || 'https://{account}.blob.core.windows.net')
        .replace('{account}', t.account)
        .replace(/\/+$/, '') + `/${t.container}/${t.blob}`;
    const storageHeaders = {
      authorization: `Bearer ${storageToken}`,
      'x-ms-version': '2023-11-03',
    };
    // Put Blob (https://learn.microsoft.com/rest/api/storageservices/put-blob): Content-MD5 checks the bytes in
    // transit, x-ms-blob-content-md5 stores the hash as the blob's property for step 2's check.
    const put = await fetch(blobUrl, {
      method: 'PUT',
      body: bytes,
      headers: {
        ...storageHeaders,
        'x-ms-blob-type': 'BlockBlob',
        'content-type': 'application/zip',
        'content-md5': md5,
        'x-ms-blob-content-md5': md5,
      },
      signal: AbortSignal.timeout(120_000),
    });
    const putText = await put.text();
    if (!put.ok)
      throw new AtakoraError(
        'REDEPLOY_NOT_VERIFIED',
        `Uploading the package of ${t.app} to ${t.account}/${t.container}/${t.blob} answered HTTP ` +
          `${put.status}: ${putText.slice(0, 300)}`,
        { path: [t.app] },
      );
    const head = await fetch(blobUrl, {
      method: 'HEAD',
      headers: storageHeaders,
      signal: AbortSignal.timeout(60_000),
    });
    const stored = head.headers.get('content-md5');
    if (!head.ok || stored !== md5)
      throw new AtakoraError(
        'REDEPLOY_NOT_VERIFIED',
        `${t.account}/${t.container}/${t.blob} holds ${head.ok ? `a blob of MD5 ${stored ?? '(none)'}` : `nothing (HTTP ${head.status})`}` +
          ` after the upload, not the new package (MD5 ${md5}).`,
        { path: [t.app] },
      );
    where.log(`${t.app}: package uploaded (${t.account}/${t.container}/${t.blob})`);
    const hex = Buffer.from(md5, 'base64').toString('hex');
    const settings = await appSettings(site);
    if (settings[PACKAGE_HASH_SETTING] === hex) {
      where.log(`${t.app}: already runs this package (MD5 ${hex}); nothing to restart`);
      continue;
    }
    await putAppSettings(site, { ...settings, [PACKAGE_HASH_SETTING]: hex });
    await restartSite(site);
    const [after, now, state] = await Promise.all([
      appSettings(site),
      reads(),
      siteState(site).then((s) => s.state),
    ]);
    if (after[PACKAGE_HASH_SETTING] !== hex || !same(now, expected) || state !== 'Running')
      throw new AtakoraError(
        'REDEPLOY_NOT_VERIFIED',
        `${t.app} was not seen running the new package: its ${PACKAGE_HASH_SETTING} is ` +
          `${after[PACKAGE_HASH_SETTING] ?? '(unset)'} (want ${hex}), it reads ${now ?? '(nothing)'} (want ` +
          `${expected}), its state is ${state ?? '(unknown)'}.`,
        { path: [t.app] },
      );
    where.log(`${t.app}: restarted with the new code (package MD5 ${hex})`);
  }
}
