/**
 * The access matrix derived from declared rules (src/access/matrix): key cells as the rules imply them for owner,
 * role, authenticated and anonymous callers, shared data across directories, children, expansions and events;
 * the implications users miss; stable, pure output; widenings ordered first.
 */
import { describe, expect, it } from 'vitest';
import { compareAccessMatrices } from '../../src/access/matrix/compare.js';
import { deriveAccessMatrix } from '../../src/access/matrix/derive.js';
import { formatAccessMatrix } from '../../src/access/matrix/format.js';
import { signInOf } from '../../src/access/matrix/sign-in.js';
import type { AccessMatrix } from '../../src/access/matrix/types.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { AccessRule } from '../../src/model/runtime-manifest.js';
import { matrixCell } from '../support/matrix-cell.js';

const HOME = '11111111-1111-4111-8111-111111111111';
const CUSTOMER = '22222222-2222-4222-8222-222222222222';
const multi = signInOf(
  {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    allowedTenants: [HOME, CUSTOMER],
  },
  undefined,
);

function board(reviewAccess: readonly AccessRule[], onDelete: 'restrict' | 'cascade' = 'restrict') {
  return defineBackend(
    {
      posts: CrudApi.define('PostApi', {
        entityName: 'Post',
        schema: { id: 'string', title: 'string' },
        partitionKey: '/tenantId',
        access: [
          { allow: 'owner' },
          { allow: 'role', role: 'Moderator' },
          { allow: 'authenticated', operations: ['read', 'list'] },
        ],
        operations: ['create', 'read', 'update', 'delete', 'list'],
        relations: { reviews: { hasMany: 'ReviewApi', field: 'postId', onDelete } },
        realtime: true,
      }),
      reviews: CrudApi.define('ReviewApi', {
        entityName: 'Review',
        schema: { id: 'string', postId: 'string' },
        partitionKey: '/tenantId',
        access: reviewAccess,
      }),
      drafts: CrudApi.define('DraftApi', {
        entityName: 'Draft',
        schema: { id: 'string' },
        operations: ['create', 'read', 'list'],
        access: [{ allow: 'owner' }],
      }),
      wall: CrudApi.define('WallApi', {
        entityName: 'Wall',
        schema: { id: 'string' },
        tenancy: 'shared',
        access: [
          { allow: 'authenticated', operations: ['read', 'list', 'create'] },
          { allow: 'owner' },
        ],
      }),
    },
    {
      backendId: 'board',
      auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: [HOME, CUSTOMER] },
    },
  );
}

describe('the access matrix', () => {
  const m = deriveAccessMatrix(board([{ allow: 'owner' }]).plan(), multi);

  it('has every principal kind: anonymous, three of each directory with each role, and a stranger', () => {
    expect(m.principals.map((p) => p.key)).toEqual([
      'anonymous',
      'home.owner',
      'home.other',
      'home.role.Moderator',
      'other.owner',
      'other.other',
      'other.role.Moderator',
      'stranger',
    ]);
    expect(m.principals.find((p) => p.key === 'home.owner')?.tid).toBe(HOME);
    expect(m.principals.find((p) => p.key === 'other.owner')?.tid).toBe(CUSTOMER);
  });

  it('owner, role, authenticated and anonymous cells as the rules say', () => {
    expect(matrixCell(m, 'PostApi', 'update', 'home.owner')).toBe('own');
    expect(matrixCell(m, 'PostApi', 'update', 'home.role.Moderator')).toBe('tenant');
    expect(matrixCell(m, 'PostApi', 'read', 'home.other')).toBe('tenant');
    expect(matrixCell(m, 'PostApi', 'delete', 'other.role.Moderator')).toBe('tenant');
    expect(matrixCell(m, 'PostApi', 'read', 'anonymous')).toBe(401);
    expect(matrixCell(m, 'PostApi', 'read', 'stranger')).toBe(403);
    // Not enabled: 405 for everyone, the anonymous too (the method is refused first).
    expect(matrixCell(m, 'DraftApi', 'delete', 'home.owner')).toBe(405);
    expect(matrixCell(m, 'DraftApi', 'delete', 'anonymous')).toBe(405);
    expect(matrixCell(m, 'DraftApi', 'list', 'home.role.Moderator')).toBe('own');
  });

  it('shared data: every directory reads it (allow), writes stay the owner’s', () => {
    expect(matrixCell(m, 'WallApi', 'read', 'other.other')).toBe('allow');
    expect(matrixCell(m, 'WallApi', 'update', 'other.other')).toBe('own');
    expect(m.implications.map((i) => i.code)).toContain('shared-readable-across-directories');
  });

  it('children, $count, $expand and events rows follow the parent’s and the children’s rules', () => {
    expect(matrixCell(m, 'PostApi', 'children:reviews', 'home.other')).toBe('own');
    expect(matrixCell(m, 'PostApi', 'expand:reviews', 'home.role.Moderator')).toBe('own');
    expect(matrixCell(m, 'PostApi', 'children:reviews', 'anonymous')).toBe(401);
    expect(matrixCell(m, 'PostApi', 'count', 'home.other')).toBe('tenant');
    expect(matrixCell(m, 'PostApi', 'events', 'other.other')).toBe('tenant');
    expect(m.rows.filter((r) => r.component === 'PostApi').map((r) => r.operation)).toEqual([
      'create',
      'read',
      'list',
      'count',
      'aggregate',
      'replace',
      'update',
      'delete',
      'expand:reviews',
      'children:reviews',
      'events',
    ]);
  });

  it('names a cascade some caller may start and not finish', () => {
    const cascading = deriveAccessMatrix(board([{ allow: 'owner' }], 'cascade').plan(), multi);
    expect(
      cascading.implications.find((i) => i.code === 'cascade-cannot-complete')?.message,
    ).toMatch(
      /home\.role\.Moderator may delete every PostApi of the tenant \(tenant\) but ReviewApi only own/,
    );
  });

  it('is pure and stable: the same backend gives the same bytes', () => {
    const again = deriveAccessMatrix(board([{ allow: 'owner' }]).plan(), multi);
    expect(formatAccessMatrix(again)).toBe(formatAccessMatrix(m));
    expect(compareAccessMatrices(m, again)).toEqual([]);
  });

  it('compares: widenings first, narrowings after', () => {
    const wider = deriveAccessMatrix(
      board([
        { allow: 'authenticated', operations: ['update'] },
        { allow: 'owner', operations: ['read'] },
      ]).plan(),
      multi,
    );
    const changes = compareAccessMatrices(m, wider);
    const firstNarrowing = changes.findIndex((c) => !c.widened);
    expect(changes[0]).toMatchObject({
      route: 'ReviewApi replace',
      principal: 'home.owner',
      before: 'own',
      after: 'tenant',
      widened: true,
    });
    expect(firstNarrowing).toBeGreaterThan(0);
    expect(changes.slice(firstNarrowing).every((c) => !c.widened)).toBe(true);
    expect(
      changes.find((c) => c.route === 'ReviewApi delete' && c.principal === 'home.owner'),
    ).toMatchObject({ before: 'own', after: 403, widened: false });
  });

  it('a single-tenant backend has no other directory; anonymous is 401', () => {
    const single = deriveAccessMatrix(
      defineBackend({
        n: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
      }).plan(),
      signInOf(undefined, undefined),
    );
    expect(single.signIn).toBe('single-tenant');
    expect(single.principals.map((p) => p.key)).toEqual(['anonymous', 'home.owner', 'home.other']);
    expect(matrixCell(single, 'NoteApi', 'delete', 'home.other')).toBe('tenant');
  });
});
