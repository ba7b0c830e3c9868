/**
 * The clean-second-plan rule: no argument the provider strips, moves or rewrites when it reads the resource
 * back. Such an argument is in the configuration but never in the state, so every `terraform plan` after the
 * first apply shows a change, and every apply repeats it (for a Function App's settings: a restart).
 */
type Attrs = Readonly<Record<string, unknown>>;
type Json = { resource?: Readonly<Record<string, Readonly<Record<string, Attrs>>>> };
type Add = (address: string, problem: string, source: string) => void;

/**
 * App settings each Function App resource of azurerm 4.55 filters out of `app_settings` on read (exact,
 * case-sensitive names: the `switch` of its unpack function), with the file that does it.
 */
export const SETTINGS_DROPPED_ON_READ: Readonly<
  Record<string, { readonly names: readonly string[]; readonly source: string }>
> = {
  azurerm_function_app_flex_consumption: {
    names: [
      'APPINSIGHTS_INSTRUMENTATIONKEY',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'AzureWebJobsStorage',
      'WEBSITE_HEALTHCHECK_MAXPINGFAILURES',
      'DEPLOYMENT_STORAGE_CONNECTION_STRING',
    ],
    source:
      'internal/services/appservice/function_app_flex_consumption_resource.go@v4.55.0, unpackFunctionAppFlexConsumptionSettings',
  },
  azurerm_linux_function_app: {
    names: [
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_NODE_DEFAULT_VERSION',
      'WEBSITE_HTTPLOGGING_RETENTION_DAYS',
      'DOCKER_REGISTRY_SERVER_URL',
      'DOCKER_REGISTRY_SERVER_USERNAME',
      'DOCKER_REGISTRY_SERVER_PASSWORD',
      'APPINSIGHTS_INSTRUMENTATIONKEY',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'AzureWebJobsStorage',
      'AzureWebJobsDashboard',
      'WEBSITE_HEALTHCHECK_MAXPINGFAILURES',
      'AzureWebJobsStorage__accountName',
      'AzureWebJobsDashboard__accountName',
      'WEBSITE_VNET_ROUTE_ALL',
    ],
    source:
      'internal/services/appservice/linux_function_app_resource.go@v4.55.0, unpackLinuxFunctionAppSettings',
  },
};

const APP_TYPES = new Set([
  'azurerm_function_app_flex_consumption',
  'azurerm_linux_function_app',
  'azurerm_linux_web_app',
]);

/** Problems with arguments the provider does not read back as written, reported through `add`. */
export function readBackProblems(json: Json, add: Add): void {
  for (const [type, { names, source }] of Object.entries(SETTINGS_DROPPED_ON_READ)) {
    for (const [n, app] of Object.entries(json.resource?.[type] ?? {})) {
      const settings = (app['app_settings'] ?? {}) as Record<string, string>;
      for (const name of names)
        if (name in settings)
          add(
            `${type}.${n}`,
            `app setting ${name} is dropped on read (a change on every plan)`,
            source,
          );
    }
  }
  // Diagnostic settings on App Service sites: Azure returns no destination type, so "Dedicated" never reads
  // back (hashicorp/terraform-provider-azurerm#22406; the attribute is Optional+Computed,
  // internal/services/monitor/monitor_diagnostic_setting_resource.go@v4.55.0, so leaving it out is clean).
  const sites = new Set(
    [...APP_TYPES].flatMap((t) =>
      Object.keys(json.resource?.[t] ?? {}).map((n) => `\${${t}.${n}.id}`),
    ),
  );
  for (const [n, d] of Object.entries(
    json.resource?.['azurerm_monitor_diagnostic_setting'] ?? {},
  )) {
    if (
      d['log_analytics_destination_type'] !== undefined &&
      sites.has(String(d['target_resource_id']))
    ) {
      add(
        `azurerm_monitor_diagnostic_setting.${n}`,
        'sets log_analytics_destination_type on an App Service site (never read back)',
        'terraform-provider-azurerm#22406',
      );
    }
  }
}
