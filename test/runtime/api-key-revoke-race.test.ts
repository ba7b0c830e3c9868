/**
 * A key revoked by two calls at once (two Admins, two instances): each reads the key, then deletes it. The one whose
 * delete finds the key gone (Cosmos DB's 404) lost the race — it must say so (the route's 404), or both revocations
 * give a place back to the organization's count of keys and one more key than `tenants.apiKeys.perOrganization`
 * can then be made. Against the local Cosmos DB server, the other revocation landing between this one's read and its
 * delete.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHash } from '../../src/runtime/caller/api-key-bearer.js';
import {
  cosmosApiKeyStore,
  type StoredApiKey,
} from '../../src/runtime/members/keys/api-key-store.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let members: Container;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  members = await cosmos.container('members', '/tenant');
});
afterAll(async () => cosmos?.stop());

/** `members`, with `meanwhile` run once right after the first point read (before the reader's delete). */
function afterFirstRead(container: Container, meanwhile: () => Promise<void>): Container {
  let pending: (() => Promise<void>) | undefined = meanwhile;
  return new Proxy(container, {
    get(target, prop, receiver) {
      if (prop !== 'item') return Reflect.get(target, prop, receiver) as unknown;
      return (id: string, pk: string) => {
        const item = target.item(id, pk);
        return new Proxy(item, {
          get(i, p, r) {
            if (p !== 'read') return Reflect.get(i, p, r) as unknown;
            return async (...args: Parameters<typeof item.read>) => {
              const read = await i.read(...args);
              const run = pending;
              pending = undefined;
              if (run) await run();
              return read;
            };
          },
        });
      };
    },
  });
}

describe('revoking one key twice at once', () => {
  it('the call whose delete finds the key gone answers none (it revoked nothing)', async () => {
    const key: StoredApiKey = {
      tenant: 'acme',
      id: 'k1',
      name: 'sync',
      role: 'Member',
      hash: apiKeyHash('atk_race'),
      prefix: 'atk_race',
      createdOn: '2026-11-29T01:00:00.000Z',
      createdBy: 'ada',
    };
    const store = cosmosApiKeyStore(members);
    await store.create(key);
    const other = cosmosApiKeyStore(members);
    const racing = cosmosApiKeyStore(
      afterFirstRead(members, async () => {
        expect((await other.remove('acme', 'k1'))?.id).toBe('k1');
      }),
    );
    expect(await racing.remove('acme', 'k1')).toBeUndefined();
    expect(await store.byHash(key.hash)).toBeUndefined();
    expect(await store.list('acme')).toEqual([]);
  });
});
