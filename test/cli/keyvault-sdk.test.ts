import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyVaultClient } from '../../src/cli/azure/keyvault.js';
import { startKeyVaultStandIn } from '../support/keyvault-standin.js';

// The vault client through the maintained SDK (@azure/keyvault-secrets) against the loopback stand-in of Key
// Vault's data plane, which speaks its challenge authentication: what the client adds around the SDK.
let kv: Awaited<ReturnType<typeof startKeyVaultStandIn>>;
beforeAll(async () => {
  kv = await startKeyVaultStandIn(['kv-sdk']);
});
afterAll(async () => {
  await kv.close();
});
const client = (token = 'token-for-the-vault') =>
  keyVaultClient('kv-sdk', {
    env: { ATAKORA_KEYVAULT_ENDPOINT: `${kv.base}/{vault}` },
    token: () => Promise.resolve(token),
  });

describe('Key Vault through @azure/keyvault-secrets', () => {
  it('answers the challenge with the deployer token; the value travels only in the authorized PUT', async () => {
    const before = { seen: kv.seen.length, challenges: kv.challenges.length };
    const { version } = await client().set('A-KEY', 'the-value-1');
    expect(version).toMatch(/^v0+\d+$/);
    const challenges = kv.challenges.slice(before.challenges);
    expect(challenges.length).toBeGreaterThan(0);
    expect(challenges.every((c) => c.body === '' && c.authorization === undefined)).toBe(true);
    const mine = kv.seen.slice(before.seen);
    expect(mine.map((s) => `${s.method} ${s.url}`)).toEqual([
      'PUT /kv-sdk/secrets/A-KEY?api-version=7.4',
    ]);
    expect(mine[0]!.authorization).toBe('Bearer token-for-the-vault');
    expect(JSON.parse(mine[0]!.body)).toMatchObject({ value: 'the-value-1' });
  });

  it('lists names and versions, never values; a secret removed is recovered before it is set again', async () => {
    const c = client();
    await c.set('A-KEY', 'the-value-2');
    expect((await c.list()).map((s) => s.name)).toContain('A-KEY');
    expect((await c.versions('A-KEY')).length).toBe(2);
    expect(await c.versions('NO-SUCH')).toEqual([]);
    expect(await c.remove('A-KEY')).toBe(true);
    expect(await c.remove('A-KEY')).toBe(false);
    const { version } = await c.set('A-KEY', 'the-value-3');
    expect(kv.recovered).toContain('kv-sdk/A-KEY');
    expect(kv.values.get('kv-sdk')!.get('A-KEY')!.value).toBe('the-value-3');
    expect(version).toBe(kv.values.get('kv-sdk')!.get('A-KEY')!.versions.at(-1)!.id);
  });

  it('a vault that does not exist is SECRET_VAULT_NOT_FOUND; no role is SECRET_ACCESS_DENIED', async () => {
    await expect(
      keyVaultClient('kv-none', {
        env: { ATAKORA_KEYVAULT_ENDPOINT: `${kv.base}/{vault}` },
        token: () => Promise.resolve('t'),
      }).list(),
    ).rejects.toMatchObject({ code: 'SECRET_VAULT_NOT_FOUND' });
    kv.deny.on = true;
    try {
      await expect(client().set('B-KEY', 'x')).rejects.toMatchObject({
        code: 'SECRET_ACCESS_DENIED',
        message: expect.stringContaining('Caller is not authorized') as unknown,
      });
      await expect(client().list()).rejects.toMatchObject({ code: 'SECRET_ACCESS_DENIED' });
    } finally {
      kv.deny.on = false;
    }
  });

  it('a token that cannot be had is SECRET_ACCESS_DENIED before anything is sent', async () => {
    const before = kv.seen.length + kv.challenges.length;
    const e = await keyVaultClient('kv-sdk', {
      env: { ATAKORA_KEYVAULT_ENDPOINT: `${kv.base}/{vault}` },
      token: () => Promise.reject(new Error('Please run az login')),
    })
      .list()
      .catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'SECRET_ACCESS_DENIED',
      message: expect.stringContaining('az login') as unknown,
    });
    expect(kv.seen.length + kv.challenges.length).toBe(before);
  });
});
