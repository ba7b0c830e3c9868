import type { HostedFunction } from '../../model/requirements.js';
import type { PlanIssue } from '../../model/plan.js';

/**
 * A warning per CrudApi `onChange`: in Azure the Cosmos DB change feed trigger delivers creates, replaces and
 * updates, but the feed (latest-version mode) carries no deletes, so `operation: 'delete'` reaches the handler
 * under `atakora dev` only — the plan says so rather than letting a deployed app look as if it saw deletes.
 *
 * @example
 * ```ts
 * changeHandlerIssues([
 *   {
 *     name: 'BookingApi-onchange',
 *     componentId: 'BookingApi',
 *     trigger: 'change',
 *     handler: './on-booking.ts',
 *   },
 * ]);
 * // [{ severity: 'warning', code: 'CRUD_ON_CHANGE_LOCAL_ONLY', … }]
 * ```
 */
export function changeHandlerIssues(hosted: readonly HostedFunction[]): PlanIssue[] {
  return hosted
    .filter((f) => f.trigger === 'change')
    .map((f) => ({
      severity: 'warning' as const,
      code: 'CRUD_ON_CHANGE_LOCAL_ONLY',
      components: [f.componentId],
      path: ['components', f.componentId, 'config', 'onChange'],
      message:
        `${f.componentId}'s onChange (${f.handler ?? ''}) runs from the Cosmos DB change feed in Azure for ` +
        `creates, replaces and updates; deletes reach it under atakora dev only, as the change feed carries no ` +
        `deletes (docs/events.md).`,
    }));
}
