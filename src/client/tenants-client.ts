import { urlSegment } from './url-segment.js';
import type { Tenant, TenantRecord } from '../contract/tenants.js';
import { list } from './crud-client.js';
import { auditOf } from './audit-client.js';
import { etagOf, withEtag } from './etags.js';
import { type Call, send, type Transport } from './transport.js';
import { scimTokensMember } from './scim-tokens-client.js';
import { apiKeysMember } from './api-keys-client.js';
import { webhooksMember } from './webhooks-client.js';
import { agentsOf } from './agents/agents-client.js';
import type { TenantSelfClient, TenantsClient } from './types.js';

/**
 * The tenant members over the API at `urls` (built from a component's base URL: contract/tenants.ts tenantUrlsOf).
 *
 * @example
 * ```ts
 * const { tenants } = tenantMembers(t, tenantUrlsOf(t.baseUrl), joinMembers(t).joinRequests);
 * ```
 */
export function tenantMembers(
  t: Transport,
  urls: { readonly tenant: string; readonly tenants: string },
  joinRequests: TenantSelfClient['joinRequests'],
): {
  // `tenants.join` (joins by verified domain) is added by joins-client.ts.
  readonly tenants: Omit<TenantsClient, 'join'>;
  readonly tenant: TenantSelfClient;
} {
  const at = { ...t, baseUrl: urls.tenants };
  // One record call: the body as the API answered it, its ETag remembered for a later ifMatch.
  const record = async (call: Call): Promise<TenantRecord> => {
    const r = await send(at, call);
    return withEtag(r.body as TenantRecord, r.headers.get('etag'));
  };
  const path = (id: string) => `/${urlSegment(id, ['id'])}`;
  const signal = (o: { readonly signal?: AbortSignal } | undefined) =>
    o?.signal ? { signal: o.signal } : {};
  const tenants: Omit<TenantsClient, 'join'> = {
    // The same paging as a CrudApi's list (first/after, every page in turn).
    list: (options) => list<TenantRecord>(at, options),
    get: (id, options) => record({ method: 'GET', path: path(id), ...signal(options) }),
    create: (registration, options) =>
      record({ method: 'POST', path: '', body: registration, ...signal(options) }),
    update: (id, patch, options) => {
      const o = options?.ifMatch;
      const ifMatch = typeof o === 'string' ? o : typeof o === 'object' ? etagOf(o) : undefined;
      return record({
        method: 'PATCH',
        path: path(id),
        body: patch,
        headers: { 'If-Match': ifMatch },
        ...signal(options),
      });
    },
  };
  const self = { ...t, baseUrl: urls.tenant };
  const own = async (call: Call): Promise<TenantRecord> =>
    (await send(self, call)).body as TenantRecord;
  const tenant: TenantSelfClient = Object.assign(
    async (options?: { readonly signal?: AbortSignal }) =>
      (await send(self, { method: 'GET', path: '', ...signal(options) })).body as Tenant,
    {
      update: (patch: { readonly name: string }, options?: { readonly signal?: AbortSignal }) =>
        own({ method: 'PATCH', path: '', body: patch, ...signal(options) }),
      delete: (options?: { readonly signal?: AbortSignal }) =>
        own({ method: 'DELETE', path: '', ...signal(options) }),
      // The organization the client acts in (its X-Atakora-Tenant) names what to restore.
      undelete: (options?: { readonly signal?: AbortSignal }) =>
        own({ method: 'POST', path: '/undelete', ...signal(options) }),
      audit: auditOf(t),
      joinRequests,
      scimTokens: scimTokensMember(t),
      apiKeys: apiKeysMember(t),
      webhooks: webhooksMember(t),
      agents: agentsOf(t, 'tenant'),
    },
  );
  return { tenants, tenant };
}
