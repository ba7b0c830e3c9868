import type { HostedFunction } from '../../model/requirements.js';
import type { PlanIssue } from '../../model/plan.js';

/**
 * A warning per CrudApi `onChange`: the package carries the handler and `atakora dev` calls it after each
 * write, but no Cosmos DB change feed trigger delivers it in Azure yet — the plan says so rather than
 * letting a deployed app look as if it reacted to changes.
 *
 * @example
 * ```ts
 * changeHandlerIssues([{ name: 'BookingApi-onchange', componentId: 'BookingApi', trigger: 'change', handler: './on-booking.ts' }]);
 * // [{ severity: 'warning', code: 'CRUD_ON_CHANGE_LOCAL_ONLY', … }]
 * ```
 */
export function changeHandlerIssues(hosted: readonly HostedFunction[]): PlanIssue[] {
  return hosted.filter((f) => f.trigger === 'change').map((f) => ({
    severity: 'warning' as const, code: 'CRUD_ON_CHANGE_LOCAL_ONLY', components: [f.componentId],
    path: ['components', f.componentId, 'config', 'onChange'],
    message: `${f.componentId}'s onChange (${f.handler ?? ''}) runs after each write under atakora dev only: in Azure no change feed trigger calls it yet (docs/events.md).`,
  }));
}
