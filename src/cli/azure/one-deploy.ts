import { scmUrl } from './endpoints.js';
import { AzureRequestError } from './errors.js';
import { azureOk, azureRequest } from './http.js';

/**
 * One Deploy, the deployment Microsoft documents for Flex Consumption. Checked against:
 * - Learn, "Deployment technologies in Azure Functions" (functions-deployment-technologies, availability table):
 *   One deploy is available on Flex Consumption only; Learn, "Package-based deployment" (deployment-zip-push):
 *   Flex uses managed package deployment and runs from the deployed package ("don't set
 *   WEBSITE_RUN_FROM_PACKAGE"); Learn, "Site update strategies in Flex Consumption": with the default
 *   `Recreate` strategy Functions restarts all running instances after replacing the code — so no restart call.
 * - The endpoint and its use: Microsoft's Flex announcement for tool authors (Azure/azure-dev#3658: "the publish
 *   URI with the zip file should be scm_url + /api/publish") and the Azure CLI (appservice `enable_zip_deploy_flex`:
 *   `POST <scm>/api/publish?RemoteBuild=<bool>&Deployer=az_cli`, then `GET <scm>/api/deployments/latest`), with
 *   `Content-Type: application/zip` and an Entra token for Resource Manager (no publishing password).
 * - terraform-provider-azurerm v4.55.0 (the pinned one): `zip_deploy_file` of `azurerm_function_app_flex_consumption`
 *   posts to `/api/zipdeploy?isAsync=true` (internal/services/appservice/helpers/publish_app.go), which Flex does
 *   not serve (hashicorp/terraform-provider-azurerm#29630); PR #31937 moves it to `/api/publish?type=zip`
 *   (200 when done at once, else 202). Its deployment status codes are ours: 3 failed, 4 complete
 *   (`zipDeployError`, `zipDeployComplete` in publish_app.go).
 * The platform stores the package in the app's deployment container (`functionAppConfig.deployment.storage`,
 * as `released-package.zip`, written with the app's deployment-storage identity) and restarts the app on it.
 * 202 Accepted answers the deployment's id (a JSON string); `GET /api/deployments/<id>` reports `status` (0
 * pending, 1 building, 2 deploying, 3 failed, 4 success) and `complete`, with HTTP 200 whatever the status. 409:
 * another deployment is running. The host is the one Resource Manager lists for the app (a unique default host name
 * is not derived from the name); `ATAKORA_SCM_ENDPOINT` (`{host}`, `{app}`) replaces it (a test's stand-in).
 */

/** Kudu's deployment status codes (0 pending, 1 building, 2 deploying, 3 failed, 4 success). */
export const DEPLOYMENT_FAILED = 3;
export const DEPLOYMENT_SUCCEEDED = 4;

/** One One Deploy publish. */
export interface PublishRequest {
  readonly app: string;
  /** The app's SCM host as Resource Manager lists it (azure/sites.ts); default `<app>.scm.azurewebsites.net`. */
  readonly scmHost?: string;
  /** The zip package, ready to run: no remote build. */
  readonly zip: Uint8Array;
  /** A Resource Manager token: the SCM site takes Entra tokens for Resource Manager's audience. */
  readonly token: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for the deployment to complete; default 600 s. */
  readonly timeoutMs?: number;
  /** First pause between status reads (doubling, at most 10 s); default 1 s. */
  readonly pollMs?: number;
}

/** How a deployment ended, as the SCM site reports it. */
export interface PublishOutcome {
  readonly id: string;
  /** 4 success, 3 failed; anything else: not complete within the timeout. */
  readonly status: number | undefined;
  readonly complete: boolean;
  /** The platform's own words (`status_text`, `message`), if any. */
  readonly detail: string;
}

/**
 * Publish a ready-to-run zip through One Deploy and wait until the deployment completes; the outcome says how it
 * ended. A refused publish (401, 403, 409, …) is an AzureRequestError.
 *
 * @example
 * ```ts
 * const { status } = await publishPackage({ app: 'func-backend-sbx-ada', zip, token });
 * if (status !== DEPLOYMENT_SUCCEEDED) …
 * ```
 */
export async function publishPackage(p: PublishRequest): Promise<PublishOutcome> {
  const scm = scmUrl(p.app, p.env ?? process.env, p.scmHost);
  const accepted = await azureOk({
    service: 'One Deploy',
    what: `publishing the package of ${p.app}`,
    url: `${scm}/api/publish?RemoteBuild=false&Deployer=atakora`,
    method: 'POST',
    token: p.token,
    body: p.zip,
    headers: { 'content-type': 'application/zip', 'cache-control': 'no-cache' },
    timeoutMs: 300_000,
  });
  // The id comes back as the body (a JSON string); without one, the latest deployment is this one.
  const answered = accepted.json();
  const id =
    typeof answered === 'string' && answered
      ? answered
      : /^[\w-]+$/.test(accepted.text.trim())
        ? accepted.text.trim()
        : 'latest';
  const deadline = Date.now() + (p.timeoutMs ?? 600_000);
  let delay = p.pollMs ?? 1000;
  for (;;) {
    const read = await azureRequest({
      service: 'One Deploy',
      what: `reading deployment ${id} of ${p.app}`,
      url: `${scm}/api/deployments/${encodeURIComponent(id)}`,
      token: p.token,
    });
    // The SCM site can answer 404 for a moment before it records the deployment.
    if (!read.ok && read.status !== 404)
      throw new AzureRequestError('One Deploy', `reading deployment ${id} of ${p.app}`, {
        status: read.status,
        body: read.text,
      });
    const d = (read.json() ?? {}) as {
      id?: string;
      status?: number;
      complete?: boolean;
      status_text?: string;
      message?: string;
    };
    const status = typeof d.status === 'number' ? d.status : undefined;
    const done = status === DEPLOYMENT_FAILED || status === DEPLOYMENT_SUCCEEDED;
    if (done || Date.now() >= deadline)
      return {
        id: d.id ?? id,
        status,
        complete: done && d.complete !== false,
        detail: [d.status_text, d.message].filter(Boolean).join(': '),
      };
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
    delay = Math.min(delay * 2, 10_000);
  }
}
