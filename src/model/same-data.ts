/**
 * The same data: `===`, or arrays and plain objects with the same keys in the same order and the same values, leaf
 * by leaf. Stricter than equal JSON (a key holding `undefined` is a key; NaN, Dates and other values are the same
 * only when `===`), so never the same where a reader of either could tell them apart: what the planner's shortcuts
 * ask before they skip work (a schema's field walk, an access row derived again).
 *
 * @example
 * ```ts
 * sameData({ a: [1, 'x'] }, { a: [1, 'x'] }); // true
 * sameData({ a: 1, b: 2 }, { b: 2, a: 1 });   // false: the keys' order differs
 * ```
 */
export function sameData(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameData(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(y) || !plain(x) || !plain(y)) return false;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  if (kx.length !== ky.length) return false;
  for (let i = 0; i < kx.length; i++) {
    const k = kx[i] as string;
    if (k !== ky[i]) return false;
    if (!sameData((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}

const plain = (v: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
