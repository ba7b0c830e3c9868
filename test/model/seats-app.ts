/**
 * The real side of the seats and items model (seats.model.test.ts): one run's organizations backend — the notes
 * CrudApi, SCIM, domains, directory sign-in, the audit log, plans sold through subscriptions (so a 402 to an Owner
 * names the checkout route) — registered over the local Cosmos DB server, and one organization made as a user makes
 * it (`POST api/tenants`: its creator's seat taken), then given the run's plan, a linked Entra directory, three
 * verified domains (`auto` joins, joins by `request`, and one SCIM's people are on) and a SCIM token. Every door is
 * called through its registered function, as the host would.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import type { CountedPlans } from '../../src/access/model/plan-seats.js';
import { cosmosDomainClaims } from '../../src/runtime/members/domains/domain-claim-store.js';
import { claimDomain } from '../../src/runtime/members/domains/domain-claims.js';
import { cosmosDomainStore } from '../../src/runtime/members/domains/domain-store.js';
import { principalHeader } from '../runtime/support/built-app.js';
import { invoke, type Reply } from '../runtime/support/http.js';
import type { LocalCosmos } from '../runtime/support/local-cosmos.js';
import { registerOrganizationsApp } from '../runtime/support/organizations-app.js';
import { membershipAuth } from '../runtime/support/registry-auth.js';

/** The route a 402 names to an Owner: one shape for every 402 (feature-not-in-plan's too), method and path. */
export const CHECKOUT = 'POST api/tenant/billing/checkout';
/** The CrudApi whose items the plans bound. */
export const CRUD_API = 'NoteApi';

/** A caller's headers. */
export type Headers = Record<string, string>;

/** The policy of a run: its plans, organizations made by any user, directory sign-in, plans sold by subscription. */
function policyOf(plans: CountedPlans, names: readonly string[]): RuntimeAuth {
  const base = membershipAuth(
    'home-dir',
    {
      plans: Object.fromEntries(names.map((n) => [n, plans[n] ?? {}])),
      defaultPlan: names[0] ?? 'free',
    },
    { createTenants: 'any-user', audit: 'audit', directorySignIn: true },
  );
  const registry = base.registry!;
  return {
    ...base,
    registry: {
      ...registry,
      billing: {
        secret: 'STRIPE_KEY',
        meters: {},
        subscriptions: {
          webhookSecret: 'STRIPE_WEBHOOK_SECRET',
          prices: {},
          onCanceled: 'default-plan',
          returnUrl: 'https://app.contoso.example/',
        },
      },
    },
  };
}

/** One run's app and organization: who is who, and every door as a call. */
export interface SeatsApp {
  readonly org: string;
  readonly owner: string;
  readonly tid: string;
  readonly domains: { readonly auto: string; readonly request: string; readonly scim: string };
  call(name: string, method: string, path: string, headers: Headers, opts?: Opts): Promise<Reply>;
  /** A request of the organization's Owner. */
  asOwner(name: string, method: string, path: string, opts?: Opts): Promise<Reply>;
  /** A SCIM request with the organization's token. */
  scim(name: string, method: string, path: string, opts?: Opts): Promise<Reply>;
  /** The operator moves the organization to `plan` (the registry's 30 s bound passed on the run's clock). */
  moveTo(plan: string): Promise<void>;
  /** The memberships stored (user ids, sorted). */
  members(): Promise<string[]>;
  /** The notes stored in the organization (ids). */
  notes(): Promise<string[]>;
  /** A count kept in the usage container (`room|members`, `room|items|NoteApi`), undefined when none is kept. */
  room(id: string): Promise<number | undefined>;
}

interface Opts {
  readonly body?: unknown;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
}

/** A signed-in person of the home directory with a verified e-mail, or of `tid`. */
export const personOf = (oid: string, email?: string, tid = 'home-dir'): Headers =>
  principalHeader([
    ['oid', oid],
    ['tid', tid],
    ...(email ? ([['verified_primary_email', email]] as const) : []),
  ]);

interface Containers {
  readonly members: Container;
  readonly tenants: Container;
  readonly usage: Container;
  readonly notes: Container;
}

/** The organization's directory link, verified domains and the claims on them, as the Owner's routes leave them. */
async function linkAndVerify(
  c: Containers,
  org: string,
  tid: string,
  domains: SeatsApp['domains'],
) {
  const found = (await c.tenants.item(org, org).read()).resource as Record<string, unknown>;
  await c.tenants.items.upsert({
    ...found,
    directory: { tid, role: 'Member', requireDirectory: false },
  });
  await cosmosDomainClaims(c.members, undefined, 'directory').claim(tid, org);
  const store = cosmosDomainStore(c.members);
  const at = '2026-01-01T00:00:00.000Z';
  const joins = { auto: 'auto', request: 'request', scim: 'off' } as const;
  for (const [kind, domain] of Object.entries(domains) as [keyof typeof joins, string][]) {
    await claimDomain(store, domain, org);
    await store.create({
      tenant: org,
      domain,
      status: 'verified',
      txt: { name: `_atakora.${domain}`, value: 'atakora-verify=model' },
      join: joins[kind],
      role: 'Member',
      createdOn: at,
      verifiedOn: at,
    });
  }
}

/**
 * Register run `r`'s app with `plans` (in `names`' order, the first the default) and make its organization on `plan`.
 *
 * @example
 * ```ts
 * const app = await seatsApp(cosmos, 'r0001', plans, ['p0', 'p1'], 'p1', clock);
 * ```
 */
export async function seatsApp(
  cosmos: LocalCosmos,
  r: string,
  plans: CountedPlans,
  names: readonly string[],
  plan: string,
  clock: { now: number },
): Promise<SeatsApp> {
  const fns = new Map<string, HttpFunctionOptions>();
  const policy = policyOf(plans, names);
  const { members, tenants } = await registerOrganizationsApp(cosmos, fns, policy, {
    tenantRegistry: { now: () => clock.now },
    usageLedger: { instance: `i-${r}`, now: () => clock.now, flushIntervalMs: 0 },
  });
  const usage = await cosmos.container('usage', '/tenant');
  const notes = await cosmos.container(CRUD_API, '/tenantId');
  const c = { members, tenants, usage, notes };
  const handler = (name: string) => {
    const f = fns.get(name);
    if (!f) throw new Error(`no function ${name}`);
    return f.handler as HttpHandler;
  };
  const call = (name: string, method: string, path: string, headers: Headers, opts: Opts = {}) =>
    invoke(handler(name), method, path, {
      headers,
      ...(opts.body === undefined ? {} : { body: opts.body }),
      params: opts.params ?? {},
      query: opts.query ?? {},
    });
  const org = `${r}-org`;
  const owner = `${r}-owner`;
  const made = await call('tenants-admin', 'POST', 'tenants', personOf(owner), {
    body: { id: org, name: `Org ${r}` },
  });
  if (made.status !== 201) throw new Error(`the organization was not made: ${made.text}`);
  const tid = `00000000-0000-4000-8000-${r.replace(/\D/g, '').padStart(12, '0')}`;
  const domains = {
    auto: `a.${org}.example`,
    request: `q.${org}.example`,
    scim: `s.${org}.example`,
  };
  await linkAndVerify(c, org, tid, domains);
  const ownerHeaders = { ...personOf(owner), 'x-atakora-tenant': org };
  const moveTo = async (p: string) => {
    const found = (await tenants.item(org, org).read()).resource as Record<string, unknown>;
    await tenants.items.upsert({ ...found, plan: p });
    clock.now += 31_000; // past the registry's 30 s bound: every instance reads the new plan (DESIGN §2)
  };
  await moveTo(plan);
  const issued = await call('membership-scim-tokens', 'POST', 'tenant/scim-tokens', ownerHeaders, {
    body: {},
  });
  const token = String(issued.body?.token ?? '');
  if (!token) throw new Error(`no SCIM token: ${issued.text}`);
  return {
    org,
    owner,
    tid,
    domains,
    call,
    asOwner: (name, method, path, opts) => call(name, method, path, ownerHeaders, opts),
    scim: (name, method, path, opts) =>
      call(
        name,
        method,
        path,
        { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        opts,
      ),
    moveTo,
    async members() {
      const { resources } = await members.items
        .query<string>({
          query: 'SELECT VALUE c.userId FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind)',
          parameters: [{ name: '@t', value: org }],
        })
        .fetchAll();
      return resources.sort();
    },
    async notes() {
      const { resources } = await notes.items
        .query<string>({
          query: 'SELECT VALUE c.id FROM c WHERE c.tenantId = @t',
          parameters: [{ name: '@t', value: org }],
        })
        .fetchAll();
      return resources.sort();
    },
    async room(id) {
      return (await usage.item(id, org).read<{ count: number }>()).resource?.count;
    },
  };
}
