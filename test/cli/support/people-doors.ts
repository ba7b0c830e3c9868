/**
 * One `atakora dev` session of test/cli/fixtures/people-doors-backend.ts for a test file, with dev's own stand-ins as
 * a developer runs them (docs/billing.md "Try Marketplace locally", docs/enterprise.md "Verified domains under dev and
 * in tests"): the Marketplace stand-in named by `ATAKORA_MARKETPLACE_API`, the DNS server by `ATAKORA_DNS_SERVER`,
 * the fulfillment app's secret exported. Every call goes over HTTP to dev's host as a page or a client's would —
 * signed in through dev's sign-in header, SCIM with the organization's bearer token — and reads what they read.
 * The backend holds CrudApis only, so dev serves the runtime package `npm run build` made (dist/runtime-package, as a
 * user's `atakora dev` does; apply/package/app-package.ts): a change to src/runtime shows here after a build.
 */
import { afterAll, beforeAll } from 'vitest';
import { type DevSession, startDev } from '../../../src/cli/dev/session/session.js';
import { devUserOf } from '../../../src/cli/dev/sign-in/sign-in.js';
import { type DnsStandIn, startDnsStandIn } from '../../../src/testing/dns-standin.js';
import {
  type MarketplaceStandIn,
  startMarketplaceStandIn,
} from '../../../src/testing/marketplace-standin.js';

export const ENTRY = 'test/cli/fixtures/people-doors-backend.ts';
const SECRET = 'doors-fulfillment-secret';
/** The SCIM core User schema (RFC 7643 §8.7.1). */
export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** The operator, as docs/tenants.md signs one in under dev. */
export const OPERATOR = 'ops@local-dev;roles=TenantAdmin';
/** Global Administrator's role template id: a directory user who may link their directory (docs/enterprise.md). */
export const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

/** An answer: its status, JSON body (`{}` when empty), problem type without its prefix, and Location. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly type: string;
  readonly location: string;
}

/** The session and what a test does through it. */
export interface Doors {
  readonly dev: DevSession;
  readonly marketplace: MarketplaceStandIn;
  readonly dns: DnsStandIn;
  /** `method api/<path>` as `who` (dev's sign-in header), in `org` when given. */
  call(method: string, path: string, who: string, body?: unknown, org?: string): Promise<Answer>;
  /** `GET api/marketplace/landing?token=…` as `who`, not following the redirect. */
  land(token: string, who: string, organization?: string): Promise<Answer>;
  /** `method api/scim/v2/<path>` with the SCIM bearer `token` (no dev sign-in header: Entra sends none). */
  scim(method: string, path: string, token: string, body?: unknown): Promise<Answer>;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text };
  }
  return {
    status: res.status,
    body,
    type: String(body['type'] ?? '').replace('urn:atakora:problem:', ''),
    location: res.headers.get('location') ?? '',
  };
}

/**
 * Start the stand-ins and dev before the file's tests, stop them after; the getter gives the session.
 *
 * @example
 * ```ts
 * const doors = peopleDoors();
 * it('lands', async () => expect((await doors().land(token, 'ann@example.com')).status).toBe(302));
 * ```
 */
export function peopleDoors(): () => Doors {
  let doors: Doors | undefined;
  let dev: DevSession | undefined;
  let marketplace: MarketplaceStandIn | undefined;
  let dns: DnsStandIn | undefined;
  const names = ['ATAKORA_MARKETPLACE_API', 'MARKETPLACE_SECRET', 'ATAKORA_DNS_SERVER'];
  const saved = Object.fromEntries(names.map((k) => [k, process.env[k]]));
  beforeAll(async () => {
    marketplace = await startMarketplaceStandIn({ clientSecret: SECRET, offerId: 'doors-saas' });
    dns = await startDnsStandIn();
    // What a developer exports before `atakora dev`: dev hands it to its worker.
    Object.assign(process.env, {
      ATAKORA_MARKETPLACE_API: marketplace.base,
      MARKETPLACE_SECRET: SECRET,
      ATAKORA_DNS_SERVER: dns.address,
    });
    const user = devUserOf('dev@example.com');
    if (!user) throw new Error('no dev user');
    dev = await startDev(ENTRY, { user, log: () => undefined, quietWorkers: true });
    const api = `${dev.apps[0]?.url ?? ''}/api`;
    const session = dev;
    const standIn = marketplace;
    doors = {
      dev: session,
      marketplace: standIn,
      dns,
      async call(method, path, who, body, org) {
        return answer(
          await fetch(`${api}/${path}`, {
            method,
            redirect: 'manual',
            headers: {
              'x-atakora-dev-user': who,
              ...(org ? { 'x-atakora-tenant': org } : {}),
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          }),
        );
      },
      async land(token, who, organization) {
        const q = new URLSearchParams({ token, ...(organization ? { organization } : {}) });
        return answer(
          await fetch(`${api}/marketplace/landing?${q.toString()}`, {
            redirect: 'manual',
            headers: { 'x-atakora-dev-user': who },
          }),
        );
      },
      async scim(method, path, token, body) {
        return answer(
          await fetch(`${api}/scim/v2/${path}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          }),
        );
      },
    };
  });
  afterAll(async () => {
    await dev?.stop();
    await marketplace?.close();
    await dns?.close();
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
  });
  return () => {
    if (!doors) throw new Error(`dev did not start ${ENTRY}`);
    return doors;
  };
}
