/**
 * The review page's "Schema changes" section (renderPlanHtml with a base): each CrudApi field change with its
 * before and after, the ones needing a migration flagged, the pending migrations (schemaVersion from → to, a
 * module per step), the refusal diff and deploy would give, every name escaped; none without a schema change.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import type { FieldDefinition } from '../../src/components/crud/config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { renderPlanHtml, renderPlanMarkdown } from '../../src/plan/render/index.js';

const planOf = (schema: Record<string, FieldDefinition>, versions: Record<string, unknown> = {}) =>
  defineBackend(
    {
      orders: CrudApi.define('OrderApi', {
        entityName: 'Order',
        schema: { id: 'string', ...schema },
        ...versions,
      } as never),
      notes: CrudApi.define('NoteApi', {
        entityName: 'Note',
        schema: { id: 'string', text: 'string' },
      }),
    },
    { environment: 'dev', backendId: 'shop' },
  ).plan();

const v1 = planOf({
  amountCents: 'integer',
  note: 'string',
  status: { type: 'string', required: true, default: 'open' },
});
const v2 = planOf(
  {
    total: { type: 'number', required: true, default: 0 },
    note: 'number',
    status: { type: 'string', required: true, default: 'received' },
    flag: 'boolean',
  },
  { schemaVersion: 2, migrations: { 2: './migrations/order-v2.ts' } },
);

/** The section's markup alone. */
const section = (html: string) =>
  html.includes('id="schema"')
    ? html.slice(
        html.indexOf('<section id="schema"'),
        html.indexOf('</section>', html.indexOf('id="schema"')),
      )
    : '';
/** The row of one field: its kind and cells, tags stripped. */
function row(html: string, field: string) {
  const m = new RegExp(`<tr[^>]*data-field="${field}"[^>]*>(.*?)</tr>`).exec(html);
  if (!m) return undefined;
  const tag = m[0].slice(0, m[0].indexOf('>'));
  return {
    kind: /data-kind="([^"]+)"/.exec(tag)?.[1],
    needsMigration: tag.includes('needs-migration'),
    cells: [...m[1]!.matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')),
  };
}

describe('renderPlanHtml: schema changes against a base', () => {
  it('lists each field change with before and after, flags the migrations, and the pending version rise', () => {
    const s = section(renderPlanHtml(v2, { base: v1 }));
    expect(s).toContain('<h3>OrderApi</h3>');
    expect(row(s, 'amountCents')).toEqual({
      kind: 'removed',
      needsMigration: true,
      cells: ['removed needs a migration', 'amountCents', 'integer, optional', '(none)'],
    });
    expect(row(s, 'total')?.cells.slice(2)).toEqual(['(none)', 'number, required, default 0']);
    expect(row(s, 'total')?.kind).toBe('added');
    expect(row(s, 'note')).toMatchObject({ kind: 'retyped', needsMigration: true });
    expect(row(s, 'note')?.cells.slice(2)).toEqual(['string, optional', 'number, optional']);
    expect(row(s, 'status')).toMatchObject({ kind: 'default-changed', needsMigration: false });
    expect(row(s, 'status')?.cells.slice(2)).toEqual([
      'string, required, default &quot;open&quot;',
      'string, required, default &quot;received&quot;',
    ]);
    expect(row(s, 'flag')).toMatchObject({ kind: 'added', needsMigration: false });
    // NoteApi did not change: no table for it.
    expect(s).not.toContain('NoteApi');
    expect(s).toMatch(
      /<li data-component="OrderApi" data-from="1" data-to="2"><strong>OrderApi<\/strong>: schemaVersion 1 → 2 \(step 2: <code>\.\/migrations\/order-v2\.ts<\/code>\)<\/li>/,
    );
    // The version rises with its migration: nothing refused.
    expect(s).not.toContain('schema-refused');
  });

  it('shows the refusal diff and deploy give when the version does not rise, and links the section', () => {
    const broken = planOf({
      note: 'string',
      status: { type: 'string', required: true, default: 'open' },
    });
    const html = renderPlanHtml(broken, { base: v1 });
    const s = section(html);
    expect(s).toContain('id="schema-refused"');
    expect(s).toContain(
      '<strong>SCHEMA_MIGRATION_REQUIRED</strong>: CrudApi OrderApi: amountCents was removed',
    );
    expect(s).not.toContain('Pending migrations');
    expect(html).toContain('<li><a href="#schema">Schema changes</a></li>');
  });

  it('shows a schemaVersion that goes down in its own callout, even with no field change', () => {
    const same = planOf(
      {
        amountCents: 'integer',
        note: 'string',
        status: { type: 'string', required: true, default: 'open' },
      },
      { schemaVersion: 2, migrations: { 2: './migrations/order-v2.ts' } },
    );
    const html = renderPlanHtml(v1, { base: same });
    const s = section(html);
    expect(s).toContain('id="schema-rollback"');
    expect(s).toContain(
      '<strong>SCHEMA_VERSION_ROLLBACK</strong>: CrudApi OrderApi: schemaVersion goes down from 2 to 1',
    );
    expect(s).not.toContain('schema-refused');
    expect(html).toContain('<li><a href="#schema">Schema changes</a></li>');
    expect(renderPlanMarkdown(v1, { base: same })).toContain('**SCHEMA_VERSION_ROLLBACK**');
  });

  it('has no section without a base or without a schema change', () => {
    expect(section(renderPlanHtml(v1))).toBe('');
    expect(section(renderPlanHtml(v1, { base: v1 }))).toBe('');
    expect(renderPlanHtml(v1, { base: v1 })).not.toContain('href="#schema"');
  });

  it('escapes what it shows: a field default and a migration path are only text', () => {
    const hostile = JSON.parse(
      JSON.stringify(
        planOf(
          {
            amountCents: 'integer',
            note: 'string',
            status: { type: 'string', required: true, default: '<img src=x onerror=alert(1)>' },
          },
          { schemaVersion: 2, migrations: { 2: './migrations/order-v2.ts' } },
        ),
      ).replace('./migrations/order-v2.ts', './migrations/<b>x</b>.ts'),
    ) as typeof v1;
    const s = section(renderPlanHtml(hostile, { base: v1 }));
    expect(s).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(s).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(s).not.toContain('<img');
    expect(s).not.toContain('<b>x</b>');
  });
});

describe('renderPlanMarkdown: schema changes against a base', () => {
  it('says which fields change and which migrations become pending', () => {
    const md = renderPlanMarkdown(v2, { base: v1 });
    expect(md).toContain(
      'Schema: OrderApi: amountCents removed (needs a migration), note retyped (needs a migration), ' +
        'status default-changed, total added, flag added',
    );
    expect(md).toContain('Pending migrations: OrderApi schemaVersion 1 → 2');
    expect(renderPlanMarkdown(v1, { base: v1 })).not.toContain('Schema:');
  });
});
