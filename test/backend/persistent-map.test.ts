import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PersistentMap } from '../../src/backend/persistent-map.js';

describe('PersistentMap', () => {
  it('agrees with a Map after any sequence of sets, and every earlier version is unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 300 }),
        (ops) => {
          const versions: PersistentMap<number>[] = [PersistentMap.empty()];
          const models: Map<string, number>[] = [new Map()];
          for (const [k, v] of ops) {
            versions.push(versions.at(-1)!.set(k, v));
            models.push(new Map(models.at(-1)!).set(k, v));
          }
          const probes = [...new Set([...ops.map(([k]) => k), 'absent', ''])];
          versions.forEach((version, i) => {
            expect(version.size).toBe(models[i]!.size);
            for (const k of probes) expect(version.get(k)).toBe(models[i]!.get(k));
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps keys whose hashes collide apart (FNV-1a: "costarring" and "liquid" collide)', () => {
    const m = PersistentMap.empty<number>().set('costarring', 1).set('liquid', 2).set('x', 3);
    expect([m.get('costarring'), m.get('liquid'), m.get('x'), m.size]).toEqual([1, 2, 3, 3]);
    const m2 = m.set('liquid', 4);
    expect([m.get('liquid'), m2.get('liquid'), m2.get('costarring'), m2.size]).toEqual([
      2, 4, 1, 3,
    ]);
  });

  it('branches share structure without seeing each other', () => {
    let base = PersistentMap.empty<number>();
    for (let i = 0; i < 5000; i++) base = base.set(`k${i}`, i);
    const a = base.set('a', 1);
    const b = base.set('b', 2);
    expect([a.has('a'), a.has('b'), b.has('a'), b.has('b'), base.has('a')]).toEqual([
      true,
      false,
      false,
      true,
      false,
    ]);
    expect([a.get('k4999'), b.get('k0'), a.size, b.size, base.size]).toEqual([
      4999, 0, 5001, 5001, 5000,
    ]);
  });
});
