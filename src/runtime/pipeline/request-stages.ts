import type { CallerContext, CallerRequest, RequestContext } from './context.js';
import { StageList } from './stage-list.js';
import { admit } from './stages/admit.js';
import { authorize } from './stages/authorize.js';
import { caller } from './stages/caller.js';
import { ledger } from './stages/ledger.js';
import { limits } from './stages/limits.js';
import { log } from './stages/log.js';
import { registry } from './stages/registry.js';
import { route } from './stages/route.js';
import { tenant } from './stages/tenant.js';
import { trace } from './stages/trace.js';

/**
 * The stages every route passes before its handler, in order (DESIGN §6): a new cross-cutting concern is one file
 * under `stages/` and one line here. `wrap` stages hold the rest of the request (its span, its log line, its usage
 * ledger entry); each `use` stage adds to the request context what it resolved, or refuses the request.
 *
 * ```
 * trace ⊃ log ⊃ ledger ⊃ admit → caller → registry → route → tenant → limits → authorize → handle → after
 * ```
 *
 * @example
 * ```ts
 * const outcome = await runStages(REQUEST_STAGES.stages, { request, invocation, endpoint, services });
 * ```
 */
export const REQUEST_STAGES = StageList.of<RequestContext>()
  .wrap(trace)
  .wrap(log)
  .wrap(ledger)
  .use(admit)
  .use(caller)
  .use(registry)
  .use(route)
  .use(tenant)
  .use(limits)
  .use(authorize);

/**
 * The stages a route runs inside another request, for the caller that request resolved (a parent's children page,
 * a `hasMany` expansion's child route, a `file` relation's read): the same route, tenant and rules, no second
 * reading of the caller and nothing counted or limited twice.
 *
 * @example
 * ```ts
 * const outcome = await runStages(NESTED_STAGES.stages, { ...call, invocation: undefined, endpoint, services, method: 'GET' });
 * ```
 */
export const NESTED_STAGES = StageList.of<CallerContext>().use(route).use(tenant).use(authorize);

/**
 * The stages of an operation run in-process for a caller already resolved (`runFor`: a handler's `dataOf`, an MCP
 * tool call): the REST route's own but the caller's and the registry's, whose answer it is given — its span and log
 * line, counted in the ledger and limited like the route, with the caller's tenant, the route's rules and
 * validation — without the HTTP hop or a second reading of the caller.
 *
 * ```
 * trace ⊃ log ⊃ ledger ⊃ admit → route → tenant → limits → authorize → handle → after
 * ```
 *
 * @example
 * ```ts
 * const outcome = await runStages(CALLER_STAGES.stages, { request, invocation, endpoint, services, caller });
 * ```
 */
export const CALLER_STAGES = StageList.of<RequestContext & Pick<CallerRequest, 'caller'>>()
  .wrap(trace)
  .wrap(log)
  .wrap(ledger)
  .use(admit)
  .use(route)
  .use(tenant)
  .use(limits)
  .use(authorize);

/**
 * The stages that frame a handler making its own passes of the pipeline (the MCP server: each tool call is its
 * route's pass, counted there): its server span and its log line, nothing counted or decided here.
 *
 * @example
 * ```ts
 * const outcome = await runStages(FRAME_STAGES.stages, { request, invocation, endpoint, services });
 * ```
 */
export const FRAME_STAGES = StageList.of<RequestContext>().wrap(trace).wrap(log);
