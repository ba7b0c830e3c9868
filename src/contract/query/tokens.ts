import { QueryFailure, type QueryParameter } from './issues.js';

/**
 * A token of a list-query parameter: a word (field name or keyword), a literal, or punctuation, with its
 * 0-based offset.
 */
export type Token =
  | { readonly type: 'word'; readonly text: string; readonly pos: number }
  | { readonly type: 'string'; readonly value: string; readonly pos: number }
  | { readonly type: 'number'; readonly value: number; readonly pos: number }
  | { readonly type: '(' | ')' | ','; readonly pos: number }
  | { readonly type: 'end'; readonly pos: number };

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
// `$apply` names the count `$count` (OData Data Aggregation's virtual property); no other parameter has `$` words.
const APPLY_WORD = /\$?[A-Za-z_][A-Za-z0-9_]*/y;
// JSON's number syntax (no leading zeros, no hex, no Infinity): what a reader expects and JSON can carry.
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /[ \t\r\n]+/y;

function fail(parameter: QueryParameter, position: number, message: string): never {
  throw new QueryFailure({ code: 'syntax', parameter, position, message });
}

/**
 * Split one parameter's text into tokens. Strings are single-quoted with `''` for a quote (OData); every other
 * character outside the grammar is a syntax issue at its position.
 *
 * @throws QueryFailure (caught by the parsers, which return it as an issue).
 * @example
 * ```ts
 * tokenize("name eq 'O''Brien'", '$filter').map((t) => t.type); // ['word', 'word', 'string', 'end']
 * ```
 */
export function tokenize(text: string, parameter: QueryParameter): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(text);
    return m ? m[0] : undefined;
  };
  while (i < text.length) {
    // charAt: the loop's bound keeps `i` inside the text.
    const ch = text.charAt(i);
    const space = at(SPACE);
    if (space !== undefined) {
      i += space.length;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch, pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length)
          fail(
            parameter,
            start,
            "The string starting here has no closing quote (write a quote inside a string as two: '').",
          );
        const c = text.charAt(i);
        if (c === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ type: 'string', value, pos: start });
      continue;
    }
    const num = at(NUMBER);
    if (num !== undefined) {
      const value = Number(num);
      if (!Number.isFinite(value)) fail(parameter, i, `The number ${num} is out of range.`);
      // "5abc" and "01" are one mistake each, not a number followed by a field or a second number.
      if (/[A-Za-z0-9_.]/.test(text[i + num.length] ?? ''))
        fail(parameter, i, `"${text.slice(i, i + num.length + 1)}…" is not a number.`);
      tokens.push({ type: 'number', value, pos: i });
      i += num.length;
      continue;
    }
    const word = at(parameter === '$apply' ? APPLY_WORD : WORD);
    if (word !== undefined) {
      tokens.push({ type: 'word', text: word, pos: i });
      i += word.length;
      continue;
    }
    const cp = text.codePointAt(i) ?? ch.charCodeAt(0);
    fail(
      parameter,
      i,
      `Unexpected character ${cp < 0x20 || cp > 0x7e ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(ch)}.`,
    );
  }
  tokens.push({ type: 'end', pos: text.length });
  return tokens;
}
