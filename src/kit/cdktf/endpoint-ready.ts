import type { TerraformResource } from 'cdktf';
import { appWaitsFor } from './app-waits-for.js';

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

/**
 * Where a resource type leaves a construct that must come after its private endpoint and list it: Web PubSub's
 * network ACL, whose `private_endpoint` blocks name the endpoints (azurerm v4.55.0
 * `website/docs/r/web_pubsub_network_acl.html.markdown`: the example lists the endpoint in `private_endpoint` and
 * `depends_on` it; `web_pubsub_network_acl_resource.go` maps each block's id to the service's private endpoint
 * connection, which exists only once the endpoint does, and reads the endpoints back into `private_endpoint`, so an
 * ACL that leaves one out differs from what Azure holds). The network's `finalize` adds each endpoint it creates
 * for the target to it.
 *
 * @example
 * ```ts
 * ctx.constructs.set(endpointFollowerKey('webpubsub:shared'), acl);
 * ```
 */
export function endpointFollowerKey(resourceKey: string): string {
  return `${resourceKey}#endpoint-follower`;
}

/** The endpoints each follower lists so far (the setter replaces the whole list). */
const followed = new WeakMap<EndpointFollower, { id: string }[]>();

/** A construct with `private_endpoint` blocks (a Web PubSub network ACL) that waits for the endpoints it lists. */
export interface EndpointFollower extends TerraformResource {
  putPrivateEndpoint(value: { id: string }[]): void;
}

/**
 * Add a private endpoint to a follower: listed in its `private_endpoint` blocks (no request type denied beyond the
 * ACL's default) and in its `depends_on`, as the provider's example does.
 *
 * @example
 * ```ts
 * followEndpoint(acl, endpoint);
 * ```
 */
export function followEndpoint(
  follower: EndpointFollower,
  endpoint: TerraformResource & { id: string },
): void {
  const listed = [...(followed.get(follower) ?? []), { id: endpoint.id }];
  followed.set(follower, listed);
  follower.putPrivateEndpoint(listed);
  appWaitsFor(follower, endpoint);
}
