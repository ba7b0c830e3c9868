// The cells of joins by verified domain and of SCIM tokens (DESIGN §2, "Organizations that enterprises can buy"):
// each column's request, a refused one changing nothing, an allowed one reaching only its own organization.
import { PROBLEM_PREFIX } from '../../contract/problems.js';
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
 * The problem code of a refusal (`access-denied`, `not-found`, …), undefined for any other answer.
 *
 * @example
 * ```ts
 * codeOf({ status: 403, body: { type: 'urn:atakora:problem:access-denied' } }); // 'access-denied'
 * ```
 */
export const codeOf = (reply: LoopbackReply): string | undefined => {
  const type = (reply.body as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && type.startsWith(PROBLEM_PREFIX)
    ? type.slice(PROBLEM_PREFIX.length)
    : undefined;
};

const homeOf = (ctx: Ctx): string =>
  orgOf(ctx.principals.find((p) => p.key === 'home.role.Owner') ?? ctx.principals[0]!);

/**
 * The organization a column's request concerns: the one it names, else (anonymous) the home one.
 *
 * @example
 * ```ts
 * concerned(ctx, anonymous); // 'verify-org-home'
 * ```
 */
export const concerned = (ctx: Ctx, who: MatrixPrincipal): string =>
  who.organization ?? homeOf(ctx);

/**
 * `GET api/me/joinable` by each column: the signed-in get 200 and only organizations they are no member of.
 *
 * @example
 * ```ts
 * await joinable(ctx, row);
 * ```
 */
export const joinable: RowProof = (ctx, row) =>
  each(ctx.principals, async (who) => {
    await checkCell(ctx, row, who, 'GET', 'api/me/joinable', undefined, [200], (reply, cell) =>
      Promise.resolve(
        allowed(cell) &&
          itemsOf(reply).some((i) => i['id'] === orgOf(who) && who.tid === who.organization)
          ? `offers ${orgOf(who)}, of which the caller is a member`
          : undefined,
      ),
    );
  });

/**
 * `POST api/tenants/{id}/join` of the home organization by each column. The proof's tokens carry no verified e-mail
 * and the home organization verifies no domain, so a caller past the gate is answered by the join's own check —
 * 403 `email-not-verified` or 404 `not-found` (no domain of it admits theirs) — never by an access refusal, and
 * nobody joins: the home organization's members are the same after.
 *
 * @example
 * ```ts
 * await joinByDomain(ctx, row);
 * ```
 */
export const joinByDomain: RowProof = async (ctx, row) => {
  const home = homeOf(ctx);
  const members = async () =>
    itemsOf(await ctx.proof.call(ctx.url, 'GET', 'api/tenant/members', ctx.ownerOf(home)))
      .map((m) => String(m['userId']))
      .sort()
      .join(',');
  const before = await members();
  await each(ctx.principals, async (who) => {
    await checkCell(
      ctx,
      row,
      who,
      'POST',
      `api/tenants/${home}/join`,
      undefined,
      [403, 404],
      async (reply, cell) => {
        const code = codeOf(reply);
        if (allowed(cell) && code !== 'email-not-verified' && code !== 'not-found')
          return `refused by ${String(code)}, not by the join's own check`;
        const after = await members();
        return after === before ? undefined : `the members of ${home} changed: ${after}`;
      },
    );
  });
};

/**
 * `POST api/tenant/join-requests/{id}/approve|decline` by each column, for a request that does not exist: a caller
 * past the gate (an Owner or an Admin) gets 404 `not-found` (no pending request), the others their refusal; nothing
 * joins either way. (A pending request needs a verified domain and a verified e-mail: the joins' own tests.)
 *
 * @example
 * ```ts
 * const proveApprove = answerJoin('approve');
 * ```
 */
export function answerJoin(verb: 'approve' | 'decline'): RowProof {
  return (ctx, row) =>
    each(ctx.principals, async (who) => {
      const id = `verify-nobody-${slug(who.key)}`;
      await checkCell(
        ctx,
        row,
        who,
        'POST',
        `api/tenant/join-requests/${id}/${verb}`,
        undefined,
        [404],
        (reply, cell) =>
          Promise.resolve(
            allowed(cell) && codeOf(reply) !== 'not-found'
              ? `refused by ${String(codeOf(reply))}, not "no such request"`
              : undefined,
          ),
      );
    });
}

/** The ids of `org`'s SCIM tokens, as its Owner lists them. */
async function tokensOf(ctx: Ctx, org: string): Promise<string[]> {
  const r = await ctx.proof.call(ctx.url, 'GET', 'api/tenant/scim-tokens', ctx.ownerOf(org));
  return itemsOf(r).map((t) => String(t['id']));
}

/** An Owner of `org` issues a SCIM token (setup; fails loudly when the stack refuses): its id. */
async function issue(ctx: Ctx, org: string, name: string): Promise<string> {
  const r = await ctx.proof.call(ctx.url, 'POST', 'api/tenant/scim-tokens', ctx.ownerOf(org), {
    name,
  });
  const id = (r.body as { id?: unknown } | undefined)?.id;
  if (r.status !== 201 || typeof id !== 'string')
    throw new Error(
      `Issuing a SCIM token in ${org} on the proof stack answered ${String(r.status)}`,
    );
  return id;
}

/** An Owner of `org` revokes a token (cleanup: an organization holds a handful at most). */
const revoke = (ctx: Ctx, org: string, id: string) =>
  ctx.proof.call(ctx.url, 'DELETE', `api/tenant/scim-tokens/${id}`, ctx.ownerOf(org));

/**
 * `POST api/tenant/scim-tokens` by each column: allowed → 201 and listed (then revoked), refused → none issued.
 *
 * @example
 * ```ts
 * await scimTokenCreate(ctx, row);
 * ```
 */
export const scimTokenCreate: RowProof = (ctx, row) =>
  each(ctx.principals, async (who) => {
    const org = concerned(ctx, who);
    const before = await tokensOf(ctx, org);
    const name = `verify ${who.key}`;
    await checkCell(
      ctx,
      row,
      who,
      'POST',
      'api/tenant/scim-tokens',
      { name },
      [201],
      async (reply, cell) => {
        const now = await tokensOf(ctx, org);
        const made = now.filter((id) => !before.includes(id));
        for (const id of made) await revoke(ctx, org, id);
        if (!allowed(cell))
          return made.length === 0 ? undefined : `the refused POST issued a token in ${org}`;
        const shown = (reply.body as { id?: unknown; token?: unknown } | undefined) ?? {};
        return made.length === 1 && made[0] === shown.id && typeof shown.token === 'string'
          ? undefined
          : `issued ${String(made.length)} tokens, shown ${String(shown.id)}`;
      },
    );
  });

/**
 * `DELETE api/tenant/scim-tokens/{id}` by each column on a token of its own organization (issued by its Owner):
 * allowed → 204 and gone, and another organization's token 404 and kept; refused → still there.
 *
 * @example
 * ```ts
 * await scimTokenRevoke(ctx, row);
 * ```
 */
export const scimTokenRevoke: RowProof = async (ctx, row) => {
  const home = homeOf(ctx);
  const otherOrg = ctx.principals.find((p) => p.key === 'other.owner')?.organization ?? '';
  const theirs = await issue(ctx, otherOrg, 'verify other');
  await each(ctx.principals, async (who: MatrixPrincipal) => {
    const org = who.organization === otherOrg ? otherOrg : home;
    const mine = await issue(ctx, org, `verify ${who.key}`);
    await checkCell(
      ctx,
      row,
      who,
      'DELETE',
      `api/tenant/scim-tokens/${mine}`,
      undefined,
      [204],
      async (_r, cell) => {
        const still = (await tokensOf(ctx, org)).includes(mine);
        if (!allowed(cell)) return still ? undefined : `the refused DELETE revoked ${org}'s token`;
        if (still) return `${org}'s token is still there after its DELETE`;
        if (org === otherOrg) return undefined;
        const cross = await ctx.proof.call(
          ctx.url,
          'DELETE',
          `api/tenant/scim-tokens/${theirs}`,
          who,
        );
        const kept = (await tokensOf(ctx, otherOrg)).includes(theirs);
        return cross.status === 404 && kept
          ? undefined
          : `another organization's token answered ${String(cross.status)} (kept: ${String(kept)})`;
      },
    );
    await revoke(ctx, org, mine);
  });
  await revoke(ctx, otherOrg, theirs);
};
