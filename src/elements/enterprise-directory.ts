/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { OrganizationDirectory } from '../contract/enterprise/directory.js';
import { sendJson } from './connection.js';
import { h, uid } from './dom.js';
import { actionButton, part, type Section } from './section.js';

/** The link as the element read it: the linked directory (null: none), or the backend's reason it has none. */
export type DirectoryState =
  | { readonly link: OrganizationDirectory | null }
  | { readonly unsupported: string };

const ROUTE = 'tenant/directory';

/**
 * The enterprise element's directory sign-in (`GET|PUT|DELETE api/tenant/directory`, docs/enterprise.md, "Directory
 * sign-in"): the linked Microsoft Entra directory, the role its users join as and whether it is required. An Owner
 * links one — the `tid` of their own token: the route refuses any other (403 `directory-not-yours`) —, requires it or
 * not, and unlinks it (confirmed); an Admin reads it. A backend whose sign-in cannot tell directories apart says so.
 *
 * @example
 * ```ts
 * directoryPart(section, { state: { link: null }, owner: true, roles: ['Admin', 'Member'] });
 * ```
 */
export function directoryPart(
  s: Section,
  o: { readonly state: DirectoryState; readonly owner: boolean; readonly roles: readonly string[] },
): HTMLElement {
  const title = s.t('directory');
  if ('unsupported' in o.state)
    return part('directory', title, h('p', { part: 'note' }, o.state.unsupported));
  const link = o.state.link;
  if (!link)
    return part(
      'directory',
      title,
      h('p', { part: 'empty' }, s.t('noDirectory')),
      o.owner ? linkForm(s, o.roles) : null,
    );
  return part(
    'directory',
    title,
    h(
      'dl',
      { part: 'details', 'data-directory': link.tid },
      h('dt', {}, s.t('directoryId')),
      h('dd', {}, h('code', {}, link.tid)),
      h('dt', {}, s.t('joinsAs')),
      h('dd', {}, link.role),
      h('dt', {}, s.t('requireDirectory')),
      h('dd', {}, s.t(link.requireDirectory ? 'yes' : 'no')),
    ),
    o.owner
      ? h(
          'div',
          { class: 'atk-actions-inline' },
          actionButton(s, {
            label: s.t(link.requireDirectory ? 'stopRequiring' : 'require'),
            key: 'directory-require',
            run: () =>
              sendJson('PUT', ROUTE, { ...link, requireDirectory: !link.requireDirectory }),
            done: s.t('directoryUpdated'),
          }),
          actionButton(s, {
            label: s.t('unlink'),
            key: 'directory-unlink',
            kind: 'danger',
            confirm: s.t('confirmUnlink', { name: link.tid }),
            run: () => sendJson('DELETE', ROUTE),
            done: s.t('unlinked', { name: link.tid }),
          }),
        )
      : null,
  );
}

function linkForm(s: Section, roles: readonly string[]): HTMLElement {
  const tidId = uid('atk-tid');
  const roleId = uid('atk-dir-role');
  const requireId = uid('atk-require');
  const tid = h('input', {
    id: tidId,
    name: 'tid',
    required: true,
    autocomplete: 'off',
    maxlength: '64',
    part: 'input',
    'data-key': 'directory-tid',
  }) as HTMLInputElement;
  // Never Owner: an organization's Owners are its own to make (the route's 400 `validation`).
  const role = h(
    'select',
    { id: roleId, name: 'role', part: 'select', 'data-key': 'directory-role' },
    ...roles
      .filter((r) => r !== 'Owner')
      .map((r) => h('option', { value: r, selected: r === 'Member' }, r)),
  ) as HTMLSelectElement;
  const require = h('input', {
    id: requireId,
    type: 'checkbox',
    name: 'requireDirectory',
    part: 'checkbox',
  }) as HTMLInputElement;
  const form = h(
    'form',
    {
      part: 'form',
      'aria-label': s.t('linkDirectory'),
      onsubmit: (e) => {
        e.preventDefault();
        const id = tid.value.trim();
        if (!id) return;
        void s.act(
          () =>
            sendJson('PUT', ROUTE, {
              tid: id,
              role: role.value,
              requireDirectory: require.checked,
            }),
          s.t('linked', { name: id }),
          form,
        );
      },
    },
    h('label', { for: tidId }, s.t('directoryId'), tid),
    h('label', { for: roleId }, s.t('joinsAs'), role),
    h('label', { for: requireId, class: 'atk-check' }, require, s.t('requireDirectory')),
    h(
      'button',
      {
        type: 'submit',
        class: 'atk-primary',
        part: 'button primary',
        'data-key': 'directory-link',
      },
      s.t('linkDirectory'),
    ),
  );
  return form;
}
