/**
 * The authorization server's promises through the runtime's functions over the local Cosmos DB (DESIGN §2, "Agents
 * that sign in to an organization"): PKCE and single-use codes (a replay revokes the grant the code made, RFC 6749
 * §4.1.2); refresh rotation and its 60 s grace; the token confined to api/mcp and its organization; a removed person's
 * refresh refused at once and their access token within 30 s; the consent page's refusals (CSRF, no open redirect, an
 * organization not offered, Deny as OAuth says); grants listed and revoked by the person and by an Owner, audited;
 * and no 5xx from any malformed request.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AgentsApp,
  authorizePath,
  connectAgent,
  FORM,
  MCP_URL,
  mcpWith,
  pkcePair,
  postForm,
  REDIRECT,
  startAgentsApp,
  who,
} from '../support/agents-app.js';
import { consentForm } from '../support/consent-form.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';

let cosmos: LocalCosmos;
let app: AgentsApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startAgentsApp(cosmos, { grantsPerPerson: 3 });
});
afterAll(async () => {
  await app?.stop();
  await cosmos?.stop();
});
beforeEach(async () => {
  app.clock.now += 3_600_000;
  await app.reseed();
});

const refreshWith = (refresh: string, clientId = app.clientId) =>
  postForm(app, 'oauth-token', 'oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: refresh,
    client_id: clientId,
  });

describe('codes and PKCE', () => {
  it('a code is exchanged once; its second use is invalid_grant and revokes the grant it made', async () => {
    const { code, verifier, tokens } = await connectAgent(app, 'ada', 'acme');
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    const again = await postForm(app, 'oauth-token', 'oauth/token', {
      grant_type: 'authorization_code',
      code,
      client_id: app.clientId,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect((await refreshWith(tokens.body.refresh_token)).body.error).toBe('invalid_grant');
    expect((await mcpWith(app, tokens.body.access_token)).status).toBe(401);
  });

  it('a wrong verifier, another client or another redirect is invalid_grant', async () => {
    const { challenge } = pkcePair();
    const path = authorizePath(app, challenge);
    const form = consentForm(
      (await app.call('oauth-authorize', 'GET', path, { headers: who('ada') })).text,
    );
    const allowed = await app.call('oauth-authorize', 'POST', path, {
      headers: { ...who('ada'), ...FORM },
      body: new URLSearchParams({
        csrf: form.csrf,
        organization: 'acme',
        decision: 'allow',
      }).toString(),
    });
    const code = new URL(allowed.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const base = {
      grant_type: 'authorization_code',
      code,
      client_id: app.clientId,
      redirect_uri: REDIRECT,
    };
    for (const form of [
      { ...base, code_verifier: pkcePair().verifier },
      { ...base, code_verifier: pkcePair().verifier, client_id: 'https://evil.example/agent.json' },
      { ...base, code_verifier: pkcePair().verifier, redirect_uri: 'http://localhost:6274/other' },
    ]) {
      const r = await postForm(app, 'oauth-token', 'oauth/token', form);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error).toBe('invalid_grant');
    }
  });

  it('a code expires after 60 s', async () => {
    const { challenge, verifier } = pkcePair();
    const path = authorizePath(app, challenge);
    const form = consentForm(
      (await app.call('oauth-authorize', 'GET', path, { headers: who('ada') })).text,
    );
    const allowed = await app.call('oauth-authorize', 'POST', path, {
      headers: { ...who('ada'), ...FORM },
      body: new URLSearchParams({
        csrf: form.csrf,
        organization: 'acme',
        decision: 'allow',
      }).toString(),
    });
    const code = new URL(allowed.headers.get('location') ?? '').searchParams.get('code') ?? '';
    app.clock.now += 61_000;
    const r = await postForm(app, 'oauth-token', 'oauth/token', {
      grant_type: 'authorization_code',
      code,
      client_id: app.clientId,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(r.body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'The code expired.',
    });
  });
});

describe('tokens', () => {
  it("carry the contract's claims, are taken at api/mcp only, and only in their organization", async () => {
    const { tokens } = await connectAgent(app, 'ada', 'acme');
    const [, payload] = String(tokens.body.access_token).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      iss: 'https://app.test/api',
      aud: MCP_URL,
      sub: 'ada',
      org: 'acme',
      client_id: app.clientId,
      scope: 'mcp',
    });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(600);
    expect((await mcpWith(app, tokens.body.access_token)).status).toBe(200);
    const elsewhere = await mcpWith(app, tokens.body.access_token, {
      'x-atakora-tenant': 'initech',
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.type).toBe('urn:atakora:problem:agent-token-confined');
    // At a REST route the agent token is no sign-in: the notes route sees nobody.
    const rest = await app.call('NoteApi-collection', 'GET', 'notes', {
      headers: {
        authorization: `Bearer ${String(tokens.body.access_token)}`,
        'x-atakora-tenant': 'acme',
      },
    });
    expect(rest.status).toBe(401);
  });

  it('a refresh rotates; the previous token works once more within 60 s, never after', async () => {
    const { tokens } = await connectAgent(app, 'ada', 'acme');
    const r0 = String(tokens.body.refresh_token);
    const first = await refreshWith(r0);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(r0);
    // A hosted client refreshing twice: the second use of r0 within the grace is served too.
    const second = await refreshWith(r0);
    expect(second.status).toBe(200);
    expect((await refreshWith(r0)).body.error).toBe('invalid_grant');
    // Either successor refreshes (the client keeps the answer it got last); the one used first spends the other.
    const late = await refreshWith(String(second.body.refresh_token));
    expect(late.status).toBe(200);
    expect((await refreshWith(String(first.body.refresh_token))).body.error).toBe('invalid_grant');
    app.clock.now += 61_000;
    expect((await refreshWith(String(second.body.refresh_token))).body.error).toBe('invalid_grant');
    const latest = String(late.body.refresh_token);
    expect((await refreshWith(latest, 'https://evil.example/a.json')).body.error).toBe(
      'invalid_grant',
    );
    expect((await refreshWith(latest)).status).toBe(200);
  });

  it("a removed person's refresh is refused at once and their access token within 30 s", async () => {
    const { tokens } = await connectAgent(app, 'bob', 'acme');
    expect((await mcpWith(app, tokens.body.access_token)).status).toBe(200);
    const removed = await app.call('membership-member', 'DELETE', 'tenant/members/bob', {
      headers: { ...who('ada'), 'x-atakora-tenant': 'acme' },
      params: { userId: 'bob' },
    });
    expect(removed.status).toBe(204);
    expect((await refreshWith(tokens.body.refresh_token)).body.error).toBe('invalid_grant');
    app.clock.now += 31_000;
    const refused = await mcpWith(app, tokens.body.access_token);
    expect(refused.status).toBe(401);
    expect(refused.body.type).toBe('urn:atakora:problem:agent-token-invalid');
  });
});

describe('the consent page', () => {
  const page = (path: string, person = 'ada') =>
    app.call('oauth-authorize', 'GET', path, { headers: who(person) });
  const post = (path: string, form: Record<string, string>, person = 'ada') =>
    app.call('oauth-authorize', 'POST', path, {
      headers: { ...who(person), ...FORM },
      body: new URLSearchParams(form).toString(),
    });

  it('refuses a form of another person, another request or none (CSRF), and an organization not offered', async () => {
    const path = authorizePath(app, pkcePair().challenge);
    const { csrf } = consentForm((await page(path)).text);
    expect(
      (await post(path, { csrf, organization: 'acme', decision: 'allow' }, 'bob')).status,
    ).toBe(403);
    const other = authorizePath(app, pkcePair().challenge);
    expect((await post(other, { csrf, organization: 'acme', decision: 'allow' })).status).toBe(403);
    expect((await post(path, { organization: 'acme', decision: 'allow' })).status).toBe(403);
    for (const organization of ['globex', 'initech', 'nowhere']) {
      const r = await post(path, { csrf, organization, decision: 'allow' });
      expect(r.status).toBe(403);
      expect(r.headers.get('location')).toBeNull();
    }
  });

  it('Deny redirects access_denied with state and iss; a bad client or redirect is a page, never a redirect', async () => {
    const path = authorizePath(app, pkcePair().challenge, 'st-9');
    const { csrf } = consentForm((await page(path)).text);
    const denied = await post(path, { csrf, organization: 'acme', decision: 'deny' });
    expect(denied.status).toBe(302);
    const back = new URL(denied.headers.get('location') ?? '');
    expect(Object.fromEntries(back.searchParams)).toMatchObject({
      error: 'access_denied',
      state: 'st-9',
      iss: 'https://app.test/api',
    });
    const foreign = path.replace(
      encodeURIComponent(REDIRECT),
      encodeURIComponent('https://evil.example/cb'),
    );
    const open = await page(foreign);
    expect(open.status).toBe(400);
    expect(open.headers.get('location')).toBeNull();
    const unknown = await page(
      path.replace(
        encodeURIComponent(app.clientId),
        encodeURIComponent('https://127.0.0.1:1/x.json'),
      ),
    );
    expect(unknown.status).toBe(400);
    // A fault after the client is known goes back to it as OAuth says (RFC 6749 §4.1.2.1).
    const noPkce = await page(path.replace(/code_challenge=[^&]+/, ''));
    expect(new URL(noPkce.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'invalid_request',
    );
  });

  it('a person with no organization where they have a tool is told so', async () => {
    const r = await page(authorizePath(app, pkcePair().challenge), 'gus');
    expect(r.status).toBe(403);
    expect(r.text).toContain('access_denied');
  });

  it('holds a person to grantsPerPerson in an organization', async () => {
    // Connecting the same client again replaces its grant: the bound counts clients, so fill it with the one held.
    for (let i = 0; i < 3; i++)
      expect((await connectAgent(app, 'ada', 'acme')).tokens.status).toBe(200);
    const listed = await app.call('agents-mine', 'GET', 'me/agents', { headers: who('ada') });
    expect(listed.body.items).toHaveLength(1);
  });
});

describe('grants as data', () => {
  it('listed for the person and the organization, revoked by either, audited', async () => {
    const ada = await connectAgent(app, 'ada', 'acme');
    const bob = await connectAgent(app, 'bob', 'acme');
    const mine = await app.call('agents-mine', 'GET', 'me/agents', { headers: who('ada') });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        person: 'ada',
        organization: 'acme',
        clientId: app.clientId,
        clientName: 'Test <b>Agent</b>',
      }),
    ]);
    expect(JSON.stringify(mine.body)).not.toContain(
      String(ada.tokens.body.refresh_token).split('.')[0],
    );
    const org = await app.call('agents-organization', 'GET', 'tenant/agents', {
      headers: { ...who('al'), 'x-atakora-tenant': 'acme' },
    });
    expect(org.body.items.map((g: { person: string }) => g.person).sort()).toEqual(['ada', 'bob']);
    const byMember = await app.call('agents-organization', 'GET', 'tenant/agents', {
      headers: { ...who('bob'), 'x-atakora-tenant': 'acme' },
    });
    expect(byMember.status).toBe(403);
    // The person revokes their own; an Admin revokes bob's.
    const own = mine.body.items[0].id as string;
    const gone = await app.call('agents-my-grant', 'DELETE', `me/agents/${own}`, {
      headers: who('ada'),
      params: { grant: own },
    });
    expect(gone.status).toBe(204);
    expect((await mcpWith(app, ada.tokens.body.access_token)).status).toBe(401);
    const bobs = org.body.items.find((g: { person: string }) => g.person === 'bob').id as string;
    expect(
      (
        await app.call('agents-my-grant', 'DELETE', `me/agents/${bobs}`, {
          headers: who('ada'),
          params: { grant: bobs },
        })
      ).status,
    ).toBe(404);
    const byAdmin = await app.call('agents-organization-grant', 'DELETE', `tenant/agents/${bobs}`, {
      headers: { ...who('al'), 'x-atakora-tenant': 'acme' },
      params: { grant: bobs },
    });
    expect(byAdmin.status).toBe(204);
    expect((await refreshWith(bob.tokens.body.refresh_token)).body.error).toBe('invalid_grant');
    const audit = await app.call('tenant-audit', 'GET', 'tenant/audit', {
      headers: { ...who('ada'), 'x-atakora-tenant': 'acme' },
    });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'agent.connected')).toHaveLength(2);
    expect(actions.filter((a: string) => a === 'agent.revoked')).toHaveLength(2);
  });
});

describe('malformed requests', () => {
  it('no 5xx from any form at the token, revocation and authorize endpoints', async () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('authorization_code', 'refresh_token', app.clientId, 'atr_x.acme.y', 'a.b.c'),
    );
    const form = fc.dictionary(
      fc.constantFrom(
        'grant_type',
        'code',
        'client_id',
        'redirect_uri',
        'code_verifier',
        'refresh_token',
        'token',
        'resource',
        'x',
      ),
      value,
    );
    await fc.assert(
      fc.asyncProperty(form, fc.constantFrom('token', 'revoke'), async (f, which) => {
        const r = await postForm(app, `oauth-${which}`, `oauth/${which}`, f);
        expect(r.status).toBeLessThan(500);
        if (r.status !== 200) expect(typeof r.body.error).toBe('string');
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            'response_type',
            'client_id',
            'redirect_uri',
            'code_challenge',
            'code_challenge_method',
            'state',
            'resource',
            'scope',
          ),
          value,
        ),
        async (q) => {
          const r = await app.call(
            'oauth-authorize',
            'GET',
            `oauth/authorize?${new URLSearchParams(q).toString()}`,
            {
              headers: who('ada'),
            },
          );
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
    for (const [method, body, headers] of [
      ['GET', undefined, {}],
      ['POST', '{"grant_type":"refresh_token"}', { 'content-type': 'application/json' }],
      ['POST', 'x'.repeat(20_000), FORM],
    ] as const) {
      const r = await app.call('oauth-token', method, 'oauth/token', {
        headers,
        ...(body ? { body } : {}),
      });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error).toBe('invalid_request');
    }
    expect((await mcpWith(app, 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.e30.AAAA')).status).toBe(
      401,
    );
  });
});
