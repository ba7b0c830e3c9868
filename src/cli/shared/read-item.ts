import type { Container } from '../azure/cosmos.js';

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * The item `id` of partition `key` as stored (Cosmos DB's system properties included), or undefined when there is
 * none (404); any other failure is thrown.
 *
 * @example
 * ```ts
 * const found = await readOrMissing(container, 'stored:atakora-cli', 'contoso');
 * if (found) found._etag; // for an If-Match
 * ```
 */
export async function readOrMissing(
  container: Container,
  id: string,
  key: string | number | boolean | undefined,
): Promise<(Record<string, unknown> & { readonly _etag: string }) | undefined> {
  try {
    const { resource } = await container.item(id, key).read<Record<string, unknown>>();
    return resource;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}
