import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { CrudOperation, GuardedResource, RuntimeAuth } from '../../model/runtime-manifest.js';
import { authorize } from '../access/scope.js';
import type { RuleCaller } from '../access/rules.js';
import type { AccessScope } from '../data/access-scope.js';
import type { Resolved } from '../http/scope.js';
import { SHARED_TENANT } from '../telemetry/attributes.js';
import type { TracedCaller } from '../telemetry/request-span.js';
import { isHomeDirectory, type RegisteredTenant } from '../tenants/tenant-record.js';
import { isIsolated, type Tenant } from '../values/tenancy.js';
import type { Membership } from '../../contract/members.js';
import { ALL_FEATURES, featuresOf, type PlanFeatures } from '../../model/plans/plan-features.js';
import { type RequestCaller, withFeatures } from './caller-features.js';
import { claimOf, identityOf, nameOf, principalOf, rolesOf } from './client-principal.js';
import { type AccountFacts, accountOf } from './principal-name.js';
import { verifiedEmailOf } from './verified-email.js';
import type { JobCaller } from './job-caller.js';
import { directoryRefusal } from './tenant-admission.js';
import { claimedTenant, TENANT_HEADER, tenantOf, tenantValue } from './tenant-header.js';
import { admittedTenant, requireTenant, unauthenticated } from './refusals.js';
import {
  type AdmittedAgent,
  type AdmittedKey,
  admittedKeyFacts,
  type CallerKind,
  presentedKeyFacts,
} from './key-caller.js';

export type { AdmittedAgent, AdmittedKey, CallerKind } from './key-caller.js';
export type { CallerFeatures, RequestCaller } from './caller-features.js';

/**
 * What is known of a caller, as data: identity (`oid`, else `sub`), directory (`tid`), display name, app roles, the
 * tenant their data is confined to (the tenant claim, a trusted gateway's header — or, with membership tenants, the
 * tenant they chose), and, once the registry stage admitted them, their tenant's record and plan.
 *
 * @example
 * ```ts
 * const facts: CallerFacts = { id: 'u1', directory: 't1', roles: [], tenant: { id: 't1', source: 'the tid claim of your token' } };
 * ```
 */
export type CallerFacts = Pick<
  Caller,
  'id' | 'directory' | 'name' | 'email' | 'roles' | 'tenant' | 'registered' | 'membership'
> &
  Partial<Pick<Caller, 'kind' | 'keyHash'>> & {
    /** The token's user principal name and directory roles (caller/principal-name.ts), when it carries either. */
    readonly account?: AccountFacts | undefined;
    /** The directory the token names, when the caller acts in another (an organization): `callerOf`'s `tid`. */
    readonly tokenDirectory?: string | undefined;
  };

/**
 * The caller of one request, decoded once — from App Service's principal by the caller stage ({@link Caller.of}), or
 * from a background job's record ({@link Caller.ofJob}) — under the policy that vouches for it. Immutable: what a
 * later stage learns (the registry's record, a membership's tenant and roles) is a new value ({@link Caller.with}).
 * Every other shape of the caller derives from this one: the tenant a resource confines them to, what its rules
 * let them do, `callerOf`'s {@link RequestCaller}, a span's {@link TracedCaller}, a job's {@link JobCaller}.
 *
 * @example
 * ```ts
 * const caller = Caller.of(request, callerPolicyOf(manifest));
 * if (caller.refusal) return caller.refusal; // 401, or 403 tenant-not-allowed
 * const tenant = caller.tenantFor(entity);
 * ```
 */
export class Caller {
  readonly id: string | undefined;
  /**
   * The directory the caller's data is counted and kept under (a shared item's creator, the usage ledger): the
   * token's `tid` — or, with tenants by membership, the organization they act in.
   */
  readonly directory: string | undefined;
  readonly name?: string;
  /**
   * The email the principal's token proves (caller/verified-email.ts: Entra's `verified_*_email`, or `email` with
   * `xms_edov`), lower case; undefined without one. What an invitation's email is checked against.
   */
  readonly email?: string;
  readonly account?: AccountFacts | undefined;
  readonly roles: readonly string[];
  readonly tenant: Tenant | undefined;
  readonly registered?: RegisteredTenant;
  /** With tenants by membership: the membership the registry stage admitted it by (its tenant and roles). */
  readonly membership?: Membership;
  /** `'key'` for an organization's API key, else `'user'`. */
  readonly kind: CallerKind;
  /** The SHA-256 of the API key presented (a key caller the registry stage has not admitted yet). */
  readonly keyHash: string | undefined;
  /** The token's own directory (`callerOf`'s `tid`, the allow-list's), whatever the caller acts in. */
  private readonly tokenDirectory: string | undefined;
  /** The 401 of a caller nobody vouches for while the policy requires one; undefined otherwise. */
  readonly unauthenticated: HttpResponseInit | undefined;
  // tenantFor's and accessFor's last answers (the caller is immutable): an MCP tool call asks each more than once.
  private readonly last: {
    tenant?: [GuardedResource, Resolved<Tenant | undefined>];
    access?: [GuardedResource, CrudOperation, Resolved<AccessScope>];
  } = {};

  private constructor(
    facts: CallerFacts,
    /** The policy the caller was decoded under (undefined: handlers built without one). */
    readonly policy: RuntimeAuth | undefined,
    unauthenticatedAnswer: HttpResponseInit | undefined,
  ) {
    this.id = facts.id;
    this.directory = facts.directory;
    this.tokenDirectory = 'tokenDirectory' in facts ? facts.tokenDirectory : facts.directory;
    if (facts.name !== undefined) this.name = facts.name;
    if (facts.email !== undefined) this.email = facts.email;
    this.account = facts.account;
    this.roles = facts.roles;
    this.tenant = facts.tenant;
    if (facts.registered) this.registered = facts.registered;
    if (facts.membership) this.membership = facts.membership;
    this.kind = facts.kind ?? 'user';
    this.keyHash = facts.keyHash;
    this.unauthenticated = unauthenticatedAnswer;
    Object.freeze(this);
  }

  /**
   * The caller of `request` under `policy`: the principal App Service vouches for — only with authentication on:
   * with it off nothing strips a client-sent `x-ms-client-principal` — decoded once; the tenant from the trusted
   * gateway's header, else the policy's tenant claim. Without a policy (handlers built alone) nobody is signed in
   * and `x-tenant-id` names the tenant.
   *
   * @example
   * ```ts
   * const caller = Caller.of(request, policy);
   * caller.id; // '00000000-0000-0000-0000-00000000000a'
   * ```
   */
  static of(request: Pick<HttpRequest, 'headers'>, policy: RuntimeAuth | undefined): Caller {
    if (!policy) {
      const id = tenantOf(request);
      const tenant = id === undefined ? undefined : { id, source: `the ${TENANT_HEADER} header` };
      return new Caller(
        { id: undefined, directory: undefined, roles: [], tenant },
        undefined,
        undefined,
      );
    }
    // An organization's API key: who it is the registry stage decides (members/keys/key-tenants.ts), by its hash.
    const key = presentedKeyFacts(request, policy);
    if (key) return new Caller(key, policy, undefined);
    const principal = policy.required ? principalOf(request as HttpRequest) : undefined;
    const id = principal ? identityOf(principal) : undefined;
    const fromHeader = policy.trustTenantHeader ? tenantOf(request) : undefined;
    const name = principal ? nameOf(principal) : undefined;
    const email = verifiedEmailOf(principal);
    return new Caller(
      {
        id,
        directory: principal ? claimOf(principal, 'tid') : undefined,
        ...(name !== undefined ? { name } : {}),
        ...(email !== undefined ? { email } : {}),
        account: accountOf(principal),
        roles: principal ? rolesOf(principal) : [],
        tenant:
          fromHeader !== undefined
            ? { id: fromHeader, source: `the ${TENANT_HEADER} header` }
            : claimedTenant(principal ? claimOf(principal, policy.tenantClaim) : undefined, policy),
      },
      policy,
      policy.required && id === undefined ? unauthenticated(principal) : undefined,
    );
  }

  /**
   * The caller a background job acts as (its parent's mark records it: identity, tenant, roles) — data, never a
   * request: the same identity and tenant rules as the caller's own request, nothing decoded again.
   *
   * @example
   * ```ts
   * const caller = Caller.ofJob(mark.caller, policy);
   * ```
   */
  static ofJob(job: JobCaller, policy: RuntimeAuth | undefined): Caller {
    // Without a policy nothing vouches for anyone (a job of handlers built alone acts as nobody, as its request did).
    if (!policy) return Caller.of({ headers: new Headers() }, undefined);
    const id = job.oid.trim() || undefined;
    const tenant = tenantValue(job.tid);
    return new Caller(
      {
        id,
        directory: job.tid?.trim() || undefined,
        roles: job.roles,
        tenant:
          tenant === undefined
            ? undefined
            : policy.trustTenantHeader
              ? { id: tenant, source: `the ${TENANT_HEADER} header` }
              : { id: tenant, source: `the ${policy.tenantClaim} claim of your token` },
      },
      policy,
      policy.required && id === undefined ? unauthenticated(undefined) : undefined,
    );
  }

  /**
   * This caller with what a later stage learnt: the registry's record and plan, a membership's tenant and roles.
   *
   * @example
   * ```ts
   * const admitted = caller.with({ registered: { record, limits } });
   * ```
   */
  with(changes: Partial<Pick<CallerFacts, 'tenant' | 'roles' | 'registered'>>): Caller {
    return new Caller({ ...this.facts(), ...changes }, this.policy, this.unauthenticated);
  }

  /**
   * This caller acting in an organization by `membership` (tenants by membership, once the registry stage admitted
   * it): the organization is the tenant an isolated resource confines them to and the directory their data counts
   * under, the membership's roles their roles; `source` says where the organization came from, for the messages
   * that name it. The token's directory stays `callerOf`'s `tid`.
   *
   * @example
   * ```ts
   * const member = caller.actingAs(membership, 'the X-Atakora-Tenant header', { record, limits });
   * member.tenantFor(entity); // { ok: true, value: { id: 'acme-k3x9qa', source: 'the X-Atakora-Tenant header' } }
   * ```
   */
  actingAs(membership: Membership, source: string, registered: RegisteredTenant): Caller {
    return new Caller(
      {
        ...this.facts(),
        directory: membership.tenant,
        tokenDirectory: this.tokenDirectory,
        roles: membership.roles,
        tenant: { id: membership.tenant, source },
        registered,
        membership,
      },
      this.policy,
      this.unauthenticated,
    );
  }

  /**
   * This API key or agent token caller admitted in its organization by the registry stage (key-caller.ts).
   *
   * @example
   * ```ts
   * const admitted = caller.asKey({ id: 'k1', tenant: 'acme', role: 'Member', createdOn }, { record, limits });
   * ```
   */
  asKey(key: AdmittedKey | AdmittedAgent, registered: RegisteredTenant): Caller {
    return new Caller(admittedKeyFacts(key, registered), this.policy, undefined);
  }

  /**
   * The refusal of a caller the policy does not admit: 401 without a signed-in caller, 403 `tenant-not-allowed` for a
   * directory `auth.allowedTenants` does not list; undefined when admitted (with a registry: the registry stage's).
   */
  get refusal(): HttpResponseInit | undefined {
    const policy = this.policy;
    // A key or an agent token names no directory: the registry stage admits it by what it proves, or answers 401.
    if (this.kind !== 'user') return undefined;
    // With organizations (membership) the directories are admitted as configured, here (a registry's: closed).
    const directories = policy && (!policy.registry || policy.registry.membership !== undefined);
    return (
      this.unauthenticated ??
      (directories ? directoryRefusal(policy, this.tokenDirectory) : undefined)
    );
  }

  /** Whether the backend admits the caller (signed in, allowed, registered): what an anonymous route may know. */
  get admitted(): boolean {
    return !this.refusal && (!this.policy?.registry || this.registered !== undefined);
  }

  /**
   * The tenant `resource` confines this caller to (undefined for shared data), or the 401/403 answer: 403
   * `tenant-required` when an isolated resource has none, or one named `shared` (reserved for shared data).
   *
   * @example
   * ```ts
   * const tenant = caller.tenantFor(entity);
   * if (!tenant.ok) return tenant.response;
   * ```
   */
  tenantFor(resource: GuardedResource): Resolved<Tenant | undefined> {
    const last = this.last.tenant;
    if (last?.[0] === resource) return last[1];
    const policy = this.policy;
    const answer: Resolved<Tenant | undefined> = !policy
      ? requireTenant(resource, this.tenant)
      : this.unauthenticated
        ? { ok: false, response: this.unauthenticated }
        : !isIsolated(resource)
          ? { ok: true, value: undefined }
          : admittedTenant(this.tenant, resource, policy);
    this.last.tenant = [resource, answer];
    return answer;
  }

  /**
   * The features of the plan the caller's tenant is on (model/plans/plan-features.ts `featuresOf`, the one rule): with a
   * tenant registry, the registered tenant's plan's (none for a caller the registry did not place, once a plan lists
   * features); without one, every feature.
   */
  get features(): PlanFeatures {
    const plans = this.policy?.registry?.plans;
    return plans ? featuresOf(this.registered?.limits, plans) : ALL_FEATURES;
  }

  /**
   * The caller as `resource`'s access rules see them: on shared data of a multi-tenant backend (its publisher's; each
   * customer's administrator assigns roles in their own directory) a role counts only in the backend's home directory.
   */
  rulesCaller(resource: GuardedResource): RuleCaller {
    if (!this.policy?.required) return { id: undefined, roles: [] };
    const features = this.features;
    const caller: RuleCaller = features.all
      ? { id: this.id, roles: this.roles }
      : { id: this.id, roles: this.roles, features, plans: this.policy.registry?.plans };
    // Shared data is the publisher's: an organization's roles are its own Owners' to give (anyone may create an
    // organization and be its Owner), so on shared data they count only where a rule says `tenants: 'any'`.
    if (isIsolated(resource) || (!this.membership && this.policy.allowedTenants === undefined))
      return caller;
    const home = !this.membership && isHomeDirectory(this.directory, this.policy);
    return { ...caller, home };
  }

  /** `resource`'s access rules applied to this caller for `op`: the scope, or the 403 naming the rules. */
  accessFor(resource: GuardedResource, op: CrudOperation): Resolved<AccessScope> {
    const last = this.last.access;
    if (last?.[0] === resource && last[1] === op) return last[2];
    const answer = authorize(resource, op, this.rulesCaller(resource));
    this.last.access = [resource, op, answer];
    return answer;
  }

  /** Who a background job started by this caller's request acts as (recorded in the parent's mark). */
  job(): JobCaller {
    return {
      oid: this.id ?? '',
      ...(this.tenant !== undefined && this.policy ? { tid: this.tenant.id } : {}),
      roles: this.roles,
    };
  }

  /** The caller as a span of `resource`'s route records them: the tenant it confined them to, and their `oid`. */
  traced(resource: GuardedResource): TracedCaller {
    const tenant = this.tenantFor(resource);
    return {
      ...(tenant.ok ? { tenant: tenant.value?.id ?? SHARED_TENANT } : {}),
      ...(this.id !== undefined ? { user: this.id } : {}),
    };
  }

  /** The caller as a FunctionsApp function's span records them: `callerOf`'s tenant and `oid`, or nothing. */
  tracedFunction(): TracedCaller {
    const caller = this.requestCaller();
    return caller ? { tenant: caller.tenant, user: caller.oid } : {};
  }

  /**
   * `callerOf`'s shape (identity, directory, name, roles, tenant), or undefined when the caller lacks one of them
   * (nobody signed in, no directory, no tenant) or nothing vouches for a principal (no policy).
   */
  requestCaller(): RequestCaller | undefined {
    const { id, tenant } = this;
    // A member's token without a directory still acts in their organization (its tenant is theirs).
    const directory = this.tokenDirectory ?? (this.membership ? '' : undefined);
    if (!this.policy || id === undefined || directory === undefined || tenant === undefined)
      return undefined;
    return withFeatures(
      {
        oid: id,
        tid: directory,
        ...(this.name !== undefined ? { name: this.name } : {}),
        roles: this.roles,
        tenant: tenant.id,
        ...(this.kind === 'key' ? { kind: 'key' as const } : {}),
      },
      this.features,
    );
  }

  private facts(): CallerFacts {
    return {
      id: this.id,
      directory: this.directory,
      tokenDirectory: this.tokenDirectory,
      ...(this.name !== undefined ? { name: this.name } : {}),
      ...(this.email !== undefined ? { email: this.email } : {}),
      account: this.account,
      roles: this.roles,
      tenant: this.tenant,
      ...(this.registered ? { registered: this.registered } : {}),
      ...(this.membership ? { membership: this.membership } : {}),
      kind: this.kind,
      keyHash: this.keyHash,
    };
  }
}
