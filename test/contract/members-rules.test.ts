/**
 * The membership rules as pure functions (src/contract/members.ts): roles against the declared ones, organization
 * ids, who may change or remove a member — with a property: whatever sequence of allowed changes runs, an
 * organization that had an Owner keeps one —, who may invite whom, and emails as memberships compare them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isMemberUserId,
  mayInvite,
  mayManageInvitations,
  memberChangeRefusal,
  normalizedEmail,
  ORGANIZATION_ID,
  organizationIdFrom,
  organizationIdIssue,
  OWNER_ROLE,
  rolesIssues,
} from '../../src/contract/members.js';

const DECLARED = ['Admin', 'Member'];

describe('membership rules', () => {
  it('roles: distinct, each Owner or declared; anything else named in the issue', () => {
    expect(rolesIssues(['Owner', 'Admin'], DECLARED)).toEqual([]);
    expect(rolesIssues([], DECLARED)).toEqual([]);
    expect(rolesIssues('Admin', DECLARED)[0]?.code).toBe('type');
    expect(rolesIssues(['Admin', 'Boss'], DECLARED)).toEqual([
      {
        field: 'roles[1]',
        code: 'enum',
        message: 'roles[1] "Boss" is not a role: Owner, Admin, Member.',
      },
    ]);
    expect(rolesIssues(['Member', 'Member'], DECLARED)[0]?.code).toBe('unique');
    expect(rolesIssues([7], DECLARED)[0]?.code).toBe('enum');
  });

  it('organization ids: generated ids always match; given ones are checked', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.stringMatching(/^[a-z0-9]{6}$/), (name, s) => {
        const id = organizationIdFrom(name, s);
        expect(ORGANIZATION_ID.test(id)).toBe(true);
        expect(organizationIdIssue(id)).toBeUndefined();
      }),
    );
    expect(organizationIdFrom('Acme & Sons, Ltd.', 'k3x9qa')).toBe('acme-sons-ltd-k3x9qa');
    for (const bad of ['Acme', 'ab', '-acme', 'acme_1', 'a'.repeat(64), 'shared', 7])
      expect(organizationIdIssue(bad)?.code).toBe('pattern');
    expect(organizationIdIssue('acme')).toBeUndefined();
  });

  it('a member change: an Owner changes anyone, a member only leaves, the last Owner stays', () => {
    const owner = { userId: 'o1', roles: [OWNER_ROLE] };
    const member = { userId: 'm1', roles: ['Member'] };
    expect(memberChangeRefusal(owner, 'm1', ['Admin'], ['o1'])).toBeUndefined();
    expect(memberChangeRefusal(owner, 'm1', undefined, ['o1'])).toBeUndefined();
    expect(memberChangeRefusal(member, 'm1', undefined, ['o1'])).toBeUndefined();
    expect(memberChangeRefusal(member, 'm1', ['Admin'], ['o1'])).toBe('forbidden');
    expect(memberChangeRefusal(member, 'o1', undefined, ['o1'])).toBe('forbidden');
    expect(memberChangeRefusal({ userId: 'a1', roles: ['Admin'] }, 'm1', undefined, ['o1'])).toBe(
      'forbidden',
    );
    expect(memberChangeRefusal(owner, 'o1', undefined, ['o1'])).toBe('last-owner');
    expect(memberChangeRefusal(owner, 'o1', ['Admin'], ['o1'])).toBe('last-owner');
    expect(memberChangeRefusal(owner, 'o1', ['Admin'], ['o1', 'o2'])).toBeUndefined();
    expect(memberChangeRefusal(owner, 'o1', [OWNER_ROLE, 'Admin'], ['o1'])).toBeUndefined();
  });

  it('property: changes the rules allow never leave an organization without an Owner', () => {
    const users = ['u0', 'u1', 'u2', 'u3'];
    const change = fc.record({
      by: fc.constantFrom(...users),
      target: fc.constantFrom(...users),
      roles: fc.option(fc.subarray([OWNER_ROLE, ...DECLARED]), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        const members = new Map<string, readonly string[]>([['u0', [OWNER_ROLE]]]);
        for (const u of users.slice(1)) members.set(u, ['Member']);
        for (const c of changes) {
          const by = members.get(c.by);
          if (!by || !members.has(c.target)) continue;
          const owners = [...members].filter(([, r]) => r.includes(OWNER_ROLE)).map(([u]) => u);
          if (memberChangeRefusal({ userId: c.by, roles: by }, c.target, c.roles, owners)) continue;
          if (c.roles === undefined) members.delete(c.target);
          else members.set(c.target, c.roles);
          expect([...members.values()].some((r) => r.includes(OWNER_ROLE))).toBe(true);
        }
      }),
    );
  });

  it('invitations: Owners invite anyone, Admins invite but never an Owner, Members do not', () => {
    expect(mayInvite([OWNER_ROLE], [OWNER_ROLE])).toBe(true);
    expect(mayInvite(['Admin'], ['Member'])).toBe(true);
    expect(mayInvite(['Admin'], [OWNER_ROLE])).toBe(false);
    expect(mayInvite(['Member'], ['Member'])).toBe(false);
    expect(mayManageInvitations(['Admin'])).toBe(true);
    expect(mayManageInvitations(['Member'])).toBe(false);
  });

  it('emails compare trimmed and lower-cased; user ids fit the members container', () => {
    expect(normalizedEmail(' Ada@Example.COM ')).toBe('ada@example.com');
    for (const bad of ['ada', 'ada@', '@x.y', 'a b@x.y', 'a@x', 7, `${'a'.repeat(250)}@x.yz`])
      expect(normalizedEmail(bad)).toBeUndefined();
    expect(isMemberUserId('9f1c2b1e-0000-4000-8000-000000000001')).toBe(true);
    for (const bad of ['', 'a|b', 'a/b', 'a#b', 'a?b', 'a\\b', 'a\nb', 'x'.repeat(181)])
      expect(isMemberUserId(bad)).toBe(false);
  });
});
