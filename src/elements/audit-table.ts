/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { AuditEntry } from '../contract/audit.js';
import { h, uid } from './dom.js';
import type { Section } from './section.js';

/** The audit log's filter as the element keeps it (each field matched exactly; absent: any). */
export interface AuditFilter {
  readonly action?: string;
  readonly via?: string;
  readonly target?: string;
}

/**
 * The audit-log element's filter: the action and the door (lists of the contract's values, "any" first) and the
 * target; Apply reads the first page again, Clear drops the filter.
 *
 * @example
 * ```ts
 * auditFilterForm(section, { filter: {}, actions: AUDIT_ACTIONS, vias: AUDIT_VIAS, apply: (f) => show(f) });
 * ```
 */
export function auditFilterForm(
  s: Section,
  o: {
    readonly filter: AuditFilter;
    readonly actions: readonly string[];
    readonly vias: readonly string[];
    readonly apply: (filter: AuditFilter) => void;
  },
): HTMLElement {
  const select = (name: 'action' | 'via', values: readonly string[]) => {
    const id = uid(`atk-audit-${name}`);
    const el = h(
      'select',
      { id, name, part: 'select', 'data-key': `filter-${name}` },
      h('option', { value: '' }, s.t('any')),
      ...values.map((v) => h('option', { value: v, selected: o.filter[name] === v }, v)),
    ) as HTMLSelectElement;
    return { el, label: h('label', { for: id }, s.t(name === 'action' ? 'action' : 'via'), el) };
  };
  const action = select('action', o.actions);
  const via = select('via', o.vias);
  const targetId = uid('atk-audit-target');
  const target = h('input', {
    id: targetId,
    name: 'target',
    autocomplete: 'off',
    part: 'input',
    value: o.filter.target ?? '',
    'data-key': 'filter-target',
  }) as HTMLInputElement;
  const read = (): AuditFilter => ({
    ...(action.el.value ? { action: action.el.value } : {}),
    ...(via.el.value ? { via: via.el.value } : {}),
    ...(target.value.trim() ? { target: target.value.trim() } : {}),
  });
  return h(
    'form',
    {
      part: 'form',
      role: 'search',
      'aria-label': s.t('filter'),
      onsubmit: (e) => {
        e.preventDefault();
        o.apply(read());
      },
    },
    action.label,
    via.label,
    h('label', { for: targetId }, s.t('target'), target),
    h('button', { type: 'submit', part: 'button', 'data-key': 'filter-apply' }, s.t('apply')),
    Object.keys(o.filter).length
      ? h(
          'button',
          {
            type: 'button',
            part: 'button',
            'data-key': 'filter-clear',
            onclick: () => {
              o.apply({});
            },
          },
          s.t('clear'),
        )
      : null,
  );
}

/**
 * The entries as a table: when, who (the e-mail, else the id) and through which door, the action, the target and
 * what changed.
 *
 * @example
 * ```ts
 * auditTable(section, page.items);
 * ```
 */
export function auditTable(s: Section, entries: readonly AuditEntry[]): HTMLElement {
  const th = (key: string) => h('th', { scope: 'col' }, s.t(key));
  return h(
    'div',
    {
      class: 'atk-scroll',
      part: 'table-frame',
      tabindex: '0',
      role: 'region',
      'aria-label': s.t('auditLog'),
    },
    h(
      'table',
      { part: 'table' },
      h('caption', { class: 'atk-visually-hidden' }, s.t('auditLog')),
      h(
        'thead',
        {},
        h('tr', {}, th('when'), th('actor'), th('action'), th('target'), th('changes')),
      ),
      h(
        'tbody',
        {},
        ...entries.map((e) =>
          h(
            'tr',
            { part: 'row', 'data-entry': e.id, 'data-action': e.action },
            h('td', {}, h('time', { datetime: e.at }, new Date(e.at).toLocaleString(s.locale()))),
            h(
              'td',
              {},
              e.actor.email ?? e.actor.id,
              ' ',
              h('span', { class: 'atk-muted' }, `(${e.actor.via})`),
            ),
            h('td', {}, h('code', {}, e.action)),
            h('td', { class: 'atk-link' }, e.target),
            h('td', { class: 'atk-link' }, e.changes ? JSON.stringify(e.changes) : ''),
          ),
        ),
      ),
    ),
  );
}
