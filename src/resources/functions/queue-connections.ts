import type { PlannedDeploy } from '../../model/plan.js';
import { componentIdentityTfName } from '../../kit/pure/names/component-identity.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { settingName, settingPrefix, tfName } from '../../kit/pure/names/terraform-names.js';

/**
 * The connection a FunctionsApp's queue triggers name (`connection: '<PREFIX>_STORAGE'`): identity-based, so
 * its app settings are `<PREFIX>_STORAGE__queueServiceUri` (set by the component) and, because the app carries
 * several user-assigned identities, `__credential = managedidentity` and `__clientId` naming the component's
 * own identity (Learn, "Azure Functions developer guide", "Common properties for identity-based connections":
 * https://learn.microsoft.com/azure/azure-functions/functions-reference#common-properties-for-identity-based-connections;
 * without them the host would use the system identity, which holds no queue role).
 *
 * @example
 * ```ts
 * queueConnectionOf('OrderWorker'); // 'ORDER_WORKER_STORAGE'
 * ```
 */
export function queueConnectionOf(componentId: string): string {
  return `${settingPrefix(componentId)}_STORAGE`;
}

/**
 * The role the component's identity holds on the storage account of its queues. A queue trigger needs to
 * read, process and delete messages (Storage Queue Data Reader + Message Processor) and a queue output
 * binding to send them; Storage Queue Data Contributor is the one built-in role that covers both (Learn,
 * "Azure Queue storage trigger for Azure Functions", "Grant permission to the identity").
 */
export const QUEUE_CONNECTION_ROLE = 'Storage Queue Data Contributor';

/**
 * The consumers of a Function App whose queue triggers connect by identity, sorted: those whose merged app
 * settings hold `<PREFIX>_STORAGE__queueServiceUri`.
 *
 * @example
 * ```ts
 * queueConnectionOwners({ ORDER_WORKER_STORAGE__queueServiceUri: 'https://…' }, [
 *   'OrderWorker',
 *   'UserApi',
 * ]); // ['OrderWorker']
 * ```
 */
export function queueConnectionOwners(
  appSettings: Readonly<Record<string, string>>,
  consumers: readonly string[],
): string[] {
  // Most apps have no queue connection: known from the merge that made the settings, else one scan of the names
  // finds that without naming the setting for each of 10,000 consumers (a string each, kept by settingName's
  // memo, and a string-table lookup for `in`).
  if (
    withoutQueueConnections.has(appSettings) ||
    !Object.keys(appSettings).some(isQueueConnectionSetting)
  )
    return [];
  // settingName: the memoised string the Function App's merge made this setting's key with (a new string would
  // be looked up in the string table first, once per consumer of a 30,000-setting app).
  return consumers.filter((id) => settingName(id, QUEUE_SERVICE_URI) in appSettings).sort(compare);
}

/**
 * The setting a FunctionsApp with queue triggers gives its connection
 * (`<PREFIX>_STORAGE__queueServiceUri` once namespaced).
 */
const QUEUE_SERVICE_URI = 'STORAGE__queueServiceUri';

/**
 * The settings apply gives an owner's connection, under the owner's prefix (`<PREFIX>_STORAGE__credential =
 * managedidentity`, `<PREFIX>_STORAGE__clientId` = its identity's): see {@link queueConnectionOf}.
 */
export const QUEUE_CONNECTION_IDENTITY = ['STORAGE__credential', 'STORAGE__clientId'] as const;

/**
 * Whether a component's own settings (before namespacing) give a queue connection, as a FunctionsApp with
 * queue triggers does: its consumer is then one of {@link queueConnectionOwners}.
 *
 * @example
 * ```ts
 * ownsQueueConnection({ STORAGE__queueServiceUri: '${storage.queueEndpoint}' }); // true
 * ```
 */
export function ownsQueueConnection(env: Readonly<Record<string, string>> | undefined): boolean {
  return env !== undefined && Object.hasOwn(env, QUEUE_SERVICE_URI);
}

/**
 * Whether an app setting names a queue connection's service (`<PREFIX>_STORAGE__queueServiceUri`).
 *
 * @example
 * ```ts
 * isQueueConnectionSetting('ORDER_WORKER_STORAGE__queueServiceUri'); // true
 * ```
 */
export function isQueueConnectionSetting(name: string): boolean {
  return name.endsWith(QUEUE_SERVICE_URI);
}

/**
 * Merged settings known to hold no queue connection (resources/functions/app-settings.ts marks them as it
 * writes the names): a scan of 30,000 names, a dictionary's keys collected and sorted, is then not needed.
 */
const withoutQueueConnections = new WeakSet<object>();

/**
 * Remember that merged settings hold no queue connection ({@link isQueueConnectionSetting} of none of their names).
 *
 * @example
 * ```ts
 * if (!Object.keys(settings).some(isQueueConnectionSetting)) markWithoutQueueConnections(settings);
 * ```
 */
export function markWithoutQueueConnections(appSettings: object): void {
  withoutQueueConnections.add(appSettings);
}

/** Terraform name of the queue role of one component's identity. */
export function queueRoleTfName(backendId: string, componentId: string): string {
  return tfName(componentIdentityTfName(backendId, componentId), 'queue');
}

/** The queue role assignments apply creates, as planned deploys. */
export function queueRoleDeploys(backendId: string, owners: readonly string[]): PlannedDeploy[] {
  return owners.map((id) => ({
    terraformType: 'azurerm_role_assignment',
    name: queueRoleTfName(backendId, id),
  }));
}
