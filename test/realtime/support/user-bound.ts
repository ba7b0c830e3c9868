// The per-user bound on live sockets reached with one token (default-user-bound.test.ts, no-registry-bound.test.ts):
// alice negotiates once and opens DEFAULT_USER_REALTIME_CONNECTIONS sockets with the token; one more is refused at
// the hub's blocking `connect`, and negotiate refuses her with the bound, while a colleague of hers still negotiates.
import { expect } from 'vitest';
import { DEFAULT_USER_REALTIME_CONNECTIONS } from '../../../src/contract/realtime.js';
import { code, type Listener, listen, type RealtimeApp } from './realtime-app.js';

/**
 * Alice of `tid` reaches her bound: her sockets pushed on `open` (the test closes them), her token's URL returned.
 *
 * @example
 * ```ts
 * const url = await userBoundReached(app, TENANT, open);
 * ```
 */
export async function userBoundReached(
  app: RealtimeApp,
  tid: string,
  open: Listener[],
): Promise<string> {
  const alice = { oid: 'a0000000-0000-0000-0000-00000000000a', tid };
  const first = await app.negotiate(alice);
  expect(first.status).toBe(200);
  const url = first.body.url as string;
  for (let i = 0; i < DEFAULT_USER_REALTIME_CONNECTIONS; i++) open.push(await listen(url));
  // One token, one socket more: the hub's blocking connect is refused with the bound.
  await expect(listen(url)).rejects.toThrow('upgrade refused: 429');
  const refused = await app.negotiate(alice);
  expect([refused.status, code(refused), refused.body.scope, refused.body.limit]).toEqual([
    429,
    'too-many-connections',
    'user',
    DEFAULT_USER_REALTIME_CONNECTIONS,
  ]);
  // A colleague (another caller of the same tenant) is not bounded by alice's sockets.
  expect((await app.negotiate({ oid: 'b0000000-0000-0000-0000-00000000000b', tid })).status).toBe(
    200,
  );
  return url;
}
