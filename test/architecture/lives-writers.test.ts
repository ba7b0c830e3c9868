import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', '..', 'src');

/** Every source file below `dir` (tests aside). */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// An organization's place is written in its record's `status` and `suspendedBy` (and `deleteOn`) by one writer,
// model/lives/organization-record.ts, after the life table (organization-life.ts) moved it: a door that wrote
// `status: 'suspended'` or `suspendedBy: 'billing'` itself would decide a state on its own (#110, "no door deciding a
// state on its own"). The shape caught: an object literal writing either field with a place's literal.
const LIFE_WRITE = /(?<!readonly )\b(?:status|suspendedBy)\s*:\s*'(?:active|suspended|billing)'/;
const COMMENT = /^\s*(?:\*|\/\/|\/\*)/;

/**
 * The writers the rule allows, each for its reason: the life's own writer; an organization born (every life starts
 * `active`: a first sign-in's, a created organization's, verify's seeded ones, the reference model's births); a
 * stored record read back as it is (`suspendedBy` kept, never set).
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'model/lives/organization-record.ts': 'the one writer',
  'runtime/caller/registry-tenants.ts': 'an organization born active (first sign-in, created)',
  'runtime/tenants/tenant-record.ts': 'a stored record read back as it is',
  'cli/verify/organization-proof.ts': "verify's seeded organizations, born active",
  'access/model/tenant-registry.ts': "the reference model's births",
  'access/model/membership.ts': "the reference model's births",
};

describe('every door moves an organization through its life table', () => {
  it('no source but the life’s writer writes a place into `status` or `suspendedBy`', async () => {
    // The rooms that hold doors and the models of them (src/testing's stand-ins keep Stripe's own statuses).
    const rooms = ['runtime', 'cli', 'contract', 'access', 'model'];
    const files = (await Promise.all(rooms.map((r) => sources(join(src, r))))).flat();
    expect(files.length).toBeGreaterThan(500);
    const found: string[] = [];
    for (const file of files) {
      const name = relative(src, file).split('\\').join('/');
      if (ALLOWED[name] !== undefined) continue;
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (!COMMENT.test(line) && LIFE_WRITE.test(line))
          found.push(`${name}:${String(i + 1)}: ${line.trim()}`);
      });
    }
    expect(found, 'move the record with model/lives/organization-record.ts').toEqual([]);
  });

  it('the allowed writers still write (a stale entry is taken out of the list)', async () => {
    for (const name of Object.keys(ALLOWED)) {
      const text = await readFile(join(src, name), 'utf8');
      expect(
        text.split('\n').some((l) => !COMMENT.test(l) && LIFE_WRITE.test(l)),
        name,
      ).toBe(true);
    }
  });

  it('the pattern catches the shapes it is meant to, and not a comparison or a comment', () => {
    expect(
      LIFE_WRITE.test("  return { ...record, status: 'suspended', suspendedBy: 'billing' };"),
    ).toBe(true);
    expect(LIFE_WRITE.test("withRecord(s, org, { ...kept, status: 'active' })")).toBe(true);
    expect(LIFE_WRITE.test("if (record.status !== 'active') return record;")).toBe(false);
    expect(LIFE_WRITE.test("  readonly status: 'active' | 'suspended';")).toBe(false);
    expect(COMMENT.test(" * reinstated({ ...record, status: 'suspended' }).status;")).toBe(true);
  });
});
