import type { AccessCell } from '../../access/matrix/types.js';

/** An item the proof created: its owner's column, directory and user, and where it lives. */
export interface ProbeItem {
  readonly entity: string;
  readonly id: string;
  readonly owner: string;
  readonly tid: string;
  readonly oid: string;
  /** The partition key value a request names (`?pk=`), for a key that is not `/id` or `/tenantId`. */
  readonly pk?: string;
  /** The body as created (what a refused write must leave unchanged). */
  readonly body: Readonly<Record<string, unknown>>;
}

/** Who asks: a column of the matrix, with the directory and user it signs in as (none: anonymous). */
export interface Asker {
  readonly key: string;
  readonly tid?: string;
  readonly oid?: string;
  readonly roles: readonly string[];
}

/**
 * The answer a cell promises for one request on one item: `ok` (the operation's success), or a status.
 * `own` reaches the caller's items only: another's is 404 when the caller cannot see it, 403 on a change when
 * the caller reads every item (DESIGN §2 "owner-only items of others are 404, denied writes 403"); `tenant` reaches
 * the caller's tenant (another tenant's item is 404); `allow` every item.
 *
 * @example
 * ```ts
 * expectOn('own', false, asker, item, 'tenant', shared); // 403 or 404
 * ```
 */
export function expectOn(
  cell: AccessCell,
  write: boolean,
  who: Asker,
  item: ProbeItem,
  readCell: AccessCell,
  shared: boolean,
): 'ok' | number {
  if (typeof cell === 'number') return cell;
  if (cell === 'allow') return 'ok';
  const visible = shared || item.tid === who.tid;
  if (cell === 'tenant') return visible ? 'ok' : 404;
  if (item.oid === who.oid && item.tid === who.tid) return 'ok';
  if (!visible) return 404;
  return write && (readCell === 'tenant' || readCell === 'allow') ? 403 : 404;
}

/** Whether a status is the operation's success. */
export function succeeded(status: number): boolean {
  return status >= 200 && status < 300;
}
