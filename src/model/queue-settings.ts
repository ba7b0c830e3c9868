/**
 * App setting naming the queues a Function App's code may send to (`queueClient(name)`), as JSON: queue name →
 * the app-setting prefix of the identity-based connection that reaches it (`{ "orders": "ORDER_WORKER_STORAGE" }`).
 * The connection's own settings say where and as whom: `<PREFIX>__queueServiceUri` and `<PREFIX>__clientId` (the
 * declaring component's identity, which holds a queue data role on the account). Written by apply and `atakora dev`.
 *
 * @example
 * ```ts
 * const queues = JSON.parse(process.env[QUEUES_SETTING] ?? '{}') as DeclaredQueues;
 * ```
 */
export const QUEUES_SETTING = 'ATAKORA_QUEUES';

/**
 * The value of {@link QUEUES_SETTING}: queue name → connection prefix.
 *
 * @example
 * ```ts
 * const queues: DeclaredQueues = { orders: 'ORDER_WORKER_STORAGE' };
 * ```
 */
export type DeclaredQueues = Readonly<Record<string, string>>;
