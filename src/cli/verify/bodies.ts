import { createHash } from 'node:crypto';
import type { FieldSpec, RuntimeEntity } from '../../model/runtime-manifest.js';

/**
 * The id of a probe item named `name` (the maker and the CrudApi: `home-owner-plan1-r2-projects`) within the schema's
 * `id.maxLength`: as it is when it fits, else its head and a hash of the whole, so that two makers' ids stay apart
 * (a schema's `id: { maxLength: 36 }` holds a UUID; the per-plan and later runs' users have longer names).
 *
 * @example
 * ```ts
 * probeId(entity, 'home-role-Owner-r1-plan0-projects'); // fits 36: unchanged
 * ```
 */
export function probeId(entity: RuntimeEntity, name: string): string {
  const max = entity.schema['id']?.maxLength;
  if (max === undefined || name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, Math.min(12, max));
  const head = name.slice(0, Math.max(0, max - hash.length - 1));
  return head === '' ? hash : `${head}-${hash}`;
}

/** A valid value of a schema field: the first enum value or default when declared, else a plain one. */
function valueOf(field: string, spec: FieldSpec, salt: string): unknown {
  const listed = (spec as { enum?: readonly unknown[] }).enum;
  if (listed && listed.length > 0) return listed[0];
  if (spec.default !== undefined) return spec.default;
  switch (spec.type) {
    case 'string':
      return `${field}-${salt}`.slice(0, spec.maxLength ?? 64);
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'object':
      return {};
    case 'array':
      return [];
    case 'timestamp':
      return '2026-01-01T00:00:00.000Z';
    case 'date':
      return '2026-01-01';
  }
}

/**
 * The proof's vector: the unit vector along the first axis, every probe item's own and the vector search's query.
 *
 * @example
 * ```ts
 * unitVector(3); // [1, 0, 0]
 * ```
 */
export const unitVector = (dimensions: number): number[] =>
  Array.from({ length: dimensions }, (_, i) => (i === 0 ? 1 : 0));

/**
 * A valid body for a create (or a replace) from the entity's schema: every required field, the partition key's,
 * the given references; never the reserved `tenantId` or owner field.
 *
 * @example
 * ```ts
 * bodyOf(entity, 'home-owner-notes', { customerId: 'c1' }, 'a');
 * ```
 */
export function bodyOf(
  entity: RuntimeEntity,
  id: string,
  references: Readonly<Record<string, string>>,
  salt: string,
): Record<string, unknown> {
  const key = entity.partitionKey.replace(/^\//, '');
  const out: Record<string, unknown> = { id };
  const searched = new Set(entity.search?.text?.fields ?? []);
  for (const [field, spec] of Object.entries(entity.schema)) {
    if (field === 'id' || field === 'tenantId' || field === (entity.ownerField ?? 'ownerId'))
      continue;
    // A full-text field is filled too: the proof's search looks for a word every item holds (prove-search.ts).
    if (spec.required || field === key || searched.has(field))
      out[field] = valueOf(field, spec, salt);
  }
  // Vectors sent by the caller (no `embed`): every item the same unit vector, found by the proof's vector search.
  const v = entity.search?.vector;
  if (v && !v.embed && v.field in entity.schema) out[v.field] = unitVector(v.dimensions);
  return { ...out, ...references };
}

/** A field a PATCH may change to prove a write (a string field outside keys and references), if any. */
export function patchable(entity: RuntimeEntity): string | undefined {
  const key = entity.partitionKey.replace(/^\//, '');
  const refs = new Set((entity.relations ?? []).map((r) => r.field));
  return Object.entries(entity.schema).find(
    ([f, s]) =>
      s.type === 'string' &&
      !(s as { enum?: unknown }).enum &&
      f !== 'id' &&
      f !== key &&
      f !== 'tenantId' &&
      f !== (entity.ownerField ?? 'ownerId') &&
      !refs.has(f),
  )?.[0];
}

/**
 * The CrudApis in an order where every item a create names already exists: a `belongsTo` target before its
 * entity, a `hasMany` parent before its children (a cycle keeps the declared order).
 */
export function creationOrder(entities: readonly RuntimeEntity[]): RuntimeEntity[] {
  const ids = new Set(entities.map((e) => e.componentId));
  const before = new Map<string, Set<string>>(entities.map((e) => [e.componentId, new Set()]));
  for (const e of entities)
    for (const r of e.relations ?? []) {
      if (!ids.has(r.target) || r.target === e.componentId) continue;
      if (r.kind === 'belongsTo') before.get(e.componentId)?.add(r.target);
      if (r.kind === 'hasMany') before.get(r.target)?.add(e.componentId);
    }
  const out: RuntimeEntity[] = [];
  const done = new Set<string>();
  const visit = (e: RuntimeEntity, path: Set<string>) => {
    if (done.has(e.componentId) || path.has(e.componentId)) return;
    path.add(e.componentId);
    for (const t of before.get(e.componentId) ?? []) {
      const first = entities.find((x) => x.componentId === t);
      if (first) visit(first, path);
    }
    done.add(e.componentId);
    out.push(e);
  };
  for (const e of entities) visit(e, new Set());
  return out;
}
