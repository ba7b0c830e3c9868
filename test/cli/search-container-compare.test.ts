import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containerBody } from '../../src/cli/azure/search/container-body.js';
import { compareContainer } from '../../src/cli/azure/search/container-compare.js';
import type { MergedContainer } from '../../src/resources/cosmos/databases.js';
import { echoedContainer } from '../support/cosmos-arm-echo.js';

/** A search container as the plan merges it: text, vector (every index type and distance), TTL, unique keys. */
const container: fc.Arbitrary<MergedContainer> = fc
  .record({
    partitionKey: fc.constantFrom('/id', '/tenantId', '/customerId'),
    ttl: fc.option(fc.integer({ min: -1, max: 86_400 }), { nil: undefined }),
    uniqueKeys: fc.uniqueArray(fc.constantFrom('/email', '/sku', '/code'), { maxLength: 2 }),
    text: fc.option(
      fc.record({
        fields: fc.uniqueArray(fc.constantFrom('title', 'body', 'summary'), {
          minLength: 1,
          maxLength: 3,
        }),
        language: fc.constantFrom('en-US', 'de-DE', 'pt-BR'),
      }),
      { nil: undefined },
    ),
    vector: fc.option(
      fc.record({
        dimensions: fc.integer({ min: 1, max: 505 }),
        distance: fc.constantFrom('cosine', 'dotproduct', 'euclidean'),
        index: fc.constantFrom('flat', 'quantizedFlat', 'diskANN'),
      }),
      { nil: undefined },
    ),
    excluded: fc.uniqueArray(fc.constantFrom('/secret/*', '/blob/*'), { maxLength: 2 }),
  })
  .filter((c) => c.text !== undefined || c.vector !== undefined)
  .map((c) => ({
    name: 'ticket',
    partitionKey: c.partitionKey,
    ...(c.ttl !== undefined ? { ttl: c.ttl } : {}),
    uniqueKeys: c.uniqueKeys,
    ...(c.excluded.length
      ? {
          indexingPolicy: {
            indexingMode: 'consistent',
            includedPaths: [{ path: '/*' }],
            excludedPaths: c.excluded.map((path) => ({ path })),
          },
        }
      : {}),
    access: { TicketApi: 'readwrite' as const },
    deployedBy: 'atakora deploy' as const,
    search: {
      ...(c.text
        ? {
            fullTextPolicy: {
              defaultLanguage: c.text.language,
              fullTextPaths: c.text.fields.map((f) => ({
                path: `/${f}`,
                language: c.text!.language,
              })),
            },
            fullTextIndexes: c.text.fields.map((f) => ({ path: `/${f}` })),
          }
        : {}),
      ...(c.vector
        ? {
            vectorEmbeddingPolicy: {
              vectorEmbeddings: [
                {
                  path: '/embedding',
                  dataType: 'float32' as const,
                  distanceFunction: c.vector.distance,
                  dimensions: c.vector.dimensions,
                },
              ],
            },
            vectorIndexes: [{ path: '/embedding', type: c.vector.index }],
          }
        : {}),
    },
  }));

const wanted = (c: MergedContainer) => containerBody(c).properties.resource;
/** What Sql Resources - Get answers after the step's PUT at api-version 2025-10-15 (test/support/cosmos-arm-echo.ts). */
const live = (c: MergedContainer) => echoedContainer(wanted(c), '2025-10-15');

describe('a search container compared as Resource Manager answers it', () => {
  it('reads what Azure echoes of its own PUT as equal: no immutable change, nothing to update', () => {
    fc.assert(
      fc.property(container, (c) => {
        expect(compareContainer(live(c), wanted(c))).toEqual({ immutable: [], changed: false });
      }),
    );
  });

  it("takes Azure's own spellings: 'Consistent', the system paths, the vector index settings it chose", () => {
    fc.assert(
      fc.property(container, (c) => {
        const echoed = live(c);
        const policy = echoed['indexingPolicy'] as Record<string, unknown>;
        const restorable = {
          ...echoed,
          indexingPolicy: {
            ...policy,
            indexingMode: 'Consistent',
            includedPaths: [...(policy['includedPaths'] as object[]), { path: '/"_ts"/?' }],
            vectorIndexes: ((policy['vectorIndexes'] ?? []) as object[]).map((v) => ({
              ...v,
              vectorIndexShardKey: ['/tenantId'],
            })),
          },
        };
        expect(compareContainer(restorable, wanted(c))).toEqual({ immutable: [], changed: false });
      }),
    );
  });

  it('still finds every real difference: each immutable part by name, a mutable one as a change', () => {
    fc.assert(
      fc.property(container, container, (a, b) => {
        const d = compareContainer(live(a), wanted(b));
        const differs = (x: unknown, y: unknown) => JSON.stringify(x) !== JSON.stringify(y);
        expect(d.immutable.includes('partitionKey')).toBe(differs(a.partitionKey, b.partitionKey));
        expect(d.immutable.includes('uniqueKeyPolicy')).toBe(
          differs([...a.uniqueKeys].sort(), [...b.uniqueKeys].sort()),
        );
        expect(d.immutable.includes('vectorEmbeddingPolicy')).toBe(
          differs(a.search?.vectorEmbeddingPolicy, b.search?.vectorEmbeddingPolicy),
        );
        expect(d.immutable.includes('fullTextPolicy')).toBe(differs(normalText(a), normalText(b)));
        if (d.immutable.length === 0)
          expect(d.changed).toBe(
            differs(a.ttl, b.ttl) ||
              differs(excludedOf(a), excludedOf(b)) ||
              differs(
                (a.search?.fullTextIndexes ?? []).map((i) => i.path).sort(),
                (b.search?.fullTextIndexes ?? []).map((i) => i.path).sort(),
              ),
          );
      }),
    );
  });

  it('a full-text index the api-version dropped is a change to make (2025-04-15 does not declare them)', () => {
    const c = fc.sample(
      container.filter((x) => x.search?.fullTextIndexes !== undefined),
      1,
    )[0]!;
    const atOldVersion = echoedContainer(wanted(c), '2025-04-15');
    expect(compareContainer(atOldVersion, wanted(c))).toEqual({ immutable: [], changed: true });
  });
});

const normalText = (c: MergedContainer) => {
  const p = c.search?.fullTextPolicy;
  return p ? [p.defaultLanguage, p.fullTextPaths.map((x) => x.path).sort()] : null;
};
const excludedOf = (c: MergedContainer) =>
  [
    ...((c.indexingPolicy?.['excludedPaths'] as { path: string }[] | undefined) ?? []).map(
      (p) => p.path,
    ),
    ...(c.search?.vectorIndexes ?? []).map((v) => `${v.path}/*`),
  ].sort();
