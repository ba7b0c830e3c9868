/**
 * `verifyAccess` on tenants by membership (DESIGN §2, "Access you can prove"): examples/teams' matrix has the
 * membership principals — anonymous, a member owning the item, another member, an Owner, each role's member, a
 * member of another organization, a signed-in non-member naming the organization, the organization's SCIM token and
 * a revoked one — and every cell is proven against
 * atakora dev's stack with the organizations and memberships seeded (roles from the memberships, none in the token).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../../src/entry/testing.js';
import { verifyAccess } from '../../src/entry/testing.js';
import teams from '../../examples/teams/backend.js';

const cell = (m: AccessMatrix, component: string, operation: string, who: string) =>
  m.rows.find((r) => r.component === component && r.operation === operation)?.cells[who];

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

describe('verifyAccess on organizations', () => {
  it('derives the membership principals and proves every cell', async () => {
    // The example is loaded through the package's own entry (dist), the test's verifyAccess from src.
    const before = proofStateFiles();
    const matrix = await verifyAccess(teams as unknown as Parameters<typeof verifyAccess>[0]);
    // The example has a site: its port is not remembered for the proof's temporary entry in the project.
    expect(proofStateFiles().filter((f) => !before.includes(f))).toEqual([]);
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
    expect(cell(matrix, 'ProjectApi', 'create', 'anonymous')).toBe(401);
    expect(cell(matrix, 'ProjectApi', 'read', 'stranger')).toBe(403);
    expect(cell(matrix, 'ProjectApi', 'read', 'other.owner')).toBe('tenant');
    expect(cell(matrix, 'ProjectApi', 'update', 'home.other')).toBe('own');
    expect(cell(matrix, 'ProjectApi', 'update', 'home.role.Owner')).toBe('tenant');
    expect(cell(matrix, 'ProjectApi', 'delete', 'home.role.Admin')).toBe('tenant');
    expect(cell(matrix, 'ProjectApi', 'events', 'stranger')).toBe(403);
    // The organization's SCIM token is no sign-in: no data route lets it through.
    expect(cell(matrix, 'ProjectApi', 'read', 'scim')).toBe(401);
    expect(cell(matrix, 'ProjectApi', 'create', 'scim.revoked')).toBe(401);
  });
});
