import type { PlannedResource } from '../../../model/plan.js';
import { QUEUES_SETTING } from '../../../model/queue-settings.js';
import { mergedConfigOf } from '../../../resources/types.js';

/**
 * The queues a planned Function App declares (queue name → connection prefix), as apply writes them to
 * `ATAKORA_QUEUES`; empty when none.
 *
 * @example
 * ```ts
 * declaredQueuesOf(app); // { orders: 'SHOP_STORAGE' }
 * ```
 */
export function declaredQueuesOf(app: PlannedResource): Readonly<Record<string, string>> {
  return mergedConfigOf('functions', app).queues ?? {};
}

/**
 * The app settings that point an app's queues at Azurite's queue service under `atakora dev`: `ATAKORA_QUEUES`
 * as apply writes it, and each connection's `<PREFIX>__queueServiceUri` (in Azure a reference to the storage
 * account's queue endpoint, which has no local meaning). No key and no connection string: the runtime and the
 * local queue triggers authenticate with the dev identity endpoint's token, as with a managed identity in Azure.
 *
 * @example
 * ```ts
 * devQueueSettings(app, 'https://127.0.0.1:10001/devstoreaccount1/');
 * // { ATAKORA_QUEUES: '{"orders":"SHOP_STORAGE"}', SHOP_STORAGE__queueServiceUri: 'https://127.0.0.1:10001/devstoreaccount1/' }
 * ```
 */
export function devQueueSettings(app: PlannedResource, endpoint: string): Record<string, string> {
  const queues = declaredQueuesOf(app);
  const out: Record<string, string> = {};
  const connections = new Set(Object.values(queues));
  for (const f of mergedConfigOf('functions', app).hostedFunctions ?? [])
    if (f.trigger === 'queue' && f.connection) connections.add(f.connection);
  if (connections.size === 0) return out;
  if (Object.keys(queues).length > 0) out[QUEUES_SETTING] = JSON.stringify(queues);
  for (const c of [...connections].sort()) out[`${c}__queueServiceUri`] = endpoint;
  return out;
}
