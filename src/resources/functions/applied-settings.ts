import { MANIFEST_SETTING, OPENAPI_SECURITY_SETTING, PREFERRED_LOCATIONS_SETTING } from '../../model/runtime-manifest.js';
import { HOST_ID_SETTING, PACKAGE_HASH_SETTING } from './hosting.js';

/**
 * The app settings apply writes beside the merged ones, in upper case: the CRUD runtime's (`provision.ts`), the
 * host id and package hash (`hosting.ts`), the host storage connection by identity (`host-identity.ts`, which
 * also sends Flex Consumption's upper-case `AZUREWEBJOBSSTORAGE`), run-from-package (`package-delivery.ts`) and
 * App Insights by identity. A merged setting of one of these names would be replaced by apply's value.
 * `test/apply/applied-settings.test.ts` checks that a synthesized app holds no other setting of apply's.
 */
const APPLIED = [
  MANIFEST_SETTING, OPENAPI_SECURITY_SETTING, PREFERRED_LOCATIONS_SETTING, PACKAGE_HASH_SETTING, HOST_ID_SETTING,
  'AZUREWEBJOBSSTORAGE', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
].map((n) => n.toUpperCase());
/** Every setting of the host storage connection (`AzureWebJobsStorage__accountName`, `__credential`, `__clientId`, …). */
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
  for (let i = 0; i < APPLIED.length; i++) if (APPLIED[i]!.startsWith(prefix)) return true;
  return prefix.startsWith(APPLIED_STEM) || APPLIED_STEM.startsWith(prefix);
}

/**
 * Settings apply writes under a queue-connection owner's prefix (`<PREFIX>_STORAGE__credential`, `__clientId`:
 * provision.ts), for a component whose own settings give its queue connection's service URI.
 */
export const QUEUE_CONNECTION_APPLIED = ['STORAGE__credential', 'STORAGE__clientId'] as const;
