import { createHash } from 'node:crypto';

/**
 * The group every realtime connection of one member of one organization joins (negotiate lists it in the token),
 * to which nothing is ever sent: closing its connections (`closeConnections` on the group, Web PubSub REST API
 * "Close connections in a specific group") takes a removed member's sockets off the hub at once, whichever instance
 * minted them. Hashed like the tenant's group (realtime/audience.ts), so no id reaches the service in clear.
 *
 * @example
 * ```ts
 * memberGroup('acme-k3x9qa', 'u-1').startsWith('atakora.m.'); // true
 * ```
 */
export function memberGroup(tenant: string, userId: string): string {
  const digest = createHash('sha256')
    .update(['member', tenant, userId].join('\u0000'), 'utf8')
    .digest('hex')
    .slice(0, 32);
  return `atakora.m.${digest}`;
}
