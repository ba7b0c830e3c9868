/**
 * The signing key's rotation, end to end (docs/mcp.md, "The signing key"): the app over the Cosmos DB protocol server
 * and the loopback Key Vault keys stand-in (`@atakora/component/testing`, through `@azure/keyvault-keys`), the vault
 * on the app's clock. When a new version becomes current — the key's rotation policy or an operator — a token of the
 * previous version still passes the MCP door and verifies through `api/oauth/jwks` as an agent's own verifier reads
 * it (jose's `createRemoteJWKSet`, picking the key by `kid`); a version disabled or expired in the vault is no longer
 * listed and its tokens fail; a storm of forged `kid`s costs the vault at most one read a period; and the rotations
 * the plan's policy makes by itself (resources/keyvault/signing-keys.ts `SIGNING_KEY_ROTATION`: a version every 90
 * days, each expiring 180 days after it is made) go unnoticed by a connected agent, rotation after rotation.
 */
import type { TokenCredential } from '@azure/core-auth';
import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  type JSONWebKeySet,
  jwtVerify,
} from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGENT_SIGNING_KEY_ID_SETTING } from '../../../src/contract/mcp/oauth/agent-signing-key.js';
import {
  CURRENT_VERSION_MS,
  KEY_LIST_REFRESH_MS,
} from '../../../src/runtime/mcp/oauth/key-versions.js';
import { SIGNING_KEY_ROTATION } from '../../../src/resources/keyvault/signing-keys.js';
import {
  type KeyVaultKeysStandIn,
  startKeyVaultKeysStandIn,
} from '../../../src/testing/keyvault/keyvault-keys-standin.js';
import { durationMs } from '../../../src/testing/keyvault/keyvault-keys-standin-policy.js';
import type { AgentsApp } from '../support/agents-app.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import { testCertificate } from '../../support/test-certificate.js';

const KEY = 'atakora-agent-signing';
const START = Date.parse('2026-03-02T10:00:00.000Z');
const identity: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'the-app', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

type Support = typeof import('../support/agents-app.js');
let cosmos: LocalCosmos;
let kv: KeyVaultKeysStandIn;
let tls: { cert: string; key: string };
/** The one clock of the test: the apps' and the vault's. */
const clock = { now: START };
const running: AgentsApp[] = [];

/** An instance in a module state of its own (another process), on the test's clock. */
async function instance(): Promise<{ app: AgentsApp; support: Support }> {
  vi.resetModules();
  const support = await import('../support/agents-app.js');
  const app = await support.startAgentsApp(cosmos, {
    env: { [AGENT_SIGNING_KEY_ID_SETTING]: kv.keyId(KEY) },
    vaultCredential: identity,
    tls,
  });
  running.push(app);
  Object.defineProperty(app.clock, 'now', { get: () => clock.now, set: () => undefined });
  return { app, support };
}

const accessToken = async (support: Support, app: AgentsApp, person = 'ada') => {
  const { tokens } = await support.connectAgent(app, person, 'acme');
  expect(tokens.status).toBe(200);
  return String((tokens.body as { access_token: string }).access_token);
};
const kidOf = (token: string) => String(decodeProtectedHeader(token).kid);
const jwksOf = async (app: AgentsApp) => {
  const r = await app.call('oauth-jwks', 'GET', 'oauth/jwks');
  expect(r.status).toBe(200);
  return (r.body as JSONWebKeySet).keys.map((k) => k.kid);
};

/** The token as an agent's verifier checks it: the JWKS the metadata names, fetched and picked by `kid`. */
async function agentVerifies(support: Support, app: AgentsApp, token: string): Promise<boolean> {
  const jwks = createRemoteJWKSet(new URL(`${support.BASE_URL}/oauth/jwks`), {
    [customFetch]: app.fetch(),
  });
  return jwtVerify(token, jwks, {
    issuer: support.BASE_URL,
    audience: support.MCP_URL,
    currentDate: new Date(clock.now),
  }).then(
    () => true,
    () => false,
  );
}

let a: AgentsApp;
let supportA: Support;
beforeAll(async () => {
  tls = testCertificate();
  cosmos = await startLocalCosmos();
  kv = await startKeyVaultKeysStandIn({
    keys: [KEY],
    identities: { 'the-app': true },
    now: () => clock.now,
  });
  ({ app: a, support: supportA } = await instance());
});
afterAll(async () => {
  for (const app of running) await app.stop();
  await kv?.close();
  await cosmos?.stop();
});
beforeEach(async () => {
  // A new version for each test, the earlier ones superseded longer ago than any token lives: each test starts on
  // one version. Made hours after the last (the stand-in's first is made at its start): versions made within one
  // second are each kept as long as the last of them (key-versions.ts), which the JWKS's expected lists leave out.
  clock.now += 3 * 3_600_000;
  kv.rotate(KEY);
  clock.now += 3 * 3_600_000;
  await a.reseed();
});

describe("the agents' signing key rotates", () => {
  it("after a new version becomes current, the previous version's token passes the door and the JWKS", async () => {
    const v1 = kv.versions(KEY).at(-1)!.version;
    const before = await accessToken(supportA, a);
    expect(kidOf(before)).toBe(v1);
    expect(await agentVerifies(supportA, a, before)).toBe(true);
    clock.now += 60_000;
    const v2 = kv.rotate(KEY);
    clock.now += CURRENT_VERSION_MS;
    const after = await accessToken(supportA, a, 'bob');
    expect(kidOf(after)).toBe(v2);
    // Both versions listed, each with its own kid: an agent's verifier holding either token finds its key.
    expect(await jwksOf(a)).toEqual([v2, v1]);
    const { app: b, support: supportB } = await instance();
    for (const [support, app] of [
      [supportA, a],
      [supportB, b],
    ] as const) {
      expect(await agentVerifies(support, app, before)).toBe(true);
      expect(await agentVerifies(support, app, after)).toBe(true);
      expect((await support.mcpWith(app, before)).status).toBe(200);
      expect((await support.mcpWith(app, after)).status).toBe(200);
    }
    // Once no token of v1 can be live (superseded longer ago than the longest token's life), it leaves the JWKS.
    clock.now += 61 * 60_000;
    expect(await jwksOf(b)).toEqual([v2]);
  });

  it('a version disabled in the vault is no longer listed and its tokens fail at the door', async () => {
    const v1 = kv.versions(KEY).at(-1)!.version;
    const seen = await accessToken(supportA, a);
    const unseen = await accessToken(supportA, a, 'bob');
    expect((await supportA.mcpWith(a, seen)).status).toBe(200);
    clock.now += 60_000;
    const v2 = kv.rotate(KEY);
    kv.setEnabled(KEY, false, v1);
    // Every instance reads the vault again within CURRENT_VERSION_MS.
    clock.now += CURRENT_VERSION_MS;
    expect(await jwksOf(a)).toEqual([v2]);
    expect((await supportA.mcpWith(a, unseen)).status).toBe(401);
    // A token this instance verified before (its claims kept until its exp) ends with its version too.
    expect((await supportA.mcpWith(a, seen)).status).toBe(401);
    expect(await agentVerifies(supportA, a, unseen)).toBe(false);
  });

  it('a version expired in the vault (its exp) is no longer listed and its tokens fail', async () => {
    const v1 = kv.versions(KEY).at(-1)!.version;
    const token = await accessToken(supportA, a);
    clock.now += 60_000;
    const v2 = kv.rotate(KEY);
    kv.setAttributes(KEY, { expires: clock.now + 60_000 }, v1);
    clock.now += 2 * 60_000;
    const { app: b, support: supportB } = await instance();
    expect(await jwksOf(b)).toEqual([v2]);
    expect((await supportB.mcpWith(b, token)).status).toBe(401);
    expect(await agentVerifies(supportB, b, token)).toBe(false);
  });

  it('a storm of forged kids reads the vault at most once a period', async () => {
    const token = await accessToken(supportA, a);
    const [, payload, signature] = token.split('.');
    const forged = (i: number) =>
      `${Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: i.toString(16).padStart(32, 'f') })).toString('base64url')}.${payload}.${signature}`;
    expect((await supportA.mcpWith(a, token)).status).toBe(200);
    const calls = kv.calls.length;
    const started = clock.now;
    for (let i = 0; i < 60; i++) {
      expect((await supportA.mcpWith(a, forged(i))).status).toBe(401);
      clock.now += 500;
    }
    // One read (Get Key and one page of Get Key Versions) per KEY_LIST_REFRESH_MS at most.
    const periods = Math.floor((clock.now - started) / KEY_LIST_REFRESH_MS) + 1;
    expect(kv.calls.length - calls).toBeLessThanOrEqual(2 * periods);
    expect((await supportA.mcpWith(a, token)).status).toBe(200);
  });

  it("the policy's rotations: an agent's tokens keep working, the new version signs after a read", async () => {
    const DAY = 86_400_000;
    const rotateAfter = durationMs(SIGNING_KEY_ROTATION.rotateAfter);
    const expireAfter = durationMs(SIGNING_KEY_ROTATION.expireAfter);
    // On the wall clock or after it: @azure/keyvault-keys checks a version's `exp` against the machine's own clock
    // before it signs (CryptographyClient `ensureValid`), so versions the test's vault makes must not expire before
    // today's date. A first version as apply makes it (no `exp`), then the policy as the plan sets it.
    clock.now = Math.max(clock.now, Date.now());
    kv.rotate(KEY);
    clock.now += 3 * 3_600_000;
    kv.setRotationPolicy(KEY, {
      timeAfterCreate: SIGNING_KEY_ROTATION.rotateAfter,
      expiryTime: SIGNING_KEY_ROTATION.expireAfter,
    });
    try {
      let current = kv.versions(KEY).at(-1)!;
      expect(current.expires).toBeUndefined();
      for (let round = 0; round < 2; round++) {
        // Before the rotation is due the scheduler makes nothing; a minute before, the agent connects.
        clock.now = current.created * 1000 + rotateAfter - DAY;
        expect(kv.runRotationPolicies()).toEqual({});
        clock.now += DAY - 60_000;
        expect(kv.runRotationPolicies()).toEqual({});
        await a.reseed();
        const { tokens } = await supportA.connectAgent(a, 'ada', 'acme');
        const before = String((tokens.body as { access_token: string }).access_token);
        const refresh = String((tokens.body as { refresh_token: string }).refresh_token);
        expect(kidOf(before)).toBe(current.version);
        // Due: Key Vault makes the next version, expiring expireAfter after it is made (the first had no exp).
        clock.now += 60_000;
        const next = kv.runRotationPolicies()[KEY];
        const made = kv.versions(KEY).at(-1)!;
        expect(made.version).toBe(next);
        expect(made.expires).toBe(made.created + expireAfter / 1000);
        // Until the instance reads the vault again it signs with the version it read; its token passes meanwhile.
        expect((await supportA.mcpWith(a, before)).status).toBe(200);
        clock.now += CURRENT_VERSION_MS;
        // The agent refreshes (its refresh token is the grant's, no signature of the key's): the new version signs.
        const refreshed = await supportA.postForm(a, 'oauth-token', 'oauth/token', {
          grant_type: 'refresh_token',
          refresh_token: refresh,
          client_id: a.clientId,
          resource: supportA.MCP_URL,
        });
        expect(refreshed.status).toBe(200);
        const after = String((refreshed.body as { access_token: string }).access_token);
        expect(kidOf(after)).toBe(next);
        // The token of the previous version, still live, passes the door and an agent's own verifier too.
        for (const token of [before, after]) {
          expect((await supportA.mcpWith(a, token)).status).toBe(200);
          expect(await agentVerifies(supportA, a, token)).toBe(true);
        }
        expect(await jwksOf(a)).toEqual([next, current.version]);
        current = made;
      }
    } finally {
      kv.setRotationPolicy(KEY, {});
    }
  });
});
