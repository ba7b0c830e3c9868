import type { MatrixPrincipal } from '../../access/matrix/types.js';
import type { LoopbackReply } from './loopback-http.js';
import {
  allowed,
  checkCell,
  type Ctx,
  each,
  itemsOf,
  orgOf,
  type RowProof,
  slug,
} from './organization-requests.js';

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

/** The member every members row changes or removes: in each column's organization, invited by its Owner. */
const TARGET = emailUser('verify-member-target');
const targetPath = `api/tenant/members/${encodeURIComponent(emailOf(TARGET))}`;

const problemOf = (r: LoopbackReply): string => {
  const type = (r.body as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type.replace('urn:atakora:problem:', '') : '';
};

/** An Owner of `org` invites `user` with `roles`: the token (from `acceptUrl`). */
async function invite(
  ctx: Ctx,
  org: string,
  user: MatrixPrincipal,
  roles: readonly string[],
): Promise<string> {
  const r = await ctx.proof.call(ctx.url, 'POST', 'api/tenant/invitations', ctx.ownerOf(org), {
    email: emailOf(user),
    roles,
  });
  const url = (r.body as { acceptUrl?: string } | undefined)?.acceptUrl;
  if (r.status !== 201 || url === undefined)
    throw new Error(
      `Inviting ${emailOf(user)} to ${org} on the proof stack answered ${String(r.status)}`,
    );
  return new URL(url).searchParams.get('invitation') ?? '';
}

/** `user` a member of `org` with no role (invited by its Owner, accepted by them); kept when it is one already. */
async function joined(ctx: Ctx, org: string, user: MatrixPrincipal): Promise<void> {
  if ((await rolesOf(ctx, org, user)) !== undefined) return;
  const token = await invite(ctx, org, user, []);
  const r = await ctx.proof.call(ctx.url, 'POST', 'api/invitations/accept', user, { token });
  if (r.status !== 201)
    throw new Error(`${emailOf(user)} accepting ${org}'s invitation answered ${String(r.status)}`);
}

/** `user`'s roles in `org` as its Owner lists the members; undefined when no member. */
async function rolesOf(
  ctx: Ctx,
  org: string,
  user: MatrixPrincipal,
): Promise<readonly string[] | undefined> {
  const r = await ctx.proof.call(ctx.url, 'GET', 'api/tenant/members?$first=100', ctx.ownerOf(org));
  const m = itemsOf(r).find((i) => i['userId'] === emailOf(user));
  return m ? ((m['roles'] as string[] | undefined) ?? []) : undefined;
}

/** The organizations of the signed-in columns (their own, the stranger's named one) and of the other organization. */
const orgsOf = (ctx: Ctx) => [
  ...new Set(ctx.principals.filter((p) => p.oid !== undefined).map((p) => orgOf(p))),
];
/** The organization a column's request concerns (anonymous: the home Owner's). */
const concerned = (ctx: Ctx, who: MatrixPrincipal) =>
  who.organization ?? orgOf(ctx.principals.find((p) => p.key === 'home.role.Owner') ?? who);

/** The other organizations' target is untouched by a request in `org`. */
async function othersUntouched(ctx: Ctx, org: string): Promise<string | undefined> {
  for (const other of orgsOf(ctx).filter((o) => o !== org)) {
    const roles = await rolesOf(ctx, other, TARGET);
    if (roles?.length !== 0) return `${other}'s member changed: ${JSON.stringify(roles)}`;
  }
  return undefined;
}

/**
 * An allowed Owner is refused to demote or remove itself while the only Owner (409 `last-owner`), and stays one.
 */
async function lastOwnerKept(ctx: Ctx, who: MatrixPrincipal): Promise<string | undefined> {
  const self = `api/tenant/members/${encodeURIComponent(who.oid ?? '')}`;
  const demote = await ctx.proof.call(ctx.url, 'PATCH', self, who, { roles: [] });
  const leave = await ctx.proof.call(ctx.url, 'DELETE', self, who);
  const codes = [demote, leave].map((r) => `${String(r.status)} ${problemOf(r)}`);
  return codes.every((c) => c === '409 last-owner')
    ? undefined
    : `the last Owner demoting or removing itself answered ${codes.join(', ')}`;
}

/** A role the columns' organizations declare besides Owner (an `Admin` where there is one), else Owner. */
const grantOf = (ctx: Ctx): string =>
  ctx.principals
    .map((p) => (p.key.startsWith('home.role.') ? p.key.slice('home.role.'.length) : ''))
    .find((r) => r !== '' && r !== 'Owner') ?? 'Owner';

/**
 * `PATCH api/tenant/members/{userId} { roles: [<a role>] }` of a member of the column's organization: an allowed
 * Owner changes it (read back, then put back) and no other organization's; a refused one changes nothing; the last
 * Owner cannot demote itself.
 */
export const memberUpdate: RowProof = async (ctx, row) => {
  for (const org of orgsOf(ctx)) await joined(ctx, org, TARGET);
  const grant = grantOf(ctx);
  await each(ctx.principals, async (who) => {
    const org = concerned(ctx, who);
    await checkCell(
      ctx,
      row,
      who,
      'PATCH',
      targetPath,
      { roles: [grant] },
      [200],
      async (_r, cell) => {
        const roles = await rolesOf(ctx, org, TARGET);
        if (!allowed(cell))
          return roles?.length === 0
            ? undefined
            : `the refused PATCH made it ${JSON.stringify(roles)}`;
        await ctx.proof.call(ctx.url, 'PATCH', targetPath, ctx.ownerOf(org), { roles: [] });
        if (roles?.join() !== grant) return `the member's roles are ${JSON.stringify(roles)}`;
        return (await othersUntouched(ctx, org)) ?? (await lastOwnerKept(ctx, who));
      },
    );
  });
};

/**
 * `DELETE api/tenant/members/{userId}` of a member of the column's organization: an allowed Owner removes it (then
 * it joins again) and no other organization's; a refused one removes nothing; the last Owner cannot remove itself.
 */
export const memberRemove: RowProof = async (ctx, row) => {
  for (const org of orgsOf(ctx)) await joined(ctx, org, TARGET);
  await each(ctx.principals, async (who) => {
    const org = concerned(ctx, who);
    await checkCell(ctx, row, who, 'DELETE', targetPath, undefined, [204], async (_r, cell) => {
      const roles = await rolesOf(ctx, org, TARGET);
      if (!allowed(cell))
        return roles !== undefined ? undefined : `the refused DELETE removed the member`;
      if (roles !== undefined) return 'the member is still there';
      await joined(ctx, org, TARGET);
      return (await othersUntouched(ctx, org)) ?? (await lastOwnerKept(ctx, who));
    });
  });
};

/**
 * `POST api/invitations/accept { token }` of an invitation to someone else: every signed-in column passes the gate
 * and is refused by the invitation's own check (403 `invitation-email-mismatch`: their sign-in is not the invited
 * e-mail), the invitation left open — the invitee's own acceptance then joins (201, a member, removed again).
 */
export const acceptInvitation: RowProof = async (ctx, row) => {
  const home = concerned(ctx, ctx.principals[0]!);
  await each(ctx.principals, async (who) => {
    const invitee = emailUser(`verify-invitee-${slug(who.key)}`);
    const token = await invite(ctx, home, invitee, []);
    await checkCell(
      ctx,
      row,
      who,
      'POST',
      'api/invitations/accept',
      { token },
      [403],
      async (r, cell) => {
        if (!allowed(cell)) return undefined;
        if (problemOf(r) !== 'invitation-email-mismatch')
          return `refused by ${problemOf(r)}, not the invitation's e-mail check`;
        const own = await ctx.proof.call(ctx.url, 'POST', 'api/invitations/accept', invitee, {
          token,
        });
        const roles = await rolesOf(ctx, home, invitee);
        const path = `api/tenant/members/${encodeURIComponent(emailOf(invitee))}`;
        await ctx.proof.call(ctx.url, 'DELETE', path, ctx.ownerOf(home));
        return own.status === 201 && roles !== undefined
          ? undefined
          : `the invitee's own acceptance answered ${String(own.status)}`;
      },
    );
  });
};
