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
import { domainChange, domainCreate } from './prove-organization-domains.js';
import { acceptInvitation, memberRemove, memberUpdate } from './prove-organization-members.js';
import { directoryLink, directoryRead, directoryUnlink } from './prove-organization-directory.js';
import {
  answerJoin,
  joinable,
  joinByDomain,
  scimTokenCreate,
  scimTokenRevoke,
} from './prove-organization-enterprise.js';
import { SCIM_PROOFS } from './prove-organization-scim.js';

/** The organization a column's request concerns: its own, the one it names, or (anonymous) the home one of `list`. */
const concerned = (who: MatrixPrincipal, list: readonly MatrixPrincipal[]) =>
  who.organization ?? list.find((p) => p.key === 'home.role.Owner')?.organization ?? '';

/**
 * The organization's record as an Owner of it sees it in `GET api/me/tenants` (name and status, a deleted one
 * included): what a request must not have changed.
 */
async function recordOf(
  ctx: Ctx,
  org: string,
): Promise<{ readonly name?: string; readonly status?: string } | undefined> {
  const r = await ctx.proof.call(ctx.url, 'GET', 'api/me/tenants', ctx.ownerOf(org));
  return itemsOf(r).find((i) => i['id'] === org);
}

/** A read: allowed cells answer 200 with their own organization's things only. */
function read(
  path: string,
  own?: (reply: LoopbackReply, who: MatrixPrincipal) => boolean,
): RowProof {
  return (ctx, row) =>
    each(ctx.principals, async (who) => {
      await checkCell(ctx, row, who, 'GET', path, undefined, [200], (reply, cell) =>
        Promise.resolve(
          allowed(cell) && own && !own(reply, who)
            ? `shows another organization's: ${JSON.stringify(reply.body).slice(0, 200)}`
            : undefined,
        ),
      );
    });
}

/** Every listed item that names an organization names the caller's. */
const onlyOwn = (reply: LoopbackReply, who: MatrixPrincipal) =>
  itemsOf(reply).every((i) => i['tenant'] === undefined || i['tenant'] === orgOf(who));

/** An Owner of `org` invites `email`: the invitation's id and its token (from `acceptUrl`). */
async function invitation(
  ctx: Ctx,
  org: string,
  email: string,
): Promise<{ id: string; token: string }> {
  const r = await ctx.proof.call(ctx.url, 'POST', 'api/tenant/invitations', ctx.ownerOf(org), {
    email,
    roles: [],
  });
  const body = r.body as { id?: string; acceptUrl?: string } | undefined;
  if (r.status !== 201 || body?.id === undefined)
    throw new Error(`Inviting ${email} to ${org} on the proof stack answered ${String(r.status)}`);
  const token = body.acceptUrl
    ? (new URL(body.acceptUrl).searchParams.get('invitation') ?? '')
    : '';
  return { id: body.id, token };
}

/** `DELETE api/tenant` and the undelete, by each column's twin in a throwaway organization. */
const deleteTenant: RowProof = (ctx, row) =>
  each(ctx.scratch, async (who) => {
    const org = concerned(who, ctx.scratch);
    await checkCell(ctx, row, who, 'DELETE', 'api/tenant', undefined, [202], async (_r, cell) => {
      if (allowed(cell)) {
        const back = await ctx.proof.call(ctx.url, 'POST', 'api/tenant/undelete', ctx.ownerOf(org));
        return back.status === 200
          ? undefined
          : `not deleted: its undelete answered ${String(back.status)}`;
      }
      const r = await recordOf(ctx, org);
      return r?.status === 'active'
        ? undefined
        : `the refused delete changed ${org}: ${String(r?.status)}`;
    });
  });

const undeleteTenant: RowProof = async (ctx, row) => {
  const orgs = [
    ...new Set(
      ctx.scratch.filter((p) => p.oid !== undefined && p.tid === p.organization).map(orgOf),
    ),
  ];
  for (const org of orgs) await ctx.proof.call(ctx.url, 'DELETE', 'api/tenant', ctx.ownerOf(org));
  await each(ctx.scratch, async (who) => {
    const org = concerned(who, ctx.scratch);
    await checkCell(
      ctx,
      row,
      who,
      'POST',
      'api/tenant/undelete',
      undefined,
      [200],
      async (_r, cell) => {
        const r = await recordOf(ctx, org);
        if (!allowed(cell))
          return r?.status === 'suspended' ? undefined : `the refused undelete restored ${org}`;
        const again = await ctx.proof.call(ctx.url, 'DELETE', 'api/tenant', ctx.ownerOf(org));
        return r?.status === 'active' && again.status === 202
          ? undefined
          : `not restored: ${String(r?.status)}`;
      },
    );
  });
  // The throwaway organizations are left as they were found: active.
  for (const org of orgs)
    await ctx.proof.call(ctx.url, 'POST', 'api/tenant/undelete', ctx.ownerOf(org));
};

const updateTenant: RowProof = (ctx, row) =>
  each(ctx.principals, async (who) => {
    const org = concerned(who, ctx.principals);
    const name = `Renamed by ${who.key}`;
    const before = await recordOf(ctx, org);
    await checkCell(ctx, row, who, 'PATCH', 'api/tenant', { name }, [200], async (_r, cell) => {
      const now = await recordOf(ctx, org);
      if (allowed(cell)) return now?.name === name ? undefined : `the name is ${String(now?.name)}`;
      return now?.name === before?.name
        ? undefined
        : `the refused PATCH renamed ${org} to ${String(now?.name)}`;
    });
  });

const createInvitation: RowProof = (ctx, row) =>
  each(ctx.principals, async (who) => {
    const email = `invited-${slug(who.key)}@example.com`;
    await checkCell(
      ctx,
      row,
      who,
      'POST',
      'api/tenant/invitations',
      { email, roles: [] },
      [201],
      async (_r, cell) => {
        const list = await ctx.proof.call(
          ctx.url,
          'GET',
          'api/tenant/invitations',
          ctx.ownerOf(orgOf(who)),
        );
        const made = itemsOf(list).some((i) => i['email'] === email);
        return made === allowed(cell)
          ? undefined
          : `an invitation to ${email} is ${made ? '' : 'not '}there`;
      },
    );
  });

const resendInvitation: RowProof = async (ctx, row) => {
  const home = ctx.principals.find((p) => p.key === 'home.role.Owner');
  const otherOrg = ctx.principals.find((p) => p.key === 'other.owner')?.organization ?? '';
  const mine = await invitation(ctx, orgOf(home ?? ctx.principals[0]!), 'resent@example.com');
  const theirs = await invitation(ctx, otherOrg, 'resent-other@example.com');
  await each(ctx.principals, async (who) => {
    await checkCell(
      ctx,
      row,
      who,
      'POST',
      `api/tenant/invitations/${mine.id}/resend`,
      undefined,
      [200],
      async (_r, cell) => {
        if (!allowed(cell)) return undefined;
        const cross = await ctx.proof.call(
          ctx.url,
          'POST',
          `api/tenant/invitations/${theirs.id}/resend`,
          who,
        );
        return cross.status === 404
          ? undefined
          : `another organization's invitation answered ${String(cross.status)}`;
      },
    );
  });
};

const previewInvitation: RowProof = async (ctx, row) => {
  const home = ctx.principals.find((p) => p.key === 'home.role.Owner');
  const { token } = await invitation(
    ctx,
    orgOf(home ?? ctx.principals[0]!),
    'previewed@example.com',
  );
  await each(ctx.principals, async (who) => {
    await checkCell(
      ctx,
      row,
      who,
      'GET',
      `api/invitations/preview?invitation=${encodeURIComponent(token)}`,
      undefined,
      [200],
    );
  });
};

/** Stripe's webhook: an unsigned event is refused (400) by everyone's request, and nothing is applied. */
const webhook: RowProof = (ctx, row) =>
  each(ctx.principals, async (who) => {
    const home = ctx.principals.find((p) => p.key === 'home.role.Owner');
    const org = orgOf(home ?? who);
    const event = {
      id: `evt_verify_${slug(who.key)}`,
      type: 'customer.subscription.deleted',
      data: {
        object: {
          id: 'sub_verify',
          object: 'subscription',
          status: 'canceled',
          metadata: { tenant: org },
        },
      },
    };
    await checkCell(ctx, row, who, 'POST', 'api/billing/stripe', event, [400], async () => {
      const r = await recordOf(ctx, org);
      return r?.status === 'active'
        ? undefined
        : `an unsigned event changed ${org}: ${String(r?.status)}`;
    });
  });

/** Each organization row's proof, by operation (a row without one is reported unproven). */
export const ORGANIZATION_PROOFS: Readonly<Record<string, RowProof>> = {
  'me:tenants': read('api/me/tenants'),
  'tenant:read': read(
    'api/tenant',
    (r, who) => (r.body as { id?: string } | undefined)?.id === orgOf(who),
  ),
  'tenant:update': updateTenant,
  'tenant:delete': deleteTenant,
  'tenant:undelete': undeleteTenant,
  'members:list': read('api/tenant/members', onlyOwn),
  'members:update': memberUpdate,
  'members:remove': memberRemove,
  'invitations:create': createInvitation,
  'invitations:list': read('api/tenant/invitations'),
  'invitations:resend': resendInvitation,
  'invitations:preview': previewInvitation,
  'invitations:accept': acceptInvitation,
  'domains:create': domainCreate,
  'domains:list': read('api/tenant/domains', onlyOwn),
  // Whether the TXT record resolves is DNS, not access: an allowed verify passes the gate.
  'domains:verify': domainChange('POST', '/verify', 'gate'),
  'domains:update': domainChange('PATCH', '', [200], { join: 'off' }),
  'domains:delete': domainChange('DELETE', '', [204]),
  'audit:list': read('api/tenant/audit', onlyOwn),
  'me:joinable': joinable,
  'tenants:join': joinByDomain,
  'join-requests:list': read('api/tenant/join-requests', onlyOwn),
  'join-requests:approve': answerJoin('approve'),
  'join-requests:decline': answerJoin('decline'),
  'scim-tokens:create': scimTokenCreate,
  'scim-tokens:list': read('api/tenant/scim-tokens'),
  'scim-tokens:revoke': scimTokenRevoke,
  ...SCIM_PROOFS,
  'directory:read': directoryRead,
  'directory:link': directoryLink,
  'directory:unlink': directoryUnlink,
  // Stripe answers these (a session, a preview): what the proof checks is the gate.
  'billing:read': (ctx, row) =>
    each(ctx.principals, async (who) => {
      await checkCell(ctx, row, who, 'GET', 'api/tenant/billing', undefined, 'gate');
    }),
  'billing:checkout': (ctx, row) =>
    each(ctx.principals, async (who) => {
      await checkCell(
        ctx,
        row,
        who,
        'POST',
        'api/tenant/billing/checkout',
        { plan: 'verify' },
        'gate',
      );
    }),
  'billing:portal': (ctx, row) =>
    each(ctx.principals, async (who) => {
      await checkCell(ctx, row, who, 'POST', 'api/tenant/billing/portal', undefined, 'gate');
    }),
  'billing:webhook': webhook,
};
