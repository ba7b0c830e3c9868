import type { DomainJoin, OrganizationDomain } from '../contract/domains/domain-shapes.js';
import { DOMAIN_ROUTES } from '../contract/domains/domain-routes.js';
import { send, type Transport } from './transport.js';
import { urlSegment } from './url-segment.js';
import type { DomainsClient } from './types.js';

type Signal = { readonly signal?: AbortSignal } | undefined;
const signal = (o: Signal) => (o?.signal ? { signal: o.signal } : {});

/**
 * The API's `…/api` prefix of a component's base URL (as membershipUrlsOf finds it).
 *
 * @example
 * ```ts
 * apiPrefixOf('https://func-x.azurewebsites.net/api/notes'); // 'https://func-x.azurewebsites.net/api'
 * ```
 */
export function apiPrefixOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  const at = url.pathname.indexOf('/api/');
  return `${url.origin}${at >= 0 ? url.pathname.slice(0, at + 4) : '/api'}`;
}

/**
 * `client.domains` (tenants by membership): the verified domains of the organization the client acts in
 * (`createClient({ tenant })`, sent as `X-Atakora-Tenant`), over the API a component's base URL belongs to.
 *
 * @example
 * ```ts
 * const domains = domainsMember(transport);
 * ```
 */
export function domainsMember(t: Transport): DomainsClient {
  const at: Transport = { ...t, baseUrl: `${apiPrefixOf(t.baseUrl)}/${DOMAIN_ROUTES.domains}` };
  const one = (domain: string, method: string) =>
    `/${urlSegment(domain, ['domains', method, 'domain'])}`;
  const body = async (r: Promise<{ body: unknown }>) => (await r).body as OrganizationDomain;
  return {
    list: async (options) =>
      (
        (await send(at, { method: 'GET', path: '', ...signal(options) })).body as {
          items: OrganizationDomain[];
        }
      ).items,
    add: (domain, options) =>
      body(send(at, { method: 'POST', path: '', body: { domain }, ...signal(options) })),
    get: (domain, options) =>
      body(send(at, { method: 'GET', path: one(domain, 'get'), ...signal(options) })),
    verify: (domain, options) =>
      body(
        send(at, { method: 'POST', path: `${one(domain, 'verify')}/verify`, ...signal(options) }),
      ),
    update: (domain, patch: { join?: DomainJoin; role?: string }, options) =>
      body(
        send(at, { method: 'PATCH', path: one(domain, 'update'), body: patch, ...signal(options) }),
      ),
    remove: async (domain, options) => {
      await send(at, { method: 'DELETE', path: one(domain, 'remove'), ...signal(options) });
    },
  };
}
