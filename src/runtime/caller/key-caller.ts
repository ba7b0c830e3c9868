import type { HttpRequest } from '@azure/functions';
import type { Membership } from '../../contract/members.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { RegisteredTenant } from '../tenants/tenant-record.js';
import type { Tenant } from '../values/tenancy.js';
import { agentBearer } from './agent-bearer.js';
import { apiKeyHash, presentedApiKey } from './api-key-bearer.js';

/**
 * Who a caller is: `'user'` — a person (or nobody) App Service vouches for; `'key'` — an organization's API key
 * (`Authorization: Bearer atk_…`), acting in exactly its organization with its one role (docs/integrations.md);
 * `'agent'` — an agent with one of the backend's own access tokens (`mcp.authorization`), acting as its person in
 * exactly its organization, at `api/mcp` only (docs/mcp.md).
 */
export type CallerKind = 'user' | 'key' | 'agent';

/**
 * An admitted API key as the caller sees it: its id (the caller's id: an owner rule's owner), organization, role
 * and creation time.
 *
 * @example
 * ```ts
 * const key: AdmittedKey = { id: 'Qm3x9a7bK2', tenant: 'acme', role: 'Member', createdOn: '2026-11-29T01:00:00.000Z' };
 * ```
 */
export interface AdmittedKey {
  readonly id: string;
  readonly tenant: string;
  readonly role: string;
  readonly createdOn: string;
}

/** An admitted agent token: its person's membership of its organization, and the directory they consented from. */
export interface AdmittedAgent {
  readonly membership: Membership;
  readonly directory: string | undefined;
}

/**
 * The facts of a request that presents an organization's API key, under a policy of organizations: nobody yet, of
 * kind `'key'`, the key's SHA-256 for the registry stage to admit (members/keys/key-tenants.ts) — never the key
 * itself, which nothing keeps. Undefined for any other request.
 *
 * @example
 * ```ts
 * const facts = presentedKeyFacts(request, policy); // { id: undefined, kind: 'key', keyHash: '5f1c…', … }
 * ```
 */
export function presentedKeyFacts(request: Pick<HttpRequest, 'headers'>, policy: RuntimeAuth) {
  if (!policy.required || !policy.registry?.membership) return undefined;
  const none: readonly string[] = [];
  const nobody = { id: undefined, directory: undefined, roles: none, tenant: undefined };
  // An agent's token of ours: who it is the agents' source decides (members/agents/agent-tenants.ts), by the token.
  if (agentBearer(request) !== undefined)
    return { ...nobody, kind: 'agent' as const, keyHash: undefined };
  const key = presentedApiKey(request);
  if (key === undefined) return undefined;
  return { ...nobody, kind: 'key' as const, keyHash: apiKeyHash(key) };
}

/**
 * The facts of an admitted agent token: its person, acting in its organization by their membership (their roles
 * there, that organization their tenant and the directory their data counts under), the directory of their sign-in
 * when they consented as `callerOf`'s `tid`.
 *
 * @example
 * ```ts
 * const facts = admittedAgentFacts(membership, 'eu-directory', { record, limits });
 * ```
 */
export function admittedAgentFacts(
  membership: Membership,
  directory: string | undefined,
  registered: RegisteredTenant,
) {
  return {
    id: membership.userId,
    directory: membership.tenant,
    tokenDirectory: directory,
    roles: membership.roles,
    tenant: { id: membership.tenant, source: 'your agent token' },
    registered,
    membership,
    kind: 'agent' as const,
  };
}

/**
 * The facts of an admitted key (an agent token's: {@link admittedAgentFacts}): its id the caller's id (an owner rule's owner), its role the one role, the
 * organization its tenant and the directory its data counts under — a membership of its own, so every later stage
 * (features, limits, rules, ledger, audit) reads it as a member of that role. No token directory: `callerOf`'s
 * `tid` is empty.
 *
 * @example
 * ```ts
 * const facts = admittedKeyFacts({ id: 'k1', tenant: 'acme', role: 'Member', createdOn }, { record, limits });
 * ```
 */
export function admittedKeyFacts(key: AdmittedKey | AdmittedAgent, registered: RegisteredTenant) {
  if ('membership' in key) return admittedAgentFacts(key.membership, key.directory, registered);
  const tenant: Tenant = { id: key.tenant, source: 'your API key' };
  const membership: Membership = {
    id: `${key.tenant}|${key.id}`,
    tenant: key.tenant,
    userId: key.id,
    roles: [key.role],
    addedOn: key.createdOn,
  };
  return {
    id: key.id,
    directory: key.tenant,
    tokenDirectory: undefined,
    roles: [key.role],
    tenant,
    registered,
    membership,
    kind: 'key' as const,
  };
}
