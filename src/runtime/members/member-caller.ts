import type { GuardedResource } from '../../model/runtime-manifest.js';
import type { Membership } from '../../contract/members.js';
import { TENANT_SELECT_HEADER } from '../../contract/members.js';
import { authorize } from '../access/scope.js';
import type { Caller } from '../access/rules.js';
import type { CallerView, JobCaller } from '../pipeline/context.js';
import type { Resolved } from '../http/scope.js';
import { SHARED_TENANT } from '../telemetry/attributes.js';
import { isIsolated, type Tenant } from '../values/tenancy.js';

/**
 * The caller of a request on a backend with tenants by membership, once the membership stage admitted them: the
 * signed-in caller (`base`, decoded once by the caller stage) acting in organization `tenant` with their membership's
 * roles. Every question a later stage or handler asks of the caller is answered in the organization: the tenant an
 * isolated resource is confined to is the organization (never the token's `tid`), role rules read the membership's
 * roles (never the token's `roles`), a background job acts in the organization with those roles, spans and
 * `callerOf` name the organization.
 *
 * @example
 * ```ts
 * const caller = new MemberCaller(view, membership, 'the X-Atakora-Tenant header');
 * caller.tenantFor(entity); // { ok: true, value: { id: 'acme-k3x9qa', source: 'the X-Atakora-Tenant header' } }
 * ```
 */
export class MemberCaller implements CallerView {
  readonly id: string | undefined;
  /**
   * The organization, where a directory stood for what is counted and kept by tenant (a shared item's creator
   * tenant, the usage ledger): with membership the token's `tid` no longer names a tenant. `callerOf`'s `tid` stays
   * the token's.
   */
  readonly directory: string | undefined;
  readonly refusal = undefined;
  private readonly tenant: Tenant;

  constructor(
    private readonly base: CallerView,
    readonly membership: Membership,
    source: string,
  ) {
    this.id = base.id;
    this.directory = membership.tenant;
    this.tenant = { id: membership.tenant, source };
  }

  get email(): string | undefined {
    return this.base.email;
  }

  tenantFor(resource: GuardedResource): Resolved<Tenant | undefined> {
    return { ok: true, value: isIsolated(resource) ? this.tenant : undefined };
  }

  rulesCaller(resource: GuardedResource): Caller {
    // Shared data is the publisher's: an organization's roles are its own Owners' to give (anyone may create an
    // organization and be its Owner), so on shared data they count only where a rule says `tenants: 'any'`.
    return {
      id: this.id,
      roles: this.membership.roles,
      ...(isIsolated(resource) ? {} : { home: false }),
    };
  }

  accessFor(resource: GuardedResource, op: Parameters<CallerView['accessFor']>[1]) {
    return authorize(resource, op, this.rulesCaller(resource));
  }

  get job(): JobCaller {
    // A job's request is rebuilt from this record (caller/job-caller.ts): the organization rides as its tenant.
    return { oid: this.id ?? '', tid: this.tenant.id, roles: this.membership.roles };
  }

  traced(resource: GuardedResource) {
    return {
      tenant: isIsolated(resource) ? this.tenant.id : SHARED_TENANT,
      ...(this.id !== undefined ? { user: this.id } : {}),
    };
  }

  tracedFunction() {
    return { tenant: this.tenant.id, ...(this.id !== undefined ? { user: this.id } : {}) };
  }

  vouched() {
    const base = this.base.vouched();
    const oid = this.id;
    if (oid === undefined) return undefined;
    return {
      oid,
      tid: base?.tid ?? this.base.directory ?? '',
      ...(base?.name !== undefined ? { name: base.name } : {}),
      roles: this.membership.roles,
      tenant: this.tenant.id,
    };
  }
}

/** Where a member's organization came from, for the messages that name it. */
export const FROM_HEADER = `the ${TENANT_SELECT_HEADER} header`;
export const FROM_ONLY_MEMBERSHIP = 'your only organization';
