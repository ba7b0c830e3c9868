import type { HttpResponseInit } from '@azure/functions';
import { TENANT_SELECT_HEADER } from '../../../contract/members.js';
import { billingDoorOpen, organizationLifeOf } from '../../../model/lives/organization-life.js';
import type { RuntimeTenantRegistry } from '../../../model/runtime-manifest.js';
import type { TenantAdmission, TenantSource } from '../../caller/tenant-source.js';
import { cosmosErrorResponse } from '../../http/cosmos-errors.js';
import { problemResponse } from '../../http/response.js';
import { featureRefusal } from '../../tenants/feature-refusal.js';
import { planLimits } from '../../tenants/plan-limits.js';
import type { RegistryCache } from '../../tenants/registry-cache.js';
import type { ApiKeyCache } from './api-key-cache.js';
import { suspendedDetail } from '../life/suspended-detail.js';

/** What the key source reads of the route (the endpoint the registry stage hands every source). */
type KeyRoute = Parameters<TenantSource['admit']>[2] & {
  readonly resource?: unknown;
  readonly apiKeys?: boolean | undefined;
};

const refused = (response: HttpResponseInit, ledgerTenant?: string): TenantAdmission =>
  ledgerTenant === undefined ? { ok: false, response } : { ok: false, response, ledgerTenant };

/** 401 for a key that admits nothing (unknown, revoked, expired, its organization erased): nothing said of which. */
const invalid = (): TenantAdmission =>
  refused(
    problemResponse(
      'api-key-invalid',
      'This API key is unknown, revoked or expired: create a new one (POST api/tenant/api-keys, an Owner or an ' +
        'Admin of the organization).',
      { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
    ),
  );

/**
 * 403 `api-key-not-allowed`: a people route, another organization named, or the MCP door (`route.agents`: `api/mcp`).
 * DESIGN §2 gives keys the organization's data "as for a member of that role" and names no key at `api/mcp`, the
 * door of people's agents ("MCP (agents as clients)", "Agents that sign in"): a system with a key calls the REST
 * routes the tools mirror (docs/integrations.md, "Keys and the MCP server").
 */
const notForKeys = (tenant: string, mcp: boolean): TenantAdmission =>
  refused(
    problemResponse(
      'api-key-not-allowed',
      mcp
        ? "The MCP server (api/mcp) is for people's agents, signed in as their person: an API key is for systems " +
            'and calls the REST routes the MCP tools mirror (api/<route>), as a member of its role.'
        : "An API key acts on its organization's data, never on its people, billing or keys: call this route with " +
            "a person's sign-in.",
    ),
    tenant,
  );

/**
 * Whether an API key may call `route`: the data doors (a route with a resource — a CrudApi's, files, search) and
 * routes that say so (`Endpoint.apiKeys`: a FunctionsApp function, `GET api/tenant`, the audit log); every
 * other route — members, invitations, billing, domains, directory, SCIM tokens, API keys, agents, the caller's own
 * organizations — is a person's (DESIGN §2, "Integrations": 403). A default of no: a new people route is closed to
 * keys without a line here.
 */
function keysAdmitted(route: KeyRoute | undefined): boolean {
  return route?.resource !== undefined || route?.apiKeys === true;
}

/**
 * The app's tenant source with organization API keys (DESIGN §2, "Integrations"): a request that presents a key
 * (`Authorization: Bearer atk_…`, the caller stage's `kind: 'key'`) is admitted by the key's hash — 401
 * `api-key-invalid` when unknown, revoked or expired, or when its organization is erased; 403 `tenant-suspended` when
 * its organization is suspended, as its members are; 403 `api-key-not-allowed` on a people route or naming another
 * organization in `X-Atakora-Tenant`; 402 `feature-not-in-plan` when its plan lost `api-keys` — else it acts in its
 * one organization with its one role (`Caller.asKey`), counted in the ledger under it. Every other request goes to
 * `inner` (the membership source) untouched.
 *
 * @example
 * ```ts
 * const source = keyTenants(membershipTenants(reg, members, records, meter), reg, keys, records);
 * ```
 */
export function keyTenants(
  inner: TenantSource,
  reg: RuntimeTenantRegistry,
  keys: ApiKeyCache | undefined,
  records: RegistryCache | undefined,
  now: () => number = Date.now,
): TenantSource {
  const place = async (
    hash: string,
    keys: ApiKeyCache,
    records: RegistryCache,
    caller: Parameters<TenantSource['admit']>[0],
    named: string | undefined,
    route: KeyRoute | undefined,
  ): Promise<TenantAdmission> => {
    const key = await keys.get(hash);
    if (!key) return invalid();
    if (key.expiresOn !== undefined && Date.parse(key.expiresOn) <= now()) return invalid();
    // An erased organization's keys admit nothing anywhere: 401 before any route is considered.
    const record = await records.get(key.tenant);
    if (!record) return invalid();
    if (!keysAdmitted(route) || (named && named !== key.tenant))
      return notForKeys(key.tenant, route?.agents === true);
    if (!billingDoorOpen(organizationLifeOf(record), undefined, [key.role]))
      return refused(problemResponse('tenant-suspended', suspendedDetail(record)), record.id);
    const admitted = caller.asKey(key, { record, limits: planLimits(reg, record.plan).limits });
    if (!admitted.features.has('api-keys'))
      return refused(featureRefusal('api-keys', reg, [key.role]), record.id);
    keys.used(key);
    return { ok: true, caller: admitted, ledgerTenant: record.id };
  };
  const admitKey = async (
    caller: Parameters<TenantSource['admit']>[0],
    request: Parameters<TenantSource['admit']>[1],
    route: KeyRoute | undefined,
  ): Promise<TenantAdmission> => {
    const hash = caller.keyHash;
    if (!keys || !records || hash === undefined) return invalid();
    const named = request.headers.get(TENANT_SELECT_HEADER)?.trim() || undefined;
    try {
      return await place(hash, keys, records, caller, named, route);
    } catch (e) {
      // The members or the registry unreachable is the service's state: 503/429 with Retry-After.
      const response = cosmosErrorResponse(e, 'the members container');
      if (response) return refused(response);
      throw e;
    }
  };
  return {
    // A person's request goes to the membership source as it came: no extra step on their path.
    admit: (caller, request, route) =>
      caller.kind === 'key'
        ? admitKey(caller, request, route)
        : inner.admit(caller, request, route),
  };
}
