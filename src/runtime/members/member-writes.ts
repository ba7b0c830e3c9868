/**
 * A Cosmos DB error's status code (`code`), as the member store's conditional writes read it.
 *
 * @example
 * ```ts
 * if (statusOf(e) === 409) return 'exists';
 * ```
 */
export const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * An item's ETag (`_etag`), or `''` when it has none: the condition of a later write.
 *
 * @example
 * ```ts
 * etagOf(resource); // '"0000…"'
 * ```
 */
export const etagOf = (r: Record<string, unknown> | undefined): string =>
  typeof r?.['_etag'] === 'string' ? r['_etag'] : '';

/**
 * Map the conditional-write failures Cosmos DB answers to the store's words; anything else is thrown on.
 *
 * @example
 * ```ts
 * const done = await conditional(() => item.replace(body, { accessCondition }));
 * if (done === 'changed') return 'changed';
 * ```
 */
export async function conditional<T>(run: () => Promise<T>): Promise<T | 'changed' | 'missing'> {
  try {
    return await run();
  } catch (e) {
    if (statusOf(e) === 412) return 'changed';
    if (statusOf(e) === 404) return 'missing';
    throw e;
  }
}

/**
 * An item read as `of` makes it, with its ETag; undefined when absent or not of that shape.
 *
 * @example
 * ```ts
 * tagged(resource, membershipOf); // { value: { roles: ['Owner'], … }, etag: '"…"' }
 * ```
 */
export const tagged = <T>(
  resource: Record<string, unknown> | undefined,
  of: (r: unknown) => T | undefined,
): { value: T; etag: string } | undefined => {
  const value = resource ? of(resource) : undefined;
  return value ? { value, etag: etagOf(resource) } : undefined;
};
