/**
 * A grant's life as a held-out bar sees it from outside a real `atakora dev` (DESIGN §2, "Agents that sign in to an
 * organization"): grants listed for the person (`api/me/agents`) and for the organization's Owners and Admins
 * (`api/tenant/agents`), revoked by either, `agent.connected` / `agent.revoked` in the audit log; a revocation (the
 * person's, an Owner's, the agent's own RFC 7009 request) or the person's removal refuses the refresh at once and the
 * access token within 30 s; a refresh token replaced more than 60 s ago refreshes nothing. The waits are the
 * contract's own bounds (30 s, 60 s), which the runtime's caches measure on the same clock: a loaded machine makes a
 * check later, never earlier, so it cannot fail one that holds. The waits overlap as the windows do: the refresh is
 * rotated first of all, so its 60 s grace runs while the people join and the listing test runs, and every way of
 * losing access (the revocations and the removal alone) happens before one 30 s wait that covers them all
 * (docs/performance.md, "round 5, fifth pass: waits").
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  callAs,
  codeFor,
  type DevAgents,
  mcpStatus,
  pkce,
  postForm,
  REDIRECT,
  startDevAgents,
} from './support/dev-agents.js';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const DAN = 'dan@example.com';
const ERIN = 'erin@example.com';
/** Removed alone: her grant is never revoked. */
const FAY = 'fay@example.com';
let a: DevAgents;
let acme = '';
const ids: Record<string, string> = {};
/** Alice's first tokens, rotated at once: the replaced refresh token's grace ends 60 s after `rotatedAt`. */
let rotated: Connected;
let rotatedRefresh = '';
let rotatedAt = 0;

beforeAll(async () => {
  a = await startDevAgents('test/cli/fixtures/verify/org-keys.ts', {});
  acme = String(
    (await callAs(a.api, 'POST', 'tenants', ALICE, undefined, { name: 'Acme' })).body['id'],
  );
  rotated = await connect(ALICE);
  const next = await refresh(rotated.refresh);
  expect(next.status, JSON.stringify(next.body)).toBe(200);
  rotatedRefresh = String(next.body['refresh_token']);
  rotatedAt = Date.now();
  for (const [who, role] of [
    [BOB, 'Member'],
    [DAN, 'Admin'],
    [ERIN, 'Member'],
    [FAY, 'Member'],
  ] as const) {
    const invited = await callAs(a.api, 'POST', 'tenant/invitations', ALICE, acme, {
      email: who,
      roles: [role],
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const token = new URL(String(invited.body['acceptUrl'])).searchParams.get('invitation');
    const accepted = await callAs(a.api, 'POST', 'invitations/accept', who, undefined, { token });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    ids[who] = String(accepted.body['userId']);
  }
});
afterAll(async () => {
  await a?.stop();
});

interface Connected {
  readonly access: string;
  readonly refresh: string;
  readonly grant: string;
}
const connect = async (who: string): Promise<Connected> => {
  const { verifier, challenge } = pkce();
  const code = await codeFor(authorizeUrl(a, challenge), who, acme);
  const t = await postForm(a.api, 'oauth/token', {
    grant_type: 'authorization_code',
    code,
    client_id: a.clientId,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  expect(t.status, JSON.stringify(t.body)).toBe(200);
  const access = String(t.body['access_token']);
  const grant = String(
    JSON.parse(Buffer.from(access.split('.')[1] ?? '', 'base64url').toString())['grant'],
  );
  return { access, refresh: String(t.body['refresh_token']), grant };
};
const refresh = (token: string) =>
  postForm(a.api, 'oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: token,
    client_id: a.clientId,
  });
const auditActions = async () => {
  const log = await callAs(a.api, 'GET', 'tenant/audit', ALICE, acme);
  expect(log.status, JSON.stringify(log.body)).toBe(200);
  return (log.body['items'] as { action: string; target?: string }[]).map(
    (e) => `${e.action} ${String(e.target)}`,
  );
};

describe('grants listed and audited', () => {
  it('the person and the organization’s Owners and Admins list them; a Member lists only their own', async () => {
    const bob = await connect(BOB);
    const mine = await callAs(a.api, 'GET', 'me/agents', BOB);
    expect(mine.status).toBe(200);
    expect(mine.body['items']).toEqual([
      expect.objectContaining({
        id: bob.grant,
        person: ids[BOB],
        organization: acme,
        clientId: a.clientId,
        clientName: 'Probe Agent',
        clientHost: new URL(a.host).host,
        connectedOn: expect.any(String),
      }),
    ]);
    for (const who of [ALICE, DAN]) {
      const listed = await callAs(a.api, 'GET', 'tenant/agents', who, acme);
      expect(listed.status, who).toBe(200);
      expect((listed.body['items'] as { id: string }[]).map((g) => g.id)).toContain(bob.grant);
    }
    expect((await callAs(a.api, 'GET', 'tenant/agents', ERIN, acme)).status).toBe(403);
    expect((await callAs(a.api, 'GET', 'me/agents', ERIN)).body['items']).toEqual([]);
    expect(await auditActions()).toContain(`agent.connected ${bob.grant}`);
    // Not hers to revoke through her own list; a Member cannot revoke through the organization's.
    expect((await callAs(a.api, 'DELETE', `me/agents/${bob.grant}`, ALICE)).status).toBe(404);
    expect((await callAs(a.api, 'DELETE', `tenant/agents/${bob.grant}`, ERIN, acme)).status).toBe(
      403,
    );
    expect((await callAs(a.api, 'DELETE', `me/agents/${bob.grant}`, BOB)).status).toBe(204);
    expect((await callAs(a.api, 'GET', 'me/agents', BOB)).body['items']).toEqual([]);
    expect(await auditActions()).toContain(`agent.revoked ${bob.grant}`);
    expect((await refresh(bob.refresh)).body['error']).toBe('invalid_grant');
  });
});

describe('revocation and removal end access within 30 s; the refresh grace ends at 60 s', () => {
  it('every way an agent loses access, checked at the contract’s bounds', async () => {
    const byPerson = await connect(BOB);
    const byOwner = await connect(DAN);
    const byAgent = await connect(ERIN);
    const removed = await connect(FAY);
    for (const c of [byPerson, byOwner, byAgent, removed, rotated])
      expect(await mcpStatus(a.api, c.access)).toBe(200);

    expect((await callAs(a.api, 'DELETE', `me/agents/${byPerson.grant}`, BOB)).status).toBe(204);
    expect(
      (await callAs(a.api, 'DELETE', `tenant/agents/${byOwner.grant}`, ALICE, acme)).status,
    ).toBe(204);
    expect((await postForm(a.api, 'oauth/revoke', { token: byAgent.access })).status).toBe(200);
    // Erin is removed too, after her agent revoked itself: the removal and the revocation both hold.
    expect(
      (await callAs(a.api, 'DELETE', `tenant/members/${ids[ERIN] ?? ''}`, ALICE, acme)).status,
    ).toBe(204);
    // A removal alone: Fay's grant is never revoked; she leaves the organization by an Owner's hand.
    expect(
      (await callAs(a.api, 'DELETE', `tenant/members/${ids[FAY] ?? ''}`, ALICE, acme)).status,
    ).toBe(204);
    // Every end happened before this instant: one wait from it covers each one's 30 s.
    const endedAt = Date.now();
    for (const c of [byPerson, byOwner, byAgent, removed])
      expect((await refresh(c.refresh)).body['error']).toBe('invalid_grant');
    const audit = await auditActions();
    for (const c of [byPerson, byOwner, byAgent])
      expect(audit).toContain(`agent.revoked ${c.grant}`);
    expect(
      (await callAs(a.api, 'GET', 'tenant/agents', ALICE, acme)).body['items'],
    ).not.toContainEqual(expect.objectContaining({ id: removed.grant }));

    await sleep(Math.max(0, endedAt + 30_500 - Date.now()));
    for (const c of [byPerson, byOwner, byAgent, removed])
      expect(await mcpStatus(a.api, c.access)).toBe(401);
    expect(await mcpStatus(a.api, rotated.access)).toBe(200);

    await sleep(Math.max(0, rotatedAt + 60_500 - Date.now()));
    expect((await refresh(rotated.refresh)).body['error']).toBe('invalid_grant');
    expect((await refresh(rotatedRefresh)).status).toBe(200);
  });
});
