// Its own file, so the relations' peers can name it without importing the whole context (which names them).
import type { CrudOperation } from '../../model/runtime-manifest.js';

/**
 * What the access rules leave one request: the owner field, the caller's identity (stamped on create), and
 * whether only the caller's own items are visible (an `owner` rule granted the request, no other rule did).
 *
 * @example
 * ```ts
 * const access: AccessScope = { ownerField: 'ownerId', callerId: 'u1', ownOnly: true };
 * ```
 */
export interface AccessScope {
  readonly ownerField: string;
  readonly callerId: string | undefined;
  readonly ownOnly: boolean;
  /** A write whose caller may read every item: an item not theirs is a 403 naming the rule, not a 404. */
  readonly readsAll?: boolean;
  /** The operation, for that 403. */
  readonly op?: CrudOperation;
}
