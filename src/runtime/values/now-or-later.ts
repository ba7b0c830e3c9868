/**
 * `then` for a value that is a promise only when it had to wait (a view read again, a registry read): `f` on the
 * value now when it is one — no promise, no microtask, as the limits and the meter's views answer almost every
 * request — else on what the promise gives.
 *
 * @example
 * ```ts
 * return nowOrLater(meter.dayRu(tenant), (spent) => (spent < max ? undefined : refusal));
 * ```
 */
export function nowOrLater<T, R>(
  value: T | Promise<T>,
  f: (value: T) => R | Promise<R>,
): R | Promise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}
