/**
 * Copy plain objects and arrays, keep everything else (functions, class instances such as providers) by
 * reference. Builders hold copies so freezing their state never freezes, or sees later edits to, the
 * caller's objects.
 */
export function cloneInput<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneInput) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string | symbol, unknown> = {};
    for (const k of Reflect.ownKeys(value))
      out[k] = cloneInput((value as Record<string | symbol, unknown>)[k]);
    return out as T;
  }
  return value;
}
