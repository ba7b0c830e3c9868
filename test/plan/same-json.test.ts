import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/kit/pure/resources/merge-strategies.js';
import type { JsonValue } from '../../src/model/plan.js';
import { diffConfig, isObject, sameJson } from '../../src/plan/diff/diff-config.js';
import { propertyRuns } from './support/budget.js';

/** diffConfig as it was before sameJson (frozen here): the same walk, deciding "no change" by comparing texts. */
function textDiff(before: unknown, after: unknown, path: string[] = [], text = ''): unknown[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const leaf = () => [
    {
      path,
      pathText: text,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
    },
  ];
  const b = before as JsonValue | undefined;
  const a = after as JsonValue | undefined;
  if (isObject(b) && isObject(a)) {
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort(compare);
    return keys.flatMap((k) => textDiff(b[k], a[k], [...path, k], text ? `${text}.${k}` : k));
  }
  if (Array.isArray(b) && Array.isArray(a)) {
    const lists = [b, a] as readonly (readonly JsonValue[])[];
    const items = lists.flat();
    const id =
      items.length === 0 || !items.every(isObject)
        ? undefined
        : ['name', 'componentId', 'key', 'id'].find((f) =>
            lists.every((l) => {
              const vals = l.map((x) => (x as Record<string, JsonValue>)[f]);
              return vals.every((v) => typeof v === 'string') && new Set(vals).size === vals.length;
            }),
          );
    if (!id) return leaf();
    const index = (xs: readonly JsonValue[]) =>
      new Map(xs.map((x) => [(x as Record<string, string>)[id] ?? '', x]));
    const bi = index(b);
    const ai = index(a);
    const ids = [...new Set([...bi.keys(), ...ai.keys()])].sort(compare);
    return ids.flatMap((k) => textDiff(bi.get(k), ai.get(k), [...path, k], `${text}[${k}]`));
  }
  return leaf();
}

// The plan diff asks at every level whether two subtrees write the same JSON (diffConfig). sameJson answers it
// without writing them; it must answer exactly as comparing the texts would.

/** JSON-like values with what JSON treats specially: undefined, non-finite numbers, -0, and shared key sets. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constantFrom(null, undefined, true, false, 0, -0, 1, Number.NaN, Infinity, '', 'a', 'b'),
    fc.double(),
    fc.string({ maxLength: 3 }),
  ),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', '1', '0'), tie('node'), { maxKeys: 4 }),
  ),
})).node;

/** The same keys and values written in another order (JSON's text differs; the diff finds no change in them). */
const reordered = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(reordered);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reordered(x)]),
    );
  return v;
};

describe('sameJson', () => {
  it('answers as comparing JSON texts does, for any two values (a long run of 2,000, test/plan/support/budget.ts)', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
        expect(sameJson(a, a)).toBe(true);
        expect(sameJson(a, reordered(a))).toBe(JSON.stringify(a) === JSON.stringify(reordered(a)));
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  it('leaves diffConfig as it was when it compared texts, on values, reorderings and edits', () => {
    const edited = (v: unknown, at: number): unknown => {
      if (Array.isArray(v))
        return v.map((x, i) => (i === at % (v.length || 1) ? edited(x, at + 1) : x));
      if (v && typeof v === 'object') {
        const keys = Object.keys(v);
        if (keys.length === 0) return { added: at };
        const k = keys[at % keys.length]!;
        return { ...(v as object), [k]: edited((v as Record<string, unknown>)[k], at + 1) };
      }
      return typeof v === 'number' ? v + 1 : `${String(v)}!`;
    };
    fc.assert(
      fc.property(value, value, fc.nat(), (a, b, at) => {
        for (const other of [reordered(a), b, edited(a, at)])
          expect(diffConfig(a as JsonValue, other as JsonValue)).toEqual(textDiff(a, other));
      }),
      { numRuns: propertyRuns(500) },
    );
  });

  it('leaves diffConfig as it was on lists matched by name (items added, removed, edited, reordered)', () => {
    // Lists of objects with an identity field (name, componentId, key, id), as a plan's entities and containers
    // are, sometimes with a repeated or missing identity (then compared whole), inside objects of such lists.
    const item = fc.record(
      {
        name: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
        id: fc.constantFrom('x', 'y', 'z'),
        v: value,
      },
      { requiredKeys: [] },
    );
    const list = fc.array(item, { maxLength: 5 });
    const config = fc.dictionary(
      fc.constantFrom('entities', 'settings', 'k'),
      fc.oneof(list, value),
      {
        maxKeys: 3,
      },
    );
    fc.assert(
      fc.property(config, config, (a, b) => {
        const shuffled = Object.fromEntries(
          Object.entries(a).map(([k, v]) => [k, Array.isArray(v) ? [...v].reverse() : v]),
        );
        for (const other of [b, shuffled, reordered(a), { ...b, ...a, entities: b['entities'] }])
          expect(diffConfig(a as JsonValue, other as JsonValue)).toEqual(textDiff(a, other));
        expect(diffConfig(a as JsonValue, a as JsonValue)).toEqual([]);
      }),
      { numRuns: propertyRuns(1000) },
    );
  });
});
