import type { FieldSpec } from '../../model/runtime-manifest.js';
import type { FieldRef, FilterNode, LiteralNode } from './ast.js';
import type { QueryIssue } from './issues.js';
import { FILTERABLE, fieldSpec, unknownField, type QuerySchema } from './schema-fields.js';

const P = '$filter';

/** What a literal must be for a field of this type (timestamps are stored as ISO text or epoch milliseconds). */
function literalFits(spec: FieldSpec, lit: LiteralNode): boolean {
  switch (spec.type) {
    case 'string':
    case 'date':
      return lit.kind === 'string';
    case 'timestamp':
      return lit.kind === 'string' || lit.kind === 'number';
    case 'number':
      return lit.kind === 'number';
    case 'integer':
      return lit.kind === 'number' && Number.isSafeInteger(lit.value);
    case 'boolean':
      return lit.kind === 'boolean';
    default:
      return false;
  }
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: "a string in single quotes ('text')",
  date: "a date in single quotes ('2025-01-31')",
  timestamp: "a date-time in single quotes ('2025-01-31T12:00:00Z') or epoch milliseconds",
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
};

/**
 * Check a parsed `$filter` against the entity's schema: every field exists and is filterable, every literal has
 * the field's type (`null` only with `eq`/`ne`; a string literal on an enum field one of its values), string
 * functions only on string-like fields. All issues are
 * returned, each with its position.
 *
 * @example
 * ```ts
 * const parsed = parseFilter("price gt 'cheap'");
 * if (parsed.ok) checkFilter(parsed.value, { price: { type: 'number', required: false } });
 * // [{ code: 'literal-type', parameter: '$filter', position: 9, field: 'price', … }]
 * ```
 */
export function checkFilter(node: FilterNode, schema: QuerySchema): QueryIssue[] {
  const issues: QueryIssue[] = [];
  const spec = (ref: FieldRef): FieldSpec | undefined => {
    const s = fieldSpec(schema, ref.name);
    if (!s) {
      issues.push(unknownField(schema, ref, P));
      return undefined;
    }
    if (!FILTERABLE.includes(s.type)) {
      issues.push({
        code: 'not-filterable',
        parameter: P,
        position: ref.pos,
        field: ref.name,
        message:
          `"${ref.name}" is ${s.type === 'array' ? 'an array' : 'an object'}; $filter compares ` +
          `${FILTERABLE.join(', ')} fields only.`,
      });
      return undefined;
    }
    return s;
  };
  const literal = (ref: FieldRef, s: FieldSpec, lit: LiteralNode, nullAllowed: boolean) => {
    if (lit.kind === 'null' && nullAllowed) return;
    if (lit.kind === 'null' || !literalFits(s, lit)) {
      const extra = lit.kind === 'null' ? ' (null works with eq and ne only)' : '';
      issues.push({
        code: 'literal-type',
        parameter: P,
        position: lit.pos,
        field: ref.name,
        message: `"${ref.name}" is ${s.type}: compare it with ${EXPECTED[s.type] ?? 'a value of its type'}${extra}.`,
      });
    } else if (lit.kind === 'string' && s.enum !== undefined && !s.enum.includes(lit.value)) {
      // Writes store listed values only, so an unlisted literal can never match: most likely a typo.
      issues.push({
        code: 'literal-type',
        parameter: P,
        position: lit.pos,
        field: ref.name,
        message:
          `"${ref.name}" is one of ${s.enum.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}; ` +
          `'${lit.value.replaceAll("'", "''")}' is not among them.`,
      });
    }
  };
  const walk = (n: FilterNode): void => {
    switch (n.kind) {
      case 'and':
      case 'or':
        n.items.forEach(walk);
        return;
      case 'not':
        walk(n.operand);
        return;
      case 'compare': {
        const s = spec(n.field);
        if (s) literal(n.field, s, n.value, n.op === 'eq' || n.op === 'ne');
        return;
      }
      case 'in': {
        const s = spec(n.field);
        if (s) for (const v of n.values) literal(n.field, s, v, false);
        return;
      }
      case 'call': {
        const s = spec(n.field);
        if (!s) return;
        if (s.type !== 'string' && s.type !== 'date' && s.type !== 'timestamp') {
          issues.push({
            code: 'operator-type',
            parameter: P,
            position: n.pos,
            field: n.field.name,
            message: `${n.fn}() works on text fields; "${n.field.name}" is ${s.type}.`,
          });
          return;
        }
        if (n.value.kind !== 'string')
          issues.push({
            code: 'literal-type',
            parameter: P,
            position: n.value.pos,
            field: n.field.name,
            message: `${n.fn}() takes a string in single quotes as its second argument.`,
          });
      }
    }
  };
  walk(node);
  return issues;
}
