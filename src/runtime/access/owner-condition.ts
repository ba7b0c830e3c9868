import type { AccessScope } from '../data/access-scope.js';

/**
 * Add the owner confinement to a list query's WHERE conditions: under owner-only access (an `owner` rule
 * granted the list, no other rule did) only the caller's items. A helper beside `listQuery` so the query's
 * other conditions (tenant, partition, `$filter`) stay where they are; the field name is checked by the
 * manifest loader (a plain identifier), the caller's id travels as a parameter.
 *
 * @example
 * ```ts
 * const where: string[] = []; const parameters: { name: string; value: string }[] = [];
 * ownerCondition(ctx, where, parameters); // where: ['c["ownerId"] = @owner'] when owner-only
 * ```
 */
export function ownerCondition(
  ctx: { readonly access?: AccessScope | undefined },
  where: string[],
  parameters: { push(p: { name: string; value: string }): number },
): void {
  const a = ctx.access;
  if (!a?.ownOnly) return;
  where.push(`c["${a.ownerField}"] = @owner`);
  // An owner-only scope always has a caller id (decideAccess grants 'own' only then).
  parameters.push({ name: '@owner', value: a.callerId ?? '' });
}
