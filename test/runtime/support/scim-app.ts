// An organizations backend with SCIM provisioning over the local Cosmos DB server, as the SCIM tests and the SCIM
// model use it: two organizations (acme owned by ada, globex by gus), each with a verified domain written as the
// domain routes leave one (the domain item and its global claim), the routes registered by function name, and
// callers shaped as App Service and Entra's provisioning service send them.
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler, TimerFunctionOptions } from '@azure/functions';
import type { RuntimeAuth } from '../../../src/model/runtime-manifest.js';
import { principalHeader } from './built-app.js';
import { invoke, type Reply } from './http.js';
import type { LocalCosmos } from './local-cosmos.js';
import { member, policy, record } from './organization-calls.js';
import { registerOrganizationsApp } from './organizations-app.js';
import type { RegisterDeps } from './notes-app.js';

export { policy };

/** The verified domain of each organization. */
export const DOMAINS = { acme: 'acme.example', globex: 'globex.example' } as const;

/**
 * A signed-in person: object id, e-mail, whether the token proves it (Entra's `verified_primary_email`), directory,
 * and user principal name (a v2.0 token's `preferred_username`).
 */
export const person = (
  oid: string,
  email?: string,
  verified = true,
  tid = 'home-dir',
  upn?: string,
) =>
  principalHeader([
    ['oid', oid],
    ['tid', tid],
    ...(email ? ([[verified ? 'verified_primary_email' : 'email', email]] as const) : []),
    ...(upn ? ([['preferred_username', upn]] as const) : []),
  ]);

/** The app, its containers, and calls by function name. */
export interface ScimApp {
  readonly members: Container;
  readonly tenants: Container;
  readonly audit: Container;
  /** Empty the containers and write the two organizations, their Owners and verified domains. */
  reset(): Promise<void>;
  call(name: string, method: string, path: string, opts: CallOpts): Promise<Reply>;
  /** A SCIM request as Entra sends it: the bearer token, `application/scim+json`. */
  scim(
    name: string,
    method: string,
    path: string,
    token: string,
    opts?: Omit<CallOpts, 'headers'>,
  ): Promise<Reply>;
  /** `POST api/tenant/scim-tokens` by the organization's Owner: the token. */
  issue(org: 'acme' | 'globex', name?: string): Promise<Reply>;
  /**
   * Run the timer `name` as the host would (registered with `{ timers: true }`): the lines it logged through the
   * runtime's logger.
   */
  runTimer(name: string): Promise<readonly Record<string, unknown>[]>;
}

interface CallOpts {
  readonly headers: Record<string, string>;
  readonly body?: unknown;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
}

/**
 * Register the app over `cosmos` (its containers created) and answer its calls; `auth` another policy than the
 * organization tests' (directory sign-in on, say); `deps` what the app takes beside (a clock for its registry and
 * membership caches: `{ tenantRegistry: { now } }`). Registered twice over one `cosmos`, the two are two instances
 * of one backend: one data, a cache each. `options.timers`: the runtime's timers registered too (the daily erase),
 * logging to the lines {@link ScimApp.runTimer} gives.
 *
 * @example
 * ```ts
 * const app = await scimApp(cosmos);
 * await app.reset();
 * ```
 */
export async function scimApp(
  cosmos: LocalCosmos,
  auth: RuntimeAuth = policy,
  deps: Partial<RegisterDeps> = {},
  options: { readonly timers?: boolean } = {},
): Promise<ScimApp> {
  const fns = new Map<string, HttpFunctionOptions>();
  const timers = new Map<string, TimerFunctionOptions>();
  const lines: Record<string, unknown>[] = [];
  const { members, tenants, audit } = await registerOrganizationsApp(
    cosmos,
    fns,
    auth,
    options.timers ? { eventLogger: (e: object) => lines.push({ ...e }), ...deps } : deps,
    options.timers ? timers : undefined,
  );
  const handler = (name: string) => {
    const f = fns.get(name);
    if (!f) throw new Error(`no function ${name}`);
    return f.handler as HttpHandler;
  };
  const call = (name: string, method: string, path: string, opts: CallOpts) =>
    invoke(handler(name), method, path, {
      headers: opts.headers,
      ...(opts.body === undefined ? {} : { body: opts.body }),
      params: opts.params ?? {},
      query: opts.query ?? {},
    });
  const owners = { acme: 'ada', globex: 'gus' } as const;
  return {
    members,
    tenants,
    audit,
    async reset() {
      for (const c of [members, tenants, audit]) {
        const { resources } = await c.items
          .query<Record<string, string>>('SELECT c.id, c.tenant FROM c')
          .fetchAll();
        for (const r of resources)
          await c.item(r['id'] ?? '', c === tenants ? r['id'] : r['tenant']).delete();
      }
      for (const org of ['acme', 'globex'] as const) {
        await tenants.items.create(record(org));
        await members.items.create(member(org, owners[org], ['Owner']));
        const domain = DOMAINS[org];
        await members.items.create({
          id: `${org}|domain|${domain}`,
          tenant: org,
          kind: 'domain',
          domain,
          status: 'verified',
          txt: { name: `_atakora.${domain}`, value: 'atakora-verify=x' },
          join: 'off',
          role: 'Member',
          createdOn: '2026-01-01T00:00:00.000Z',
          verifiedOn: '2026-01-01T00:00:00.000Z',
        });
        await members.items.create({
          id: `domain|${domain}`,
          tenant: '~domains',
          kind: 'domain-claim',
          domain,
          owner: org,
        });
      }
    },
    call,
    scim: (name, method, path, token, opts = {}) =>
      call(name, method, path, {
        ...opts,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      }),
    async runTimer(name) {
      const t = timers.get(name);
      if (!t) throw new Error(`no timer ${name}`);
      const before = lines.length;
      await (t.handler as (timer: unknown, context: unknown) => Promise<void>)({}, {});
      return lines.slice(before);
    },
    issue: (org, name) =>
      call('membership-scim-tokens', 'POST', 'tenant/scim-tokens', {
        headers: { ...person(owners[org]), 'x-atakora-tenant': org },
        body: name === undefined ? {} : { name },
      }),
  };
}
