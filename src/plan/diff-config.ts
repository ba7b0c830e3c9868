import type { JsonValue } from '../model/plan.js';
import type { ConfigChange } from './diff-types.js';
import { compare } from '../kit/pure/merge-strategies.js';

/** Leaf-level differences of two JSON values; arrays of named objects are matched by name, not position. */
export function diffConfig(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: string[] = [],
  text = '',
): ConfigChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const leaf = (): ConfigChange[] => [
    {
      path,
      pathText: text,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
    },
  ];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compare);
    return keys.flatMap((k) =>
      diffConfig(before[k], after[k], [...path, k], text ? `${text}.${k}` : k),
    );
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const id = identityField(before as readonly JsonValue[], after as readonly JsonValue[]);
    if (!id) return leaf();
    // identityField checked that these values are distinct strings.
    const index = (xs: readonly JsonValue[]) =>
      new Map(xs.map((x) => [(x as Record<string, string>)[id] ?? '', x]));
    const bi = index(before as readonly JsonValue[]);
    const ai = index(after as readonly JsonValue[]);
    const ids = [...new Set([...bi.keys(), ...ai.keys()])].sort(compare);
    return ids.flatMap((k) => diffConfig(bi.get(k), ai.get(k), [...path, k], `${text}[${k}]`));
  }
  return leaf();
}

function identityField(...lists: readonly (readonly JsonValue[])[]): string | undefined {
  const items = lists.flat();
  if (items.length === 0 || !items.every(isObject)) return undefined;
  return ['name', 'componentId', 'key', 'id'].find((f) =>
    lists.every((l) => {
      const vals = l.map((x) => (x as Record<string, JsonValue>)[f]);
      return vals.every((v) => typeof v === 'string') && new Set(vals).size === vals.length;
    }),
  );
}

export const isObject = (v: JsonValue | undefined): v is { readonly [k: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
