import { azureRequest } from './http.js';

/** A call to Microsoft Graph: its base URL (endpoints.ts, `graphEndpoint`) and a Graph token (`graphToken`). */
export interface GraphRef {
  readonly graph: string;
  readonly token: string;
  /** Another fetch (tests inject one). */
  readonly fetch?: typeof fetch;
}

/**
 * Whether the tenant lets member users register applications (Graph `GET /v1.0/policies/authorizationPolicy`,
 * `defaultUserRolePermissions.allowedToCreateApps`); undefined when it could not be read.
 *
 * @example
 * ```ts
 * if ((await usersMayRegisterApps({ graph, token })) === false) …
 * ```
 */
export async function usersMayRegisterApps(ref: GraphRef): Promise<boolean | undefined> {
  const answer = await azureRequest({
    service: 'Microsoft Graph',
    what: 'reading the authorization policy',
    url: `${ref.graph}/v1.0/policies/authorizationPolicy`,
    token: ref.token,
    timeoutMs: 30_000,
    ...(ref.fetch ? { fetch: ref.fetch } : {}),
  }).catch(() => undefined);
  if (!answer?.ok) return undefined;
  const policy = answer.json() as
    | { defaultUserRolePermissions?: { allowedToCreateApps?: boolean } }
    | undefined;
  return policy?.defaultUserRolePermissions?.allowedToCreateApps;
}

/**
 * The URL that permanently deletes a directory object from the deleted items (Graph `DELETE
 * /directory/deletedItems/{id}`, https://learn.microsoft.com/graph/api/directory-deleteditems-delete).
 *
 * @example
 * ```ts
 * deletedItemUrl('https://graph.microsoft.com', objectId);
 * ```
 */
export function deletedItemUrl(graph: string, objectId: string): string {
  return `${graph}/v1.0/directory/deletedItems/${encodeURIComponent(objectId)}`;
}

/**
 * Permanently delete one object from the directory's deleted items: the status (204 purged, 404 not there or
 * not yet visible) and the start of the answer. No answer is an AzureRequestError.
 *
 * @example
 * ```ts
 * const { status } = await purgeDeletedItem({ graph, token }, objectId);
 * ```
 */
export async function purgeDeletedItem(
  ref: GraphRef,
  objectId: string,
): Promise<{ readonly status: number; readonly detail: string }> {
  const answer = await azureRequest({
    service: 'Microsoft Graph',
    what: `purging deleted item ${objectId}`,
    url: deletedItemUrl(ref.graph, objectId),
    method: 'DELETE',
    token: ref.token,
    timeoutMs: 30_000,
    ...(ref.fetch ? { fetch: ref.fetch } : {}),
  });
  return { status: answer.status, detail: `${answer.status} ${answer.text.slice(0, 200)}`.trim() };
}
