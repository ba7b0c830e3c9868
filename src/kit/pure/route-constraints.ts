/**
 * ASP.NET Core route constraints (learn.microsoft.com/aspnet/core/fundamentals/routing#route-constraints), as the
 * Functions host applies them to a route value. Numbers parse as .NET's `TryParse` with `NumberStyles.Integer`
 * and the invariant culture does (optional sign, surrounding white space); `alpha` is `^[a-z]*$` ignoring case;
 * `length`/`minlength`/`maxlength` count UTF-16 code units. A constraint not listed here (`datetime`,
 * `decimal`, a custom one) answers `undefined`: unknown, never a guess. `regex(...)` is tested with JavaScript's
 * engine (close to .NET's for common patterns) but never reasoned about by the planner (`known: false`).
 */

/** One constraint of a route parameter: `test` answers true, false, or undefined (unknown). */
export interface Constraint {
  /** Name and arguments as written, lower-cased (`min(1)`): two equal keys accept the same values. */
  readonly key: string;
  /** Whether the planner may reason about it (a `regex(...)` is tested, but never reasoned about). */
  readonly known: boolean;
  test(value: string): boolean | undefined;
  /** Values near its edges, to look for a value two parameters both accept. */
  readonly samples: readonly string[];
}

const WHITE = '[\\t\\n\\v\\f\\r ]*';
const INTEGER = new RegExp(`^${WHITE}([+-]?)(\\d+)${WHITE}$`);

function integer(value: string, bits: 32 | 64): bigint | undefined {
  const [, sign, digits] = INTEGER.exec(value) ?? [];
  if (digits === undefined) return undefined;
  const n = BigInt(`${sign === '-' ? '-' : ''}${digits}`);
  const max = (1n << BigInt(bits - 1)) - 1n;
  return n > max || n < -max - 1n ? undefined : n;
}

const GUID = [
  /^[0-9a-f]{32}$/i,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i,
  /^\([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)$/i,
];

/** One or two integer arguments (no constraint takes more); undefined for anything else. */
const numberArgs = (args: string): readonly [bigint] | readonly [bigint, bigint] | undefined => {
  const parts = args.split(',');
  if (parts.length > 2) return undefined;
  const [a, b] = parts.map((p) => integer(p, 64));
  if (a === undefined) return undefined;
  if (parts.length === 1) return [a];
  return b === undefined ? undefined : [a, b];
};

/**
 * The constraint written `text` (`int`, `length(3)`, `range(1,9)`).
 *
 * @example
 * ```ts
 * constraintOf('int').test('42');      // true
 * constraintOf('length(3)').test('ab'); // false
 * constraintOf('regex(^a$)').known;     // false: tested in dev, never reasoned about by the planner
 * ```
 */
export function constraintOf(text: string): Constraint {
  const key = text.trim().toLowerCase();
  const m = /^([a-z]+)(?:\((.*)\))?$/.exec(key);
  const name = m?.[1] ?? key;
  const args = m?.[2];
  const known = (test: (v: string) => boolean, samples: string[] = []): Constraint => ({
    key,
    known: true,
    test,
    samples,
  });
  const unknown: Constraint = { key, known: false, test: () => undefined, samples: [] };
  // ASP.NET Core's RegexRouteConstraint: IgnoreCase | CultureInvariant, not anchored unless the pattern is.
  if (name === 'regex' && args !== undefined) {
    const pattern = /^regex\((.*)\)$/is.exec(text.trim())?.[1] ?? '';
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(pattern, 'i');
    } catch {
      regex = undefined;
    }
    return { key, known: false, test: (v) => regex?.test(v), samples: [] };
  }
  if (args === undefined) {
    switch (name) {
      case 'int':
        return known(
          (v) => integer(v, 32) !== undefined,
          ['2147483647', '2147483648', '-2147483648'],
        );
      case 'long':
        return known(
          (v) => integer(v, 64) !== undefined,
          ['9223372036854775807', '9223372036854775808'],
        );
      case 'alpha':
        return known((v) => /^[a-z]*$/i.test(v));
      case 'bool':
        return known((v) => /^\s*(true|false)\s*$/i.test(v), ['True', 'FALSE']);
      case 'guid':
        return known(
          (v) => GUID.some((g) => g.test(v.trim())),
          ['0123456789abcdef0123456789abcdef', 'abcdefabcdefabcdefabcdefabcdefab'],
        );
      case 'required':
        return known((v) => v !== '');
      default:
        return unknown;
    }
  }
  const n = numberArgs(args);
  if (!n) return unknown;
  const long = (v: string) => integer(v, 64);
  const lengths = (k: number) =>
    (k > 256 ? [] : [k - 1, k, k + 1])
      .filter((x) => x > 0)
      .flatMap((x) => ['a'.repeat(x), '1'.repeat(x), 'f'.repeat(x)]);
  const numbers = (...xs: bigint[]) => xs.flatMap((x) => [x - 1n, x, x + 1n]).map(String);
  const [lo, hi] = n;
  if (hi === undefined) {
    switch (name) {
      case 'length':
        return known((v) => BigInt(v.length) === lo, lengths(Number(lo)));
      case 'minlength':
        return known((v) => BigInt(v.length) >= lo, lengths(Number(lo)));
      case 'maxlength':
        return known((v) => BigInt(v.length) <= lo, lengths(Number(lo)));
      case 'min':
        return known((v) => {
          const x = long(v);
          return x !== undefined && x >= lo;
        }, numbers(lo));
      case 'max':
        return known((v) => {
          const x = long(v);
          return x !== undefined && x <= lo;
        }, numbers(lo));
      default:
        return unknown;
    }
  }
  switch (name) {
    case 'length':
      return known(
        (v) => BigInt(v.length) >= lo && BigInt(v.length) <= hi,
        [...lengths(Number(lo)), ...lengths(Number(hi))],
      );
    case 'range':
      return known(
        (v) => {
          const x = long(v);
          return x !== undefined && x >= lo && x <= hi;
        },
        numbers(lo, hi),
      );
    default:
      return unknown;
  }
}
