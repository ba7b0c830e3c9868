/** One aggregate of a reference `$apply`. */
export type RefAggregate =
  | { readonly kind: 'count'; readonly alias: string }
  | {
      readonly kind: 'sum' | 'min' | 'max' | 'average';
      readonly field: string;
      readonly alias: string;
    };

/** Cosmos DB's order of types (undefined, null, booleans, numbers, strings), then values. */
function compare(a: unknown, b: unknown): number {
  const rank = (v: unknown) =>
    v === undefined
      ? 0
      : v === null
        ? 1
        : typeof v === 'boolean'
          ? 2
          : typeof v === 'number'
            ? 3
            : 4;
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * The truth an `$apply` answer must equal, computed from the items alone: one group per distinct combination of the
 * group fields (an absent field a group of its own, left out of the answer), `$count` the group's size, `sum` of the
 * present values (0 when none), `average` of them (absent when none), `min`/`max` in Cosmos DB's order; groups
 * sorted by their fields.
 */
export function groupReference(
  items: readonly Record<string, unknown>[],
  groupBy: readonly string[],
  aggregates: readonly RefAggregate[],
): Record<string, unknown>[] {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const item of items) {
    const key = JSON.stringify(groupBy.map((f) => (f in item ? item[f] : '\u0000absent')));
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const out = [...groups.values()].map((members) => {
    const first = members[0]!;
    const row: Record<string, unknown> = {};
    for (const f of groupBy) if (first[f] !== undefined) row[f] = first[f];
    for (const a of aggregates) {
      if (a.kind === 'count') {
        row[a.alias] = members.length;
        continue;
      }
      const values = members.map((m) => m[a.field]).filter((v) => v !== undefined);
      if (a.kind === 'sum') row[a.alias] = (values as number[]).reduce((s, n) => s + n, 0);
      else if (a.kind === 'average') {
        if (values.length)
          row[a.alias] = (values as number[]).reduce((s, n) => s + n, 0) / values.length;
      } else if (values.length) {
        const sorted = [...values].sort(compare);
        row[a.alias] = a.kind === 'min' ? sorted[0] : sorted[sorted.length - 1];
      }
    }
    return row;
  });
  return out.sort((x, y) => {
    for (const f of groupBy) {
      const d = compare(x[f], y[f]);
      if (d !== 0) return d;
    }
    return 0;
  });
}
