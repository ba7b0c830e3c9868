/**
 * The OData filter of Web PubSub's send APIs (Learn, "OData filter syntax in the Azure Web PubSub service"), the
 * part the loopback hub evaluates: `userId` and `connectionId` compared with `eq`/`ne` to a string literal (`''`
 * for a quote), `'<group>' in groups`, `and`, `or`, `not`, parentheses, `true`/`false`. Anything else is refused
 * (the hub answers 400), never guessed at.
 */

/** A connection as a filter sees it. */
export interface FilterSubject {
  readonly userId: string | undefined;
  readonly connectionId: string;
  /** The connection's groups, in lower case. */
  readonly groups: ReadonlySet<string>;
}

type Tok = { t: 'str'; v: string } | { t: 'id'; v: string } | { t: '(' } | { t: ')' };

function tokens(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c });
      i++;
    } else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated string');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += text.charAt(i);
        i++;
      }
      out.push({ t: 'str', v });
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
      if (!m) throw new Error(`unexpected "${c}" at ${String(i)}`);
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/**
 * Compile a filter to a predicate over connections; throws an `Error` naming what it does not understand.
 *
 * @example
 * ```ts
 * const keep = compileFilter("not('g1' in groups) and userId ne 'u''1'");
 * keep({ userId: 'u2', connectionId: 'c', groups: new Set(['g2']) }); // true
 * ```
 */
export function compileFilter(text: string): (s: FilterSubject) => boolean {
  const toks = tokens(text);
  let p = 0;
  const peekId = (v: string) => toks[p]?.t === 'id' && (toks[p] as { v: string }).v === v;
  const expect = (t: Tok['t']): Tok => {
    const tok = toks[p];
    if (tok?.t !== t) throw new Error(`expected ${t} at token ${String(p)}`);
    p++;
    return tok;
  };
  const or = (): ((s: FilterSubject) => boolean) => {
    let left = and();
    while (peekId('or')) {
      p++;
      const l = left;
      const r = and();
      left = (s) => l(s) || r(s);
    }
    return left;
  };
  const and = (): ((s: FilterSubject) => boolean) => {
    let left = unary();
    while (peekId('and')) {
      p++;
      const l = left;
      const r = unary();
      left = (s) => l(s) && r(s);
    }
    return left;
  };
  const unary = (): ((s: FilterSubject) => boolean) => {
    if (peekId('not')) {
      p++;
      const inner = unary();
      return (s) => !inner(s);
    }
    return primary();
  };
  const primary = (): ((s: FilterSubject) => boolean) => {
    const tok = toks[p];
    if (tok?.t === '(') {
      p++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (tok?.t === 'str') {
      p++;
      if (!peekId('in')) throw new Error("expected 'in groups' after a string");
      p++;
      if (!peekId('groups')) throw new Error("only 'in groups' is supported");
      p++;
      // Case-insensitive, as the service compares group names in filters: `groups` holds lower-case names.
      const group = tok.v.toLowerCase();
      return (s) => s.groups.has(group);
    }
    if (tok?.t === 'id' && (tok.v === 'true' || tok.v === 'false')) {
      p++;
      const v = tok.v === 'true';
      return () => v;
    }
    if (tok?.t === 'id' && (tok.v === 'userId' || tok.v === 'connectionId')) {
      p++;
      const field = tok.v;
      const op = toks[p];
      if (op?.t !== 'id' || (op.v !== 'eq' && op.v !== 'ne'))
        throw new Error(`only eq and ne compare ${field}`);
      p++;
      const value = toks[p];
      if (value?.t === 'id' && value.v === 'null') {
        p++;
        const eq = op.v === 'eq';
        return (s) => (s[field] === undefined) === eq;
      }
      const lit = expect('str') as { v: string };
      const eq = op.v === 'eq';
      // Web PubSub compares these case-insensitively.
      const want = lit.v.toLowerCase();
      return (s) => (s[field]?.toLowerCase() === want) === eq;
    }
    throw new Error(`unsupported filter term at token ${String(p)}`);
  };
  const predicate = or();
  if (p !== toks.length) throw new Error(`unexpected text after token ${String(p)}`);
  return predicate;
}
