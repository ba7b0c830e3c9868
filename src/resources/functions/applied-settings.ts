import {
  AUTH_SETTING,
  HOME_TENANT_SETTING,
  MANIFEST_SETTING,
  OPENAPI_SECURITY_SETTING,
  PREFERRED_LOCATIONS_SETTING,
} from '../../model/runtime-manifest.js';
import { HOST_ID_SETTING, PACKAGE_HASH_SETTING } from './hosting.js';
import { QUEUES_SETTING } from '../../model/queue-settings.js';
import { TRACES_SETTING } from '../../model/trace-settings.js';
import { at } from '../../model/at.js';

/**
 * The app-setting name that defeats the provider's injected `AzureWebJobsStorage` on Flex and survives a read.
 * azurerm 4.55 writes `AzureWebJobsStorage = DefaultEndpointsProtocol=…;AccountKey=;…` (a connection string
 * with an empty key) whatever the authentication type (function_app_flex_consumption_resource.go@v4.55.0,
 * Create/Update: `storageString`; helpers/function_app_schema.go@v4.55.0,
 * ExpandSiteConfigFunctionFlexConsumptionApp; hashicorp/terraform-provider-azurerm#29693, #30732, #29149), and
 * the host would try that string instead of the identity. A user setting whose name equals it ignoring case
 * replaces it (`MergeUserAppSettings` dedupes with `strings.EqualFold`), while the read filters only the exact
 * name (`unpackFunctionAppFlexConsumptionSettings`: `case "AzureWebJobsStorage"`): so this name is sent, read
 * back as written, and the second plan is clean. Spelled `AzureWebJobsStorage` it would be dropped on read and
 * every plan would show it as an in-place change (an app restart on every apply).
 */
export const FLEX_WEBJOBS_STORAGE_OVERRIDE = 'AZUREWEBJOBSSTORAGE';

/**
 * Run from package (Elastic Premium and dedicated plans): the package's URL, read by the host's
 * identity (package-delivery.ts).
 */
export const RUN_FROM_PACKAGE_SETTING = 'WEBSITE_RUN_FROM_PACKAGE';
/** The identity that reads {@link RUN_FROM_PACKAGE_SETTING}'s blob (package-delivery.ts). */
export const RUN_FROM_PACKAGE_IDENTITY_SETTING = 'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID';
/** Telemetry to Application Insights by the app's identity (`Authorization=AAD`, provision.ts). */
export const INSIGHTS_AUTH_SETTING = 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING';

/**
 * The app settings apply writes beside the merged ones, in upper case: the CRUD runtime's (`provision.ts`), the
 * host id and package hash (`hosting.ts`), the host storage connection by identity (`host-identity.ts`),
 * run-from-package (`package-delivery.ts`), App Insights by identity and the runtime's trace export. A merged setting of one of these names
 * would be replaced by apply's value. `test/apply/applied-settings.test.ts` checks that a synthesized app holds no
 * other setting of apply's.
 */
const APPLIED = [
  MANIFEST_SETTING,
  OPENAPI_SECURITY_SETTING,
  PREFERRED_LOCATIONS_SETTING,
  PACKAGE_HASH_SETTING,
  HOST_ID_SETTING,
  FLEX_WEBJOBS_STORAGE_OVERRIDE,
  RUN_FROM_PACKAGE_SETTING,
  RUN_FROM_PACKAGE_IDENTITY_SETTING,
  INSIGHTS_AUTH_SETTING,
  TRACES_SETTING,
  AUTH_SETTING,
  HOME_TENANT_SETTING,
  QUEUES_SETTING,
].map((n) => n.toUpperCase());
/**
 * Every setting of the host storage connection (`AzureWebJobsStorage__accountName`, `__credential`,
 * `__clientId`, …).
 */
const APPLIED_STEM = 'AZUREWEBJOBSSTORAGE__';

/**
 * Whether apply writes an app setting of this name, compared ignoring case: the Functions host reads its settings
 * through .NET configuration, whose keys are case-insensitive (which is why Flex Consumption's upper-case
 * `AZUREWEBJOBSSTORAGE`, host-identity.ts, is the host's `AzureWebJobsStorage`).
 *
 * @example
 * ```ts
 * isAppliedSetting('AzureWebJobsStorage__credential'); // true
 * isAppliedSetting('USER_API_COSMOS_ENDPOINT');        // false
 * ```
 */
export function isAppliedSetting(name: string): boolean {
  const upper = name.toUpperCase();
  return APPLIED.includes(upper) || upper.startsWith(APPLIED_STEM);
}

/**
 * Whether some name under a component's setting prefix (upper case, with its `_`) could be one apply writes:
 * `ATAKORA_` (a component `Atakora`) could give `ATAKORA_MANIFEST`.
 *
 * @example
 * ```ts
 * mayNameAppliedSetting('ATAKORA_'); // true
 * mayNameAppliedSetting('USER_API_'); // false
 * ```
 */
export function mayNameAppliedSetting(prefix: string): boolean {
  for (let i = 0; i < APPLIED.length; i++) if (at(APPLIED, i).startsWith(prefix)) return true;
  return prefix.startsWith(APPLIED_STEM) || APPLIED_STEM.startsWith(prefix);
}
