import { closest } from '../../kit/pure/closest-key.js';
import type { FunctionRuntime } from '../../model/requirements.js';
import { AtakoraError } from '../../model/errors.js';
import {
  isTenantEventType,
  TENANT_EVENT_TYPES,
  type TenantEventType,
} from '../../contract/tenant-events.js';
import type { FunctionDefinition } from './config.js';

/**
 * A `tenant-events` function checked: a Node handler (the package's entry delivers the events to it) and `events`,
 * when given, a non-empty list of known event names (`FUNCTIONS_TENANT_EVENTS_INVALID`), kept in the contract's
 * order without repeats; absent → every event. Whether the backend has organizations is the plan's check
 * (plan/checks/tenant-events.ts: `TENANT_EVENTS_NEED_MEMBERSHIP`).
 *
 * @example
 * ```ts
 * tenantEventsFunction({ trigger: 'tenant-events', events: ['member.added'] }, where);
 * // { name, trigger: 'tenant-events', events: ['member.added'] }
 * ```
 */
export function tenantEventsFunction(
  fn: FunctionDefinition,
  where: {
    readonly id: string;
    readonly name: string;
    readonly runtime: FunctionRuntime;
    readonly codePath: string | undefined;
    readonly path: (string | number)[];
  },
): { name: string; trigger: 'tenant-events'; events: TenantEventType[] } {
  const { id, name, path } = where;
  const fail = (why: string, at: (string | number)[], resolution?: string) =>
    new AtakoraError(
      'FUNCTIONS_TENANT_EVENTS_INVALID',
      `FunctionsApp ${id}: tenant-events function "${name}" ${why}.`,
      { path: at, ...(resolution ? { resolution } : {}) },
    );
  if (where.runtime !== 'node' || where.codePath !== undefined)
    throw fail(
      'needs a Node handler: the events are delivered by the package the planner builds, and a prebuilt app ' +
        '(codePath) or another runtime is deployed as is',
      path.slice(0, -1),
      "Put the function in a FunctionsApp with runtime: 'node' and a handler module.",
    );
  const given: unknown = fn.events;
  if (given === undefined)
    return { name, trigger: 'tenant-events', events: [...TENANT_EVENT_TYPES] };
  if (!Array.isArray(given) || given.length === 0)
    throw fail(
      `has events ${JSON.stringify(given)}, which is no non-empty list of event names`,
      path,
      `List the events it takes, e.g. events: ['member.added'], or leave events out for all of them ` +
        `(${TENANT_EVENT_TYPES.join(', ')}).`,
    );
  (given as unknown[]).forEach((e, i) => {
    if (isTenantEventType(e)) return;
    const near = typeof e === 'string' ? closest(e, TENANT_EVENT_TYPES) : undefined;
    throw fail(
      `names event ${JSON.stringify(e)}, which is no tenant event`,
      [...path, i],
      `${near ? `Did you mean '${near}'? ` : ''}The events: ${TENANT_EVENT_TYPES.join(', ')}.`,
    );
  });
  const events = TENANT_EVENT_TYPES.filter((t) => (given as unknown[]).includes(t));
  return { name, trigger: 'tenant-events', events };
}
