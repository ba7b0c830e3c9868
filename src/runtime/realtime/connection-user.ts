/**
 * The `userId` negotiate mints into a client token: the caller's tenant and identity (`oid`), each URI-encoded and
 * joined by `/`. Web PubSub hands it back, as the service saw it at connect, on every event of that connection
 * (CloudEvents attribute `ce-userId`: Learn, "CloudEvents extension for Azure Web PubSub event handler with HTTP
 * protocol", Attributes), so the events route knows whose connection opened or closed without trusting the
 * client: a client cannot choose its `userId`, the token's signature covers it.
 *
 * @example
 * ```ts
 * connectionUserId('t1', 'u1'); // 't1/u1'
 * parseConnectionUser('t1/u1'); // { tenant: 't1', user: 'u1' }
 * ```
 */
export function connectionUserId(tenant: string, user: string): string {
  return `${encodeURIComponent(tenant)}/${encodeURIComponent(user)}`;
}

/**
 * The tenant and user of a connection's `userId` as {@link connectionUserId} made it; undefined for any other
 * value (a token this runtime did not mint, or none).
 *
 * @example
 * ```ts
 * parseConnectionUser('nope'); // undefined
 * ```
 */
export function parseConnectionUser(
  userId: string | null | undefined,
): { tenant: string; user: string } | undefined {
  if (!userId) return undefined;
  const parts = userId.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  try {
    return { tenant: decodeURIComponent(parts[0]), user: decodeURIComponent(parts[1]) };
  } catch {
    return undefined;
  }
}
