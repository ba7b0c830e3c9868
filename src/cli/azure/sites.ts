import { azureOk } from './http.js';

/**
 * The Resource Manager calls on one Function App: where it reads its package, its app settings, its state, a
 * restart. api-version 2023-12-01: the first with Flex Consumption's `functionAppConfig` (Azure/azure-dev#3658;
 * Learn, "Web Apps - Get": properties.functionAppConfig.deployment.storage.value is the container URL azurerm's
 * `storage_container_endpoint` writes, function_app_flex_consumption_resource.go@v4.55.0). A failure is an
 * AzureRequestError whose `what` is the call (`POST /restart`).
 */
const API = 'api-version=2023-12-01';

/** One app under Resource Manager: its id's URL (endpoints.ts, `siteResourceUrl`) and a bearer token. */
export interface SiteRef {
  readonly app: string;
  /** `<arm>/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Web/sites/<app>`. */
  readonly url: string;
  readonly token: string;
}

async function call(site: SiteRef, method: string, path: string, json?: unknown): Promise<unknown> {
  const answer = await azureOk({
    service: 'Resource Manager',
    what: `${method} ${path || '(the app)'}`,
    url: `${site.url}${path}?${API}`,
    method,
    token: site.token,
    ...(json === undefined ? {} : { json }),
  });
  return answer.json() ?? {};
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
export async function siteState(site: SiteRef): Promise<{
  state: string | undefined;
  deploymentContainer: string | undefined;
  scmHost: string | undefined;
}> {
  const r = (await call(site, 'GET', '')) as {
    properties?: {
      state?: string;
      functionAppConfig?: { deployment?: { storage?: { value?: string } } };
      enabledHostNames?: unknown;
      hostNameSslStates?: unknown;
    };
  };
  return {
    state: r.properties?.state,
    deploymentContainer: r.properties?.functionAppConfig?.deployment?.storage?.value,
    scmHost: scmHostOf(r.properties ?? {}),
  };
}

/**
 * The app's deployment (SCM) host as Resource Manager lists it (Learn, "Web Apps - Get": `hostNameSslStates[]` with
 * `hostType: 'Repository'`, and `enabledHostNames`). An app created with a unique default host name
 * (`<name>-<hash>.<region>-01.azurewebsites.net`, Learn "Unique default hostname") answers only on
 * `<name>-<hash>.scm.<region>-01.azurewebsites.net`, not on `<name>.scm.azurewebsites.net`: the host comes from here,
 * never from the name.
 */
function scmHostOf(p: {
  enabledHostNames?: unknown;
  hostNameSslStates?: unknown;
}): string | undefined {
  const states = Array.isArray(p.hostNameSslStates) ? (p.hostNameSslStates as unknown[]) : [];
  for (const s of states) {
    const { name, hostType } = (s ?? {}) as { name?: unknown; hostType?: unknown };
    if (hostType === 'Repository' && typeof name === 'string' && name) return name.toLowerCase();
  }
  const enabled = Array.isArray(p.enabledHostNames) ? (p.enabledHostNames as unknown[]) : [];
  const scm = enabled.find((h): h is string => typeof h === 'string' && /^[^.]+\.scm\./i.test(h));
  return scm?.toLowerCase();
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
