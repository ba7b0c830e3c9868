import type { SortKey } from '../../model/runtime-manifest.js';
import type { OrderByTerm } from './ast.js';
import type { QueryIssue } from './issues.js';
import { at } from '../../model/at.js';

const same = (term: OrderByTerm, key: SortKey, flip: boolean) =>
  term.field.name === key.field &&
  ((term.direction === 'asc') !== flip) === (key.order === 'ascending');

/**
 * Whether the sort `terms` is one the CrudApi declared (`sortable`), so Cosmos DB has the index it needs:
 * one field → a declared single field (the range index serves both directions); several → a declared
 * composite sort with the same fields in the same order and the same directions, or all of them reversed (what
 * a composite index serves). Anything else is a `not-sortable` issue naming the config to add.
 *
 * @example
 * ```ts
 * checkSortable(
 *   [{ field: { name: 'price', pos: 0 }, direction: 'desc' }],
 *   [[{ field: 'price', order: 'ascending' }]],
 * ); // []
 * ```
 */
export function checkSortable(
  terms: readonly OrderByTerm[],
  sortable: readonly (readonly SortKey[])[] | undefined,
): QueryIssue[] {
  const declared = sortable ?? [];
  const fits = declared.some(
    (keys) =>
      keys.length === terms.length &&
      (terms.length === 1
        ? at(keys, 0).field === at(terms, 0).field.name
        : [false, true].some((flip) => terms.every((t, i) => same(t, at(keys, i), flip)))),
  );
  if (fits) return [];
  const first = at(terms, 0);
  const fix =
    terms.length === 1
      ? `sortable: ['${first.field.name}']`
      : `sortable: [[${terms.map((t) => `'${t.field.name}${t.direction === 'desc' ? ' desc' : ''}'`).join(', ')}]]`;
  const what =
    terms.length === 1
      ? `"${first.field.name}"`
      : `(${terms.map((t) => `${t.field.name} ${t.direction}`).join(', ')})`;
  return [
    {
      code: 'not-sortable',
      parameter: '$orderby',
      position: first.field.pos,
      field: first.field.name,
      message:
        `Sorting by ${what} is not declared; add ${fix} to the CrudApi's config (the plan then adds the index ` +
        `Cosmos DB needs) and deploy.`,
    },
  ];
}
