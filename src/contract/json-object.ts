/**
 * The JSON object a text holds, or undefined: not a text, not JSON, or JSON of another kind (an array, a number,
 * `null`) — what both ends read of a message or an answer's body that should be one object.
 *
 * @example
 * ```ts
 * jsonObjectOf('{"id":"o-1"}'); // { id: 'o-1' }
 * jsonObjectOf('[1]'); // undefined
 * ```
 */
export function jsonObjectOf(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
