/**
 * The reference model of the data plane lives in src/access/model (one home: `atakora verify` derives access
 * matrices from it too); the model-based test reads it through this file, which adds what only the test needs:
 * the final comparison's order and the plan's relation verdict on generated backends.
 */
import { type Item, type ModelState } from '../../src/access/model/reference-model.js';
import { ADMIN, isolated, type ModelBackend } from './backend.js';

export * from '../../src/access/model/reference-model.js';

/** Every stored item, as the final comparison reads the containers: `[entity, item]`, sorted. */
export function finalData(s: ModelState): [number, Item][] {
  return sortData([...s.items.values()].map((v) => [v.entity, v.item] as [number, Item]));
}

/** Items of several entities in one order: entity, then id and key fields (never key order in objects). */
export function sortData<T extends Readonly<Record<string, unknown>>>(
  data: [number, T][],
): [number, T][] {
  const key = ([e, i]: [number, T]) => JSON.stringify([e, i.id, i.region ?? '', i.tenantId ?? '']);
  return data.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}

/** The plan's relation verdict the model expects: the error codes, sorted and distinct. */
export function planErrors(b: ModelBackend): string[] {
  const codes = new Set<string>();
  b.entities.forEach((e) => {
    for (const r of e.relations) {
      const t = b.entities[r.target]!;
      if (r.kind === 'hasMany' && e.key === 'region') codes.add('RELATION_PARENT_IDENTITY');
      const eShared = !isolated(e);
      const tShared = !isolated(t);
      if (r.kind === 'belongsTo' && eShared && !tShared) codes.add('RELATION_TENANCY_MISMATCH');
      if (r.kind === 'hasMany' && r.onDelete === 'cascade' && eShared !== tShared)
        codes.add('RELATION_TENANCY_MISMATCH');
      // A per-tenant parent restricted by shared children: anyone could block its delete by creating one.
      if (r.kind === 'hasMany' && !eShared && tShared) codes.add('RELATION_TENANCY_MISMATCH');
    }
  });
  return [...codes].sort();
}

export { ADMIN };
