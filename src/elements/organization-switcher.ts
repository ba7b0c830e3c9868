/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { MyTenant } from '../contract/member-shapes.js';
import { AtakoraElement } from './base.js';
import { connectionOf, setOrganization } from './connection.js';
import { type Child, h } from './dom.js';
import { nameForm } from './name-form.js';
import { myOrganizations } from './membership.js';

interface Data {
  readonly items: readonly MyTenant[];
  readonly current?: MyTenant;
}

/**
 * `<atakora-organization-switcher>`: the person's organizations (`GET api/me/tenants`) with their roles, the one
 * the elements act in marked (`aria-current`), a button each to switch (every element on the page reloads: the
 * `atakora-organization-change` event), and a form to create one (`POST api/tenants`: its creator is its Owner;
 * `create="off"` hides it where only operators create organizations).
 *
 * @example
 * ```html
 * <atakora-organization-switcher></atakora-organization-switcher>
 * ```
 */
export class AtakoraOrganizationSwitcher extends AtakoraElement<Data> {
  static override get observedAttributes(): string[] {
    return ['lang', 'create'];
  }

  protected heading(): string {
    return this.t('organizations');
  }

  protected load(): Promise<Data> {
    return myOrganizations();
  }

  protected view(data: Data): Child[] {
    const list = data.items.length
      ? h(
          'ul',
          { part: 'list' },
          ...data.items.map((o) => {
            const name = o.name ?? o.id;
            const current = o.id === data.current?.id;
            return h(
              'li',
              { part: 'item', 'data-id': o.id },
              h(
                'button',
                {
                  type: 'button',
                  part: 'button',
                  class: 'atk-grow',
                  'data-key': `org-${o.id}`,
                  'aria-current': current ? 'true' : 'false',
                  'aria-label': current
                    ? `${name} (${this.t('current')})`
                    : this.t('switchTo', { name }),
                  onclick: () => {
                    setOrganization(o.id);
                    this.announce(this.t('switched', { name }));
                  },
                },
                name,
              ),
              h('span', { class: 'atk-badge', part: 'badge' }, o.roles.join(', ') || 'Member'),
            );
          }),
        )
      : h('p', { part: 'empty' }, this.t('noOrganizations'));
    return [list, this.getAttribute('create') === 'off' ? null : this.#createForm()];
  }

  #createForm(): HTMLElement {
    return nameForm({
      formLabel: this.t('newOrganization'),
      fieldLabel: this.t('organizationName'),
      input: { autocomplete: 'organization', 'data-key': 'org-name' },
      button: h(
        'button',
        { type: 'submit', class: 'atk-primary', part: 'button primary', 'data-key': 'org-create' },
        this.t('create'),
      ),
      submit: (name, form) =>
        void this.act(
          async () => {
            const { client } = await connectionOf();
            const created = await client.tenants.create({ name });
            setOrganization(created.id);
          },
          this.t('created', { name }),
          form,
        ),
      blank: (form) => {
        this.showProblem(new Error(''), form, [{ field: 'name', code: 'required' }]);
      },
    });
  }
}
