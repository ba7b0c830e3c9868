import type { ResourcePlan } from '../../model/plan.js';
import type { FieldSpec } from '../../model/runtime-manifest.js';
import { pendingMigrations, schemaGuard, type SchemaChange } from '../schema-guard.js';
import { attrText, changesTable, el, esc } from './html-escape.js';

const ACTION: Readonly<Record<SchemaChange['kind'], string>> = {
  added: 'add',
  'added-required': 'add',
  removed: 'remove',
  retyped: 'change',
  'made-required': 'change',
  relaxed: 'change',
  'default-changed': 'change',
  'enum-narrowed': 'change',
};

/** A field as one line: its type, whether required, its default. */
function spec(s: FieldSpec | undefined): string {
  if (!s) return '(none)';
  const parts = [s.type, s.required ? 'required' : 'optional'];
  if (s.enum !== undefined) parts.push(`one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join(', ');
}

/**
 * The "Schema changes" section against a base plan: per CrudApi, each field added, removed, retyped, made
 * required or relaxed and each default changed (before → after), the ones stored items cannot follow flagged
 * "needs a migration"; the migrations the deploy makes pending (schemaVersion from → to, a module per step);
 * each `SCHEMA_MIGRATION_REQUIRED` that `atakora diff` and `deploy` would refuse, and each `schemaVersion` that
 * goes down (`SCHEMA_VERSION_ROLLBACK`, its own callout). Empty when no schema changes.
 *
 * @example
 * ```ts
 * const html = schemaSection(deployedPlan, nextPlan);
 * ```
 */
export function schemaSection(base: ResourcePlan, plan: ResourcePlan): string {
  const { changes, violations: all } = schemaGuard(base, plan);
  const pending = pendingMigrations(base, plan);
  if (changes.length === 0 && pending.length === 0 && all.length === 0) return '';
  const out = [
    '<section id="schema" aria-labelledby="schema-heading">',
    '<h2 id="schema-heading">Schema changes</h2>',
  ];
  const rollbacks = all.filter((v) => v.code === 'SCHEMA_VERSION_ROLLBACK');
  const violations = all.filter((v) => v.code !== 'SCHEMA_VERSION_ROLLBACK');
  if (rollbacks.length > 0)
    out.push(
      '<div class="callout danger" id="schema-rollback" role="note" aria-label="Schema version rollback">' +
        '<p><strong>schemaVersion goes down.</strong> Items the deployed version wrote would be ahead of this ' +
        'code: served as stored and refusing every write (409 <code>schema-version-ahead</code>) until their ' +
        'version is deployed again. <code>atakora diff</code> and <code>atakora deploy</code> refuse it without ' +
        '<code>--allow-schema-change</code>; roll forward instead (docs/schema-evolution.md).</p>' +
        `<ul>${rollbacks.map((v) => `<li${attrText({ 'data-component': v.componentId })}>${el('strong', v.code)}: ${esc(v.message)}</li>`).join('')}</ul></div>`,
    );
  if (violations.length > 0)
    out.push(
      '<div class="callout danger" id="schema-refused" role="note" aria-label="Schema migration required">' +
        '<p><strong>A migration is missing.</strong> <code>atakora diff</code> and <code>atakora deploy</code> ' +
        'refuse this change until <code>schemaVersion</code> rises with a migration for each step ' +
        '(docs/schema-evolution.md).</p>' +
        `<ul>${violations.map((v) => `<li${attrText({ 'data-component': v.componentId })}>${el('strong', v.code)}: ${esc(v.message)}</li>`).join('')}</ul></div>`,
    );
  const ids = [...new Set(changes.map((c) => c.componentId))];
  for (const id of ids) {
    const rows = changes
      .filter((c) => c.componentId === id)
      .map(
        (c) =>
          `<tr${attrText({ class: c.needsMigration ? 'needs-migration' : undefined, 'data-field': c.field, 'data-kind': c.kind })}>` +
          `<td><span class="badge ${ACTION[c.kind]}">${esc(c.kind)}</span>` +
          `${c.needsMigration ? ' <span class="badge warning">needs a migration</span>' : ''}</td>` +
          `<td>${el('code', c.field)}</td><td>${esc(spec(c.before))}</td><td>${esc(spec(c.after))}</td></tr>`,
      );
    out.push(
      el('h3', id),
      ...changesTable(
        { class: 'changes schema', 'data-component': id },
        ['Change', 'Field', 'Before', 'After'],
        rows,
      ),
    );
  }
  if (pending.length > 0) {
    out.push(
      '<h3>Pending migrations</h3>',
      '<p>Stored items of an older version read through these on every read until <code>atakora migrate</code> ' +
        'rewrites them.</p>',
      `<ul class="migrations">${pending
        .map(
          (m) =>
            `<li${attrText({ 'data-component': m.componentId, 'data-from': String(m.from), 'data-to': String(m.to) })}>` +
            `${el('strong', m.componentId)}: schemaVersion ${String(m.from)} → ${String(m.to)} (` +
            m.steps
              .map((s) =>
                s.module === undefined
                  ? `step ${String(s.version)}: <strong>no migration</strong>`
                  : `step ${String(s.version)}: ${el('code', s.module)}`,
              )
              .join('; ') +
            ')</li>',
        )
        .join('')}</ul>`,
    );
  }
  out.push('</section>');
  return out.join('\n');
}
