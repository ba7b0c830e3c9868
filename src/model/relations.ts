/**
 * One relation of a CrudApi as the runtime serves it (`CrudApiConfig.relations`, normalized): `belongsTo` — this
 * entity's `field` holds the id of an item of the CrudApi `target`; `hasMany` — items of the CrudApi `target` hold
 * this entity's id in their `field` (the children route `api/<route>/{id}/<name>`); `file` — `field` holds the id
 * of a completed file of the FileStore `target`.
 *
 * @example
 * ```ts
 * const customer: RuntimeRelation = { name: 'customer', kind: 'belongsTo', target: 'CustomerApi', field: 'customerId' };
 * ```
 */
export interface RuntimeRelation {
  readonly name: string;
  readonly kind: RelationKind;
  /** The component id of the related CrudApi or FileStore (same backend). */
  readonly target: string;
  /** `belongsTo`/`file`: a field of this entity; `hasMany`: a field of the target. */
  readonly field: string;
  /** `hasMany` only: what deleting a parent with children does (absent → `restrict`). */
  readonly onDelete?: 'restrict' | 'cascade';
}

/** The three kinds of {@link RuntimeRelation}. */
export type RelationKind = 'belongsTo' | 'hasMany' | 'file';

/** The relation kinds, in the order messages list them. */
export const RELATION_KINDS: readonly RelationKind[] = ['belongsTo', 'hasMany', 'file'];

/**
 * A relation name: it becomes a key of returned items (`$expand`) and a URL segment (children), so a plain
 * identifier that no system field or `$` parameter can take.
 */
export const RELATION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
