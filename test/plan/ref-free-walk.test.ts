import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frozenPlainData, isRefFreePlainData } from '../../src/kit/pure/plain-data.js';
import { resolveReferences } from '../../src/plan/phases/references.js';
import type { AnyResourceType } from '../../src/kit/pure/resources/resource-type.js';
import type { SourcedRequirement } from '../../src/model/requirements.js';
import { sharedKey } from '../../src/kit/pure/names/resource-key.js';

// The reference walk skips plain data known to hold no reference: the mark must never be
// on data that holds one, or a reference would silently stay unresolved in the plan.
const types = new Map([
  [
    'cosmos',
    {
      attributes: { endpoint: (n: string) => `https://${n}.documents.azure.com:443/` },
    } as unknown as AnyResourceType,
  ],
]);
const names = new Map([[sharedKey('cosmos'), 'cosmos-x']]);
const used = { cosmos: sharedKey('cosmos') };
const requirement = (config: Record<string, unknown>): SourcedRequirement => ({
  componentId: 'A',
  componentKey: 'a',
  componentType: 'Custom',
  index: 0,
  requirement: { resourceType: 'functions', requirementKey: 'a-f', config },
});

describe('plain data known to hold no reference', () => {
  it('is marked only when no text in it may be a reference, nested plain data included', () => {
    const clean = frozenPlainData({ name: 'User', list: ['a', { deep: 'b' }] });
    expect(isRefFreePlainData(clean)).toBe(true);
    const withRef = frozenPlainData({ name: 'User', list: ['a', { deep: '${cosmos.endpoint}' }] });
    expect(isRefFreePlainData(withRef)).toBe(false);
    // A root that keeps plain data holding a reference is not clean either, though it copies none of it.
    expect(isRefFreePlainData(frozenPlainData({ inner: withRef }))).toBe(false);
    expect(isRefFreePlainData(frozenPlainData({ inner: clean }))).toBe(true);
    // Only roots are marked: a clean child reached through its root is not looked up.
    expect(isRefFreePlainData(clean.list[1] as object)).toBe(false);
  });

  it('a reference inside plain data is still resolved; clean plain data is kept by identity', () => {
    const clean = frozenPlainData({
      schema: { id: 'string' },
      padding: Array.from({ length: 20 }, (_, i) => `v${i}`),
    });
    const dirty = frozenPlainData({
      url: '${cosmos.endpoint}',
      padding: Array.from({ length: 20 }, (_, i) => `v${i}`),
    });
    const out = resolveReferences(requirement({ clean, dirty }), used, names, types).requirement
      .config as { clean: unknown; dirty: { url: string } };
    expect(out.clean).toBe(clean);
    expect(out.dirty.url).toBe('https://cosmos-x.documents.azure.com:443/');
  });

  it('property: any tree made plain resolves exactly as its unmarked copy does', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constant('${cosmos.endpoint}'),
      fc.constant('x ${cosmos.endpoint} y'),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, fc.boolean(), (t, wrapTwice) => {
        const plain = frozenPlainData(wrapTwice ? { t: frozenPlainData({ t }) } : { t: { t } });
        const unmarked = JSON.parse(JSON.stringify(plain)) as Record<string, unknown>;
        const a = resolveReferences(requirement({ x: plain }), used, names, types).requirement
          .config;
        const b = resolveReferences(requirement({ x: unmarked }), used, names, types).requirement
          .config;
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
      { numRuns: 300 },
    );
  });
});
