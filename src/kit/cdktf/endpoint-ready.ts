/**
 * Where a resource type leaves the construct its private endpoint must wait for (in the provision context's
 * `constructs`): the last update it makes to the service (a hub, a network ACL), since Azure takes one change of a
 * service at a time and the endpoint's connection is one. The network's `finalize` reads it; absent → no wait.
 *
 * @example
 * ```ts
 * ctx.constructs.set(endpointReadyKey('webpubsub:shared'), acl);
 * ctx.constructs.get(endpointReadyKey(p.target)); // in the network's finalize
 * ```
 */
export function endpointReadyKey(resourceKey: string): string {
  return `${resourceKey}#endpoint-ready`;
}
