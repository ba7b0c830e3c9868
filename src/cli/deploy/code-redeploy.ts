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
import { blobMd5, putZipBlob, type BlobRef } from '../azure/blob-storage.js';
import { azureToken } from '../azure/credentials.js';
import { AUDIENCES, armEndpoint, publicContainerUrl, siteResourceUrl } from '../azure/endpoints.js';
import { AzureRequestError } from '../azure/errors.js';
import { DEPLOYMENT_FAILED, DEPLOYMENT_SUCCEEDED, publishPackage } from '../azure/one-deploy.js';
import {
  appSettings,
  putAppSettings,
  restartSite,
  siteState,
  type SiteRef,
} from '../azure/sites.js';

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
  const container = publicContainerUrl(t.account, t.container);
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
 * 2. Flex Consumption: the package goes through One Deploy (`POST <scm>/api/publish`, the deployment Microsoft
 *    documents for Flex; azure/one-deploy.ts), which stores it in the app's deployment container and restarts the
 *    app on it; its deployment must report success. Premium / Dedicated: Put Blob over the run-from-package
 *    address (Entra token for Storage: the deployer's Storage Blob Data Contributor, as Terraform's upload needs),
 *    with its MD5; Get Blob Properties must report that MD5.
 * 3. The package-hash app setting (ATAKORA_PACKAGE_MD5, the hex MD5 Terraform's `filemd5()` writes on the next
 *    full deploy, so no drift) is set to the new package's; Premium / Dedicated apps are restarted (POST
 *    …/restart): an app loads a package republished where it reads it at its next start (Learn, "Run your
 *    functions from a package file").
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
  const armBearer = await azureToken(arm, env);
  let storageToken: string | undefined;
  for (const t of targets) {
    const site: SiteRef = {
      app: t.app,
      url: siteResourceUrl(arm, where.subscriptionId, where.resourceGroup, t.app),
      token: armBearer,
    };
    const expected = readUrl(t);
    const reads = async () =>
      t.hosting === 'flex'
        ? (await siteState(site)).deploymentContainer
        : (await appSettings(site))[RUN_FROM_PACKAGE_SETTING];
    const before = await armStep(site, reads);
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
    const hex = Buffer.from(md5, 'base64').toString('hex');
    if (t.hosting === 'flex') {
      // One Deploy: the platform stores the package where the app reads it and restarts the app on it.
      const settings = await armStep(site, () => appSettings(site));
      if (settings[PACKAGE_HASH_SETTING] === hex) {
        where.log(`${t.app}: already runs this package (MD5 ${hex}); nothing to publish`);
        continue;
      }
      // The SCM site takes the deployer's Entra token for Resource Manager, as the Azure CLI sends it; its host is
      // the one Resource Manager lists (a unique default host name is not the app's name).
      const { scmHost } = await armStep(site, () => siteState(site));
      const id = await publishFlex(t, bytes, armBearer, env, scmHost);
      where.log(`${t.app}: package published through One Deploy (deployment ${id})`);
      await armStep(site, () => putAppSettings(site, { ...settings, [PACKAGE_HASH_SETTING]: hex }));
    } else {
      storageToken ??= await azureToken(AUDIENCES.storage, env);
      await uploadRunFromPackage(t, bytes, md5, storageToken, env);
      where.log(`${t.app}: package uploaded (${t.account}/${t.container}/${t.blob})`);
      const settings = await armStep(site, () => appSettings(site));
      if (settings[PACKAGE_HASH_SETTING] === hex) {
        where.log(`${t.app}: already runs this package (MD5 ${hex}); nothing to restart`);
        continue;
      }
      await armStep(site, () => putAppSettings(site, { ...settings, [PACKAGE_HASH_SETTING]: hex }));
      await armStep(site, () => restartSite(site));
    }
    const [after, now, state] = await armStep(site, () =>
      Promise.all([appSettings(site), reads(), siteState(site).then((s) => s.state)]),
    );
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

/** A Resource Manager call of the redeploy: an answer other than 2xx is REDEPLOY_NOT_VERIFIED naming the call. */
async function armStep<T>(site: SiteRef, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof AzureRequestError) || e.status === undefined) throw e;
    throw new AtakoraError(
      'REDEPLOY_NOT_VERIFIED',
      `${site.app}: Resource Manager answered HTTP ${String(e.status)} to ${e.what}: ${e.body}`,
      { path: [site.app] },
    );
  }
}

/**
 * Premium / Dedicated: Put Blob over the run-from-package address (Entra token for Storage: the deployer's
 * Storage Blob Data Contributor, as Terraform's upload needs), with its MD5; Get Blob Properties must report it.
 */
async function uploadRunFromPackage(
  t: CodeTarget,
  bytes: Uint8Array,
  md5: string,
  token: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const blob: BlobRef = { account: t.account, container: t.container, blob: t.blob, token, env };
  try {
    await putZipBlob(blob, bytes, md5);
  } catch (e) {
    if (!(e instanceof AzureRequestError) || e.status === undefined) throw e;
    throw new AtakoraError(
      'REDEPLOY_NOT_VERIFIED',
      `Uploading the package of ${t.app} to ${t.account}/${t.container}/${t.blob} answered HTTP ` +
        `${String(e.status)}: ${e.body}`,
      { path: [t.app] },
    );
  }
  const head = await blobMd5(blob);
  const ok = head.status >= 200 && head.status < 300;
  if (!ok || head.md5 !== md5)
    throw new AtakoraError(
      'REDEPLOY_NOT_VERIFIED',
      `${t.account}/${t.container}/${t.blob} holds ${ok ? `a blob of MD5 ${head.md5 ?? '(none)'}` : `nothing (HTTP ${String(head.status)})`}` +
        ` after the upload, not the new package (MD5 ${md5}).`,
      { path: [t.app] },
    );
}

/**
 * Flex Consumption: the package through One Deploy (azure/one-deploy.ts), the deployment followed until it
 * succeeds; a refused publish or a failed or unfinished deployment is REDEPLOY_NOT_VERIFIED. Returns its id.
 */
async function publishFlex(
  t: CodeTarget,
  zip: Uint8Array,
  token: string,
  env: NodeJS.ProcessEnv,
  scmHost: string | undefined,
): Promise<string> {
  let outcome: Awaited<ReturnType<typeof publishPackage>>;
  try {
    outcome = await publishPackage({
      app: t.app,
      zip,
      token,
      env,
      ...(scmHost ? { scmHost } : {}),
      ...publishTiming(env),
    });
  } catch (e) {
    if (!(e instanceof AzureRequestError) || e.status === undefined) throw e;
    throw new AtakoraError(
      'REDEPLOY_NOT_VERIFIED',
      `${t.app}: One Deploy answered HTTP ${String(e.status)} to ${e.what}: ${e.body}`,
      {
        path: [t.app],
        resolution:
          e.status === 409
            ? 'Another deployment of the app is running: wait for it to finish, then save again.'
            : e.status === 401 || e.status === 403
              ? "Sign in as an identity with the Website Contributor role (or Contributor) on the app, and check that the app's SCM site admits this network, then save again."
              : 'Save again; if it persists, deploy in full (atakora deploy).',
      },
    );
  }
  if (outcome.status !== DEPLOYMENT_SUCCEEDED)
    throw new AtakoraError(
      'REDEPLOY_NOT_VERIFIED',
      `${t.app}: One Deploy's deployment ${outcome.id} ${outcome.status === DEPLOYMENT_FAILED ? 'failed' : `did not complete (status ${String(outcome.status ?? 'unknown')})`}` +
        `${outcome.detail ? `: ${outcome.detail}` : ''}.`,
      { path: [t.app] },
    );
  return outcome.id;
}

/** How long One Deploy is waited for: ATAKORA_PUBLISH_POLL_MS shortens the first pause (tests). */
function publishTiming(env: NodeJS.ProcessEnv): { pollMs?: number } {
  const poll = Number(env['ATAKORA_PUBLISH_POLL_MS']);
  return Number.isFinite(poll) && poll > 0 ? { pollMs: poll } : {};
}
