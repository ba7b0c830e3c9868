import type { HttpRequest } from '@azure/functions';
import type { GuardedResource, RuntimeAuth } from '../../model/runtime-manifest.js';
import { authorize } from '../access/scope.js';
import type { Caller } from '../access/rules.js';
import type { CallerRequest, CallerView, JobCaller } from '../pipeline/context.js';
import type { Resolved } from '../http/scope.js';
import { SHARED_TENANT } from '../telemetry/attributes.js';
import { isIsolated, type Tenant } from '../values/tenancy.js';
import {
  claimOf,
  type ClientPrincipal,
  identityOf,
  principalOf,
  rolesOf,
} from './client-principal.js';
import { cascadeCallerOf, requestAs } from './job-caller.js';
import { callerFrom } from './request-caller.js';
import { verifiedEmailOf } from './verified-email.js';
import { directoryRefusal } from './tenant-admission.js';
import {
  requireTenant,
  admittedTenant,
  tenantCandidate,
  unauthenticated,
} from './tenant-source.js';

/**
 * The caller of one request, read once: the principal App Service vouches for (only with authentication on: with
 * it off nothing strips a client-sent `x-ms-client-principal`), its identity, the directory verdict and the tenant
 * candidate. What a route asks later (`tenantFor`, `accessFor`) derives from this, with the same answers
 * `resolveTenant` and the access rules gave the request.
 *
 * @example
 * ```ts
 * const caller = resolveCaller(request, callerPolicyOf(manifest));
 * if (caller.refusal) return caller.refusal; // 401, or 403 tenant-not-allowed
 * ```
 */
export function resolveCaller(request: HttpRequest, policy: RuntimeAuth | undefined): CallerView {
  return new ResolvedCaller(request, policy);
}

/**
 * The same caller as a background job acts for it (the mark's record): what its delete's request would resolve to.
 *
 * @example
 * ```ts
 * const call = callerRequestAs(mark.caller, policy);
 * ```
 */
export function callerRequestAs(caller: JobCaller, policy: RuntimeAuth | undefined): CallerRequest {
  const request = requestAs(caller, policy);
  return Object.freeze({ request, caller: resolveCaller(request, policy) });
}

/** One state: the request, its policy and the principal decoded once; each answer computed at most once. */
class ResolvedCaller implements CallerView {
  readonly id: string | undefined;
  readonly refusal;
  readonly directory: string | undefined;
  private readonly principal: ClientPrincipal | undefined;
  private readonly authRefusal;
  private candidate: Tenant | undefined | null = null;
  private roles: readonly string[] | undefined;

  constructor(
    private readonly request: HttpRequest,
    private readonly policy: RuntimeAuth | undefined,
  ) {
    this.principal = policy?.required ? principalOf(request) : undefined;
    this.id = this.principal ? identityOf(this.principal) : undefined;
    this.authRefusal =
      policy?.required && this.id === undefined ? unauthenticated(this.principal) : undefined;
    this.directory = this.principal ? claimOf(this.principal, 'tid') : undefined;
    // With a tenant registry of directories the registry stage decides on the directory (its allow-list is empty:
    // closed); with organizations (membership) the directories are admitted as configured, here.
    const directories = policy && (!policy.registry || policy.registry.membership !== undefined);
    this.refusal =
      this.authRefusal ?? (directories ? directoryRefusal(policy, this.principal) : undefined);
  }

  get email(): string | undefined {
    return verifiedEmailOf(this.principal);
  }

  tenantFor(resource: GuardedResource): Resolved<Tenant | undefined> {
    const policy = this.policy;
    if (!policy) return requireTenant(resource, this.request);
    if (this.authRefusal) return { ok: false, response: this.authRefusal };
    if (!isIsolated(resource)) return { ok: true, value: undefined };
    if (this.candidate === null)
      this.candidate = tenantCandidate(this.request, this.principal, policy);
    return admittedTenant(this.candidate, resource, policy);
  }

  rulesCaller(resource: GuardedResource): Caller {
    const principal = this.principal;
    if (!principal) return { id: undefined, roles: [] };
    this.roles ??= rolesOf(principal);
    const caller = { id: this.id, roles: this.roles };
    // Shared data of a multi-tenant backend is curated by its publisher: each customer's administrator assigns app
    // roles in their own directory, so a role proves something only in the backend's own (home) directory.
    const policy = this.policy;
    if (isIsolated(resource) || policy?.allowedTenants === undefined) return caller;
    const tid = claimOf(principal, 'tid')?.toLowerCase();
    return {
      ...caller,
      home:
        tid !== undefined &&
        policy.homeTenant !== undefined &&
        tid === policy.homeTenant.toLowerCase(),
    };
  }

  accessFor(resource: GuardedResource, op: Parameters<CallerView['accessFor']>[1]) {
    return authorize(resource, op, this.rulesCaller(resource));
  }

  get job(): JobCaller {
    return cascadeCallerOf(this.request, this.principal, this.policy);
  }

  traced(resource: GuardedResource) {
    const tenant = this.tenantFor(resource);
    return {
      ...(tenant.ok ? { tenant: tenant.value?.id ?? SHARED_TENANT } : {}),
      ...(this.id !== undefined ? { user: this.id } : {}),
    };
  }

  tracedFunction() {
    const caller = this.vouched();
    return caller ? { tenant: caller.tenant, user: caller.oid } : {};
  }

  vouched() {
    return this.policy ? callerFrom(this.request, this.principal, this.policy) : undefined;
  }
}
