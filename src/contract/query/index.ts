/**
 * The list-query grammar of the CRUD contract (Data API builder's REST conventions: `$filter`, `$orderby`,
 * `$select`, `$first`, `$after`), pure: parsed and checked here, compiled to Cosmos DB SQL by the runtime
 * (src/runtime/queries/list-query.ts), written by the typed client with {@link formatLiteral}.
 *
 * @example
 * ```ts
 * import { parseListQuery, formatLiteral } from './contract/query/index.js';
 * const r = parseListQuery(
 *   (n) => (({ $filter: `name eq ${formatLiteral("O'Brien")}` }) as Record<string, string>)[n],
 *   { schema },
 * );
 * ```
 */
export { COMPARE_OPERATORS, LOGICAL_OPERATORS, STRING_FUNCTIONS } from './ast.js';
export type {
  CallNode,
  CompareNode,
  CompareOperator,
  FieldRef,
  FilterNode,
  InNode,
  LiteralNode,
  LogicalNode,
  NotNode,
  OrderByTerm,
  StringFunction,
} from './ast.js';
export { QUERY_LIMITS, QUERY_PARAMETERS } from './issues.js';
export type { QueryIssue, QueryIssueCode, QueryParameter, QueryResult } from './issues.js';
export { tokenize, type Token } from './tokens.js';
export { parseFilter } from './parse-filter.js';
export { checkFilter } from './check-filter.js';
export { flatTerms } from './filter-terms.js';
export { parseOrderBy, parseSelect } from './parse-orderby-select.js';
export { checkSortable } from './sortable.js';
export { fieldSpec, FILTERABLE, type QuerySchema } from './schema-fields.js';
export { formatLiteral } from './literals.js';
export { parseListQuery, type ListQuery, type QueryEntity } from './list-query.js';
export {
  parseApply,
  type AggregateMethod,
  type ApplyAggregate,
  type ApplyQuery,
} from './parse-apply.js';
