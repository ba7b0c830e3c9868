/**
 * Deployed instances agree on agents' tokens (DESIGN §2 "Tokens": "signed with a key the plan keeps in Key Vault"):
 * two instances of the authorization server — the second a fresh module state, as another process is — over one
 * Cosmos DB and one vault (the loopback Key Vault keys stand-in of `@atakora/component/testing`, through
 * `@azure/keyvault-keys`). A token issued on one is taken at the other's MCP door (before the key moved to Key
 * Vault, each process signed with a key of its own and the second answered 401); a rotated key's tokens hold on both;
 * and a vault that refuses (no role, a disabled key) is `503 temporarily_unavailable` with `Retry-After` at the token
 * endpoint and `503 signing-key-unavailable` at the door — never an unhandled 500.
 */
import type { TokenCredential } from '@azure/core-auth';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGENT_SIGNING_KEY_ID_SETTING } from '../../../src/contract/mcp/oauth/agent-signing-key.js';
import {
  type KeyVaultKeysStandIn,
  startKeyVaultKeysStandIn,
} from '../../../src/testing/keyvault/keyvault-keys-standin.js';
import type { AgentsApp } from '../support/agents-app.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import { testCertificate } from '../../support/test-certificate.js';

const KEY = 'atakora-agent-signing';
const identity = (token: string): TokenCredential => ({
  getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
});

let cosmos: LocalCosmos;
let kv: KeyVaultKeysStandIn;
let a: AgentsApp;
let b: AgentsApp;
type Support = typeof import('../support/agents-app.js');
let supportA: Support;
let supportB: Support;

/** An instance of the app in a module state of its own (another process): nothing shared but Cosmos DB and the vault. */
async function instance(token = 'the-app'): Promise<{ app: AgentsApp; support: Support }> {
  vi.resetModules();
  const support = await import('../support/agents-app.js');
  const app = await support.startAgentsApp(cosmos, {
    env: { [AGENT_SIGNING_KEY_ID_SETTING]: kv.keyId(KEY) },
    vaultCredential: identity(token),
    // One agent's metadata certificate for every instance: each fetches the others' agents' documents.
    tls,
  });
  return { app, support };
}

let tls: { cert: string; key: string };
beforeAll(async () => {
  tls = testCertificate();
  cosmos = await startLocalCosmos();
  kv = await startKeyVaultKeysStandIn({
    keys: [KEY],
    identities: { 'the-app': true, 'no-role': false },
    // The vault's clock is the apps': a version's `created` and `exp` are judged by the clock the tests move.
    now: () => (a ? a.clock.now : Date.parse('2026-03-02T10:00:00.000Z')),
  });
  ({ app: a, support: supportA } = await instance());
  ({ app: b, support: supportB } = await instance());
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await kv?.close();
  await cosmos?.stop();
});
beforeEach(async () => {
  a.clock.now += 3_600_000;
  b.clock.now = a.clock.now;
  await a.reseed();
});

describe('two instances and one signing key in Key Vault', () => {
  it("a token issued on one instance is taken at the other's MCP door, its kid the key's version", async () => {
    const { tokens } = await supportA.connectAgent(a, 'ada', 'acme');
    expect(tokens.status).toBe(200);
    const token = String((tokens.body as { access_token: string }).access_token);
    expect(decodeProtectedHeader(token).kid).toBe(kv.versions(KEY).at(-1)?.version);
    expect((await supportA.mcpWith(a, token)).status).toBe(200);
    expect((await supportB.mcpWith(b, token)).status).toBe(200);
  });

  it("api/oauth/jwks serves the vault key's public part, which verifies a token; a vault refusing is 503", async () => {
    const { tokens } = await supportA.connectAgent(a, 'ada', 'acme');
    const token = String((tokens.body as { access_token: string }).access_token);
    const jwks = await b.call('oauth-jwks', 'GET', 'oauth/jwks');
    expect(jwks.status).toBe(200);
    const set = jwks.body as JSONWebKeySet;
    expect(set.keys.map((k) => [k.kid, k.alg, k.crv, 'd' in k])).toEqual([
      [kv.versions(KEY).at(-1)?.version, 'ES256', 'P-256', false],
    ]);
    const { payload } = await jwtVerify(token, createLocalJWKSet(set), {
      issuer: supportA.BASE_URL,
      audience: supportA.MCP_URL,
      currentDate: new Date(a.clock.now),
    });
    expect(payload.sub).toBe('ada');
    const { app: denied } = await instance('no-role');
    try {
      const refused = await denied.call('oauth-jwks', 'GET', 'oauth/jwks');
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '30']);
    } finally {
      await denied.stop();
    }
  });

  it('a consent page shown by one instance is answered on the other: the form key is shared too', async () => {
    const { challenge } = supportA.pkcePair();
    const path = supportA.authorizePath(a, challenge);
    const page = await a.call('oauth-authorize', 'GET', path, { headers: supportA.who('ada') });
    expect(page.status).toBe(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const allowed = await b.call('oauth-authorize', 'POST', path, {
      headers: { ...supportB.who('ada'), ...supportB.FORM },
      body: new URLSearchParams({ csrf, organization: 'acme', decision: 'allow' }).toString(),
    });
    expect([allowed.status, allowed.text.slice(0, 300)]).toEqual([302, '']);
    expect(
      new URL(allowed.headers.get('location') ?? 'http://x/').searchParams.get('code'),
    ).toBeTruthy();
    // And a form no instance made is still refused on both.
    for (const [support, app] of [
      [supportA, a],
      [supportB, b],
    ] as const) {
      const forged = await app.call('oauth-authorize', 'POST', path, {
        headers: { ...support.who('ada'), ...support.FORM },
        body: new URLSearchParams({
          csrf: `${csrf.slice(0, -2)}xx`,
          organization: 'acme',
          decision: 'allow',
        }).toString(),
      });
      expect(forged.status).not.toBe(302);
    }
  });

  it('after a rotation, a fresh instance signs with the new version; old and new tokens pass on every instance', async () => {
    const before = String(
      ((await supportA.connectAgent(a, 'ada', 'acme')).tokens.body as { access_token: string })
        .access_token,
    );
    const next = kv.rotate(KEY);
    // A started instance signs on with the version it read for up to CURRENT_VERSION_MS; a fresh one reads the new.
    const c = await instance();
    c.app.clock.now = a.clock.now;
    try {
      const after = String(
        (
          (await c.support.connectAgent(c.app, 'bob', 'acme')).tokens.body as {
            access_token: string;
          }
        ).access_token,
      );
      expect(decodeProtectedHeader(after).kid).toBe(next);
      expect(decodeProtectedHeader(before).kid).not.toBe(next);
      for (const [support, app] of [
        [supportA, a],
        [supportB, b],
        [c.support, c.app],
      ] as const) {
        const r1 = await support.mcpWith(app, before);
        expect([r1.status, r1.text]).toEqual([200, expect.anything()]);
        const r2 = await support.mcpWith(app, after);
        expect([r2.status, r2.text]).toEqual([200, expect.anything()]);
      }
    } finally {
      await c.app.stop();
    }
  });

  it('a vault refusing is 503 with Retry-After, never a 500: an identity without the role, a disabled key', async () => {
    const { app: denied, support } = await instance('no-role');
    denied.clock.now = a.clock.now;
    try {
      const { tokens } = await support.connectAgent(denied, 'ada', 'acme');
      expect(tokens.status).toBe(503);
      expect(tokens.headers.get('retry-after')).toBe('30');
      expect(tokens.body).toMatchObject({
        error: 'temporarily_unavailable',
        error_description: expect.stringContaining('403') as unknown,
      });
      const { tokens: good } = await supportA.connectAgent(a, 'ada', 'acme');
      const door = await support.mcpWith(
        denied,
        String((good.body as { access_token: string }).access_token),
      );
      expect(door.status).toBe(503);
      expect(door.headers.get('retry-after')).toBe('30');
      expect(door.body).toMatchObject({
        type: expect.stringContaining('signing-key-unavailable') as unknown,
      });
    } finally {
      await denied.stop();
    }
    kv.setEnabled(KEY, false);
    try {
      const fresh = await instance();
      try {
        const { tokens } = await fresh.support.connectAgent(fresh.app, 'ada', 'acme');
        expect(tokens.status).toBe(503);
        expect(tokens.body).toMatchObject({
          error: 'temporarily_unavailable',
          error_description: expect.stringContaining('disabled') as unknown,
        });
      } finally {
        await fresh.app.stop();
      }
    } finally {
      kv.setEnabled(KEY, true);
    }
  });
});
