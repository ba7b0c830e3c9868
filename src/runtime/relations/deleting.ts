import type { JobCaller } from '../pipeline/context.js';
import { DELETING_FIELD } from '../values/system-fields.js';

export { DELETING_FIELD };

/**
 * What the runtime writes into a parent's hidden {@link DELETING_FIELD} when its delete begins: a token naming this
 * delete (the background job must present it: a queue message alone deletes nothing), when it began, and who asked
 * (the job deletes as that caller).
 *
 * @example
 * ```ts
 * const mark: DeletingMark = { token: 'b1f…', at: '2026-11-25T07:00:00.000Z', caller: { oid: 'u1', tid: 't1', roles: [] } };
 * ```
 */
export interface DeletingMark {
  readonly token: string;
  readonly at: string;
  readonly caller: CascadeCaller;
}

/** The caller of a cascade, as the background job acts for it. */
export type CascadeCaller = JobCaller;

/**
 * Whether a stored item is a parent whose delete is under way: such an item is absent to every read, list, write
 * and reference check (a child cannot be added under it, and no one sees it while its children go).
 *
 * @example
 * ```ts
 * if (isDeleting(resource)) return notFound(ctx, id);
 * ```
 */
export function isDeleting(resource: Readonly<Record<string, unknown>>): boolean {
  return Object.hasOwn(resource, DELETING_FIELD) && resource[DELETING_FIELD] !== undefined;
}

/**
 * The mark of a stored item, or undefined (none, or not one the runtime wrote: then it is still treated as deleting
 * by {@link isDeleting}, but no job may act on it).
 *
 * @example
 * ```ts
 * markOf(stored)?.token === job.token;
 * ```
 */
export function markOf(resource: Readonly<Record<string, unknown>>): DeletingMark | undefined {
  const m = Object.hasOwn(resource, DELETING_FIELD) ? resource[DELETING_FIELD] : undefined;
  if (!m || typeof m !== 'object' || Array.isArray(m)) return undefined;
  const { token, at, caller } = m as Record<string, unknown>;
  if (typeof token !== 'string' || typeof at !== 'string' || !caller || typeof caller !== 'object')
    return undefined;
  const c = caller as Record<string, unknown>;
  if (typeof c.oid !== 'string' || !Array.isArray(c.roles)) return undefined;
  return {
    token,
    at,
    caller: {
      oid: c.oid,
      ...(typeof c.tid === 'string' ? { tid: c.tid } : {}),
      roles: c.roles.filter((r): r is string => typeof r === 'string'),
    },
  };
}

/**
 * The WHERE condition leaving out items whose delete is under way (lists of entities that are parents).
 *
 * @example
 * ```ts
 * where.push(NOT_DELETING); // NOT IS_DEFINED(c["_atakoraDeleting"])
 * ```
 */
export const NOT_DELETING = `NOT IS_DEFINED(c["${DELETING_FIELD}"])`;
