/**
 * schemaGuard answers "no change" for a CrudApi whose schema is alike field by field without walking its fields
 * (src/plan/schema-guard.ts sameFields: 999 of 1,000 CrudApis on a review page with a base, bench/plan-review.ts).
 * Its changes are the ones of the walk, frozen here, for any two schemas: alike ones, copies, reordered fields,
 * and values a `===` compare and the walk may see differently (NaN, -0, null, Dates, nested defaults).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResourcePlan } from '../../src/model/plan.js';
import type { FieldSpec } from '../../src/model/runtime-manifest.js';
import { schemaGuardEntities, type EntitySchema } from '../../src/plan/schema-guard.js';

const strict = (s: FieldSpec) => s.required && s.default === undefined;
const dropped = (before: FieldSpec, after: FieldSpec): string[] => {
  if (after.enum === undefined) return [];
  if (before.enum === undefined) return ['*'];
  const now = after.enum;
  return before.enum.filter((v) => !now.includes(v)).map((v) => JSON.stringify(v));
};

/** The changes of one CrudApi as the walk found them (field, kind, needsMigration), before sameFields. */
function frozenChanges(before: EntitySchema['schema'], after: EntitySchema['schema']): unknown[] {
  const out: unknown[] = [];
  const change = (field: string, kind: string, needs: boolean) =>
    out.push({ field, kind, needsMigration: needs });
  for (const [field, old] of Object.entries(before)) {
    const now = Object.hasOwn(after, field) ? after[field] : undefined;
    if (!now) change(field, 'removed', true);
    else if (now.type !== old.type) change(field, 'retyped', true);
    else if (strict(now) && !strict(old)) change(field, 'made-required', true);
    else if (dropped(old, now).length > 0) change(field, 'enum-narrowed', true);
    else if (!strict(now) && strict(old)) change(field, 'relaxed', false);
    else if (JSON.stringify(now.default) !== JSON.stringify(old.default))
      change(field, 'default-changed', false);
  }
  for (const [field, now] of Object.entries(after)) {
    if (Object.hasOwn(before, field)) continue;
    change(field, strict(now) ? 'added-required' : 'added', strict(now));
  }
  return out;
}

const value = fc.oneof(
  fc.constantFrom<unknown>(Number.NaN, -0, 0, null, 'open', 'x', true, new Date(0), new Date(1)),
  fc.constantFrom<unknown>({ a: 1 }, { a: [1, 2] }, [], ['a']),
);
const spec: fc.Arbitrary<FieldSpec> = fc.record(
  {
    type: fc.constantFrom('string', 'number', 'boolean'),
    required: fc.boolean(),
    enum: fc.array(fc.constantFrom<unknown>('a', 'b', Number.NaN, null), { maxLength: 3 }),
    default: value,
  },
  { requiredKeys: ['type', 'required'] },
) as fc.Arbitrary<FieldSpec>;
const schema = fc.dictionary(fc.constantFrom('id', 'name', 'price', 'status'), spec, {
  maxKeys: 4,
});
/** A value JSON may write alike but `===` does not see alike (NaN and null, -0 and 0), or a Date a moment later. */
function twin(v: unknown): unknown {
  if (Number.isNaN(v)) return null;
  if (v === null) return Number.NaN;
  if (Object.is(v, -0)) return 0;
  if (v instanceof Date) return new Date(v.getTime() + 1);
  if (Array.isArray(v)) return v.map(twin);
  if (typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, twin(x)]));
  return v;
}

/**
 * After: a structured copy of before (alike), its twin, the same with one field changed or the fields reordered,
 * or any.
 */
const pair = schema.chain((before) =>
  fc.tuple(
    fc.constant(before),
    fc.oneof(
      fc.constant(structuredClone(before)),
      fc.constant(twin(before) as EntitySchema['schema']),
      fc.constant(Object.fromEntries(Object.entries(before).reverse())),
      spec.map((s) => ({ ...structuredClone(before), price: s })),
      schema,
    ),
  ),
);

const planOf = (s: EntitySchema['schema']) =>
  ({
    resources: [
      { type: 'functions', config: { crudEntities: [{ componentId: 'Api', schema: s }] } },
    ],
  }) as unknown as ResourcePlan;

describe('schemaGuard against the field walk it skips for alike schemas', () => {
  it('finds the same changes for any two schemas (1,000 runs)', () => {
    fc.assert(
      fc.property(pair, ([before, after]) => {
        const { changes } = schemaGuardEntities(
          [{ componentId: 'Api', schema: before }],
          planOf(after),
        );
        expect(
          changes.map((c) => ({ field: c.field, kind: c.kind, needsMigration: c.needsMigration })),
        ).toEqual(frozenChanges(before, after));
      }),
      { numRuns: 1000 },
    );
  });
});
