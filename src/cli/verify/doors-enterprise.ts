// The doors of joins by verified domain and of SCIM tokens (DESIGN §2, "Organizations that enterprises can buy") as
// rows of data: each column's request, a refused one changing nothing, an allowed one reaching only its own
// organization.
import { type AnyDoor, type Ctx, byOrganization, door } from './door-engine.js';
import { asOwner, codeOf, concerned, homeOf, itemsOf, orgOf, otherOf, slug } from './door-reads.js';
import { issueScimToken } from './scim-tokens.js';

/** A SCIM token as its organization's Owner lists it (never its secret). */
interface Token {
  readonly id: string;
  readonly name: unknown;
}

/** `org`'s SCIM tokens, as its Owner lists them. */
const tokensOf = async (ctx: Ctx, org: string): Promise<Token[]> =>
  itemsOf(await asOwner(ctx, org, 'GET', 'api/tenant/scim-tokens')).map((t) => ({
    id: String(t['id']),
    name: t['name'],
  }));

/** Whether `org` holds the token `id`. */
const holdsToken = async (ctx: Ctx, org: string, id: string): Promise<boolean> =>
  (await tokensOf(ctx, org)).some((t) => t.id === id);

/** The tokens `org` holds that it did not before the row (`before`): revoked once read, so the row ends as it began. */
async function issuedSince(
  ctx: Ctx,
  org: string,
  before: ReadonlyMap<string, readonly Token[]>,
): Promise<Token[]> {
  const was = (before.get(org) ?? []).map((t) => t.id);
  const made = (await tokensOf(ctx, org)).filter((t) => !was.includes(t.id));
  for (const t of made) await revoke(ctx, org, t.id);
  return made;
}

/** An Owner of `org` revokes a token (cleanup: an organization holds a handful at most). */
const revoke = (ctx: Ctx, org: string, id: string) =>
  asOwner(ctx, org, 'DELETE', `api/tenant/scim-tokens/${id}`);

/** An Owner of `org` issues a SCIM token (setup; fails loudly when the stack refuses): its id. */
const issue = async (ctx: Ctx, org: string, name: string): Promise<string> =>
  (await issueScimToken(ctx.proof, ctx.url, ctx.ownerOf(org), name)).id;

/** The home organization's members, as its Owner lists them (what a join that is refused must leave as it is). */
const membersOf = async (ctx: Ctx, home: string): Promise<string[]> =>
  itemsOf(await asOwner(ctx, home, 'GET', 'api/tenant/members'))
    .map((m) => String(m['userId']))
    .sort();

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
  'tenants:join': door<{ home: string; before: readonly string[] }>({
    method: 'POST',
    path: 'api/tenants/{id}/join',
    ok: [403, 404],
    async setUp(ctx) {
      const home = homeOf(ctx);
      return { home, before: await membersOf(ctx, home) };
    },
    at: ({ fixture }) => `api/tenants/${fixture.home}/join`,
    judge: (_t, reply, allowed) => {
      const code = codeOf(reply);
      return allowed && code !== 'email-not-verified' && code !== 'not-found'
        ? `refused by ${String(code)}, not by the join's own check`
        : undefined;
    },
    // Nobody joins: the members read once after every column's request; one that joined is named.
    settles: 'all',
    async settle(ctx, f, turns) {
      const after = await membersOf(ctx, f.home);
      const joined = after.filter((m) => !f.before.includes(m));
      const named = turns.some((t) => joined.includes(t.who.oid ?? ''));
      return turns.map((t) =>
        after.join() === f.before.join() || (named && !joined.includes(t.who.oid ?? ''))
          ? undefined
          : `the members of ${f.home} changed: ${after.join()}`,
      );
    },
  }),
  'join-requests:approve': answerJoin('approve'),
  'join-requests:decline': answerJoin('decline'),
  // Allowed → 201 and listed (then revoked), refused → none issued: each organization's tokens read before the row,
  // after each allowed column's and once after a run of refused ones (each names its token after its column).
  'scim-tokens:create': door<Map<string, readonly Token[]>, string>({
    method: 'POST',
    path: 'api/tenant/scim-tokens',
    ok: [201],
    async setUp(ctx) {
      const before = new Map<string, readonly Token[]>();
      for (const org of new Set(ctx.principals.map((p) => concerned(ctx.principals, p))))
        before.set(org, await tokensOf(ctx, org));
      return before;
    },
    prepare: (ctx, who) => concerned(ctx.principals, who),
    body: ({ who }) => ({ name: `verify ${who.key}` }),
    async judge({ ctx, fixture, mine: org }, reply, allowed) {
      if (!allowed) return undefined;
      const made = await issuedSince(ctx, org, fixture);
      const shown = (reply.body as { id?: unknown; token?: unknown } | undefined) ?? {};
      return made.length === 1 && made[0]?.id === shown.id && typeof shown.token === 'string'
        ? undefined
        : `issued ${String(made.length)} tokens, shown ${String(shown.id)}`;
    },
    settle: (ctx, fixture, turns) =>
      byOrganization(
        turns,
        (t) => t.mine,
        (org) => issuedSince(ctx, org, fixture),
        (t, made, org) => {
          const names = made.map((m) => m.name);
          const named = turns.some((x) => names.includes(`verify ${x.who.key}`));
          return made.length === 0 || (named && !names.includes(`verify ${t.who.key}`))
            ? undefined
            : `the refused POST issued a token in ${org}`;
        },
      ),
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
      if (!allowed) return undefined;
      if (await holdsToken(ctx, org, id)) return `${org}'s token is still there after its DELETE`;
      if (org === f.other) return undefined;
      const path = `api/tenant/scim-tokens/${f.theirs}`;
      const cross = await ctx.proof.call(ctx.url, 'DELETE', path, who);
      const kept = await holdsToken(ctx, f.other, f.theirs);
      return cross.status === 404 && kept
        ? undefined
        : `another organization's token answered ${String(cross.status)} (kept: ${String(kept)})`;
    },
    // A run of refused ones read back once per organization (at most 3 wait: an organization holds 5 tokens, the
    // SCIM column's among them).
    run: 3,
    settle: (ctx, _f, turns) =>
      byOrganization(
        turns,
        (t) => t.mine.org,
        async (org) => (await tokensOf(ctx, org)).map((t) => t.id),
        (t, ids, org) =>
          ids.includes(t.mine.id) ? undefined : `the refused DELETE revoked ${org}'s token`,
      ),
    tidy: ({ ctx, mine }) => revoke(ctx, mine.org, mine.id),
    tearDown: (ctx, f) => revoke(ctx, f.other, f.theirs),
  }),
};
