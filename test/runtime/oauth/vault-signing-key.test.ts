/**
 * The agents' signing key in Key Vault (DESIGN §2 "Tokens": "signed with a key the plan keeps in Key Vault"), through
 * Microsoft's `@azure/keyvault-keys` against the loopback stand-in of Key Vault's keys data plane
 * (`@atakora/component/testing`): the SDK's challenge authentication, tokens signed by the vault's `sign` and
 * verified by `jose` on another instance, a rotation (old tokens hold, new ones carry the new `kid`), and the vault's
 * refusals (no role, no key, a disabled key) as SigningKeyUnavailable — never a verdict on the token.
 */
import type { TokenCredential } from '@azure/core-auth';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  issueAccessToken,
  verifyAccessToken,
} from '../../../src/runtime/mcp/oauth/access-token.js';
import { SigningKeyUnavailable } from '../../../src/runtime/mcp/oauth/token-signer.js';
import { KEY_LIST_REFRESH_MS } from '../../../src/runtime/mcp/oauth/key-versions.js';
import {
  CURRENT_VERSION_MS,
  vaultSigningKey,
} from '../../../src/runtime/mcp/oauth/vault-signing-key.js';
import {
  type KeyVaultKeysStandIn,
  startKeyVaultKeysStandIn,
} from '../../../src/testing/keyvault/keyvault-keys-standin.js';

const ISSUER = 'http://127.0.0.1:7071/api';
const AUDIENCE = `${ISSUER}/mcp`;
const KEY = 'atakora-agent-signing';
const who = {
  issuer: ISSUER,
  audience: AUDIENCE,
  person: 'alice@contoso.com',
  organization: 'acme',
  clientId: 'https://claude.ai/oauth/mcp-client.json',
  grant: 'grant-1',
  minutes: 10,
};
const expected = { issuer: ISSUER, audience: AUDIENCE };
const credential = (token: string): TokenCredential => ({
  getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
});

let kv: KeyVaultKeysStandIn;
beforeAll(async () => {
  kv = await startKeyVaultKeysStandIn({
    keys: [KEY],
    identities: { 'the-app': true, 'no-role': false },
  });
});
afterAll(() => kv.close());

/** An instance of the app: its own signer, nothing shared with another but the vault. */
const instance = (token = 'the-app', now?: () => number) =>
  vaultSigningKey(kv.keyId(KEY), { credential: credential(token), ...(now ? { now } : {}) });

describe("the agents' signing key in Key Vault", () => {
  it('one instance signs through the vault, another verifies; the kid is the key version', async () => {
    const before = kv.challenges.length;
    const { token } = await issueAccessToken(instance(), who);
    const current = kv.versions(KEY).at(-1)!.version;
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: current,
    });
    // The SDK's challenge authentication: a first request without a token, answered 401, then the token.
    expect(kv.challenges.length).toBeGreaterThan(before);
    expect(kv.calls.some((c) => c.method === 'POST' && c.path.endsWith(`/${current}/sign`))).toBe(
      true,
    );
    const checked = await verifyAccessToken(instance(), token, expected);
    expect(checked).toMatchObject({ ok: true, claims: { org: 'acme', sub: who.person } });
    // Tampered: the vault's signature does not cover another organization.
    const [h, , s] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()),
        org: 'globex',
      }),
    ).toString('base64url');
    expect((await verifyAccessToken(instance(), `${h}.${forged}.${s}`, expected)).ok).toBe(false);
  });

  it('a rotated key: old tokens still verify, new ones carry the new kid; a disabled version verifies nothing', async () => {
    const clock = { now: Date.now() };
    const a = instance('the-app', () => clock.now);
    const old = await issueAccessToken(a, who);
    const oldKid = decodeProtectedHeader(old.token).kid;
    const next = kv.rotate(KEY);
    // Within CURRENT_VERSION_MS the instance signs with the version it read; after it, with the new one.
    clock.now += CURRENT_VERSION_MS;
    const fresh = await issueAccessToken(a, who);
    expect(decodeProtectedHeader(fresh.token).kid).toBe(next);
    expect(next).not.toBe(oldKid);
    const b = instance();
    expect((await verifyAccessToken(b, old.token, expected)).ok).toBe(true);
    expect((await verifyAccessToken(b, fresh.token, expected)).ok).toBe(true);
    kv.setEnabled(KEY, false, String(oldKid));
    const c = instance();
    expect((await verifyAccessToken(c, old.token, expected)).ok).toBe(false);
    kv.setEnabled(KEY, true, String(oldKid));
  });

  it('a kid that is no version, or unknown, is refused without a flood of look-ups', async () => {
    const { token } = await issueAccessToken(instance(), who);
    const [, p, s] = token.split('.');
    const header = (kid: string) =>
      Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid })).toString('base64url');
    const clock = { now: Date.now() };
    const v = instance('the-app', () => clock.now);
    expect((await verifyAccessToken(v, token, expected)).ok).toBe(true);
    const before = kv.calls.length;
    expect(
      (await verifyAccessToken(v, `${header('../../secrets/x')}.${p}.${s}`, expected)).ok,
    ).toBe(false);
    for (let i = 0; i < 20; i++)
      expect(
        (
          await verifyAccessToken(
            v,
            `${header(i.toString(16).padStart(32, 'a'))}.${p}.${s}`,
            expected,
          )
        ).ok,
      ).toBe(false);
    // One read of the versions (Get Key, Get Key Versions) for all twenty unlisted kids within a period …
    expect(kv.calls.length - before).toBeLessThanOrEqual(2);
    // … and one more a period as the storm goes on: never one per kid.
    for (let i = 0; i < 40; i++) {
      clock.now += 250;
      await verifyAccessToken(v, `${header(i.toString(16).padStart(32, 'b'))}.${p}.${s}`, expected);
    }
    expect(kv.calls.length - before).toBeLessThanOrEqual(
      2 * (1 + (40 * 250) / KEY_LIST_REFRESH_MS),
    );
  });

  it('the vault refusing is SigningKeyUnavailable: no role (403), no key (404), a disabled key (403)', async () => {
    const refusal = async (signer: ReturnType<typeof instance>) =>
      issueAccessToken(signer, who).then(
        () => undefined,
        (e: unknown) => e,
      );
    const noRole = await refusal(instance('no-role'));
    expect(noRole).toBeInstanceOf(SigningKeyUnavailable);
    expect(noRole).toMatchObject({
      status: 403,
      why: expect.stringContaining('Forbidden') as unknown,
    });
    const missing = await refusal(
      vaultSigningKey(kv.keyId('no-such-key'), { credential: credential('the-app') }),
    );
    expect(missing).toMatchObject({
      status: 404,
      why: expect.stringContaining('KeyNotFound') as unknown,
    });
    kv.setEnabled(KEY, false);
    try {
      const disabled = await refusal(instance());
      expect(disabled).toBeInstanceOf(SigningKeyUnavailable);
      expect((disabled as SigningKeyUnavailable).why).toMatch(/disabled/);
    } finally {
      kv.setEnabled(KEY, true);
    }
    // Verifying with no role cannot read the key: the service's state, thrown, not a 401 verdict.
    const { token } = await issueAccessToken(instance(), who);
    await expect(verifyAccessToken(instance('no-role'), token, expected)).rejects.toBeInstanceOf(
      SigningKeyUnavailable,
    );
  });
});
