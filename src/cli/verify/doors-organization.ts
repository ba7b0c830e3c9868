// The organization's own doors (DESIGN §2, "Tenants by membership", "Invitations that arrive", "Organizations their
// Owners run", "Subscriptions drive plans") as rows of data, and the table of every organization row's door, by the
// matrix's operation (access/model/organization-routes.ts names them). The engine: door-engine.ts.
import type { MatrixPrincipal } from '../../access/matrix/types.js';
import type { OrganizationEvent, OrganizationLife } from '../../model/lives/organization-life.js';
import { type AnyDoor, type Ctx, byOrganization, door, unchangedBy } from './door-engine.js';
import {
  asOwner,
  concerned,
  homeOf,
  invite,
  itemsOf,
  onlyOwn,
  orgOf,
  otherOf,
  recordOf,
  slug,
} from './door-reads.js';
import { lifeJudged } from './door-lives.js';
import { DOMAIN_DOORS } from './doors-domains.js';
import { ENTERPRISE_DOORS } from './doors-enterprise.js';
import { MEMBER_DOORS } from './doors-members.js';
import { SCIM_DOORS } from './doors-scim.js';
import type { LoopbackReply } from './loopback-http.js';

/** A read: allowed cells answer 200, with their own organization's things only when `own` says which. */
const reads = (path: string, own?: (reply: LoopbackReply, who: MatrixPrincipal) => boolean) =>
  door({
    method: 'GET',
    path,
    ok: [200],
    judge: ({ who }, reply, allowed) =>
      allowed && own && !own(reply, who)
        ? `shows another organization's: ${JSON.stringify(reply.body).slice(0, 200)}`
        : undefined,
  });

/** A route whose answer is Stripe's (a session, a preview): what the proof checks is the gate. */
const gate = (method: 'GET' | 'POST', path: string, body?: unknown) =>
  door({ method, path, ok: 'gate', body: () => body });

/** Whether `org` is still active (a refused or unsigned request must not have changed it): the failure, if not. */
const stillActive = async (ctx: Parameters<typeof recordOf>[0], org: string, what: string) => {
  const failure = await lifeJudged(ctx, org, 'active', 'owner-deletes', false);
  return failure === undefined ? undefined : `${what}: ${failure}`;
};

/** The e-mails `org`'s Owner sees invited. */
const invited = async (ctx: Parameters<typeof recordOf>[0], org: string): Promise<unknown[]> =>
  itemsOf(await asOwner(ctx, org, 'GET', 'api/tenant/invitations')).map((i) => i['email']);

/** A run of refused `event`s read back once per organization: each is still `from` (door-lives.ts). */
const lifeKept =
  (from: OrganizationLife, event: OrganizationEvent) =>
  (ctx: Ctx, _f: unknown, turns: readonly { readonly mine: string }[]) =>
    byOrganization(
      turns,
      (t) => t.mine,
      (org) => lifeJudged(ctx, org, from, event, false),
      (_t, failure) => failure,
    );

/** The throwaway organizations of the twins that are members (what the undelete's row deletes first). */
const scratchOrganizations = (twins: readonly MatrixPrincipal[]) => [
  ...new Set(twins.filter((p) => p.oid !== undefined && p.tid === p.organization).map(orgOf)),
];

const TENANT_DOORS: Readonly<Record<string, AnyDoor>> = {
  'me:tenants': reads('api/me/tenants'),
  'tenant:read': reads(
    'api/tenant',
    (r, who) => (r.body as { id?: string } | undefined)?.id === orgOf(who),
  ),
  // Each organization's name as last read: what a run of refused renames (each to a name of its own) must leave.
  'tenant:update': door<Map<string, string | undefined>, { org: string; name: string }>({
    method: 'PATCH',
    path: 'api/tenant',
    ok: [200],
    async setUp(ctx) {
      const names = new Map<string, string | undefined>();
      for (const org of new Set(ctx.principals.map((p) => concerned(ctx.principals, p))))
        names.set(org, (await recordOf(ctx, org))?.name);
      return names;
    },
    prepare: (ctx, who) => ({ org: concerned(ctx.principals, who), name: `Renamed by ${who.key}` }),
    body: ({ mine }) => ({ name: mine.name }),
    async judge({ ctx, fixture: names, mine }, _r, allowed) {
      if (!allowed) return undefined;
      const now = (await recordOf(ctx, mine.org))?.name;
      names.set(mine.org, now);
      return now === mine.name ? undefined : `the name is ${String(now)}`;
    },
    settle: (ctx, names, turns) =>
      byOrganization(
        turns,
        (t) => t.mine.org,
        async (org) => {
          const was = names.get(org);
          const now = (await recordOf(ctx, org))?.name;
          names.set(org, now);
          return {
            was,
            now,
            traces: turns.filter((t) => t.mine.org === org).map((t) => t.mine.name),
          };
        },
        (t, { was, now, traces }, org) =>
          unchangedBy(now, was, t.mine.name, traces, `the refused PATCH renamed ${org} to`),
      ),
  }),
  // Destroying doors are knocked on by each column's twin in a throwaway organization; a run of refused ones is read
  // back once per organization.
  'tenant:delete': door<undefined, string>({
    method: 'DELETE',
    path: 'api/tenant',
    ok: [202],
    by: 'twins',
    prepare: (ctx, who) => concerned(ctx.scratch, who),
    async judge({ ctx, mine: org }, _r, allowed) {
      if (!allowed) return undefined;
      const moved = await lifeJudged(ctx, org, 'active', 'owner-deletes', true);
      if (moved !== undefined) return moved;
      const back = await asOwner(ctx, org, 'POST', 'api/tenant/undelete');
      return back.status === 200
        ? undefined
        : `not deleted: its undelete answered ${String(back.status)}`;
    },
    settle: lifeKept('active', 'owner-deletes'),
  }),
  'tenant:undelete': door<string[], string>({
    method: 'POST',
    path: 'api/tenant/undelete',
    ok: [200],
    by: 'twins',
    async setUp(ctx) {
      const orgs = scratchOrganizations(ctx.scratch);
      for (const org of orgs) await asOwner(ctx, org, 'DELETE', 'api/tenant');
      return orgs;
    },
    prepare: (ctx, who) => concerned(ctx.scratch, who),
    async judge({ ctx, mine: org }, _r, allowed) {
      if (!allowed) return undefined;
      const moved = await lifeJudged(ctx, org, 'deleted', 'owner-undeletes', true);
      if (moved !== undefined) return moved;
      const again = await asOwner(ctx, org, 'DELETE', 'api/tenant');
      return again.status === 202
        ? undefined
        : `deleting it again answered ${String(again.status)}`;
    },
    settle: lifeKept('deleted', 'owner-undeletes'),
    // The throwaway organizations are left as they were found: active.
    async tearDown(ctx, orgs) {
      for (const org of orgs) await asOwner(ctx, org, 'POST', 'api/tenant/undelete');
    },
  }),
  'audit:list': reads('api/tenant/audit', onlyOwn),
};

const INVITATION_DOORS: Readonly<Record<string, AnyDoor>> = {
  'invitations:create': door<undefined, string>({
    method: 'POST',
    path: 'api/tenant/invitations',
    ok: [201],
    prepare: (_ctx, who) => `invited-${slug(who.key)}@example.com`,
    body: ({ mine: email }) => ({ email, roles: [] }),
    async judge({ ctx, who, mine: email }, _r, allowed) {
      if (!allowed) return undefined;
      return (await invited(ctx, orgOf(who))).includes(email)
        ? undefined
        : `an invitation to ${email} is not there`;
    },
    // Each refused column invites an e-mail of its own: one list per run names the one that took.
    settle: (ctx, _f, turns) =>
      byOrganization(
        turns,
        (t) => orgOf(t.who),
        (org) => invited(ctx, org),
        (t, emails) =>
          emails.includes(t.mine) ? `an invitation to ${t.mine} is there` : undefined,
      ),
  }),
  'invitations:list': reads('api/tenant/invitations'),
  // An invitation of the home organization's; an allowed caller's resend of the other one's is 404.
  'invitations:resend': door<{ mine: string; theirs: string }>({
    method: 'POST',
    path: 'api/tenant/invitations/{id}/resend',
    ok: [200],
    async setUp(ctx) {
      const mine = await invite(ctx, homeOf(ctx), 'resent@example.com');
      const theirs = await invite(ctx, otherOf(ctx), 'resent-other@example.com');
      return { mine: mine.id, theirs: theirs.id };
    },
    at: ({ fixture }) => `api/tenant/invitations/${fixture.mine}/resend`,
    async judge({ ctx, who, fixture }, _r, allowed) {
      if (!allowed) return undefined;
      const path = `api/tenant/invitations/${fixture.theirs}/resend`;
      const cross = await ctx.proof.call(ctx.url, 'POST', path, who);
      return cross.status === 404
        ? undefined
        : `another organization's invitation answered ${String(cross.status)}`;
    },
  }),
  'invitations:preview': door<string>({
    method: 'GET',
    path: 'api/invitations/preview',
    ok: [200],
    setUp: async (ctx) => (await invite(ctx, homeOf(ctx), 'previewed@example.com')).token,
    at: ({ fixture }) => `api/invitations/preview?invitation=${encodeURIComponent(fixture)}`,
  }),
};

const BILLING_DOORS: Readonly<Record<string, AnyDoor>> = {
  'billing:read': gate('GET', 'api/tenant/billing'),
  'billing:checkout': gate('POST', 'api/tenant/billing/checkout', { plan: 'verify' }),
  'billing:portal': gate('POST', 'api/tenant/billing/portal'),
  // Stripe's webhook: an unsigned event is refused (400) by everyone's request, and nothing is applied.
  'billing:webhook': door<string>({
    method: 'POST',
    path: 'api/billing/stripe',
    ok: [400],
    setUp: (ctx) => Promise.resolve(homeOf(ctx)),
    body: ({ who, fixture: org }) => ({
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
    }),
    // No event is applied: the organization read once after every column's.
    settles: 'all',
    settle: async (ctx, org, turns) => {
      const failure = await stillActive(ctx, org, 'an unsigned event');
      return turns.map(() => failure);
    },
  }),
};

/**
 * Each organization row's door, by operation (a row without one is reported unproven).
 *
 * @example
 * ```ts
 * await proveDoor(ctx, row, ORGANIZATION_DOORS['tenant:update']!);
 * ```
 */
export const ORGANIZATION_DOORS: Readonly<Record<string, AnyDoor>> = {
  ...TENANT_DOORS,
  'members:list': reads('api/tenant/members', onlyOwn),
  ...MEMBER_DOORS,
  ...INVITATION_DOORS,
  'domains:list': reads('api/tenant/domains', onlyOwn),
  ...DOMAIN_DOORS,
  'join-requests:list': reads('api/tenant/join-requests', onlyOwn),
  'scim-tokens:list': reads('api/tenant/scim-tokens'),
  // Integrations' people routes (a key is never on them): the list shows no key, only prefixes.
  'api-keys:list': reads('api/tenant/api-keys', (r) => itemsOf(r).every((i) => !('key' in i))),
  'agents:list': reads('api/tenant/agents'),
  'me:agents': reads('api/me/agents'),
  ...ENTERPRISE_DOORS,
  ...SCIM_DOORS,
  ...BILLING_DOORS,
};
