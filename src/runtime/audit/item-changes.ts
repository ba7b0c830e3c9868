import { jsonObjectOf } from '../../contract/json-object.js';
import type { HttpResponseInit } from '@azure/functions';
import { stripSystemFields } from '../values/system-fields.js';

// Where an update's answer carries the item as it was stored before: a hidden symbol key on the answer itself —
// never sent (the host reads the response's named fields only), gone with the answer (as realtime/deleted-items.ts).
const PRIOR = Symbol('atakora.priorItem');

/**
 * The answer of a replace or merge with the item as stored before it, for the audit log's `changes` only.
 *
 * @example
 * ```ts
 * return withPriorItem(ok(body, etag), stored?.resource);
 * ```
 */
export function withPriorItem(
  response: HttpResponseInit,
  prior: Readonly<Record<string, unknown>> | undefined,
): HttpResponseInit {
  return prior ? Object.defineProperty({ ...response }, PRIOR, { value: prior }) : response;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * An update's changed fields `{ field: { from?, to? } }`, from the item stored before ({@link withPriorItem}) to the
 * item the answer carries — fields that did not change never named, their values never copied, system fields and
 * `skip` (an embedding vector: the text it is made from is what changed) left out. Undefined when the answer
 * carries no prior item or body.
 *
 * @example
 * ```ts
 * itemChanges(response, ['embedding']); // { title: { from: 'draft', to: 'final' } }
 * ```
 */
export function itemChanges(
  response: HttpResponseInit,
  skip: readonly string[],
): Record<string, unknown> | undefined {
  const prior = (response as { [PRIOR]?: Readonly<Record<string, unknown>> })[PRIOR];
  const after = jsonObjectOf(response.body);
  if (!prior || !after) return undefined;
  const before = stripSystemFields(prior);
  const out: Record<string, unknown> = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (skip.includes(field) || same(before[field], after[field])) continue;
    const from = before[field];
    const to = after[field];
    out[field] = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
  }
  return out;
}
