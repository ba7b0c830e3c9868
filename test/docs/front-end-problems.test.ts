/**
 * docs/front-end.md lists every tenant and plan problem the runtime can answer — each code of the problem table
 * that is about the caller's tenant (`tenant-*`) or its plan's limits — with what a front end does about it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../src/contract/problems.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/front-end.md'), 'utf8');
const section = doc.slice(doc.indexOf('### Tenant and plan problems'));
const table = section.slice(0, section.indexOf('```'));

/** The runtime's tenant and plan problems: `tenant-*`, and those a plan's or the per-user bounds cause. */
const tenantAndPlan = Object.entries(PROBLEMS)
  .filter(
    ([code, spec]) =>
      spec.from === 'runtime' && (code.startsWith('tenant-') || /plan's|perUser/.test(spec.when)),
  )
  .map(([code]) => code)
  .sort();

describe('docs/front-end.md: tenant and plan problems', () => {
  it('has a row per problem, with its status and what the front end does', () => {
    expect(tenantAndPlan).toEqual(
      expect.arrayContaining([
        'tenant-not-registered',
        'tenant-suspended',
        'rate-limited',
        'quota-exceeded',
        'storage-quota-exceeded',
        'too-many-connections',
      ]),
    );
    for (const code of tenantAndPlan) {
      const row = table.split('\n').find((l) => l.includes(`| \`${code}\` |`));
      expect(row, `${code} has a row`).toBeDefined();
      const cells = (row ?? '').split('|').map((c) => c.trim());
      expect(cells[1], `${code}'s status`).toBe(
        String(PROBLEMS[code as keyof typeof PROBLEMS].status),
      );
      expect(cells[4]?.length ?? 0, `${code}: what the front end does`).toBeGreaterThan(20);
    }
  });
});
