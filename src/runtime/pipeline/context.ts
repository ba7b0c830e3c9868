import type { BillingDoor } from '../../model/lives/organization-life.js';
import type { Context } from '@opentelemetry/api';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { RouteMethod } from '../../contract/routes.js';
import type { CrudOperation, GuardedResource, RuntimeAuth } from '../../model/runtime-manifest.js';
import type { BuiltInFeature } from '../../model/plans/plan-features.js';
import type { Caller } from '../caller/caller-view.js';
import type { AccessScope } from '../data/access-scope.js';
import type { RuntimeLogger } from '../http/log.js';
import type { Resolved } from '../http/scope.js';
import type { TracedCaller, TracedRoute } from '../telemetry/request-span.js';
import type { RequestUsage } from '../usage/request-usage.js';
import type { Tenant } from '../values/tenancy.js';
import type { RuntimeServices } from './services.js';

export type { RuntimeServices } from './services.js';
export type { Caller } from '../caller/caller-view.js';
export type { JobCaller } from '../caller/job-caller.js';
export type { RegisteredTenant } from '../tenants/tenant-record.js';

/**
 * tRPC's `Overwrite` (`unstable-core-do-not-import/types.ts`): `T` with the fields of `U` put over it — what a
 * stage's additions make of the context it received.
 *
 * @example
 * ```ts
 * type Called = Overwrite<AdmittedContext, { caller: Caller }>;
 * ```
 */
export type Overwrite<T, U> = Omit<T, keyof U> & U;

/**
 * A request with its resolved caller: what the handler folders (crud, files, relations, realtime) receive and pass
 * on — to a peer, to a relation, to a background job — instead of a bare request they would resolve again. Every
 * later request context is one.
 *
 * @example
 * ```ts
 * const found = await peer.lookup(call, ['o-1']);
 * ```
 */
export interface CallerRequest {
  /** The request's input: method, URL, headers, query, route parameters, body. */
  readonly request: HttpRequest;
  readonly caller: Caller;
  /** The trace context of the request's work (its server span, the RU tally), when one is kept. */
  readonly trace?: Context | undefined;
  /** What the usage ledger counts this request under (a registry backend's placed request), else undefined. */
  readonly usage?: RequestUsage | undefined;
}

/**
 * How a route is logged: one structured line per request, labelled, its operation named from the request.
 *
 * @example
 * ```ts
 * const log: LogFrame = { labels: { component: 'NoteApi', entity: 'Note' }, operationOf: () => 'read' };
 * ```
 */
export interface LogFrame {
  readonly labels: { readonly component: string; readonly entity: string };
  readonly operationOf: (request: HttpRequest) => string;
  /** Where this route's lines go; default: the app's logger (`RuntimeServices.logger`), else `context.log`. */
  readonly logger?: RuntimeLogger;
}

/**
 * How a route is traced: its span's route template, component and operations, and what the span says of the
 * caller the caller stage resolved (never a second reading).
 *
 * @example
 * ```ts
 * const trace: TraceFrame = { route: 'notes', component: 'NoteApi', operationOf, caller: (c) => c.traced(entity) };
 * ```
 */
export interface TraceFrame extends Omit<TracedRoute, 'callerOf'> {
  readonly caller?: (caller: Caller) => TracedCaller;
}

/**
 * One route as the pipeline serves it: what each stage asks of the route. `route` picks what the method does on
 * it (405) and checks the URL (400); `tenant` and `authorize` default to the resource's tenancy and access rules;
 * `handle` is the stage's body; `after` runs on the answer (realtime publish, change dispatch); `log` and `trace`
 * frame the request in its log line and server span.
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
  /**
   * With tenants by membership, `api/tenant/directory`: an Owner reaches it under `requireDirectory` from any
   * directory, so an organization can always unlink a directory it can no longer sign in from.
   */
  readonly directoryRoute?: boolean;
  /**
   * With tenants by membership, a billing route (`api/tenant/billing`, `/checkout`, `/portal`): the door it is in
   * the organization's life (model/lives/organization-life.ts `BILLING_DOORS`) — which roles an organization billing
   * suspended or deleted still admits there, so its Owners pay to come back or manage what they still pay for.
   */
  readonly billingDoor?: BillingDoor;
  /**
   * With tenants by membership, a route that acts in no organization yet is bounded per signed-in user
   * (limits/signed-in-limit.ts): `POST api/tenants`, `GET api/me/tenants`, `POST api/invitations/accept`.
   */
  readonly limitedPerUser?: boolean;
  /**
   * With tenants by membership, an anonymous route bounded per client address (limits/signed-in-limit.ts):
   * `GET api/invitations/preview`.
   */
  readonly limitedPerAddress?: boolean;
  /**
   * The built-in feature this route's door is (model/plans/plan-features.ts): the features stage refuses it 402
   * `feature-not-in-plan` for a caller whose plan lacks it, through every door the route has (REST, MCP, `dataOf`).
   */
  readonly feature?: BuiltInFeature;
  /**
   * The methods of the route its `feature` does not gate: the way out of what a plan no longer serves, open on every
   * plan — revoking an API key, deleting a webhook endpoint (docs/integrations.md, "After a downgrade": else a
   * downgrade leaves them beyond the organization's reach, alive again on the next upgrade). Every other stage still
   * holds (roles, audit).
   */
  readonly ungatedMethods?: readonly RouteMethod[];
  /**
   * With tenants by membership, a route without a resource that an organization's API key may call as a member of
   * its role (a FunctionsApp function, `GET api/tenant`, the audit log). Every other route without a resource is a
   * person's: a key is refused 403 `api-key-not-allowed` there (members/keys/key-tenants.ts).
   */
  readonly apiKeys?: boolean;
  /**
   * With `mcp.authorization`, the MCP door (`api/mcp`): the one route an agent's own access token is taken at
   * (members/agents/agent-tenants.ts); anywhere else it admits nothing.
   */
  readonly agents?: boolean;
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
  /** Steps run on the answer, in order (realtime publish, change dispatch, owners hidden). */
  readonly after?: readonly AfterStep<R>[];
  /** The request's log line (none: not logged). */
  readonly log?: LogFrame;
  /** The request's server span (none: not traced). */
  readonly trace?: TraceFrame;
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

/** What every request starts from: its input and invocation, the route it reached, the app's services. */
export interface RequestContext<R = unknown> {
  readonly request: HttpRequest;
  readonly invocation: InvocationContext | undefined;
  readonly endpoint: Endpoint<R>;
  /** The app's services, made once at start (register-routes) and handed to every request. */
  readonly services: RuntimeServices;
  readonly trace?: Context | undefined;
  readonly usage?: RequestUsage | undefined;
  /**
   * The status of the operation a door's answer carries when its HTTP answer wraps it (an MCP tool call: JSON-RPC's
   * 200 around the route's 201 or 404) — what the ledger counts as refused or not and the log line and span record.
   */
  readonly operationStatus?: number | undefined;
  /**
   * The pass was handed on to a route that logs and counts itself (an MCP tool function's call: its own route's
   * pass, its gate, its code): the wrapping log and ledger stages leave the request to it. Unset when the pass ended
   * before (refused by the caller or the registry stage): then the wrapping stages log and count it, once.
   */
  readonly passedOn?: boolean | undefined;
}

/** After admit: the method (undefined for one the runtime does not serve). */
export interface AdmittedContext<R = unknown> extends RequestContext<R> {
  readonly method: RouteMethod | undefined;
}

/** After caller (and registry, which completes the caller with their tenant's record and plan): who calls. */
export interface CallerContext<R = unknown> extends AdmittedContext<R>, CallerRequest {}

/** After route: what the method does on the route (the CRUD table's row, the id). */
export interface RoutedContext<R = unknown> extends CallerContext<R> {
  readonly route: R;
}

/** After tenant: the tenant the request is confined to (undefined for shared data). */
export interface TenantContext<R = unknown> extends RoutedContext<R> {
  readonly tenant: Tenant | undefined;
}

/** After limits: the headers the limits chose for the answer (`RateLimit`, `RateLimit-Policy`), if any. */
export interface LimitedContext<R = unknown> extends TenantContext<R> {
  readonly limitHeaders?: Readonly<Record<string, string>> | undefined;
}

/** After authorize: the access rules' verdict (undefined on routes without rules). */
export interface AuthorizedContext<R = unknown> extends LimitedContext<R> {
  readonly access: AccessScope | undefined;
}

/**
 * What a request reached when it was answered: every field a stage adds, each present when that stage ran — what
 * the stages that wrap the rest (trace, log, ledger) read of the request once it is answered.
 */
export type ReachedContext = RequestContext &
  Partial<Omit<AuthorizedContext, keyof RequestContext>>;

/**
 * A stage: the context so far, and what it adds to it (merged over it, tRPC's `Overwrite`) — or the answer that
 * ends the request.
 *
 * @example
 * ```ts
 * const admit: Stage<RequestContext, { method: RouteMethod | undefined }> = (ctx) => pass({ method: methodOf(ctx.request) });
 * ```
 */
export type Stage<In, Adds> = (ctx: In) => Passed<Adds> | Promise<Passed<Adds>>;

/**
 * A stage that wraps the rest of the request (its server span, its log line, its usage ledger entry): it gives
 * `next` what it adds and gets back how the request ended.
 *
 * @example
 * ```ts
 * const timed: Wrap<RequestContext, {}> = async (ctx, next) => {
 *   const outcome = await next({});
 *   return outcome;
 * };
 * ```
 */
export type Wrap<In, Adds> = (
  ctx: In,
  next: (adds: Adds) => Promise<Outcome>,
) => Promise<Outcome> | Outcome;

/** A stage's outcome: what it adds, or the refusal (with what it still resolved for the wrapping stages). */
export type Passed<Adds> = { readonly ok: true; readonly adds: Adds } | Refused;

/** The answer a stage ends the request with, and what it resolved before refusing (e.g. the caller it saw). */
export interface Refused {
  readonly ok: false;
  readonly response: HttpResponseInit;
  readonly adds?: object;
}

/** How a request ended: its answer, or what it threw — with the context it had reached. */
export type Outcome =
  | { readonly ctx: ReachedContext; readonly response: HttpResponseInit }
  | { readonly ctx: ReachedContext; readonly failed: unknown };
