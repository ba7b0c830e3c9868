// The members' doors (DESIGN §2, "Organizations their Owners run", "Invitations that arrive") as rows of data: a
// member every column's request changes or removes, and an invitation to someone else each column tries to accept.
import type { MatrixPrincipal } from '../../access/matrix/types.js';
import { type AnyDoor, type Ctx, byOrganization, door } from './door-engine.js';
import { asOwner, codeOf, concerned, invite, itemsOf, orgOf } from './door-reads.js';
import type { LoopbackReply } from './loopback-http.js';

/**
 * A user with a verified e-mail: dev signs `<name>@example.com` in with it as its identity (cli/dev/sign-in, "a user
 * named by an email"), so it can accept an invitation — which no column can (their sign-in proves no e-mail).
 */
function emailUser(name: string): MatrixPrincipal {
  return {
    key: name,
    description: 'a user the proof invites',
    tid: 'example.com',
    oid: name,
    roles: [],
  };
}
const emailOf = (u: MatrixPrincipal) => `${u.oid ?? ''}@${u.tid ?? ''}`;
const memberPath = (u: MatrixPrincipal) => `api/tenant/members/${encodeURIComponent(emailOf(u))}`;

/** The member every members row changes or removes: in each column's organization, invited by its Owner. */
const TARGET = emailUser('verify-member-target');
const targetPath = memberPath(TARGET);

/** `user`'s roles in `org` as its Owner lists the members; undefined when no member. */
async function rolesOf(
  ctx: Ctx,
  org: string,
  user: MatrixPrincipal,
): Promise<readonly string[] | undefined> {
  const r = await asOwner(ctx, org, 'GET', 'api/tenant/members?$first=100');
  const m = itemsOf(r).find((i) => i['userId'] === emailOf(user));
  return m ? ((m['roles'] as string[] | undefined) ?? []) : undefined;
}

/** `user` a member of `org` with no role (invited by its Owner, accepted by them); kept when it is one already. */
async function joined(ctx: Ctx, org: string, user: MatrixPrincipal): Promise<void> {
  if ((await rolesOf(ctx, org, user)) !== undefined) return;
  const { token } = await invite(ctx, org, emailOf(user));
  const r = await ctx.proof.call(ctx.url, 'POST', 'api/invitations/accept', user, { token });
  if (r.status !== 201)
    throw new Error(`${emailOf(user)} accepting ${org}'s invitation answered ${String(r.status)}`);
}

/** The organizations of the signed-in columns (their own, the stranger's named one) and of the other organization. */
const orgsOf = (ctx: Ctx) => [
  ...new Set(ctx.principals.filter((p) => p.oid !== undefined).map((p) => orgOf(p))),
];

/** The other organizations' target is untouched by a request in `org`. */
async function othersUntouched(ctx: Ctx, org: string): Promise<string | undefined> {
  for (const other of orgsOf(ctx).filter((o) => o !== org)) {
    const roles = await rolesOf(ctx, other, TARGET);
    if (roles?.length !== 0) return `${other}'s member changed: ${JSON.stringify(roles)}`;
  }
  return undefined;
}

const shown = (r: LoopbackReply) => `${String(r.status)} ${codeOf(r) ?? ''}`;

/**
 * An allowed Owner is refused to demote or remove itself while the only Owner (409 `last-owner`), and stays one.
 */
async function lastOwnerKept(ctx: Ctx, who: MatrixPrincipal): Promise<string | undefined> {
  const self = `api/tenant/members/${encodeURIComponent(who.oid ?? '')}`;
  const demote = await ctx.proof.call(ctx.url, 'PATCH', self, who, { roles: [] });
  const leave = await ctx.proof.call(ctx.url, 'DELETE', self, who);
  const codes = [demote, leave].map(shown);
  return codes.every((c) => c === '409 last-owner')
    ? undefined
    : `the last Owner demoting or removing itself answered ${codes.join(', ')}`;
}

/** A role the columns' organizations declare besides Owner (an `Admin` where there is one), else Owner. */
const grantOf = (ctx: Ctx): string =>
  ctx.principals
    .map((p) => (p.key.startsWith('home.role.') ? p.key.slice('home.role.'.length) : ''))
    .find((r) => r !== '' && r !== 'Owner') ?? 'Owner';

/** The target a member of every columns' organization (the row's set-up); what it sets up besides. */
async function targetEverywhere<F>(ctx: Ctx, also: F): Promise<F> {
  for (const org of orgsOf(ctx)) await joined(ctx, org, TARGET);
  return also;
}

/**
 * The members' doors by operation: an allowed Owner changes or removes the target (read back, then put back) and
 * no other organization's; a refused one changes nothing; the last Owner cannot demote or remove itself. An
 * invitation to someone else: every signed-in column passes the gate and is refused by the invitation's own check
 * (403 `invitation-email-mismatch`), the invitation left open — the invitee's own acceptance then joins.
 *
 * @example
 * ```ts
 * await proveDoor(ctx, row, MEMBER_DOORS['members:update']!);
 * ```
 */
export const MEMBER_DOORS: Readonly<Record<string, AnyDoor>> = {
  'members:update': door<string, string>({
    method: 'PATCH',
    path: targetPath,
    ok: [200],
    setUp: (ctx) => targetEverywhere(ctx, grantOf(ctx)),
    prepare: (ctx, who) => concerned(ctx.principals, who),
    body: ({ fixture: grant }) => ({ roles: [grant] }),
    async judge({ ctx, who, fixture: grant, mine: org }, _r, allowed) {
      if (!allowed) return undefined;
      const roles = await rolesOf(ctx, org, TARGET);
      await asOwner(ctx, org, 'PATCH', targetPath, { roles: [] });
      if (roles?.join() !== grant) return `the member's roles are ${JSON.stringify(roles)}`;
      return (await othersUntouched(ctx, org)) ?? (await lastOwnerKept(ctx, who));
    },
    // A run of refused PATCHes read back once per organization: the target still has no role.
    settle: (ctx, _f, turns) =>
      byOrganization(
        turns,
        (t) => t.mine,
        (org) => rolesOf(ctx, org, TARGET),
        (_t, roles) =>
          roles?.length === 0 ? undefined : `a refused PATCH made it ${JSON.stringify(roles)}`,
      ),
  }),
  'members:remove': door<undefined, string>({
    method: 'DELETE',
    path: targetPath,
    ok: [204],
    setUp: (ctx) => targetEverywhere(ctx, undefined),
    prepare: (ctx, who) => concerned(ctx.principals, who),
    async judge({ ctx, who, mine: org }, _r, allowed) {
      if (!allowed) return undefined;
      if ((await rolesOf(ctx, org, TARGET)) !== undefined) return 'the member is still there';
      await joined(ctx, org, TARGET);
      return (await othersUntouched(ctx, org)) ?? (await lastOwnerKept(ctx, who));
    },
    settle: (ctx, _f, turns) =>
      byOrganization(
        turns,
        (t) => t.mine,
        (org) => rolesOf(ctx, org, TARGET),
        (_t, roles) => (roles !== undefined ? undefined : 'a refused DELETE removed the member'),
      ),
  }),
  // One invitation every column tries (none is its e-mail's): each past the gate is refused by the e-mail check, and
  // after all of them the invitation is still open — the invitee's own acceptance joins.
  'invitations:accept': door<{ home: string; invitee: MatrixPrincipal; token: string }>({
    method: 'POST',
    path: 'api/invitations/accept',
    ok: [403],
    async setUp(ctx) {
      const home = concerned(ctx.principals, ctx.principals[0]!);
      const invitee = emailUser('verify-invitee');
      return { home, invitee, token: (await invite(ctx, home, emailOf(invitee))).token };
    },
    body: ({ fixture }) => ({ token: fixture.token }),
    judge: (_t, reply, allowed) =>
      allowed && codeOf(reply) !== 'invitation-email-mismatch'
        ? `refused by ${String(codeOf(reply))}, not the invitation's e-mail check`
        : undefined,
    settles: 'all',
    async settle(ctx, { home, invitee, token }, turns) {
      const own = await ctx.proof.call(ctx.url, 'POST', 'api/invitations/accept', invitee, {
        token,
      });
      const roles = await rolesOf(ctx, home, invitee);
      await asOwner(ctx, home, 'DELETE', memberPath(invitee));
      const failure =
        own.status === 201 && roles !== undefined
          ? undefined
          : `the invitee's own acceptance answered ${String(own.status)}`;
      return turns.map(() => failure);
    },
  }),
};
