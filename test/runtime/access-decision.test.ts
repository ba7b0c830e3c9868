import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessDenied, decideAccess } from '../../src/runtime/access/rules.js';
import { rolesOf, clientPrincipalOf } from '../../src/runtime/caller/client-principal.js';
import { OPS, referenceDecision, rule } from './support/access-reference.js';
import { noteEntity } from './support/entities.js';

const op = fc.constantFrom(...OPS);

describe('decideAccess (pure) agrees with the reference decision', () => {
  it('for any rule set, operation and caller (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(rule, { minLength: 1, maxLength: 4 }),
        op,
        fc.subarray(['NoteAdmin', 'Other', 'Auditor']),
        fc.boolean(),
        (rules, o, roles, hasId) => {
          const got = decideAccess(rules, o, { id: hasId ? 'u1' : undefined, roles });
          expect(got.kind).toBe(referenceDecision(rules, o, { roles, hasId }));
          // A denial names exactly the rules that cover the operation (what would allow it).
          if (got.kind === 'denied')
            expect(got.wouldAllow).toEqual(
              rules.filter((r) => !r.operations || r.operations.includes(o)),
            );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('adding a rule never takes a permission away (rules only grant)', () => {
    const rank = { denied: 0, own: 1, all: 2 } as const;
    fc.assert(
      fc.property(
        fc.array(rule, { minLength: 1, maxLength: 3 }),
        rule,
        op,
        fc.subarray(['NoteAdmin', 'Other']),
        (rules, extra, o, roles) => {
          const caller = { id: 'u1', roles };
          expect(rank[decideAccess([...rules, extra], o, caller).kind]).toBeGreaterThanOrEqual(
            rank[decideAccess(rules, o, caller).kind],
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a denial is a 403 problem naming the rule that would allow it, with what the caller lacks', () => {
    const res = accessDenied(noteEntity, 'delete', [{ allow: 'role', role: 'NoteAdmin' }]);
    expect(res.status).toBe(403);
    const body = JSON.parse(res.body as string);
    expect(body.type).toBe('urn:atakora:problem:access-denied');
    expect(body.detail).toContain("{ allow: 'role', role: 'NoteAdmin' }");
    expect(body.detail).toContain('app role NoteAdmin');
    expect(body.rules).toEqual(["{ allow: 'role', role: 'NoteAdmin' }"]);
    expect(JSON.parse(accessDenied(noteEntity, 'create', []).body as string).detail).toContain(
      'no access rule of NoteApi allows create',
    );
  });
});

describe('roles from the principal', () => {
  const header = (claims: [string, string][], roleTyp = 'roles') =>
    Buffer.from(
      JSON.stringify({
        auth_typ: 'aad',
        role_typ: roleTyp,
        claims: claims.map(([typ, val]) => ({ typ, val })),
      }),
    ).toString('base64');
  it('reads every roles claim, the long name, and the type role_typ names; nothing else', () => {
    expect(
      rolesOf(
        clientPrincipalOf(
          header([
            ['roles', 'NoteAdmin'],
            ['roles', 'Other'],
            ['oid', 'u1'],
          ]),
        )!,
      ),
    ).toEqual(['NoteAdmin', 'Other']);
    expect(
      rolesOf(
        clientPrincipalOf(
          header([['http://schemas.microsoft.com/ws/2008/06/identity/claims/role', 'NoteAdmin']]),
        )!,
      ),
    ).toEqual(['NoteAdmin']);
    expect(rolesOf(clientPrincipalOf(header([['app_roles', 'NoteAdmin']], 'app_roles'))!)).toEqual([
      'NoteAdmin',
    ]);
    expect(rolesOf(clientPrincipalOf(header([['roles', '["A","B"]']]))!)).toEqual(['A', 'B']);
    expect(
      rolesOf(
        clientPrincipalOf(
          header([
            ['groups', 'NoteAdmin'],
            ['scp', 'NoteAdmin'],
          ]),
        )!,
      ),
    ).toEqual([]);
  });
});
