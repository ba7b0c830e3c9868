// The doors of joins by verified domain and of SCIM tokens (DESIGN §2, "Organizations that enterprises can buy") as
// rows of data: each column's request, a refused one changing nothing, an allowed one reaching only its own
// organization.
import { type AnyDoor, type Ctx, door } from './door-engine.js';
import { asOwner, codeOf, concerned, homeOf, itemsOf, orgOf, otherOf, slug } from './door-reads.js';
import { issueScimToken } from './scim-tokens.js';

/** The ids of `org`'s SCIM tokens, as its Owner lists them. */
const tokensOf = async (ctx: Ctx, org: string): Promise<string[]> =>
  itemsOf(await asOwner(ctx, org, 'GET', 'api/tenant/scim-tokens')).map((t) => String(t['id']));

/** An Owner of `org` revokes a token (cleanup: an organization holds a handful at most). */
const revoke = (ctx: Ctx, org: string, id: string) =>
  asOwner(ctx, org, 'DELETE', `api/tenant/scim-tokens/${id}`);

/** An Owner of `org` issues a SCIM token (setup; fails loudly when the stack refuses): its id. */
const issue = async (ctx: Ctx, org: string, name: string): Promise<string> =>
  (await issueScimToken(ctx.proof, ctx.url, ctx.ownerOf(org), name)).id;

/** The home organization's members, as its Owner lists them (what a join that is refused must leave as it is). */
const membersOf = async (ctx: Ctx, home: string) =>
  itemsOf(await asOwner(ctx, home, 'GET', 'api/tenant/members'))
    .map((m) => String(m['userId']))
    .sort()
    .join(',');

/**
 * `POST api/tenant/join-requests/{id}/approve|decline` for a request that does not exist: a caller past the gate
 * (an Owner or an Admin) gets 404 `not-found` (no pending request), the others their refusal; nothing joins either
 * way. (A pending request needs a verified domain and a verified e-mail: the joins' own tests.)
 */
const answerJoin = (verb: 'approve' | 'decline') =>
  door({
    method: 'POST',
    path: `api/tenant/join-requests/{id}/${verb}`,
    ok: [404],
    at: ({ who }) => `api/tenant/join-requests/verify-nobody-${slug(who.key)}/${verb}`,
    judge: (_t, reply, allowed) =>
      allowed && codeOf(reply) !== 'not-found'
        ? `refused by ${String(codeOf(reply))}, not "no such request"`
        : undefined,
  });

/**
 * The joins' and SCIM tokens' doors by operation.
 *
 * @example
 * ```ts
 * await proveDoor(ctx, row, ENTERPRISE_DOORS['tenants:join']!);
 * ```
 */
export const ENTERPRISE_DOORS: Readonly<Record<string, AnyDoor>> = {
  // The signed-in get 200 and only organizations they are no member of.
  'me:joinable': door({
    method: 'GET',
    path: 'api/me/joinable',
    ok: [200],
    judge: ({ who }, reply, allowed) =>
      allowed && itemsOf(reply).some((i) => i['id'] === orgOf(who) && who.tid === who.organization)
        ? `offers ${orgOf(who)}, of which the caller is a member`
        : undefined,
  }),
  // The proof's tokens carry no verified e-mail and the home organization verifies no domain: a caller past the
  // gate is answered by the join's own check (403 `email-not-verified` or 404 `not-found`), and nobody joins.
  'tenants:join': door<{ home: string; before: string }>({
    method: 'POST',
    path: 'api/tenants/{id}/join',
    ok: [403, 404],
    async setUp(ctx) {
      const home = homeOf(ctx);
      return { home, before: await membersOf(ctx, home) };
    },
    at: ({ fixture }) => `api/tenants/${fixture.home}/join`,
    async judge({ ctx, fixture: f }, reply, allowed) {
      const code = codeOf(reply);
      if (allowed && code !== 'email-not-verified' && code !== 'not-found')
        return `refused by ${String(code)}, not by the join's own check`;
      const after = await membersOf(ctx, f.home);
      return after === f.before ? undefined : `the members of ${f.home} changed: ${after}`;
    },
  }),
  'join-requests:approve': answerJoin('approve'),
  'join-requests:decline': answerJoin('decline'),
  // Allowed → 201 and listed (then revoked), refused → none issued.
  'scim-tokens:create': door<undefined, { org: string; before: string[] }>({
    method: 'POST',
    path: 'api/tenant/scim-tokens',
    ok: [201],
    async prepare(ctx, who) {
      const org = concerned(ctx.principals, who);
      return { org, before: await tokensOf(ctx, org) };
    },
    body: ({ who }) => ({ name: `verify ${who.key}` }),
    async judge({ ctx, mine: { org, before } }, reply, allowed) {
      const made = (await tokensOf(ctx, org)).filter((id) => !before.includes(id));
      for (const id of made) await revoke(ctx, org, id);
      if (!allowed)
        return made.length === 0 ? undefined : `the refused POST issued a token in ${org}`;
      const shown = (reply.body as { id?: unknown; token?: unknown } | undefined) ?? {};
      return made.length === 1 && made[0] === shown.id && typeof shown.token === 'string'
        ? undefined
        : `issued ${String(made.length)} tokens, shown ${String(shown.id)}`;
    },
  }),
  // A token of the column's own organization (issued by its Owner): allowed → 204 and gone, and another
  // organization's token 404 and kept; refused → still there.
  'scim-tokens:revoke': door<{ other: string; theirs: string }, { org: string; id: string }>({
    method: 'DELETE',
    path: 'api/tenant/scim-tokens/{id}',
    ok: [204],
    async setUp(ctx) {
      const other = otherOf(ctx);
      return { other, theirs: await issue(ctx, other, 'verify other') };
    },
    async prepare(ctx, who, { other }) {
      const org = who.organization === other ? other : homeOf(ctx);
      return { org, id: await issue(ctx, org, `verify ${who.key}`) };
    },
    at: ({ mine }) => `api/tenant/scim-tokens/${mine.id}`,
    async judge({ ctx, who, fixture: f, mine: { org, id } }, _r, allowed) {
      const still = (await tokensOf(ctx, org)).includes(id);
      if (!allowed) return still ? undefined : `the refused DELETE revoked ${org}'s token`;
      if (still) return `${org}'s token is still there after its DELETE`;
      if (org === f.other) return undefined;
      const path = `api/tenant/scim-tokens/${f.theirs}`;
      const cross = await ctx.proof.call(ctx.url, 'DELETE', path, who);
      const kept = (await tokensOf(ctx, f.other)).includes(f.theirs);
      return cross.status === 404 && kept
        ? undefined
        : `another organization's token answered ${String(cross.status)} (kept: ${String(kept)})`;
    },
    tidy: ({ ctx, mine }) => revoke(ctx, mine.org, mine.id),
    tearDown: (ctx, f) => revoke(ctx, f.other, f.theirs),
  }),
};
