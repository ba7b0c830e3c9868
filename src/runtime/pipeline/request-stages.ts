import type {
  AdmittedContext,
  AuthorizedContext,
  CallerContext,
  RequestContext,
} from './context.js';
import { StageList } from './stage-list.js';
import { admit } from './stages/admit.js';
import { authorize } from './stages/authorize.js';
import { caller } from './stages/caller.js';
import { limits } from './stages/limits.js';
import { registry } from './stages/registry.js';
import { route } from './stages/route.js';
import { tenant } from './stages/tenant.js';

/**
 * The stages every route passes before its handler, in order (DESIGN §6): a new cross-cutting concern is one file
 * under `stages/` and one line here.
 *
 * ```
 * admit → caller → registry → route → tenant → limits → authorize → handle → after
 * ```
 *
 * @example
 * ```ts
 * const passed = await REQUEST_STAGES.run({ request, invocation, endpoint });
 * ```
 */
export const REQUEST_STAGES: StageList<RequestContext, AuthorizedContext> =
  StageList.of<RequestContext>()
    .use(admit)
    .use(caller)
    .use(registry)
    .use(route)
    .use(tenant)
    .use(limits)
    .use(authorize);

/**
 * The stages after the caller's: what a route runs for a caller another route resolved (a parent's children page,
 * a `hasMany` expansion's child route) — the same route, tenant, limits and rules, no second reading of the caller.
 *
 * @example
 * ```ts
 * const passed = await ROUTE_STAGES.run({ ...call, invocation: undefined, endpoint, method: 'GET' });
 * ```
 */
export const ROUTE_STAGES: StageList<CallerContext, AuthorizedContext> =
  StageList.of<CallerContext>().use(route).use(tenant).use(limits).use(authorize);

export type { AdmittedContext };
