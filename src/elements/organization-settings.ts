/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { MyTenant } from '../contract/member-shapes.js';
import { AtakoraElement } from './base.js';
import { connectionOf, personId } from './connection.js';
import { type Child, h } from './dom.js';
import { nameForm } from './name-form.js';
import { inOrganization } from './membership.js';
import { may } from './rules.js';

interface Data extends MyTenant {
  /** The signed-in person's user id (connection.ts `personId`): Leave removes it. */
  readonly me?: string;
}

/**
 * `<atakora-organization-settings>`: the organization's name and status; Rename for Owners and Admins (`PATCH
 * api/tenant`), Delete for Owners (`DELETE api/tenant`, confirmed: the answer's erase date announced) and, once
 * deleted, Restore before that date (`POST api/tenant/undelete`). Any member may Leave (their own `DELETE
 * api/tenant/members/{userId}`, confirmed; the last Owner is refused with 409 `last-owner`, shown) when the page knows
 * their user id (`configure`'s `userId`, or the token's `oid`).
 *
 * @example
 * ```html
 * <atakora-organization-settings></atakora-organization-settings>
 * ```
 */
export class AtakoraOrganizationSettings extends AtakoraElement<Data> {
  protected heading(): string {
    return this.t('settings');
  }

  protected async load(): Promise<Data> {
    const [org, me] = await Promise.all([inOrganization(), personId()]);
    return me ? { ...org, me } : org;
  }

  protected view(org: Data): Child[] {
    const name = org.name ?? org.id;
    const client = async () => (await connectionOf()).client;
    const deleted = org.deleteOn !== undefined;
    return [
      h(
        'p',
        { part: 'name' },
        h('strong', {}, name),
        ' ',
        h('span', { class: 'atk-badge', part: 'badge' }, this.t(org.status)),
      ),
      deleted
        ? h('p', { part: 'deleted' }, this.t('deleted', { name, date: this.date(org.deleteOn) }))
        : null,
      may('tenant:update', org.roles) && !deleted ? this.#rename(name) : null,
      may('tenant:delete', org.roles) && !deleted
        ? h(
            'button',
            {
              type: 'button',
              class: 'atk-danger',
              part: 'button danger',
              'data-key': 'delete',
              onclick: async () => {
                const action = this.t('deleteOrganization');
                if (!(await this.confirmAction(this.t('confirmDelete', { name }), action))) return;
                let deleteOn: string | undefined;
                await this.act(async () => {
                  deleteOn = (await (await client()).tenant.delete()).deleteOn;
                });
                if (deleteOn) this.announce(this.t('deleted', { name, date: this.date(deleteOn) }));
              },
            },
            this.t('deleteOrganization'),
          )
        : null,
      may('tenant:undelete', org.roles) && deleted
        ? h(
            'button',
            {
              type: 'button',
              class: 'atk-primary',
              part: 'button primary',
              'data-key': 'undelete',
              onclick: () =>
                void this.act(
                  async () => (await client()).tenant.undelete(),
                  this.t('undeleted', { name }),
                ),
            },
            this.t('undelete'),
          )
        : null,
      org.me ? this.#leave(name, org.me) : null,
    ];
  }

  #leave(name: string, me: string): HTMLElement {
    return h(
      'button',
      {
        type: 'button',
        class: 'atk-danger',
        part: 'button danger',
        'data-key': 'leave',
        onclick: async () => {
          const action = this.t('leave');
          if (!(await this.confirmAction(this.t('confirmLeave', { name }), action))) return;
          await this.act(
            async () => (await connectionOf()).client.members.remove(me),
            this.t('left', { name }),
          );
        },
      },
      this.t('leave'),
    );
  }

  #rename(current: string): HTMLElement {
    return nameForm({
      formLabel: this.t('rename'),
      fieldLabel: this.t('organizationName'),
      input: { value: current, 'data-key': 'rename-input' },
      button: h(
        'button',
        { type: 'submit', part: 'button', 'data-key': 'rename' },
        this.t('rename'),
      ),
      submit: (name, form) =>
        void this.act(
          async () => {
            // The switcher shows the new name: act() tells the other elements to read again.
            await (await connectionOf()).client.tenant.update({ name });
          },
          this.t('renamed', { name }),
          form,
        ),
      blank: (form) => {
        this.showProblem(new Error(''), form, [{ field: 'name', code: 'required' }]);
      },
    });
  }
}
