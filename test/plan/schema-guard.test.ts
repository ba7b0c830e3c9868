/**
 * The schema guard of `atakora diff`: a change stored items cannot follow (a removal, a type change, a field
 * required without a default) is SCHEMA_MIGRATION_REQUIRED naming the field unless schemaVersion rises; an
 * optional or defaulted field is fine. Pure over two plans, and through the built CLI on saved plans.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { FieldDefinition } from '../../src/components/crud/config.js';
import { schemaGuard } from '../../src/plan/schema-guard.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const planOf = (schema: Record<string, FieldDefinition>, versions: Record<string, unknown> = {}) =>
  defineBackend(
    {
      orders: CrudApi.define('OrderApi', {
        entityName: 'Order',
        schema: { id: 'string', ...schema },
        ...versions,
      } as never),
    },
    { environment: 'dev' },
  ).plan();

const v1 = planOf({ title: 'string', done: 'boolean' });
const v2 = { schemaVersion: 2, migrations: { 2: './migrations/order-v2.ts' } };

describe('schemaGuard', () => {
  it.each([
    ['a removal', { title: 'string' }, 'done', 'removed'],
    ['a type change', { title: 'string', done: 'string' }, 'done', 'retyped'],
    [
      'a field made required without default',
      { title: { type: 'string', required: true }, done: 'boolean' },
      'title',
      'made-required',
    ],
    [
      'a new required field without default',
      { title: 'string', done: 'boolean', status: { type: 'string', required: true } },
      'status',
      'added-required',
    ],
    [
      'an enum added to a stored field',
      { title: { type: 'string', enum: ['a', 'b'] }, done: 'boolean' },
      'title',
      'enum-narrowed',
    ],
  ] as const)('%s needs a migration', (_, schema, field, kind) => {
    const { changes, violations } = schemaGuard(v1, planOf(schema as never));
    expect(changes).toContainEqual(expect.objectContaining({ field, kind, needsMigration: true }));
    expect(violations).toHaveLength(1);
    expect(violations[0]!.code).toBe('SCHEMA_MIGRATION_REQUIRED');
    expect(violations[0]!.fields).toEqual([field]);
    expect(violations[0]!.message).toContain(field);
    // The same change with schemaVersion raised (a migration per step, guaranteed by the define) passes.
    expect(schemaGuard(v1, planOf(schema as never, v2)).violations).toEqual([]);
  });

  it('an enum that drops a value needs a migration naming it; one that only adds values does not', () => {
    const ab = planOf({ title: { type: 'string', enum: ['a', 'b'] }, done: 'boolean' });
    const narrowed = schemaGuard(
      ab,
      planOf({ title: { type: 'string', enum: ['a'] }, done: 'boolean' }),
    );
    expect(narrowed.changes).toEqual([
      expect.objectContaining({ field: 'title', kind: 'enum-narrowed', needsMigration: true }),
    ]);
    expect(narrowed.changes[0]!.detail).toContain('"b"');
    expect(narrowed.violations.map((v) => v.code)).toEqual(['SCHEMA_MIGRATION_REQUIRED']);
    const widened = planOf({ title: { type: 'string', enum: ['a', 'b', 'c'] }, done: 'boolean' });
    expect(schemaGuard(ab, widened).violations).toEqual([]);
    // Dropping the enum admits every string the old one did.
    expect(schemaGuard(ab, v1).violations).toEqual([]);
  });

  it('adding an optional or defaulted field, or relaxing one, is fine', () => {
    const next = planOf({
      title: 'string',
      done: 'boolean',
      note: 'string',
      status: { type: 'string', required: true, default: 'open' },
    });
    const { changes, violations } = schemaGuard(v1, next);
    expect(violations).toEqual([]);
    expect(changes.map((c) => [c.field, c.kind])).toEqual([
      ['note', 'added'],
      ['status', 'added'],
    ]);
    const strict = planOf({ title: { type: 'string', required: true }, done: 'boolean' }, v2);
    expect(
      schemaGuard(strict, planOf({ title: 'string', done: 'boolean' }, v2)).violations,
    ).toEqual([]);
  });

  it('a rise without a migration module for a step (a plan edited or read from a file) is no rise', () => {
    const risen = JSON.parse(JSON.stringify(planOf({ title: 'string' }, v2))) as {
      resources: { type: string; config: { hostedFunctions?: { trigger: string }[] } }[];
    };
    for (const r of risen.resources)
      if (r.config.hostedFunctions)
        r.config.hostedFunctions = r.config.hostedFunctions.filter(
          (f) => f.trigger !== 'migration',
        );
    const { violations } = schemaGuard(v1, risen as never);
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('rises from 1 to 2 without a migration for step 2');
    expect(schemaGuard(v1, planOf({ title: 'string' }, v2)).violations).toEqual([]);
  });

  it('a schemaVersion that goes down is SCHEMA_VERSION_ROLLBACK naming both versions, whatever the fields do', () => {
    const v3 = { schemaVersion: 3, migrations: { 2: './m/v2.ts', 3: './m/v3.ts' } };
    for (const [before, after, fall] of [
      // The code of version 1 back, its schema too.
      [planOf({ title: 'string', done: 'boolean' }, v2), planOf({ title: 'string' }), '2 to 1'],
      // The same schema, one version less.
      [planOf({ title: 'string' }, v3), planOf({ title: 'string' }, v2), '3 to 2'],
    ] as const) {
      const { violations } = schemaGuard(before, after);
      expect(violations).toHaveLength(1);
      expect(violations[0]).toMatchObject({
        code: 'SCHEMA_VERSION_ROLLBACK',
        componentId: 'OrderApi',
        path: ['components', 'OrderApi', 'config', 'schemaVersion'],
      });
      expect(violations[0]!.message).toContain(`schemaVersion goes down from ${fall}`);
      expect(violations[0]!.message).toContain('schema-version-ahead');
    }
  });
});

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-schema-guard-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('atakora diff runs the guard', () => {
  it('exits 1 with SCHEMA_MIGRATION_REQUIRED naming the field; 0 once schemaVersion rises', async () => {
    const before = join(work, 'before.json');
    const broken = join(work, 'broken.json');
    const migrated = join(work, 'migrated.json');
    writeFileSync(before, JSON.stringify(v1));
    writeFileSync(broken, JSON.stringify(planOf({ title: 'string', done: 'string' })));
    writeFileSync(migrated, JSON.stringify(planOf({ title: 'string', done: 'string' }, v2)));
    // The built CLI's main in this worker (test/support/cli-in-process.ts): the command's exit codes and words.
    const run = (...args: string[]) =>
      runCliInProcess(args, { env: { ...process.env, NO_COLOR: '1' }, cwd: root });
    const blocked = await run('diff', before, broken);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('SCHEMA_MIGRATION_REQUIRED');
    expect(blocked.stderr).toContain('done changed type from boolean to string');
    const ok = await run('diff', before, migrated);
    expect(ok.stderr).toContain('Schema change: OrderApi.done');
    expect(ok.stderr).not.toContain('SCHEMA_MIGRATION_REQUIRED');
    expect(ok.code).toBe(0);
    // Back from version 2 to 1: refused, unless --allow-schema-change (then a warning).
    const rolledBack = await run('diff', migrated, before);
    expect(rolledBack.code).toBe(1);
    expect(rolledBack.stderr).toContain(
      'SCHEMA_VERSION_ROLLBACK: CrudApi OrderApi: schemaVersion goes down from 2 to 1',
    );
    const allowed = await run('diff', migrated, before, '--allow-schema-change');
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain(
      'warning: SCHEMA_VERSION_ROLLBACK overridden by --allow-schema-change',
    );
    const misplaced = await run('plan', before, '--allow-schema-change');
    expect(misplaced.code).toBe(2);
  });
});
