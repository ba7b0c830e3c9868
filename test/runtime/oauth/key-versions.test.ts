/**
 * Which versions of the agents' Key Vault key verify (key-versions.ts): a property over rotation timelines — no
 * version that may have signed a live token is dropped, none superseded longer ago than any token lives is kept,
 * none disabled, expired or not yet valid is served — and the reads behind it against the Key Vault keys stand-in as
 * Key Vault answers them: Get Key Versions page by page (`nextLink`), a disabled version and one not yet valid among
 * them, and a 403 `ForbiddenByRbac` to an identity whose role lacks `Microsoft.KeyVault/vaults/keys/read` (the data
 * action listing needs, which the planned Key Vault Crypto User holds).
 */
import type { TokenCredential } from '@azure/core-auth';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  issueAccessToken,
  verifyAccessToken,
} from '../../../src/runtime/mcp/oauth/access-token.js';
import {
  CURRENT_VERSION_MS,
  LONGEST_TOKEN_MS,
  liveVersions,
  usable,
  type VersionState,
} from '../../../src/runtime/mcp/oauth/key-versions.js';
import { SigningKeyUnavailable } from '../../../src/runtime/mcp/oauth/token-signer.js';
import { vaultSigningKey } from '../../../src/runtime/mcp/oauth/vault-signing-key.js';
import { KEYVAULT_KEY_USER_ROLE } from '../../../src/resources/keyvault/type.js';
import { SIGNING_KEY_ROTATION } from '../../../src/resources/keyvault/signing-keys.js';
import { durationMs } from '../../../src/testing/keyvault/keyvault-keys-standin-policy.js';
import {
  KEY_VAULT_CRYPTO_USER_DATA_ACTIONS,
  type KeyVaultKeysStandIn,
  startKeyVaultKeysStandIn,
} from '../../../src/testing/keyvault/keyvault-keys-standin.js';

const KEY = 'atakora-agent-signing';
const ISSUER = 'http://127.0.0.1:7071/api';
const who = {
  issuer: ISSUER,
  audience: `${ISSUER}/mcp`,
  person: 'ada',
  organization: 'acme',
  clientId: 'https://claude.ai/oauth/mcp-client.json',
  grant: 'g1',
  minutes: 10,
};
const credential = (token: string): TokenCredential => ({
  getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
});

describe('liveVersions (fast-check over rotation timelines)', () => {
  const timeline = fc.record({
    gaps: fc.array(fc.integer({ min: 1_000, max: 3 * 3_600_000 }), { minLength: 1, maxLength: 6 }),
    lifetime: fc.integer({ min: 1, max: 60 }).map((m) => m * 60_000),
    issuedAfterFirst: fc.integer({ min: 0, max: 20 * 3_600_000 }),
    readAgo: fc.integer({ min: 0, max: CURRENT_VERSION_MS - 1 }),
    liveFor: fc.double({ min: 0, max: 0.999, noNaN: true }),
  });

  it('keeps the version of every token still live: signed with the version an instance read as current', () => {
    fc.assert(
      fc.property(timeline, ({ gaps, lifetime, issuedAfterFirst, readAgo, liveFor }) => {
        let at = Date.parse('2026-03-02T10:00:00Z');
        const versions: VersionState[] = gaps.map((gap, i) => {
          at += gap;
          return { version: i.toString(16).padStart(32, '0'), enabled: true, created: at };
        });
        const first = versions[0]!.created;
        const issued = first + readAgo + issuedAfterFirst;
        // The instance read the vault at `read` and signs with what was current then, for up to CURRENT_VERSION_MS.
        const read = issued - readAgo;
        const signer = versions.filter((v) => v.created <= read).at(-1)!;
        const now = issued + Math.floor(liveFor * lifetime);
        const live = liveVersions(versions, now, lifetime).map((v) => v.version);
        expect(live).toContain(signer.version);
        // Tight too: a version superseded longer ago than a read's staleness and a token's life is gone.
        versions.forEach((v, i) => {
          const next = versions[i + 1];
          if (next && now >= next.created + CURRENT_VERSION_MS + lifetime)
            expect(live).not.toContain(v.version);
        });
      }),
    );
  });

  it('serves only usable versions (enabled, past nbf, before exp), newest first, at most 20', () => {
    const version = fc.record({
      created: fc.integer({ min: 0, max: 10_000_000 }),
      enabled: fc.boolean(),
      expires: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
      notBefore: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(version, { maxLength: 40 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (drawn, now) => {
          const versions: VersionState[] = drawn.map((v, i) => ({
            version: i.toString(16).padStart(32, '0'),
            enabled: v.enabled,
            created: v.created,
            ...(v.expires !== undefined ? { expires: v.expires } : {}),
            ...(v.notBefore !== undefined ? { notBefore: v.notBefore } : {}),
          }));
          const live = liveVersions(versions, now, LONGEST_TOKEN_MS);
          expect(live.length).toBeLessThanOrEqual(20);
          for (const v of live) expect(usable(v, now)).toBe(true);
          for (let i = 1; i < live.length; i++)
            expect(live[i - 1]!.created).toBeGreaterThanOrEqual(live[i]!.created);
        },
      ),
    );
  });
});

describe("the plan's rotation policy against the versions the runtime serves (fast-check)", () => {
  const rotateAfter = durationMs(SIGNING_KEY_ROTATION.rotateAfter);
  const expireAfter = durationMs(SIGNING_KEY_ROTATION.expireAfter);
  // How late Key Vault's scheduler may run before a current version expires under the runtime: it must still serve
  // the superseded version for CURRENT_VERSION_MS + LONGEST_TOKEN_MS after the next one is made.
  const slack = expireAfter - rotateAfter - CURRENT_VERSION_MS - LONGEST_TOKEN_MS;

  it("Key Vault's and azurerm's bounds hold, with weeks of slack for a late rotation", () => {
    const DAY = 86_400_000;
    expect(expireAfter).toBeGreaterThanOrEqual(28 * DAY); // expire_after ≥ P28D (azurerm ValidateFunc)
    expect(durationMs(SIGNING_KEY_ROTATION.notifyBeforeExpiry)).toBeGreaterThanOrEqual(7 * DAY);
    expect(rotateAfter).toBeGreaterThanOrEqual(7 * DAY); // ≥ 7 days after creation (Learn)
    expect(expireAfter - rotateAfter).toBeGreaterThanOrEqual(7 * DAY); // ≥ 7 days before expiry (Learn)
    expect(slack).toBeGreaterThan(30 * DAY);
  });

  it('no token signed on schedule, or with the scheduler up to the slack late, meets an expired version', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: slack }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: CURRENT_VERSION_MS - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (delays, readAgo, when, liveFor) => {
          // The first version as apply makes it (no exp); each next one made by the policy, `delay` late, with exp.
          let at = Date.parse('2026-03-02T10:00:00Z');
          const versions: VersionState[] = [
            { version: '0'.repeat(32), enabled: true, created: at },
          ];
          delays.forEach((delay, i) => {
            at += rotateAfter + delay;
            versions.push({
              version: (i + 1).toString(16).padStart(32, '0'),
              enabled: true,
              created: at,
              expires: at + expireAfter,
            });
          });
          // A token issued any time up to the last version's due rotation, by an instance that read the vault
          // `readAgo` before, lives the longest access token; checked at any instant of its life.
          const first = versions[0]!.created;
          const issued = first + readAgo + Math.floor(when * (at + rotateAfter - first - readAgo));
          const signer = versions.filter((v) => v.created <= issued - readAgo).at(-1)!;
          const now = issued + Math.floor(liveFor * LONGEST_TOKEN_MS);
          const current = versions.filter((v) => v.created <= now).at(-1)!.version;
          const served = versions.filter((v) => v.created <= now);
          expect(usable(signer, now)).toBe(true);
          expect(
            liveVersions(served, now, LONGEST_TOKEN_MS, current).map((v) => v.version),
          ).toContain(signer.version);
        },
      ),
    );
  });
});

describe('liveVersions with versions made within one second', () => {
  it('keeps the current version first, whatever its id, when its created ties an older one', () => {
    // Key Vault stamps `created` in whole seconds: two rotations within one second tie. Ordered by id alone, the
    // current version (here the smaller id) seemed superseded by the older one and left the list once 65 minutes
    // had passed — its tokens refused at the door and by agents' verifiers (agents-key-rotation.test.ts failed so,
    // now and then, its first two versions made at one instant of the test's clock).
    const at = Date.parse('2026-03-02T10:00:00Z');
    const older = { version: 'f'.repeat(32), enabled: true, created: at };
    const current = { version: '0'.repeat(32), enabled: true, created: at };
    const now = at + 3 * 3_600_000;
    expect(liveVersions([older, current], now, LONGEST_TOKEN_MS, current.version)).toEqual([
      current,
    ]);
    expect(liveVersions([current, older], now, LONGEST_TOKEN_MS, current.version)).toEqual([
      current,
    ]);
    // Within a token's life of the tie both are served, the current one first.
    expect(
      liveVersions([older, current], at + 60_000, LONGEST_TOKEN_MS, current.version).map(
        (v) => v.version,
      ),
    ).toEqual([current.version, older.version]);
  });

  it('keeps two older versions made within one second as long as the later of them', () => {
    const at = Date.parse('2026-03-02T10:00:00Z');
    const a = { version: 'a'.repeat(32), enabled: true, created: at };
    const b = { version: 'b'.repeat(32), enabled: true, created: at };
    const current = { version: 'c'.repeat(32), enabled: true, created: at + 3 * 3_600_000 };
    // Either of a and b may have been current until `current` was made: both live a token's life past that.
    const soon = current.created + 10 * 60_000;
    for (const order of [
      [a, b, current],
      [b, a, current],
    ])
      expect(
        liveVersions(order, soon, LONGEST_TOKEN_MS, current.version).map((v) => v.version),
      ).toEqual([
        current.version,
        ...[a, b]
          .map((v) => v.version)
          .sort()
          .reverse(),
      ]);
    const later = current.created + CURRENT_VERSION_MS + LONGEST_TOKEN_MS;
    expect(liveVersions([a, b, current], later, LONGEST_TOKEN_MS, current.version)).toEqual([
      current,
    ]);
  });
});

describe('the versions read from Key Vault (the stand-in)', () => {
  let kv: KeyVaultKeysStandIn | undefined;
  afterEach(async () => {
    await kv?.close();
    kv = undefined;
  });
  const start = async (pageSize: number, identities?: Record<string, boolean | string[]>) => {
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') };
    kv = await startKeyVaultKeysStandIn({
      keys: [KEY],
      pageSize,
      now: () => clock.now,
      ...(identities ? { identities } : {}),
    });
    const signer = (token = 'the-app') =>
      vaultSigningKey(kv!.keyId(KEY), { credential: credential(token), now: () => clock.now });
    return { kv, clock, signer };
  };

  it('follows nextLink page after page; lists the live versions, not a disabled or not-yet-valid one', async () => {
    const { kv, clock, signer } = await start(1);
    const v1 = kv.versions(KEY)[0]!.version;
    const t1 = await issueAccessToken(signer(), who);
    clock.now += 60_000;
    const v2 = kv.rotate(KEY);
    clock.now += 60_000;
    const v3 = kv.rotate(KEY);
    clock.now += 60_000;
    const v4 = kv.rotate(KEY);
    kv.setEnabled(KEY, false, v2);
    clock.now += 60_000;
    const v5 = kv.rotate(KEY);
    kv.setAttributes(KEY, { notBefore: clock.now + 3_600_000 }, v5);
    const s = signer();
    const pagesBefore = kv.calls.filter((c) => c.path.endsWith('/versions')).length;
    expect((await s.publicKeys()).map((k) => k.kid)).toEqual([v4, v3, v1]);
    // Five versions, one a page: the first request and four nextLinks.
    expect(kv.calls.filter((c) => c.path.endsWith('/versions')).length - pagesBefore).toBe(5);
    expect((await verifyAccessToken(s, t1.token, who)).ok).toBe(true);
    // The current version (v5) is not yet valid: nothing is signed with it.
    await expect(issueAccessToken(s, who)).rejects.toBeInstanceOf(SigningKeyUnavailable);
    expect([v1, v2, v3, v4, v5].length).toBe(new Set([v1, v2, v3, v4, v5]).size);
  });

  it('answers Get Key Versions as Key Vault does: maxresults 1 to 25, nextLink with api-version and $skiptoken', async () => {
    const { kv } = await start(25);
    for (let i = 0; i < 26; i++) kv.rotate(KEY);
    const get = (query: string) =>
      fetch(`${kv.base}/keys/${KEY}/versions?api-version=7.4${query}`, {
        headers: { authorization: 'Bearer the-app' },
      });
    const first = (await (await get('')).json()) as {
      value: { kid: string; attributes: { enabled: boolean; created: number } }[];
      nextLink: string;
    };
    expect(first.value).toHaveLength(25);
    expect(first.value[0]).toMatchObject({
      kid: expect.stringContaining(`/keys/${KEY}/`) as unknown,
      attributes: { enabled: true, created: expect.any(Number) as unknown },
    });
    expect(first.nextLink).toMatch(/\/versions\?api-version=7\.4&\$skiptoken=/);
    const rest = (await (
      await fetch(first.nextLink, { headers: { authorization: 'Bearer the-app' } })
    ).json()) as { value: unknown[]; nextLink: string | null };
    expect([rest.value.length, rest.nextLink]).toEqual([2, null]);
    const bad = await get('&maxresults=26');
    expect([bad.status, ((await bad.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      'BadParameter',
    ]);
  });

  it('an identity whose role lacks keys/read is refused listing (403 ForbiddenByRbac); the planned role holds it', async () => {
    const { kv, signer } = await start(25, {
      'the-app': true,
      'sign-only': ['Microsoft.KeyVault/vaults/keys/sign/action'],
    });
    const listed = await fetch(`${kv.base}/keys/${KEY}/versions?api-version=7.4`, {
      headers: { authorization: 'Bearer sign-only' },
    });
    const body = (await listed.json()) as {
      error: { code: string; message: string; innererror: { code: string } };
    };
    expect([listed.status, body.error.code, body.error.innererror.code]).toEqual([
      403,
      'Forbidden',
      'ForbiddenByRbac',
    ]);
    expect(body.error.message).toContain("Action: 'Microsoft.KeyVault/vaults/keys/read'");
    const refused = await signer('sign-only')
      .publicKeys()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(SigningKeyUnavailable);
    expect(refused).toMatchObject({ status: 403 });
    // The role the plan gives the app, Key Vault Crypto User, holds every data action the runtime uses.
    expect(KEYVAULT_KEY_USER_ROLE).toBe('Key Vault Crypto User');
    expect(KEY_VAULT_CRYPTO_USER_DATA_ACTIONS).toEqual(
      expect.arrayContaining([
        'Microsoft.KeyVault/vaults/keys/read',
        'Microsoft.KeyVault/vaults/keys/sign/action',
      ]),
    );
    const { token } = await issueAccessToken(signer('the-app'), who);
    expect((await verifyAccessToken(signer('the-app'), token, who)).ok).toBe(true);
    expect((await signer('the-app').publicKeys()).length).toBe(1);
  });
});
