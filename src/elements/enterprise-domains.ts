/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { DomainJoin, OrganizationDomain } from '../contract/domains/domain-shapes.js';
import { connectionOf } from './connection.js';
import { h, uid } from './dom.js';
import { actionButton, part, type Section } from './section.js';
import { type JoinRoleEditor, joinRole } from './enterprise-domain-role.js';

const JOINS: readonly DomainJoin[] = ['off', 'request', 'auto'];
const domains = async () => (await connectionOf()).client.domains;

/**
 * The enterprise element's verified domains (`api/tenant/domains`, docs/enterprise.md): each with its status and,
 * until verified, the TXT record to publish, and the role its joiners get; for an Owner Add, Verify, who joins through
 * it (off, request, auto), the role's editor (`editor`, enterprise-domain-role.ts) and Remove (confirmed). An Admin
 * reads them.
 *
 * @example
 * ```ts
 * domainsPart(section, { items: await client.domains.list(), owner: true });
 * domainsPart(section, { items, owner: true, editor: { roles: ['Admin', 'Member'], open: undefined, show } });
 * ```
 */
export function domainsPart(
  s: Section,
  o: {
    readonly items: readonly OrganizationDomain[];
    readonly owner: boolean;
    /** Given to those who may change a domain's join (`domains:update`): the role's editor. */
    readonly editor?: JoinRoleEditor;
  },
): HTMLElement {
  return part(
    'domains',
    s.t('domains'),
    o.owner ? addForm(s) : null,
    o.items.length
      ? h(
          'ul',
          { part: 'list', 'aria-label': s.t('domains') },
          ...o.items.map((d) => domainItem(s, d, o.owner, o.editor)),
        )
      : h('p', { part: 'empty' }, s.t('noDomains')),
  );
}

function addForm(s: Section): HTMLElement {
  const id = uid('atk-domain');
  const input = h('input', {
    id,
    name: 'domain',
    required: true,
    autocomplete: 'off',
    maxlength: '253',
    part: 'input',
    'data-key': 'domain-input',
  }) as HTMLInputElement;
  const form = h(
    'form',
    {
      part: 'form',
      'aria-label': s.t('addDomain'),
      onsubmit: (e) => {
        e.preventDefault();
        const domain = input.value.trim().toLowerCase();
        if (domain)
          void s.act(
            async () => (await domains()).add(domain),
            s.t('domainAdded', { name: domain }),
            form,
          );
      },
    },
    h('label', { for: id }, s.t('domain'), input),
    h(
      'button',
      { type: 'submit', class: 'atk-primary', part: 'button primary', 'data-key': 'domain-add' },
      s.t('addDomain'),
    ),
  );
  return form;
}

function domainItem(
  s: Section,
  d: OrganizationDomain,
  owner: boolean,
  editor: JoinRoleEditor | undefined,
): HTMLElement {
  const name = d.domain;
  const verified = d.status === 'verified';
  const joinId = uid('atk-join');
  const join = owner
    ? (h(
        'select',
        {
          id: joinId,
          part: 'select',
          'data-key': `join-${name}`,
          'data-field': 'join',
          onchange: () => {
            const next = join?.value as DomainJoin;
            void s.act(
              async () => (await domains()).update(name, { join: next }),
              s.t('joinChanged', { name, mode: s.t(`join-${next}`) }),
              join,
            );
          },
        },
        ...JOINS.map((j) => h('option', { value: j, selected: j === d.join }, s.t(`join-${j}`))),
      ) as HTMLSelectElement)
    : undefined;
  return h(
    'li',
    { part: 'item', 'data-domain': name, 'data-status': d.status },
    h(
      'span',
      { class: 'atk-grow' },
      h('strong', {}, name),
      ' ',
      h('span', { class: 'atk-badge', part: 'badge' }, s.t(`domain-${d.status}`)),
      verified
        ? null
        : h(
            'span',
            { class: 'atk-block', part: 'txt' },
            `${s.t('txtRecord')}: `,
            h('code', {}, d.txt.name),
            ' = ',
            h('code', {}, d.txt.value),
          ),
      join ? null : h('span', { class: 'atk-muted' }, ` · ${s.t(`join-${d.join}`)}`),
      joinRole(s, d, editor),
    ),
    join
      ? h(
          'span',
          {},
          h('label', { for: joinId, class: 'atk-visually-hidden' }, s.t('joinOf', { name })),
          join,
        )
      : null,
    owner && !verified
      ? actionButton(s, {
          label: s.t('verify'),
          aria: s.t('verifyWho', { name }),
          key: `verify-${name}`,
          run: async () => {
            const after = await (await domains()).verify(name);
            if (after.status !== 'verified') throw new Error(s.t('notYetVerified', { name }));
          },
          done: s.t('domainVerified', { name }),
        })
      : null,
    owner
      ? actionButton(s, {
          label: s.t('remove'),
          aria: s.t('removeWho', { name }),
          key: `remove-${name}`,
          kind: 'danger',
          confirm: s.t('confirmRemoveDomain', { name }),
          run: async () => (await domains()).remove(name),
          done: s.t('removed', { name }),
        })
      : null,
  );
}
