/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { CreatedScimToken, ScimToken } from '../contract/scim/scim.js';
import { connectionOf } from './connection.js';
import { h, uid } from './dom.js';
import { actionButton, part, type Section } from './section.js';

const tokens = async () => (await connectionOf()).client.tenant.scimTokens;

/**
 * The enterprise element's SCIM provisioning (an Owner's: `api/tenant/scim-tokens`, docs/enterprise.md, "SCIM
 * provisioning"): the tenant URL the identity provider calls, the tokens (name, created) with Revoke (confirmed), and
 * a new token — its secret shown this once, never again (the API keeps only its hash).
 *
 * @example
 * ```ts
 * scimPart(section, { items: await client.tenant.scimTokens.list(), url: 'https://…/api/scim/v2', onCreated });
 * ```
 */
export function scimPart(
  s: Section,
  o: {
    readonly items: readonly ScimToken[];
    readonly url: string;
    readonly created?: CreatedScimToken;
    readonly onCreated: (token: CreatedScimToken) => void;
  },
): HTMLElement {
  return part(
    'scim',
    s.t('scim'),
    h('p', { part: 'scim-url' }, `${s.t('scimUrl')}: `, h('code', { class: 'atk-link' }, o.url)),
    createForm(s, o.onCreated),
    o.created
      ? h(
          'p',
          { part: 'secret', 'data-token': o.created.id },
          `${s.t('tokenOnce')}: `,
          h('code', { class: 'atk-link' }, o.created.token),
        )
      : null,
    o.items.length
      ? h(
          'ul',
          { part: 'list', 'aria-label': s.t('scimTokens') },
          ...o.items.map((t) => {
            const name = t.name ?? t.id;
            return h(
              'li',
              { part: 'item', 'data-scim-token': t.id },
              h(
                'span',
                { class: 'atk-grow' },
                name,
                ' ',
                h('span', { class: 'atk-muted' }, s.t('createdOn', { date: s.date(t.createdOn) })),
              ),
              actionButton(s, {
                label: s.t('revoke'),
                aria: s.t('revokeToken', { name }),
                key: `revoke-${t.id}`,
                kind: 'danger',
                confirm: s.t('confirmRevokeToken', { name }),
                run: async () => (await tokens()).revoke(t.id),
                done: s.t('tokenRevoked', { name }),
              }),
            );
          }),
        )
      : h('p', { part: 'empty' }, s.t('noScimTokens')),
  );
}

function createForm(s: Section, onCreated: (token: CreatedScimToken) => void): HTMLElement {
  const id = uid('atk-token-name');
  const input = h('input', {
    id,
    name: 'token-name',
    'data-field': 'name',
    autocomplete: 'off',
    maxlength: '100',
    part: 'input',
    'data-key': 'token-name',
  }) as HTMLInputElement;
  const form = h(
    'form',
    {
      part: 'form',
      'aria-label': s.t('newToken'),
      onsubmit: (e) => {
        e.preventDefault();
        const name = input.value.trim();
        void s.act(
          async () => {
            onCreated(await (await tokens()).create(name ? { name } : {}));
          },
          s.t('tokenCreated'),
          form,
        );
      },
    },
    h('label', { for: id }, s.t('tokenName'), input),
    h(
      'button',
      { type: 'submit', class: 'atk-primary', part: 'button primary', 'data-key': 'token-create' },
      s.t('newToken'),
    ),
  );
  return form;
}
