import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { Embedder } from './embed-types.js';
import { embeddingProblem } from './embedding-problem.js';

/**
 * The text an item's vector is embedded from: its `embed.from` fields in declared order, each non-empty string on
 * its own line; `''` when there is none (an item without text gets no vector — Azure OpenAI refuses empty input).
 *
 * @example
 * ```ts
 * embedText(['title', 'body'], { title: 'Login', body: 'fails' }); // 'Login\nfails'
 * ```
 */
export function embedText(
  from: readonly string[],
  item: Readonly<Record<string, unknown>>,
): string {
  return from
    .map((f) => item[f])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .join('\n');
}

/**
 * An item as schema validation sees it before its vector exists: the runtime owns the vector field of an entity
 * that embeds, so what a client sent there is dropped (a GET body written back carries the old vector, which is
 * not an error) and an empty array stands in for it. Other entities' items are returned as they are.
 *
 * @example
 * ```ts
 * const refused = refusedItem(ctx, withoutClientVector(ctx.entity, item), 'The body');
 * ```
 */
export function withoutClientVector(
  entity: RuntimeEntity,
  item: Record<string, unknown>,
): Record<string, unknown> {
  const field = entity.search?.vector?.embed ? entity.search.vector.field : undefined;
  return field === undefined ? item : { ...item, [field]: [] };
}

/**
 * The item as it is stored, its vector set from its `embed.from` text: embedded anew, kept from `previous` (the
 * stored item) when its text is unchanged and its vector has the declared length — a PATCH of other fields calls
 * no model — or left out when there is no text. A failure is the write's answer, nothing stored:
 * `embedding-refused` (400) when the service refused the text, `embedding-unavailable` (503, `Retry-After`)
 * otherwise. Entities without `embed` pass through untouched.
 *
 * @example
 * ```ts
 * const embedded = await embedItem(ctx.entity, ctx.embedder, item, stored?.resource);
 * if (!embedded.ok) return embedded.response;
 * ```
 */
export async function embedItem(
  entity: RuntimeEntity,
  embedder: Embedder | undefined,
  item: Record<string, unknown>,
  previous?: Readonly<Record<string, unknown>>,
): Promise<
  { ok: true; item: Record<string, unknown> } | { ok: false; response: HttpResponseInit }
> {
  const vector = entity.search?.vector;
  if (!vector?.embed || !embedder) return { ok: true, item };
  const { [vector.field]: _sent, ...rest } = item;
  const text = embedText(vector.embed.from, rest);
  if (text === '') return { ok: true, item: rest };
  const kept = previous?.[vector.field];
  if (
    previous &&
    embedText(vector.embed.from, previous) === text &&
    Array.isArray(kept) &&
    kept.length === vector.dimensions
  )
    return { ok: true, item: { ...rest, [vector.field]: kept } };
  try {
    return { ok: true, item: { ...rest, [vector.field]: await embedder.embed(text) } };
  } catch (e) {
    return { ok: false, response: embeddingProblem(entity, e) };
  }
}
