import {
  COMPARE_OPERATORS,
  STRING_FUNCTIONS,
  type CompareOperator,
  type FieldRef,
  type FilterNode,
  type LiteralNode,
  type StringFunction,
} from './ast.js';
import { QUERY_LIMITS, tooLong, QueryFailure, type QueryResult } from './issues.js';
import { tokenize, type Token } from './tokens.js';
import { at } from '../../model/at.js';

const P = '$filter';

function describe(t: Token): string {
  switch (t.type) {
    case 'end':
      return 'the end of the expression';
    case 'word':
      return `"${t.text}"`;
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${t.value}`;
    default:
      return `"${t.type}"`;
  }
}

/** Recursive descent over the tokens: or → and → not → primary. Depth counts parentheses and `not`. */
class FilterParser {
  private i = 0;
  private literals = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return at(this.tokens, this.i);
  }
  private next(): Token {
    return at(this.tokens, this.i++);
  }
  private isWord(text: string): boolean {
    const t = this.peek();
    return t.type === 'word' && t.text === text;
  }
  private fail(
    t: Token,
    message: string,
    code: 'syntax' | 'too-deep' | 'too-many' = 'syntax',
  ): never {
    throw new QueryFailure({ code, parameter: P, position: t.pos, message });
  }
  private expect(type: '(' | ')' | ',', what: string): Token {
    const t = this.next();
    if (t.type !== type) this.fail(t, `Expected ${what} but found ${describe(t)}.`);
    return t;
  }

  parse(): FilterNode {
    const node = this.or(0);
    const t = this.peek();
    if (t.type !== 'end')
      this.fail(t, `Expected "and", "or" or the end of the expression but found ${describe(t)}.`);
    return node;
  }

  private or(depth: number): FilterNode {
    const first = this.and(depth);
    if (!this.isWord('or')) return first;
    const items = [first];
    while (this.isWord('or')) {
      this.next();
      items.push(this.and(depth));
    }
    return { kind: 'or', items, pos: first.pos };
  }

  private and(depth: number): FilterNode {
    const first = this.unary(depth);
    if (!this.isWord('and')) return first;
    const items = [first];
    while (this.isWord('and')) {
      this.next();
      items.push(this.unary(depth));
    }
    return { kind: 'and', items, pos: first.pos };
  }

  private deeper(t: Token, depth: number): number {
    if (depth + 1 > QUERY_LIMITS.maxDepth)
      this.fail(
        t,
        `The expression nests deeper than ${QUERY_LIMITS.maxDepth} levels of parentheses and "not".`,
        'too-deep',
      );
    return depth + 1;
  }

  private unary(depth: number): FilterNode {
    const t = this.peek();
    if (t.type === 'word' && t.text === 'not') {
      this.next();
      return { kind: 'not', operand: this.unary(this.deeper(t, depth)), pos: t.pos };
    }
    if (t.type === '(') {
      this.next();
      const inner = this.or(this.deeper(t, depth));
      this.expect(')', '")"');
      return inner;
    }
    return this.primary();
  }

  private field(): FieldRef {
    const t = this.next();
    if (t.type !== 'word') this.fail(t, `Expected a field name but found ${describe(t)}.`);
    return { name: t.text, pos: t.pos };
  }

  private literal(): LiteralNode {
    const t = this.next();
    if (++this.literals > QUERY_LIMITS.maxLiterals)
      this.fail(t, `The expression has more than ${QUERY_LIMITS.maxLiterals} values.`, 'too-many');
    if (t.type === 'string') return { kind: 'string', value: t.value, pos: t.pos };
    if (t.type === 'number') return { kind: 'number', value: t.value, pos: t.pos };
    if (t.type === 'word' && (t.text === 'true' || t.text === 'false'))
      return { kind: 'boolean', value: t.text === 'true', pos: t.pos };
    if (t.type === 'word' && t.text === 'null') return { kind: 'null', value: null, pos: t.pos };
    return this.fail(
      t,
      `Expected a value ('text', a number, true, false or null) but found ${describe(t)}.`,
    );
  }

  private primary(): FilterNode {
    const t = this.peek();
    if (t.type !== 'word')
      this.fail(t, `Expected a field name, "not", "(" or a function but found ${describe(t)}.`);
    if (
      (STRING_FUNCTIONS as readonly string[]).includes(t.text) &&
      this.tokens[this.i + 1]?.type === '('
    ) {
      this.next();
      this.next();
      const field = this.field();
      this.expect(',', '","');
      const value = this.literal();
      this.expect(')', '")"');
      return { kind: 'call', fn: t.text as StringFunction, field, value, pos: t.pos };
    }
    const field = this.field();
    const op = this.next();
    if (op.type === 'word' && op.text === 'in') {
      this.expect('(', '"(" after "in"');
      const values = [this.literal()];
      while (this.peek().type === ',') {
        this.next();
        values.push(this.literal());
      }
      this.expect(')', '")" or ","');
      return { kind: 'in', field, values, pos: field.pos };
    }
    if (op.type !== 'word' || !(COMPARE_OPERATORS as readonly string[]).includes(op.text)) {
      this.fail(
        op,
        `Expected an operator (${COMPARE_OPERATORS.join(', ')}, in) after "${field.name}" but found ${describe(op)}.`,
      );
    }
    return {
      kind: 'compare',
      op: op.text as CompareOperator,
      field,
      value: this.literal(),
      pos: field.pos,
    };
  }
}

/**
 * Parse a `$filter` expression into its syntax tree (no schema yet: {@link checkFilter} does that). Over
 * {@link QUERY_LIMITS}.maxLength characters, deeper than maxDepth or with more than maxLiterals values is an
 * issue, like any syntax error, with the position.
 *
 * @example
 * ```ts
 * const r = parseFilter("price gt 5 and startswith(name,'A')");
 * if (r.ok) r.value.kind; // 'and'
 * parseFilter('price gt'); // { ok: false, issues: [{ code: 'syntax', parameter: '$filter', position: 8, … }] }
 * ```
 */
export function parseFilter(text: string): QueryResult<FilterNode> {
  const long = tooLong(P, text);
  if (long) return long;
  try {
    return { ok: true, value: new FilterParser(tokenize(text, P)).parse() };
  } catch (e) {
    if (e instanceof QueryFailure) return { ok: false, issues: [e.issue] };
    throw e;
  }
}
