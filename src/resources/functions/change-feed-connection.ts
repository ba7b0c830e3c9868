import { settingName } from '../../kit/pure/names/terraform-names.js';
import type { HostedFunction } from '../../model/requirements.js';

/**
 * A CrudApi's change feed trigger (its `onChange`) reads the entity's container through an identity-based
 * connection named `<PREFIX>_CHANGE_FEED`: the app settings `<PREFIX>_CHANGE_FEED__accountEndpoint` (the
 * account's endpoint, from the plan), `__credential = managedidentity` and `__clientId`, the client id of the
 * component's own user-assigned identity, set by apply (Learn, "Azure Cosmos DB bindings for Azure Functions
 * 2.x and higher", "Identity-based connections": `<CONNECTION_NAME_PREFIX>__accountEndpoint`,
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-cosmosdb-v2#identity-based-connections;
 * `credential` and `clientId`: "Common properties for identity-based connections",
 * https://learn.microsoft.com/azure/azure-functions/functions-reference#common-properties-for-identity-based-connections).
 * No key and no connection string: the account has local (key) auth off.
 *
 * The identity needs a data role that reads the monitored container's change feed (the component's own role
 * there: Built-in Data Reader or Contributor) and one that writes the lease container (Contributor, planned on
 * the lease container: cosmos/type.ts grants per container).
 */
export const CHANGE_FEED_CONNECTION = 'CHANGE_FEED';

/** The connection's endpoint setting (before the component's prefix). */
export const CHANGE_FEED_ENDPOINT = `${CHANGE_FEED_CONNECTION}__accountEndpoint`;

/** The connection's credential setting (before the component's prefix): always `managedidentity`. */
export const CHANGE_FEED_CREDENTIAL = `${CHANGE_FEED_CONNECTION}__credential`;

/** The setting apply gives the connection's client id (before the component's prefix). */
export const CHANGE_FEED_CLIENT_ID = `${CHANGE_FEED_CONNECTION}__clientId`;

/**
 * The lease container of a CrudApi's change feed trigger: beside the entity's container in its database,
 * partition key `/id` (the trigger's requirement for a lease container it did not create), one per watched
 * container so that no two triggers share leases.
 *
 * @example
 * ```ts
 * leaseContainerOf('bookings'); // 'bookings-leases'
 * ```
 */
export function leaseContainerOf(containerName: string): string {
  return `${containerName}-leases`;
}

/**
 * The components of an app whose change feed trigger connects by identity (a `change` function with a
 * connection), sorted and distinct: apply sets their connection's client id.
 *
 * @example
 * ```ts
 * changeFeedOwners([
 *   {
 *     name: 'BookingApi-onchange',
 *     componentId: 'BookingApi',
 *     trigger: 'change',
 *     connection: 'BOOKING_API_CHANGE_FEED',
 *   },
 * ]); // ['BookingApi']
 * ```
 */
export function changeFeedOwners(hosted: readonly HostedFunction[] | undefined): string[] {
  const owners = new Set<string>();
  for (const f of hosted ?? [])
    if ((f.trigger === 'change' || f.trigger === 'tenant-events') && f.connection !== undefined)
      owners.add(f.componentId);
  return [...owners].sort();
}

/**
 * Every component of an app whose change feed connection apply completes with its client id: an `onChange` or
 * `tenant-events` function's owner ({@link changeFeedOwners}), and a consumer whose settings give the connection
 * without such a function — a tenant-scoped CrudApi read by the webhooks' trigger the runtime registers
 * (plan/phases/webhook-feed-requirements.ts). Sorted and distinct.
 *
 * @example
 * ```ts
 * changeFeedConnectionOwners([], { NOTE_API_CHANGE_FEED__accountEndpoint: 'https://…' }, ['NoteApi']); // ['NoteApi']
 * ```
 */
export function changeFeedConnectionOwners(
  hosted: readonly HostedFunction[] | undefined,
  appSettings: Readonly<Record<string, string>>,
  consumers: readonly string[],
): string[] {
  const owners = new Set(changeFeedOwners(hosted));
  // Most apps have none: one scan of the names before a setting name is made per consumer.
  if (Object.keys(appSettings).some((k) => k.endsWith(CHANGE_FEED_ENDPOINT)))
    for (const id of consumers)
      if (Object.hasOwn(appSettings, settingName(id, CHANGE_FEED_ENDPOINT))) owners.add(id);
  return [...owners].sort();
}

/**
 * Whether a component's own settings (before namespacing) give a change feed connection, as a CrudApi with
 * `onChange` does: apply then sets `<PREFIX>_CHANGE_FEED__clientId`, which no component may write.
 *
 * @example
 * ```ts
 * ownsChangeFeedConnection({ CHANGE_FEED__accountEndpoint: '${cosmos.endpoint}' }); // true
 * ```
 */
export function ownsChangeFeedConnection(
  env: Readonly<Record<string, string>> | undefined,
): boolean {
  return env !== undefined && Object.hasOwn(env, CHANGE_FEED_ENDPOINT);
}
