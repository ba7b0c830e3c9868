/**
 * The default export of a migration module: turns an item of version N−1 into version N. `tenant` is the item's
 * tenant id (absent on shared data).
 *
 * @example
 * ```ts
 * const toV2: ItemMigration = (item) => ({ ...item, status: item.done ? 'closed' : 'open' });
 * ```
 */
export type ItemMigration = (
  item: Record<string, unknown>,
  context: { readonly tenant: string | undefined },
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export type { AccessScope } from './access-scope.js';
