import type { CrudStore } from './context.js';
import { presentStored } from './versioned-items.js';
import { RelatedFailure } from '../relations/peers.js';
import type { MigrationBudget } from '../values/migration-budget.js';
import { withoutVector } from '../values/vector-answer.js';

/**
 * A related item exactly as the caller's own GET of it gives it — the one way every relation (`$expand` of a
 * `belongsTo`, a `hasMany` expansion's items) shows an item: {@link presentStored} (migrations from its stored
 * version, defaults, system fields dropped), then owner privacy (a shared item of a multi-tenant backend shows its
 * owner to the owner only, as handlers.ts `ownersHidden` does on the item's own route), and without its vector (a
 * CrudApi with `search.vector`: values/vector-answer.ts). A migration that fails is
 * the item's own 500 `migration-failed`, thrown as {@link RelatedFailure}: never the stored shape instead.
 * `budget` is the request's: the migrations of every item an answer expands share it with the page's own (a list
 * page's one budget), so expanding never makes a request wait longer for migrations than its list would.
 *
 * @example
 * ```ts
 * const customer = await presentRelated(ctx, stored, { hiding: false, ownerField: 'ownerId', callerId: 'u1' }, budget);
 * ```
 */
export async function presentRelated(
  ctx: Pick<CrudStore, 'entity' | 'migrations'>,
  stored: Readonly<Record<string, unknown>>,
  privacy: {
    readonly hiding: boolean;
    readonly ownerField: string;
    readonly callerId: string | undefined;
  },
  budget?: MigrationBudget,
): Promise<Record<string, unknown>> {
  const shown = await presentStored(ctx, stored, undefined, budget);
  if (!shown.ok) throw new RelatedFailure(shown.response);
  const item = withoutVector(ctx.entity, shown.item);
  if (
    privacy.hiding &&
    Object.hasOwn(item, privacy.ownerField) &&
    item[privacy.ownerField] !== privacy.callerId
  )
    Reflect.deleteProperty(item, privacy.ownerField);
  return item;
}
