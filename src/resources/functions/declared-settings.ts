/**
 * Names a user's environment variable may not take: the platform's own settings. The Functions host and App
 * Service read these as configuration (https://learn.microsoft.com/azure/azure-functions/functions-app-settings,
 * "App settings reference": `FUNCTIONS_*`, `WEBSITE_*`, `AzureWebJobs*`, `APPLICATIONINSIGHTS_*`,
 * `APPINSIGHTS_*`, `SCM_*`, `AzureFunctionsJobHost__*`), compared ignoring case as the host's configuration
 * keys are; `ATAKORA_` is the backend's own. A declared `WEBSITE_RUN_FROM_PACKAGE` would redirect the app's
 * code, a `FUNCTIONS_WORKER_RUNTIME` stop it starting.
 */
const PLATFORM_PREFIXES = [
  'FUNCTIONS_',
  'WEBSITE_',
  'WEBSITES_',
  'AZUREWEBJOBS',
  'AZUREFUNCTIONSJOBHOST',
  'AZURE_FUNCTIONS_',
  'APPLICATIONINSIGHTS_',
  'APPINSIGHTS_',
  'SCM_',
  'ATAKORA_',
] as const;

/**
 * Whether a declared environment variable would take a name the platform or the backend sets.
 *
 * @example
 * ```ts
 * isPlatformSetting('WEBSITE_RUN_FROM_PACKAGE'); // true
 * isPlatformSetting('NOTIFY_URL');               // false
 * ```
 */
export function isPlatformSetting(name: string): boolean {
  const upper = name.toUpperCase();
  return PLATFORM_PREFIXES.some((p) => upper.startsWith(p));
}

/** How a secret's setting is written (functions/define.ts): a Key Vault reference, never a value. */
export function isSecretReference(value: string): boolean {
  return value.startsWith('@Microsoft.KeyVault(');
}
