/**
 * `atakora verify` proves a membership backend's organization routes (DESIGN §2: "Tenants by membership",
 * "Invitations that arrive", "Organizations their Owners run", "Organizations that enterprises can buy"): one
 * `Organization` row per route, its cells the reference model's (src/access/model/organization-routes.ts), each
 * proven against atakora dev's stack — refused requests change nothing, allowed ones reach only the caller's own
 * organization, `DELETE api/tenant` and the undelete on throwaway organizations. A wrong expectation is caught.
 *
 * `verifyAccess` on tenants by membership (DESIGN §2, "Access you can prove"): examples/teams' matrix has the
 * membership principals — anonymous, a member owning the item, another member, an Owner, each role's member, a
 * member of another organization, a signed-in non-member naming the organization, the organization's SCIM token and
 * a revoked one — and every cell is proven against atakora dev's stack with the organizations and memberships seeded
 * (roles from the memberships, none in the token). One proof of examples/teams serves both describes: the run
 * `verifyAccess` makes (proveAccess, its outcome whole), the example loaded through the package's own entry (dist).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../../src/access/matrix/types.js';
import type { VerifyOutcome } from '../../src/cli/verify/run.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { proveAccess } from '../../src/testing/verify-access.js';
import teams from '../../examples/teams/backend.js';
import { matrixCell } from '../support/matrix-cell.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

const cell = (m: AccessMatrix, operation: string, who: string) =>
  m.rows.find((r) => r.kind === 'organization' && r.operation === operation)?.cells[who];

/**
 * The project's dev state files left over from a test's temporary entry: naming one that is gone (a session of
 * another test file running beside this one keeps its own entry, and removes its file at stop).
 */
const proofStateFiles = () =>
  existsSync('.atakora')
    ? readdirSync('.atakora').filter((f) => {
        // Only the state files: a dev session beside this one may be writing its e-mail outbox (.atakora/outbox/).
        if (!f.startsWith('dev-state-') || !f.endsWith('.json')) return false;
        const { entry } = JSON.parse(readFileSync(`.atakora/${f}`, 'utf8')) as { entry?: string };
        return entry?.includes('atakora-test-') === true && !existsSync(entry);
      })
    : [];

/** examples/teams proven once, as `verifyAccess` proves it, with the state files left over by its run. */
let teamsRun: Promise<{ outcome: VerifyOutcome; leftOver: string[] }> | undefined;
const teamsProof = () =>
  (teamsRun ??= (async () => {
    const before = proofStateFiles();
    const outcome = await proveAccess(teams as unknown as Parameters<typeof proveAccess>[0]);
    return { outcome, leftOver: proofStateFiles().filter((f) => !before.includes(f)) };
  })());

// Each entry's proof stack started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
shareProofStacksInFile();

describe('verifyAccess on organizations', () => {
  it('derives the membership principals and proves every cell', async () => {
    // The example is loaded through the package's own entry (dist), the test's verifyAccess from src.
    const { outcome, leftOver } = await teamsProof();
    // What verifyAccess rejects with (ACCESS_DIVERGED): none; it resolves with this matrix.
    expect(outcome.proof.divergences).toEqual([]);
    const matrix = outcome.matrix;
    // The example has a site: its port is not remembered for the proof's temporary entry in the project.
    expect(leftOver).toEqual([]);
    expect(matrix.signIn).toBe('membership');
    expect(matrix.principals.map((p) => p.key)).toEqual([
      'anonymous',
      'home.owner',
      'home.other',
      'home.role.Admin',
      'home.role.Owner',
      'other.owner',
      'stranger',
      'scim',
      'scim.revoked',
    ]);
    expect(matrix.principals.find((p) => p.key === 'stranger')?.description).toMatch(/no member/);
    expect(matrixCell(matrix, 'ProjectApi', 'create', 'anonymous')).toBe(401);
    expect(matrixCell(matrix, 'ProjectApi', 'read', 'stranger')).toBe(403);
    expect(matrixCell(matrix, 'ProjectApi', 'read', 'other.owner')).toBe('tenant');
    expect(matrixCell(matrix, 'ProjectApi', 'update', 'home.other')).toBe('own');
    expect(matrixCell(matrix, 'ProjectApi', 'update', 'home.role.Owner')).toBe('tenant');
    expect(matrixCell(matrix, 'ProjectApi', 'delete', 'home.role.Admin')).toBe('tenant');
    expect(matrixCell(matrix, 'ProjectApi', 'events', 'stranger')).toBe(403);
    // The organization's SCIM token is no sign-in: no data route lets it through.
    expect(matrixCell(matrix, 'ProjectApi', 'read', 'scim')).toBe(401);
    expect(matrixCell(matrix, 'ProjectApi', 'create', 'scim.revoked')).toBe(401);
  });
});

describe('atakora verify: the organization routes', () => {
  it('derives a row per organization route and proves every cell with no divergence', async () => {
    const { outcome } = await teamsProof();
    expect(outcome.proof.divergences).toEqual([]);
    const m = outcome.matrix;
    const rows = m.rows.filter((r) => r.kind === 'organization');
    expect(rows.map((r) => r.request)).toEqual([
      'GET api/me/tenants',
      'GET api/tenant',
      'PATCH api/tenant',
      'DELETE api/tenant',
      'POST api/tenant/undelete',
      'GET api/tenant/members',
      'PATCH api/tenant/members/{userId}',
      'DELETE api/tenant/members/{userId}',
      'POST api/tenant/invitations',
      'GET api/tenant/invitations',
      'POST api/tenant/invitations/{id}/resend',
      'GET api/invitations/preview',
      'POST api/invitations/accept',
      'POST api/tenant/domains',
      'GET api/tenant/domains',
      'POST api/tenant/domains/{domain}/verify',
      'PATCH api/tenant/domains/{domain}',
      'DELETE api/tenant/domains/{domain}',
      'GET api/tenant/audit',
      'GET api/me/joinable',
      'POST api/tenants/{id}/join',
      'GET api/tenant/join-requests',
      'POST api/tenant/join-requests/{id}/approve',
      'POST api/tenant/join-requests/{id}/decline',
      'POST api/tenant/scim-tokens',
      'GET api/tenant/scim-tokens',
      'DELETE api/tenant/scim-tokens/{id}',
      'GET api/scim/v2/Users',
      'POST api/scim/v2/Users',
      'GET api/scim/v2/Users/{id}',
      'PUT api/scim/v2/Users/{id}',
      'PATCH api/scim/v2/Users/{id}',
      'DELETE api/scim/v2/Users/{id}',
      'GET api/scim/v2/Groups',
      'POST api/scim/v2/Groups',
      'GET api/scim/v2/Groups/{id}',
      'PUT api/scim/v2/Groups/{id}',
      'PATCH api/scim/v2/Groups/{id}',
      'DELETE api/scim/v2/Groups/{id}',
      'GET api/scim/v2/ServiceProviderConfig',
      'GET api/scim/v2/ResourceTypes',
      'GET api/scim/v2/ResourceTypes/{id}',
      'GET api/scim/v2/Schemas',
      'GET api/scim/v2/Schemas/{id}',
    ]);
    // The model's rules: Owners run the organization, Admins rename it and read its audit log, members neither.
    expect(cell(m, 'tenant:update', 'home.role.Admin')).toBe('tenant');
    expect(cell(m, 'tenant:update', 'home.other')).toBe(403);
    expect(cell(m, 'tenant:delete', 'home.role.Admin')).toBe(403);
    expect(cell(m, 'tenant:delete', 'home.role.Owner')).toBe('tenant');
    expect(cell(m, 'audit:list', 'home.role.Admin')).toBe('tenant');
    expect(cell(m, 'audit:list', 'other.owner')).toBe(403);
    expect(cell(m, 'domains:create', 'stranger')).toBe(403);
    expect(cell(m, 'invitations:preview', 'anonymous')).toBe('allow');
    expect(cell(m, 'invitations:resend', 'anonymous')).toBe(401);
    expect(cell(m, 'members:update', 'home.role.Owner')).toBe('tenant');
    expect(cell(m, 'members:remove', 'home.role.Admin')).toBe(403);
    expect(cell(m, 'invitations:accept', 'other.owner')).toBe('own');
    // Every organization cell was exercised by a request.
    for (const row of rows)
      for (const p of m.principals)
        expect(
          outcome.proof.proven.has(`${row.component} ${row.operation}|${p.key}`),
          `${row.operation} ${p.key}`,
        ).toBe(true);
    expect(outcome.proof.unproven.filter((u) => u.startsWith('Organization'))).toEqual([]);

    expect(cell(m, 'me:joinable', 'stranger')).toBe('own');
    expect(cell(m, 'join-requests:approve', 'home.role.Admin')).toBe('tenant');
    expect(cell(m, 'scim-tokens:create', 'home.role.Admin')).toBe(403);
    // SCIM as its own principal: its token reaches the SCIM routes of its organization (another's user is 404 to it,
    // proven), nothing else; a revoked token, a user's sign-in (an Owner's too) and anonymous reach no SCIM route.
    expect(cell(m, 'scim:users:create', 'scim')).toBe('tenant');
    expect(cell(m, 'scim:users:create', 'home.role.Owner')).toBe(401);
    expect(cell(m, 'scim:groups:delete', 'scim.revoked')).toBe(401);
    expect(cell(m, 'tenant:read', 'scim')).toBe(401);
    expect(cell(m, 'scim-tokens:create', 'scim')).toBe(401);
    expect(m.rows.find((r) => r.kind === 'crud' && r.operation === 'list')?.cells['scim']).toBe(
      401,
    );
    // The SCIM token's columns were exercised on every row anonymous was (CRUD, handlers and MCP included: their
    // requests carry the token), and on every organization row.
    const proven = (row: { component: string; operation: string }, key: string) =>
      outcome.proof.proven.has(`${row.component} ${row.operation}|${key}`);
    for (const row of m.rows.filter((r) => r.kind === 'organization' || proven(r, 'anonymous')))
      for (const key of ['scim', 'scim.revoked'])
        expect(proven(row, key), `${row.operation} ${key}`).toBe(true);

    // A matrix that lets a plain member rename the organization, an Admin delete it or issue a SCIM token, a
    // member answer join requests, or anyone join unsigned, is caught.
    const lies: Record<string, Record<string, 'tenant' | 'own'>> = {
      'tenant:update': { 'home.other': 'tenant' },
      'tenant:delete': { 'home.role.Admin': 'tenant' },
      'members:update': { 'home.role.Admin': 'tenant' },
      'members:remove': { 'home.other': 'tenant' },
      'invitations:accept': { anonymous: 'own' },
      'tenants:join': { anonymous: 'own' },
      'join-requests:approve': { 'home.other': 'tenant' },
      'scim-tokens:create': { 'home.role.Admin': 'tenant' },
      'scim-tokens:revoke': { 'other.owner': 'tenant' },
      'members:list': { scim: 'tenant' },
      'scim:users:read': { 'home.role.Owner': 'tenant' },
      'scim:users:update': { 'scim.revoked': 'tenant' },
    };
    const wrong: AccessMatrix = {
      ...m,
      rows: m.rows.map((r) =>
        lies[r.operation] ? { ...r, cells: { ...r.cells, ...lies[r.operation] } } : r,
      ),
    };
    // Only the rows lied about are proven again: every other row held against the true matrix above.
    // The example as the true proof above ran it (its stack, fresh data and users; shareProofStacksInFile).
    const caught = await proveAccess(teams as unknown as Parameters<typeof proveAccess>[0], {
      against: wrong,
      rows: (r) => r.operation in lies,
    });
    expect(
      caught.proof.divergences.map((d) => `${d.row} ${d.principal} → ${d.answer.slice(0, 3)}`),
    ).toEqual([
      'Organization tenant:update home.other → 403',
      'Organization tenant:delete home.role.Admin → 403',
      'Organization members:list scim → 401',
      'Organization members:update home.role.Admin → 403',
      'Organization members:remove home.other → 403',
      'Organization invitations:accept anonymous → 401',
      'Organization tenants:join anonymous → 401',
      'Organization join-requests:approve home.other → 403',
      'Organization scim-tokens:create home.role.Admin → 403',
      'Organization scim-tokens:revoke other.owner → 403',
      'Organization scim:users:read home.role.Owner → 401',
      'Organization scim:users:update scim.revoked → 401',
    ]);
    // The rows lied about were proven whole again: each cell not lied about held.
    for (const row of m.rows.filter((r) => r.operation in lies))
      for (const p of m.principals)
        expect(
          caught.proof.proven.has(`${row.component} ${row.operation}|${p.key}`),
          `${row.operation} ${p.key}`,
        ).toBe(lies[row.operation]?.[p.key] === undefined);
  });

  it('proves the directory rows where directory sign-in is on: Owners link and unlink, Admins read', async () => {
    // Every row but the organizations' routes examples/teams has too: those 44, with the same 9 principals and cells,
    // are proven in full by the first describe (and per plan by verify-plans.test.ts); the directory's rows are this
    // test's own.
    const outcome = await verifyEntry('test/access/fixtures/directory/backend.ts', {
      file: false,
      rows: (r) => r.kind !== 'organization' || r.operation.startsWith('directory:'),
    });
    expect(outcome.proof.divergences).toEqual([]);
    const m = outcome.matrix;
    expect(
      m.rows.filter((r) => r.operation.startsWith('directory:')).map((r) => r.request),
    ).toEqual([
      'GET api/tenant/directory',
      'PUT api/tenant/directory',
      'DELETE api/tenant/directory',
    ]);
    expect(cell(m, 'directory:read', 'home.role.Admin')).toBe('tenant');
    expect(cell(m, 'directory:link', 'home.role.Admin')).toBe(403);
    for (const row of m.rows.filter((r) => r.operation.startsWith('directory:')))
      for (const p of m.principals)
        expect(
          outcome.proof.proven.has(`${row.component} ${row.operation}|${p.key}`),
          `${row.operation} ${p.key}`,
        ).toBe(true);
    // An Admin who could link the directory, or a plain member read it, is caught.
    const wrong: AccessMatrix = {
      ...m,
      rows: m.rows.map((r) =>
        r.operation === 'directory:link'
          ? { ...r, cells: { ...r.cells, 'home.role.Admin': 'tenant' } }
          : r.operation === 'directory:read'
            ? { ...r, cells: { ...r.cells, 'home.other': 'tenant' } }
            : r,
      ),
    };
    const caught = await verifyEntry('test/access/fixtures/directory/backend.ts', {
      file: false,
      against: wrong,
      rows: (r) => r.operation === 'directory:link' || r.operation === 'directory:read',
    });
    expect(
      caught.proof.divergences.map((d) => `${d.row} ${d.principal} → ${d.answer.slice(0, 3)}`),
    ).toEqual([
      'Organization directory:read home.other → 403',
      'Organization directory:link home.role.Admin → 403',
    ]);
  });
  // The billing rows (Owners' checkout and portal, the unsigned webhook 400) are proven once, by
  // verify-own-stripe.test.ts, on the same fixture with verify's own Stripe stand-in (docs/performance.md, "A cell
  // proven once").
});
