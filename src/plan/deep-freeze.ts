/** Freeze a plain-data tree in place and return it typed as deeply readonly. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/**
 * Copy a plain-data tree as JSON would (dropping `undefined` properties, turning `undefined` array items
 * into null) and freeze the copy, in one pass: the plan is then plain, frozen, and equal to its own JSON
 * round trip, without paying for a stringify and a parse of a large plan.
 */
export function frozenPlainCopy<T>(value: T): T {
  return copy(value) as T;
}

function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? null : v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      out[i] = x === undefined || typeof x === 'function' ? null : copy(x);
    }
    return Object.freeze(out);
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined && typeof x !== 'function') out[k] = copy(x);
  }
  return Object.freeze(out);
}
