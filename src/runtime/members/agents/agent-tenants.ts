import type { HttpResponseInit } from '@azure/functions';
import { TENANT_SELECT_HEADER } from '../../../contract/members.js';
import { mcpResourceOf, resourceMetadataUrl } from '../../../contract/mcp/oauth/metadata.js';
import { billingDoorOpen, organizationLifeOf } from '../../../model/lives/organization-life.js';
import { agentBearer } from '../../caller/agent-bearer.js';
import type { TenantAdmission, TenantSource } from '../../caller/tenant-source.js';
import { cosmosErrorResponse } from '../../http/cosmos-errors.js';
import { problemResponse } from '../../http/response.js';
import {
  agentTokenConfinement,
  signerStillTrusted,
  verifyAccessToken,
} from '../../mcp/oauth/access-token.js';
import { signingKeyProblem } from '../../mcp/oauth/signing-key-refusal.js';
import { VerifiedTokens } from '../../mcp/oauth/verified-tokens.js';
import { planLimits } from '../../tenants/plan-limits.js';
import { type AgentsApi, cachedGrant, membershipOfGrant } from './agents-api.js';

type Admit = TenantSource['admit'];

/** 401 for an agent token that admits nothing, naming the metadata so the agent signs in again (RFC 6750 §3, RFC 9728 §5.1). */
// With the backend its own server (`api`), the runtime's own metadata (served in Azure too: resourceMetadataUrl).
const invalid = (url: string, why: string, ownServer: boolean): TenantAdmission => ({
  ok: false,
  response: problemResponse('agent-token-invalid', `This agent token admits nothing: ${why}`, {
    headers: {
      'WWW-Authenticate': `Bearer error="invalid_token", resource_metadata="${resourceMetadataUrl(new URL(url).origin, ownServer)}"`,
    },
  }),
});

const refused = (response: HttpResponseInit, ledgerTenant: string): TenantAdmission => ({
  ok: false,
  response,
  ledgerTenant,
});

/**
 * The app's tenant source with agents (DESIGN §2, "Tokens"): a request carrying one of the backend's own access
 * tokens (the caller stage's `kind: 'agent'`) is admitted here — at the MCP door only (elsewhere 401: the token is
 * no sign-in there); its signature, issuer, audience (this MCP URL) and expiry (access-token.ts); its organization
 * (another in `X-Atakora-Tenant`: 403 `agent-token-confined`); its grant (revoked, unknown) and its person's
 * membership (removed, barred, deprovisioned: none that began before the grant) through this instance's caches, so
 * an end holds within 30 s (401 `agent-token-invalid`); the organization's state as for its members (403
 * `tenant-suspended`) — and then acts as its person in its organization (`Caller.asKey` with the membership): the
 * same rules, plan (the door's `mcp` feature), limits and ledger as that person's own call. Every other request goes
 * to `inner` untouched; without `api` (no `mcp.authorization`) an agent token admits nothing.
 *
 * @example
 * ```ts
 * const source = agentTenants(keyTenants(membershipTenants(reg, members, records, meter), reg, keys, records), agents);
 * ```
 */
export function agentTenants(inner: TenantSource, api: AgentsApi | undefined): TenantSource {
  // Each token's signature checked once per instance, until it expires (verified-tokens.ts).
  const verified = new VerifiedTokens();
  const admitAgent = async (
    ...[caller, request, route]: Parameters<Admit>
  ): Promise<TenantAdmission> => {
    const url =
      'url' in request && typeof request.url === 'string' ? request.url : 'https://localhost/';
    const token = agentBearer(request);
    if (!api || token === undefined)
      return invalid(url, 'this API takes no agent tokens.', api !== undefined);
    if (route?.agents !== true)
      return invalid(url, 'an agent token is taken at api/mcp only.', api !== undefined);
    const issuer = `${new URL(url).origin}/api`;
    const audience = mcpResourceOf(issuer);
    const now = Math.floor(api.now() / 1000);
    let claims = verified.get(`${issuer} ${audience}`, token, now);
    const { signing } = await api.keys();
    // A version disabled, expired or rotated out in the vault since it was verified ends its tokens here too.
    if (claims && !(await signerStillTrusted(signing, token))) claims = undefined;
    if (!claims) {
      const checked = await verifyAccessToken(signing, token, { issuer, audience, now });
      if (!checked.ok) return invalid(url, checked.why, api !== undefined);
      claims = checked.claims;
      verified.set(`${issuer} ${audience}`, token, claims);
    }
    const confined = agentTokenConfinement(
      claims,
      'mcp',
      request.headers.get(TENANT_SELECT_HEADER),
    );
    if (!confined.ok)
      return confined.status === 403
        ? refused(problemResponse('agent-token-confined', confined.why), claims.org)
        : invalid(url, confined.why, api !== undefined);
    const grant = (await cachedGrant(api, claims.org, claims.grant))?.value;
    if (!grant || grant.revoked !== undefined || grant.person !== claims.sub)
      return invalid(url, 'its grant was revoked.', api !== undefined);
    const membership = membershipOfGrant(
      grant,
      await api.members.cache.membership(claims.org, claims.sub),
    );
    if (!membership)
      return invalid(url, `its person is no longer a member of ${claims.org}.`, api !== undefined);
    const record = await api.records.get(claims.org);
    if (!record) return invalid(url, `the organization ${claims.org} is gone.`, api !== undefined);
    if (!billingDoorOpen(organizationLifeOf(record), undefined, membership.roles))
      return refused(
        problemResponse(
          'tenant-suspended',
          `Organization ${record.id} is suspended: this API serves it again once the operator resumes it.`,
        ),
        record.id,
      );
    const registry = api.policy.registry;
    const limits = registry ? planLimits(registry, record.plan).limits : {};
    return {
      ok: true,
      caller: caller.asKey({ membership, directory: grant.directory }, { record, limits }),
      ledgerTenant: record.id,
    };
  };
  return {
    admit: async (caller, request, route) => {
      if (caller.kind !== 'agent') return inner.admit(caller, request, route);
      try {
        return await admitAgent(caller, request, route);
      } catch (e) {
        // The members or the registry unreachable is the service's state: 503/429 with Retry-After.
        const response = cosmosErrorResponse(e, 'the members container') ?? signingKeyProblem(e);
        if (response) return { ok: false, response };
        throw e;
      }
    },
  };
}
