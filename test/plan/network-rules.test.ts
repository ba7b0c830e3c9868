/**
 * Network rules per component, the seeds' intersection strategy: a shared Cosmos DB or files account admits only
 * the ranges every component on it admits (MERGE_NARROWED names each range dropped and its component); a component
 * whose ranges are disjoint from the shared account's gets an account of its own (its own key, priced); bad ranges
 * are refused at define time; the plan stays pure (input order never matters) and stable (adding an open component
 * re-keys nothing).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FileStore } from '../../src/components/files/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { intersectRanges } from '../../src/kit/pure/ip-ranges.js';
import { thrown } from '../support/errors.js';

const api = (id: string, allowedIpRanges?: string[]) =>
  CrudApi.define(id, {
    entityName: id.replace(/Api$/, ''),
    schema: { id: 'string' },
    ...(allowedIpRanges ? { allowedIpRanges } : {}),
  });

const planOf = (
  defs: Record<string, ReturnType<typeof api>>,
  networking?: 'isolated',
): ResourcePlan =>
  defineBackend(defs, { environment: 'dev', ...(networking ? { networking } : {}) }).plan();

const cosmosOf = (plan: ResourcePlan) =>
  plan.resources
    .filter((r) => r.type === 'cosmos')
    .map((r) => ({
      key: r.key,
      ranges: (r.config as { ipRanges?: string[] }).ipRanges,
      components: plan.components
        .filter((c) => c.resources['cosmos'] === r.key)
        .map((c) => c.id)
        .sort(),
    }));

describe('allowedIpRanges at define time', () => {
  it.each([
    [[], []],
    ['203.0.113.0/24', []],
    [['203.0.113.7/24'], [0]],
    [['10.0.0.0/8'], [0]],
    [['203.0.113.0/24', '192.168.1.0/24'], [1]],
    [['203.0.113.0/33'], [0]],
    [['203.0.113.0/4'], [0]],
    [['2001:db8::/32'], [0]],
    [[42], [0]],
  ] as const)('%j → NETWORK_RANGE_INVALID at allowedIpRanges%j', (ranges, index) => {
    const error = thrown(() => api('AdminApi', ranges as never));
    expect(error.code).toBe('NETWORK_RANGE_INVALID');
    expect(error.path).toEqual(['components', 'AdminApi', 'config', 'allowedIpRanges', ...index]);
    const files = thrown(() =>
      FileStore.define('Avatars', { maxSizeMb: 1, allowedIpRanges: ranges as never }),
    );
    expect(files.code).toBe('NETWORK_RANGE_INVALID');
  });

  it('a written range reaches the requirement canonical: sorted, nested blocks folded, addresses as /32', () => {
    const plan = planOf({
      admin: api('AdminApi', ['203.0.113.0/24', '198.51.100.7', '203.0.113.128/25']),
    });
    expect(cosmosOf(plan)[0]!.ranges).toEqual(['198.51.100.7/32', '203.0.113.0/24']);
  });
});

describe('the intersection strategy', () => {
  it('a shared account admits the intersection; MERGE_NARROWED names each dropped range and its component', () => {
    const plan = planOf({
      admin: api('AdminApi', ['203.0.113.0/24', '198.51.100.0/24']),
      office: api('OfficeApi', ['203.0.113.0/25']),
      open: api('OpenApi'),
    });
    expect(cosmosOf(plan)).toEqual([
      {
        key: 'cosmos:shared',
        ranges: ['203.0.113.0/25'],
        components: ['AdminApi', 'OfficeApi', 'OpenApi'],
      },
    ]);
    const narrowed = plan.issues.filter((i) => i.code === 'MERGE_NARROWED');
    expect(narrowed).toHaveLength(1);
    expect(narrowed[0]!.severity).toBe('warning');
    expect(narrowed[0]!.components).toEqual(['AdminApi', 'OpenApi']);
    expect(narrowed[0]!.message).toContain('dropped 198.51.100.0/24, 203.0.113.0/24 of AdminApi');
    expect(narrowed[0]!.message).toContain('any address of OpenApi');
    expect(narrowed[0]!.message).not.toContain('of OfficeApi');
  });

  it('equal ranges share silently; no ranges anywhere changes nothing', () => {
    const same = planOf({ a: api('AApi', ['203.0.113.0/24']), b: api('BApi', ['203.0.113.0/24']) });
    expect(same.issues.filter((i) => i.code === 'MERGE_NARROWED')).toEqual([]);
    expect(cosmosOf(same)).toHaveLength(1);
    const none = planOf({ a: api('AApi'), b: api('BApi') });
    expect(cosmosOf(none)).toEqual([
      { key: 'cosmos:shared', ranges: undefined, components: ['AApi', 'BApi'] },
    ]);
  });

  it('disjoint components are not grouped: an account of their own, priced in the plan', () => {
    const plan = planOf({
      a: api('AApi', ['203.0.113.0/24']),
      partner: api('PartnerApi', ['198.51.100.0/24']),
      b: api('BApi', ['203.0.113.0/24']),
    });
    const accounts = cosmosOf(plan);
    expect(accounts).toHaveLength(2);
    expect(accounts.find((a) => a.key === 'cosmos:shared')).toEqual({
      key: 'cosmos:shared',
      ranges: ['203.0.113.0/24'],
      components: ['AApi', 'BApi'],
    });
    const own = accounts.find((a) => a.key !== 'cosmos:shared')!;
    expect(own.components).toEqual(['PartnerApi']);
    expect(own.ranges).toEqual(['198.51.100.0/24']);
    expect(own.key).toContain('partnerapi');
    expect(plan.issues.filter((i) => i.code === 'MERGE_NARROWED')).toEqual([]);
    const priced = plan.resources.find((r) => r.key === own.key)!;
    expect(priced.estimatedMonthlyUsd).toBeGreaterThan(0);
  });

  it('property: the shared account admits exactly the intersection of its members, in any input order', () => {
    const block = fc
      .tuple(
        fc.constantFrom(198, 203),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(22, 23, 24, 25, 26),
      )
      .map(([a, b, prefix]) => {
        const start =
          (a * 2 ** 24 + (b === 0 ? 51 : 0) * 2 ** 16 + b * 256) & ~(2 ** (32 - prefix) - 1);
        const o = [24, 16, 8, 0].map((s) => (start >>> s) & 255);
        return `${o.join('.')}/${String(prefix)}`;
      });
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.array(block, { minLength: 1, maxLength: 3 }), { nil: undefined }), {
          minLength: 1,
          maxLength: 5,
        }),
        (lists) => {
          const defs = Object.fromEntries(
            lists.map((l, i) => [`k${String(i)}`, api(`Api${String(i)}`, l)]),
          );
          const plan = planOf(defs);
          const reversed = planOf(Object.fromEntries(Object.entries(defs).reverse()));
          expect(JSON.stringify(reversed)).toBe(JSON.stringify(plan));
          const byId = new Map(lists.map((l, i) => [`Api${String(i)}`, l]));
          for (const account of cosmosOf(plan)) {
            const listed = account.components
              .map((c) => byId.get(c))
              .filter((l) => l !== undefined);
            if (listed.length === 0) {
              expect(account.ranges).toBeUndefined();
              continue;
            }
            const expected = listed
              .slice(1)
              .reduce((acc, l) => intersectRanges(acc, l), intersectRanges(listed[0]!, listed[0]!));
            expect(account.ranges).toEqual(expected);
            // Never an empty allow-list: disjoint components were kept apart.
            expect(account.ranges!.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stable: adding a component without ranges re-keys nothing', () => {
    const before = planOf({
      a: api('AApi', ['203.0.113.0/24']),
      p: api('PartnerApi', ['198.51.100.0/24']),
    });
    const after = planOf({
      a: api('AApi', ['203.0.113.0/24']),
      p: api('PartnerApi', ['198.51.100.0/24']),
      z: api('ZApi'),
    });
    const keys = (plan: ResourcePlan) =>
      Object.fromEntries(cosmosOf(plan).flatMap((a) => a.components.map((c) => [c, a.key])));
    expect(keys(after)).toMatchObject(keys(before));
  });
});

describe('FileStore allowedIpRanges', () => {
  const store = (id: string, allowedIpRanges?: string[]) =>
    FileStore.define(id, { maxSizeMb: 1, ...(allowedIpRanges ? { allowedIpRanges } : {}) });

  it('isolated: the files account admits the intersection; disjoint stores get an account of their own', () => {
    const plan = defineBackend(
      {
        a: store('Avatars', ['203.0.113.0/24']),
        d: store('Documents', ['203.0.113.0/26', '198.51.100.0/24']),
        p: store('PartnerFiles', ['192.0.2.0/24']),
      },
      { environment: 'dev', networking: 'isolated' },
    ).plan();
    const files = plan.resources.filter(
      (r) => r.type === 'storage' && (r.config as { purpose?: string }).purpose === 'files',
    );
    expect(files.map((f) => (f.config as { ipRules?: string[] }).ipRules).sort()).toEqual([
      ['192.0.2.0/24'],
      ['203.0.113.0/26'],
    ]);
    const narrowed = plan.issues.find((i) => i.code === 'MERGE_NARROWED')!;
    expect(narrowed.message).toContain('203.0.113.0/24 of Avatars');
    expect(narrowed.message).toContain('198.51.100.0/24 of Documents');
    expect(plan.issues.filter((i) => i.code === 'NETWORK_RULES_NEED_ISOLATION')).toEqual([]);
  });

  it('public networking: ranges on a files account are an error naming the stores', () => {
    const plan = defineBackend(
      { a: store('Avatars', ['203.0.113.0/24']), b: store('Backups') },
      { environment: 'dev' },
    ).plan();
    const error = plan.issues.find((i) => i.code === 'NETWORK_RULES_NEED_ISOLATION')!;
    expect(error.severity).toBe('error');
    expect(error.components).toEqual(['Avatars']);
  });
});
