import type { HttpRequest } from '@azure/functions';
import type { Membership } from '../../contract/members.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { RegisteredTenant } from '../tenants/tenant-record.js';
import type { Tenant } from '../values/tenancy.js';
import { apiKeyHash, presentedApiKey } from './api-key-bearer.js';

/**
 * Who a caller is: `'user'` — a person (or nobody) App Service vouches for; `'key'` — an organization's API key
 * (`Authorization: Bearer atk_…`), acting in exactly its organization with its one role (docs/integrations.md).
 */
export type CallerKind = 'user' | 'key';

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
  const key = policy.required && policy.registry?.membership ? presentedApiKey(request) : undefined;
  if (key === undefined) return undefined;
  const none: readonly string[] = [];
  return {
    id: undefined,
    directory: undefined,
    roles: none,
    tenant: undefined,
    kind: 'key' as const,
    keyHash: apiKeyHash(key),
  };
}

/**
 * The facts of an admitted key: its id the caller's id (an owner rule's owner), its role the one role, the
 * organization its tenant and the directory its data counts under — a membership of its own, so every later stage
 * (features, limits, rules, ledger, audit) reads it as a member of that role. No token directory: `callerOf`'s
 * `tid` is empty.
 *
 * @example
 * ```ts
 * const facts = admittedKeyFacts({ id: 'k1', tenant: 'acme', role: 'Member', createdOn }, { record, limits });
 * ```
 */
export function admittedKeyFacts(key: AdmittedKey, registered: RegisteredTenant) {
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
