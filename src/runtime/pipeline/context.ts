import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { RouteMethod } from '../../contract/routes.js';
import type {
  CrudOperation,
  GuardedResource,
  RuntimeAuth,
  RuntimeTenantPlan,
} from '../../model/runtime-manifest.js';
import type { Caller } from '../access/rules.js';
import type { RequestCaller } from '../caller/request-caller.js';
import type { AccessScope } from '../data/access-scope.js';
import type { Resolved } from '../http/scope.js';
import type { TracedCaller } from '../telemetry/request-span.js';
import type { Tenant } from '../values/tenancy.js';
import type { TenantRecord } from '../tenants/tenant-record.js';

/**
 * Who a background cascade acts as (recorded in the parent's mark): identity, directory, roles.
 *
 * @example
 * ```ts
 * const job: JobCaller = { oid: 'u1', tid: 't1', roles: [] };
 * ```
 */
export interface JobCaller {
  readonly oid: string;
  readonly tid?: string;
  readonly roles: readonly string[];
}

/**
 * The caller of one request as the pipeline's caller stage resolved them — once: the principal decoded, the
 * identity, the tenant candidate and the directory verdict. Every later question about the caller (which tenant a
 * resource confines them to, what its rules let them do) is answered from this, never from the request's headers.
 *
 * @example
 * ```ts
 * const tenant = ctx.caller.tenantFor(entity);
 * if (!tenant.ok) return tenant.response;
 * const access = ctx.caller.accessFor(entity, 'read');
 * ```
 */
export interface CallerView {
  /** The identity (`oid`, else `sub`) of the principal App Service vouches for; undefined for nobody. */
  readonly id: string | undefined;
  /** The directory the principal names (its `tid` claim), undefined without one. */
  readonly directory: string | undefined;
  /**
   * The email the principal's token proves (caller/verified-email.ts: Entra's `verified_*_email`, or `email` with
   * `xms_edov`), lower case; undefined without one. What an invitation's email is checked against.
   */
  readonly email: string | undefined;
  /**
   * The refusal of a caller the policy does not admit (401, 403 `tenant-not-allowed`); undefined when admitted.
   * With a tenant registry the directory's verdict is the registry stage's, not this.
   */
  readonly refusal: HttpResponseInit | undefined;
  /** The tenant `resource` confines this caller to (undefined for shared data), or the 401/403 answer. */
  tenantFor(resource: GuardedResource): Resolved<Tenant | undefined>;
  /** The caller as `resource`'s access rules see them (a role of another directory counts less on shared data). */
  rulesCaller(resource: GuardedResource): Caller;
  /** `resource`'s access rules applied to this caller for `op`: the scope, or the 403 naming the rules. */
  accessFor(resource: GuardedResource, op: CrudOperation): Resolved<AccessScope>;
  /** Who a background job started by this request acts as. */
  readonly job: JobCaller;
  /** The caller as a span of `resource`'s route records them (tenant, user). */
  traced(resource: GuardedResource): TracedCaller;
  /** The caller as a FunctionsApp function's span records them (the admitted caller's tenant and `oid`). */
  tracedFunction(): TracedCaller;
  /** The caller a FunctionsApp function's `callerOf` gives (identity, directory, roles, tenant), or undefined. */
  vouched(): RequestCaller | undefined;
}

/**
 * A request with its resolved caller: what the handler folders (crud, files, relations, realtime) receive and pass
 * on — to a peer, to a relation, to a background job — instead of a bare request they would resolve again.
 *
 * @example
 * ```ts
 * const found = await peer.lookup(call, ['o-1']);
 * ```
 */
export interface CallerRequest {
  readonly request: HttpRequest;
  readonly caller: CallerView;
}

/**
 * One route as the pipeline serves it: what each stage asks of the route. `route` picks what the method does on
 * it (405) and checks the URL (400); `tenant` and `authorize` default to the resource's tenancy and access rules;
 * `handle` is the stage's body; `after` runs on the answer (realtime publish, change dispatch).
 *
 * @example
 * ```ts
 * const health: Endpoint<null> = {
 *   policy: undefined,
 *   anonymous: true,
 *   route: () => ({ ok: true, value: null }),
 *   handle: async () => ({ status: 200 }),
 * };
 * ```
 */
export interface Endpoint<R> {
  /** Who may call and where the tenant comes from; undefined → the tenant from `x-tenant-id`, nobody signed in. */
  readonly policy: RuntimeAuth | undefined;
  /** Every caller admitted (health, anonymous functions): the caller stage resolves, never refuses. */
  readonly anonymous?: boolean;
  /**
   * No limit of the limits stage applies (no rate, quota or storage bound refuses it): the TenantAdmin API, so a
   * plan's limits never lock the operator out of the registry that sets them. Still counted in the usage ledger.
   */
  readonly unlimited?: boolean;
  /**
   * The route acts in no tenant: with tenants by membership no organization is asked for (the caller's own list,
   * accepting an invitation, the registry's API, the document).
   */
  readonly withoutTenant?: boolean;
  /** What the tenant and authorize stages confine and check; none → no tenant, no rules. */
  readonly resource?: GuardedResource;
  /** The route's own admission, after the caller's (an anonymous caller learns nothing of the route). */
  route(ctx: CallerContext<R>): Resolved<R>;
  /** The operation the access rules are asked about; undefined → none (the route checks its own). */
  operation?(route: R): CrudOperation | undefined;
  /** A tenant rule of the route's own (FunctionsApp functions), instead of the resource's. */
  tenant?(ctx: RoutedContext<R>): Resolved<Tenant | undefined>;
  /** An access check of the route's own (FunctionsApp functions), instead of the resource's rules. */
  authorize?(ctx: TenantContext<R>): Resolved<AccessScope | undefined>;
  handle(ctx: AuthorizedContext<R>): Promise<HttpResponseInit>;
  /** Steps run on the answer, in order (realtime publish, change dispatch; later the usage ledger). */
  readonly after?: readonly AfterStep<R>[];
}

/** What the after stage's steps read of the request's context (everything the stages resolved). */
export interface Resolution<R> extends CallerRequest {
  readonly route: R;
  readonly tenant: Tenant | undefined;
  readonly access: AccessScope | undefined;
}

/** A step of the after stage: sees the context and the answer, may replace it (e.g. owners hidden). */
export type AfterStep<R> = (
  ctx: Resolution<R>,
  response: HttpResponseInit,
) => Promise<HttpResponseInit> | HttpResponseInit;

/** What the admit stage starts from: the request, its invocation and the route it reached. */
export interface RequestContext<R = unknown> {
  readonly request: HttpRequest;
  readonly invocation: InvocationContext | undefined;
  readonly endpoint: Endpoint<R>;
}

/** After admit: the method (undefined for one the runtime does not serve). */
export interface AdmittedContext<R = unknown> extends RequestContext<R> {
  readonly method: RouteMethod | undefined;
}

/**
 * The caller's directory as the tenant registry records it (`auth.allowedTenants: 'registry'`): its record and
 * its plan's limits; for the home directory without a record, an active one on the default plan.
 */
export interface RegisteredTenant {
  readonly record: TenantRecord;
  readonly limits: RuntimeTenantPlan;
}

/** After caller: who calls (and, with a tenant registry, the registry stage's record of their directory). */
export interface CallerContext<R = unknown> extends AdmittedContext<R>, CallerRequest {
  readonly registered?: RegisteredTenant;
}

/** After route: what the method does on the route (the CRUD table's row, the id). */
export interface RoutedContext<R = unknown> extends CallerContext<R> {
  readonly route: R;
}

/** After tenant: the tenant the request is confined to (undefined for shared data). */
export interface TenantContext<R = unknown> extends RoutedContext<R> {
  readonly tenant: Tenant | undefined;
}

/** After authorize: the access rules' verdict (undefined on routes without rules). */
export interface AuthorizedContext<R = unknown> extends TenantContext<R> {
  readonly access: AccessScope | undefined;
}

/**
 * A stage: the context so far, extended (a new frozen object) — or the answer that ends the request.
 *
 * @example
 * ```ts
 * const admit: Stage<RequestContext, AdmittedContext> = (ctx) => ({ ...ctx, method: methodOf(ctx.request) });
 * ```
 */
export type Stage<In, Out> = (ctx: In) => Passed<Out> | Promise<Passed<Out>>;

/** A stage's outcome: the extended context, or the refusal. */
export type Passed<Out> = { readonly ok: true; readonly ctx: Out } | Refused;

/** The answer a stage ends the request with. */
export interface Refused {
  readonly ok: false;
  readonly response: HttpResponseInit;
}
