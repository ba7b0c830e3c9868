import type { FilterNode } from './ast.js';

/**
 * How many conjunctions the filter has once written flat — NOTs pushed to the comparisons (De Morgan, which holds
 * in the three-valued logic of Cosmos DB SQL) and ANDs distributed over ORs: an OR of ANDs needs no parentheses,
 * and the local Cosmos DB engine's parser costs about three times as much per level of parentheses. Capped at
 * `cap + 1` (counting stops there). `eq null` is two terms (absent, or null).
 *
 * @example
 * ```ts
 * const parsed = parseFilter("(a eq 1 or a eq 2) and (b eq 1 or b eq 2)");
 * if (parsed.ok) flatTerms(parsed.value, 64); // 4
 * ```
 */
export function flatTerms(node: FilterNode, cap: number, negated = false): number {
  switch (node.kind) {
    case 'not':
      return flatTerms(node.operand, cap, !negated);
    case 'compare':
      return node.value.kind === 'null' && (node.op === 'eq') !== negated ? 2 : 1;
    case 'in':
    case 'call':
      return 1;
    case 'and':
    case 'or': {
      // AND (or a negated OR) multiplies the terms; OR (or a negated AND) adds them.
      const product = (node.kind === 'and') !== negated;
      let n = product ? 1 : 0;
      for (const item of node.items) {
        const t = flatTerms(item, cap, negated);
        n = product ? n * t : n + t;
        if (n > cap) return cap + 1;
      }
      return n;
    }
  }
}
