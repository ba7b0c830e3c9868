/**
 * An agent's access token is verified once per instance and its claims kept until it expires (runtime/mcp/oauth/
 * verified-tokens.ts) — never longer: a kept token at or past its `exp` is verified again (and refused), and the grant,
 * membership and organization are still checked on every request (agent-tenants.ts), so the cache ends no earlier
 * and no later than the token, a revocation or a removal.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentTokenClaims } from '../../../src/runtime/mcp/oauth/access-token.js';
import { VerifiedTokens } from '../../../src/runtime/mcp/oauth/verified-tokens.js';
import { type AgentsApp, connectAgent, mcpWith, startAgentsApp } from '../support/agents-app.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';

const claims = (exp: number): AgentTokenClaims => ({
  iss: 'https://app.test/api',
  aud: 'https://app.test/api/mcp',
  sub: 'ada',
  org: 'acme',
  client_id: 'https://agent.example/agent.json',
  grant: 'g1',
  scope: 'mcp',
  exp,
  iat: exp - 600,
  jti: 'j',
});

describe('the verified tokens of an instance', () => {
  it('fast-check: a kept token is served only under its scope, with its string, before its exp', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 2_000_000_000 }),
        fc.integer({ min: -1_000, max: 1_000 }),
        fc.constantFrom('same', 'other-scope', 'other-token'),
        (exp, offset, ask) => {
          const kept = new VerifiedTokens();
          kept.set('iss aud', 'tok', claims(exp));
          const now = exp + offset;
          const got = kept.get(
            ask === 'other-scope' ? 'iss other' : 'iss aud',
            ask === 'other-token' ? 'tok2' : 'tok',
            now,
          );
          const served = ask === 'same' && now < exp;
          expect(got?.exp).toBe(served ? exp : undefined);
        },
      ),
    );
  });
  it('is bounded: the oldest token goes first', () => {
    const kept = new VerifiedTokens();
    for (let i = 0; i <= 2000; i++) kept.set('s', `t${String(i)}`, claims(10_000));
    expect(kept.get('s', 't0', 1)).toBeUndefined();
    expect(kept.get('s', 't1', 1)?.exp).toBe(10_000);
    expect(kept.get('s', 't2000', 1)?.exp).toBe(10_000);
  });
});

describe('through the MCP door', () => {
  let cosmos: LocalCosmos;
  let app: AgentsApp;
  beforeAll(async () => {
    cosmos = await startLocalCosmos();
    app = await startAgentsApp(cosmos, { accessTokenMinutes: 5 });
  });
  afterAll(async () => {
    await app?.stop();
    await cosmos?.stop();
  });
  beforeEach(async () => {
    app.clock.now += 3_600_000;
    await app.reseed();
  });

  it('a token served from the cache is refused once it has expired', async () => {
    const { tokens } = await connectAgent(app, 'ada', 'acme');
    const token = String(tokens.body.access_token);
    // Verified and kept, then served from the cache.
    expect((await mcpWith(app, token)).status).toBe(200);
    expect((await mcpWith(app, token)).status).toBe(200);
    app.clock.now += 5 * 60_000;
    const refused = await mcpWith(app, token);
    expect(refused.status).toBe(401);
    expect(refused.body.type).toBe('urn:atakora:problem:agent-token-invalid');
  });
  it('a kept token of a forged signature is never one: a changed character is verified again and refused', async () => {
    const { tokens } = await connectAgent(app, 'ada', 'acme');
    const token = String(tokens.body.access_token);
    expect((await mcpWith(app, token)).status).toBe(200);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const forged = `${token.slice(0, -2)}${last}${token.at(-1) ?? ''}`;
    expect((await mcpWith(app, forged)).status).toBe(401);
  });
});
