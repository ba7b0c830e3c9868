import { AtakoraError } from '../../model/errors.js';

/**
 * The Resource Manager calls on one Function App the code-only redeploy makes: where the app reads its package,
 * its app settings, its state. api-version 2023-12-01: the first with Flex Consumption's `functionAppConfig`
 * (Azure/azure-dev#3658; Learn, "Web Apps - Get": properties.functionAppConfig.deployment.storage.value is the
 * container URL azurerm's `storage_container_endpoint` writes, function_app_flex_consumption_resource.go@v4.55.0).
 */
const API = 'api-version=2023-12-01';

/** One app under Resource Manager: its id's URL and a bearer token. */
export interface SiteRef {
  readonly app: string;
  /** `<arm>/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Web/sites/<app>`. */
  readonly url: string;
  readonly token: string;
}

async function call(site: SiteRef, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${site.url}${path}?${API}`, {
    method,
    headers: {
      authorization: `Bearer ${site.token}`,
      ...(body === undefined ? { 'content-length': '0' } : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!res.ok)
    throw new AtakoraError(
      'REDEPLOY_NOT_VERIFIED',
      `${site.app}: Resource Manager answered HTTP ${res.status} to ${method} ${path || '(the app)'}: ` +
        text.slice(0, 300),
      { path: [site.app] },
    );
  return text ? (JSON.parse(text) as unknown) : {};
}

/**
 * The app's settings (Learn, "Web Apps - List Application Settings": POST …/config/appsettings/list).
 *
 * @example
 * ```ts
 * (await appSettings(site))['WEBSITE_RUN_FROM_PACKAGE'];
 * ```
 */
export async function appSettings(site: SiteRef): Promise<Record<string, string>> {
  const r = (await call(site, 'POST', '/config/appsettings/list')) as {
    properties?: Record<string, string>;
  };
  return { ...(r.properties ?? {}) };
}

/**
 * Replace the app's settings (Learn, "Web Apps - Update Application Settings": PUT …/config/appsettings, the
 * whole set). A settings change restarts the app (Learn, "Configure an App Service app": "app settings …
 * changes restart the app").
 *
 * @example
 * ```ts
 * await putAppSettings(site, { ...(await appSettings(site)), ATAKORA_PACKAGE_MD5: md5 });
 * ```
 */
export async function putAppSettings(
  site: SiteRef,
  settings: Readonly<Record<string, string>>,
): Promise<void> {
  await call(site, 'PUT', '/config/appsettings', { properties: settings });
}

/**
 * The app's state and, on Flex, the deployment container URL it reads its package from.
 *
 * @example
 * ```ts
 * const { state, deploymentContainer } = await siteState(site);
 * ```
 */
export async function siteState(
  site: SiteRef,
): Promise<{ state: string | undefined; deploymentContainer: string | undefined }> {
  const r = (await call(site, 'GET', '')) as {
    properties?: {
      state?: string;
      functionAppConfig?: { deployment?: { storage?: { value?: string } } };
    };
  };
  return {
    state: r.properties?.state,
    deploymentContainer: r.properties?.functionAppConfig?.deployment?.storage?.value,
  };
}

/**
 * Restart the app (Learn, "Web Apps - Restart": POST …/restart). A package republished at the URL an app runs
 * from is loaded at its next start (Learn, "Run your functions from a package file"): the settings change
 * restarts it already; this one makes the restart explicit, answered before the checks that follow.
 *
 * @example
 * ```ts
 * await restartSite(site);
 * ```
 */
export async function restartSite(site: SiteRef): Promise<void> {
  await call(site, 'POST', '/restart');
}
