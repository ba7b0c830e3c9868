import { azureOk } from './http.js';

/** Static Web Apps API version of `listSecrets` (2022-09-01 is GA and lists `properties.apiKey`). */
export const STATIC_SITES_API_VERSION = '2022-09-01';

/**
 * A Static Web App's deployment token, read through Resource Manager with the deployer's identity: POST {resource
 * id}/listSecrets → properties.apiKey (StaticSites_ListStaticSiteSecrets,
 * https://learn.microsoft.com/rest/api/appservice/static-sites/list-static-site-secrets; the same call as `az
 * staticwebapp secrets list`). A non-2xx or no answer is an AzureRequestError; an answer without a key is
 * undefined.
 *
 * @example
 * ```ts
 * const token = await staticSiteDeploymentToken(arm, resourceId, bearer);
 * ```
 */
export async function staticSiteDeploymentToken(
  arm: string,
  resourceId: string,
  bearer: string,
): Promise<string | undefined> {
  const answer = await azureOk({
    service: 'Resource Manager',
    what: `reading the deployment token of ${resourceId.split('/').pop() ?? resourceId}`,
    url: `${arm}${resourceId}/listSecrets?api-version=${STATIC_SITES_API_VERSION}`,
    method: 'POST',
    token: bearer,
  });
  const key = (answer.json() as { properties?: { apiKey?: unknown } } | undefined)?.properties
    ?.apiKey;
  return typeof key === 'string' && key !== '' ? key : undefined;
}
