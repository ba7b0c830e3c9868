import { azureRequest, type AzureAnswer } from './http.js';

/**
 * The Resource Manager reads of the deploy preflight: a subscription (Subscriptions - Get, api-version 2022-12-01,
 * https://learn.microsoft.com/rest/api/resources/subscriptions/get) and the registration state of its resource
 * providers (Providers - List, api-version 2021-04-01, https://learn.microsoft.com/rest/api/resources/providers/list).
 * Any status is an answer for the preflight to judge; no answer is an AzureRequestError.
 */
export interface ArmRead {
  readonly endpoint: string;
  readonly token: string;
  /** Another fetch (tests inject one). */
  readonly fetch?: typeof fetch;
}

const read = (r: ArmRead, what: string, url: string): Promise<AzureAnswer> =>
  azureRequest({
    service: 'Resource Manager',
    what,
    url,
    token: r.token,
    timeoutMs: 30_000,
    ...(r.fetch ? { fetch: r.fetch } : {}),
  });

/**
 * Read one subscription: 200 when the credential sees it, 401/403/404 when not.
 *
 * @example
 * ```ts
 * (await readSubscription({ endpoint, token }, sub)).status; // 200
 * ```
 */
export function readSubscription(r: ArmRead, subscriptionId: string): Promise<AzureAnswer> {
  return read(
    r,
    `reading subscription ${subscriptionId}`,
    `${r.endpoint}/subscriptions/${subscriptionId}?api-version=2022-12-01`,
  );
}

/**
 * The subscription's resource providers, namespace and registration state only (`value: [{ namespace,
 * registrationState }]`).
 *
 * @example
 * ```ts
 * (await listProviders({ endpoint, token }, sub)).json();
 * ```
 */
export function listProviders(r: ArmRead, subscriptionId: string): Promise<AzureAnswer> {
  return read(
    r,
    `listing the resource providers of ${subscriptionId}`,
    `${r.endpoint}/subscriptions/${subscriptionId}/providers?api-version=2021-04-01&$select=namespace,registrationState`,
  );
}
