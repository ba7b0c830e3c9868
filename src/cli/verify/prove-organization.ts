import type { AccessCell, MatrixPrincipal, MatrixRow } from '../../access/matrix/types.js';
import type { LoopbackReply } from './loopback-http.js';
import {
  type Allowed,
  checkCell,
  itemsOf,
  type OrganizationProofContext,
  slug,
} from './organization-requests.js';

type Ctx = OrganizationProofContext;
/** One row's proof: every column's request(s) on it, checked. */
type RowProof = (ctx: Ctx, row: MatrixRow) => Promise<void>;

const allowed = (cell: AccessCell) => typeof cell !== 'number';
const each = async (ps: readonly MatrixPrincipal[], f: (p: MatrixPrincipal) => Promise<void>) => {
  for (const p of ps) await f(p);
};

/** The organization a column acts in (the stranger: the one it names). */
const orgOf = (p: MatrixPrincipal) => p.organization ?? '';

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

/** An Owner of `org` adds `domain` (setup; the proof fails loudly when the stack refuses). */
async function addDomain(ctx: Ctx, org: string, domain: string): Promise<void> {
  const r = await ctx.proof.call(ctx.url, 'POST', 'api/tenant/domains', ctx.ownerOf(org), {
    domain,
  });
  if (r.status !== 201)
    throw new Error(`Adding ${domain} to ${org} on the proof stack answered ${String(r.status)}`);
}

/** An Owner of `org` removes `domain` (cleanup: an organization holds at most 20). */
async function removeDomain(ctx: Ctx, org: string, domain: string): Promise<void> {
  await ctx.proof.call(ctx.url, 'DELETE', `api/tenant/domains/${domain}`, ctx.ownerOf(org));
}

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

/** A change of one of the organization's domains: allowed → `ok`, another organization's → 404 and unchanged. */
function domainChange(
  method: 'PATCH' | 'POST' | 'DELETE',
  suffix: string,
  ok: Allowed,
  body?: unknown,
): RowProof {
  return async (ctx, row) => {
    const home = ctx.principals.find((p) => p.key === 'home.role.Owner');
    const otherOrg = ctx.principals.find((p) => p.key === 'other.owner')?.organization ?? '';
    const theirs = `${slug(row.operation)}.other.verify-proof.net`;
    await addDomain(ctx, otherOrg, theirs);
    await each(ctx.principals, async (who) => {
      // Each column its own domain of the home organization (a delete takes it away).
      const domain = `${slug(row.operation)}-${slug(who.key)}.home.verify-proof.net`;
      await addDomain(ctx, orgOf(home ?? who), domain);
      await checkCell(
        ctx,
        row,
        who,
        method,
        `api/tenant/domains/${domain}${suffix}`,
        body,
        ok,
        async (_r, cell) => {
          const still = await ctx.proof.call(
            ctx.url,
            'GET',
            `api/tenant/domains/${domain}`,
            ctx.ownerOf(orgOf(home ?? who)),
          );
          if (!allowed(cell))
            return still.status === 200 ? undefined : `the refused ${method} changed ${domain}`;
          if (method === 'DELETE' && still.status !== 404)
            return `${domain} still there after its delete`;
          // Allowed in its own organization: another organization's domain is not found, and stays.
          const cross = await ctx.proof.call(
            ctx.url,
            method,
            `api/tenant/domains/${theirs}${suffix}`,
            who,
            body,
          );
          const kept = await ctx.proof.call(
            ctx.url,
            'GET',
            `api/tenant/domains/${theirs}`,
            ctx.ownerOf(otherOrg),
          );
          return cross.status === 404 && kept.status === 200
            ? undefined
            : `another organization's ${theirs} answered ${String(cross.status)} (kept: ${String(kept.status)})`;
        },
      );
      // An organization holds a bounded number of domains: each column's goes once proven.
      await removeDomain(ctx, orgOf(home ?? who), domain);
    });
    await removeDomain(ctx, otherOrg, theirs);
  };
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
  'invitations:create': createInvitation,
  'invitations:list': read('api/tenant/invitations'),
  'invitations:resend': resendInvitation,
  'invitations:preview': previewInvitation,
  'domains:create': (ctx, row) =>
    each(ctx.principals, async (who) => {
      const domain = `created-${slug(who.key)}.verify-proof.net`;
      await checkCell(
        ctx,
        row,
        who,
        'POST',
        'api/tenant/domains',
        { domain },
        [201],
        async (_r, cell) => {
          const r = await ctx.proof.call(
            ctx.url,
            'GET',
            `api/tenant/domains/${domain}`,
            ctx.ownerOf(orgOf(who)),
          );
          return (r.status === 200) === allowed(cell)
            ? undefined
            : `${domain} is ${r.status === 200 ? '' : 'not '}there`;
        },
      );
      await removeDomain(ctx, orgOf(who), domain);
    }),
  'domains:list': read('api/tenant/domains', onlyOwn),
  // Whether the TXT record resolves is DNS, not access: an allowed verify passes the gate.
  'domains:verify': domainChange('POST', '/verify', 'gate'),
  'domains:update': domainChange('PATCH', '', [200], { join: 'off' }),
  'domains:delete': domainChange('DELETE', '', [204]),
  'audit:list': read('api/tenant/audit', onlyOwn),
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
