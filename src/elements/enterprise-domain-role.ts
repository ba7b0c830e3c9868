/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { OrganizationDomain } from '../contract/domains/domain-shapes.js';
import { connectionOf } from './connection.js';
import { h, uid } from './dom.js';
import type { Section } from './section.js';

/**
 * What the enterprise element gives a domain's join-role editor: the roles it offers (its `roles` attribute; Owner
 * never — the route refuses it, an address the domain's mail admins create would own the organization), the domain
 * whose editor is open, and how to open or close one (the element shows itself again, the focus on `focus`, a
 * `data-key`).
 */
export interface JoinRoleEditor {
  readonly roles: readonly string[];
  readonly open: string | undefined;
  show(domain: string | undefined, focus: string): void;
}

/**
 * The role a domain's joiners get, and for an Owner (`PATCH api/tenant/domains/{domain} { role }`, the route's rule)
 * a disclosure to change it: Change role (`aria-expanded`) opens a form with the roles offered, the focus on its
 * select; Save (busy while it runs) announces the new role and gives the focus back to Change role; a refusal is the
 * element's problem (title and detail), the form kept with the choice; Escape or Cancel closes it.
 *
 * @example
 * ```ts
 * joinRole(section, domain, { roles: ['Admin', 'Member'], open: undefined, show: (d, focus) => rerender(d, focus) });
 * ```
 */
export function joinRole(
  s: Section,
  d: OrganizationDomain,
  editor: JoinRoleEditor | undefined,
): HTMLElement {
  const name = d.domain;
  const toggleKey = `join-role-${name}`;
  const text = h(
    'span',
    { part: 'role', class: 'atk-muted' },
    s.t('joinsAsRole', { role: d.role }),
  );
  if (!editor) return h('span', { class: 'atk-block' }, text);
  const formId = uid('atk-join-role');
  const open = editor.open === name;
  const toggle = h(
    'button',
    {
      type: 'button',
      part: 'button',
      'data-key': toggleKey,
      'aria-expanded': String(open),
      'aria-controls': open ? formId : undefined,
      'aria-label': s.t('changeJoinRoleOf', { name }),
      onclick: () => {
        editor.show(open ? undefined : name, open ? toggleKey : `join-role-select-${name}`);
      },
    },
    s.t('changeJoinRole'),
  );
  return h(
    'span',
    { class: 'atk-block' },
    text,
    ' ',
    toggle,
    open ? roleForm(s, d, editor, formId) : null,
  );
}

function roleForm(
  s: Section,
  d: OrganizationDomain,
  editor: JoinRoleEditor,
  formId: string,
): HTMLElement {
  const name = d.domain;
  const back = `join-role-${name}`;
  const selectId = uid('atk-join-role-select');
  // The current role stays choosable even when the page's `roles` leaves it out.
  const offered = [...new Set([...editor.roles, d.role])].filter((r) => r !== 'Owner');
  const select = h(
    'select',
    {
      id: selectId,
      name: 'join-role',
      // The API's field: its field errors land here.
      'data-field': 'role',
      part: 'select',
      'data-key': `join-role-select-${name}`,
    },
    ...offered.map((r) => h('option', { value: r, selected: r === d.role }, r)),
  ) as HTMLSelectElement;
  const save = h(
    'button',
    {
      type: 'submit',
      class: 'atk-primary',
      part: 'button primary',
      'data-key': `join-role-save-${name}`,
    },
    s.t('save'),
  );
  let busy = false;
  const form = h(
    'form',
    {
      id: formId,
      part: 'form join-role',
      'aria-label': s.t('joinRoleOf', { name }),
      onkeydown: (e) => {
        if ((e as KeyboardEvent).key !== 'Escape') return;
        e.preventDefault();
        editor.show(undefined, back);
      },
      onsubmit: async (e) => {
        e.preventDefault();
        if (busy) return;
        busy = true;
        const role = select.value;
        form.setAttribute('aria-busy', 'true');
        save.textContent = s.t('saving');
        const ok = await s.act(
          async () => (await connectionOf()).client.domains.update(name, { role }),
          s.t('joinRoleChanged', { name, role }),
          form,
        );
        if (ok) editor.show(undefined, back);
        busy = false;
        form.removeAttribute('aria-busy');
        save.textContent = s.t('save');
      },
    },
    h('label', { for: selectId }, s.t('joinsAs'), select),
    save,
    h(
      'button',
      {
        type: 'button',
        part: 'button',
        onclick: () => {
          editor.show(undefined, back);
        },
      },
      s.t('cancel'),
    ),
  );
  return form;
}
