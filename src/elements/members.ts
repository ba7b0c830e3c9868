/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type {
  CreatedInvitation,
  Invitation,
  Membership,
  MyTenant,
} from '../contract/member-shapes.js';
import type { JoinRequest } from '../contract/enterprise/joins.js';
import { AtakoraElement } from './base.js';
import { connectionOf, personId } from './connection.js';
import { type Child, h, uid } from './dom.js';
import { inOrganization } from './membership.js';
import { losesRights, may } from './rules.js';
import { actionButton } from './section.js';

interface Data {
  readonly org: MyTenant;
  readonly members: readonly Membership[];
  readonly invitations?: readonly Invitation[];
  readonly joinRequests?: readonly JoinRequest[];
  /** The plan's features (`GET api/tenant`): undefined when plans list none (every feature). */
  readonly features?: readonly string[];
  /** The link of the invitation just made (shown once). */
  link?: string;
}

const first = async <T>(list: {
  page(): Promise<{ readonly items: readonly T[] }>;
}): Promise<readonly T[]> => (await list.page()).items;

/**
 * Whether the backend mailed an invitation it made or made again: its answer has a `delivery` only with
 * `tenants.email` (runtime/members/mail/invitation-mail.ts), and a mail that failed did not go.
 */
const sentBy = (answer: CreatedInvitation): boolean =>
  answer.delivery !== undefined && answer.delivery.status !== 'failed';

/**
 * `<atakora-members>`: the organization's members and their roles; for an Owner a role picker (a change is made at
 * once; lowering one's own rights is confirmed first) and Remove (confirmed) per member; for Owners and Admins the
 * invitations — invite by e-mail (an Admin cannot invite an Owner), the link shown once, Resend, Revoke (confirmed) —
 * and the requests to join through a verified domain (Approve where the plan has `domains`; Decline, confirmed). A
 * Member sees the list only. `roles` names the roles offered (default `Owner,Admin,Member`).
 *
 * @example
 * ```html
 * <atakora-members roles="Owner,Admin,Member"></atakora-members>
 * ```
 */
export class AtakoraMembers extends AtakoraElement<Data> {
  static override get observedAttributes(): string[] {
    return ['lang', 'roles'];
  }

  protected heading(): string {
    return this.t('members');
  }

  get #roles(): string[] {
    return (this.getAttribute('roles') ?? 'Owner,Admin,Member')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
  }

  protected async load(): Promise<Data> {
    const org = await inOrganization();
    const { client } = await connectionOf();
    const roles = org.roles;
    const [members, invitations, joinRequests, tenant] = await Promise.all([
      first(client.members.list()),
      may('invitations:list', roles) ? first(client.invitations.list()) : undefined,
      may('join-requests:list', roles)
        ? first(client.tenant.joinRequests.list()).catch(() => [])
        : undefined,
      client.tenant(),
    ]);
    return {
      org,
      members,
      ...(invitations ? { invitations } : {}),
      ...(joinRequests ? { joinRequests } : {}),
      ...(tenant.features ? { features: tenant.features } : {}),
    };
  }

  protected view(data: Data): Child[] {
    const mine = data.org.roles;
    return [
      data.members.length
        ? h(
            'ul',
            { part: 'list', 'aria-label': this.t('members') },
            ...data.members.map((m) => this.#member(m, mine)),
          )
        : h('p', { part: 'empty' }, this.t('noMembers')),
      data.invitations ? this.#invitations(data, data.invitations, mine) : null,
      data.joinRequests ? this.#joinRequests(data, data.joinRequests) : null,
    ];
  }

  #member(m: Membership, mine: readonly string[]): HTMLElement {
    const name = m.email ?? m.userId;
    const role = m.roles[0] ?? 'Member';
    const controls: Child[] = [];
    if (may('members:update', mine)) {
      const id = uid('atk-role');
      const select = h(
        'select',
        {
          id,
          part: 'select',
          'data-key': `role-${m.userId}`,
          'data-field': 'roles',
          onchange: () => void this.#changeRole(m, select),
        },
        ...this.#roles.map((r) => h('option', { value: r, selected: r === role }, r)),
      ) as HTMLSelectElement;
      controls.push(
        h('label', { for: id, class: 'atk-visually-hidden' }, this.t('rolesOf', { name })),
        select,
      );
    } else
      controls.push(
        h('span', { class: 'atk-badge', part: 'badge' }, m.roles.join(', ') || 'Member'),
      );
    if (may('members:remove', mine))
      controls.push(
        h(
          'button',
          {
            type: 'button',
            class: 'atk-danger',
            part: 'button danger',
            'data-key': `remove-${m.userId}`,
            'aria-label': this.t('removeWho', { name }),
            onclick: async () => {
              if (!(await this.confirmAction(this.t('confirmRemove', { name }), this.t('remove'))))
                return;
              await this.act(
                async () => {
                  const { client } = await connectionOf();
                  await client.members.remove(m.userId);
                },
                this.t('removed', { name }),
              );
            },
          },
          this.t('remove'),
        ),
      );
    return h(
      'li',
      { part: 'item', 'data-user': m.userId },
      h('span', { class: 'atk-grow' }, name),
      ...controls,
    );
  }

  /**
   * Change `m`'s role to the picker's choice, at once: another member's role is the Owner's direct control (DESIGN
   * §2) and the Owner who lowers it can raise it again. Only lowering one's own rights (by the rule table: rules.ts
   * `losesRights`) asks first, as removal does — the person cannot give them back to themself; Cancel or Escape puts
   * the picker back on the role held, the focus on it.
   */
  async #changeRole(m: Membership, select: HTMLSelectElement): Promise<void> {
    const name = m.email ?? m.userId;
    const next = select.value;
    if (losesRights(m.roles, [next]) && m.userId === (await personId())) {
      const from = m.roles.join(', ') || 'Member';
      if (
        !(await this.confirmAction(
          this.t('confirmOwnRole', { from, role: next }),
          this.t('changeRole'),
        ))
      ) {
        select.value = m.roles[0] ?? 'Member';
        return;
      }
    }
    await this.act(
      async () => {
        const { client } = await connectionOf();
        await client.members.update(m.userId, { roles: [next] });
      },
      this.t('rolesChanged', { name, role: next }),
      select,
    );
  }

  #invitations(data: Data, items: readonly Invitation[], mine: readonly string[]): HTMLElement {
    const heading = uid('atk-invitations');
    return h(
      'section',
      { 'aria-labelledby': heading, part: 'invitations' },
      h('h3', { id: heading }, this.t('invitations')),
      may('invitations:create', mine) ? this.#inviteForm(mine) : null,
      data.link
        ? h(
            'p',
            { part: 'link' },
            `${this.t('inviteLink')}: `,
            h('a', { href: data.link, class: 'atk-link', 'data-invite-link': '' }, data.link),
          )
        : null,
      items.length
        ? h(
            'ul',
            { part: 'list', 'aria-label': this.t('invitations') },
            ...items.map((i) => this.#invitation(i, mine)),
          )
        : h('p', { part: 'empty' }, this.t('noInvitations')),
    );
  }

  #inviteForm(mine: readonly string[]): HTMLElement {
    const emailId = uid('atk-email');
    const roleId = uid('atk-invite-role');
    // Only an Owner invites an Owner (the invitations route's rule, membership.ts).
    const offered = this.#roles.filter((r) => r !== 'Owner' || mine.includes('Owner'));
    const email = h('input', {
      id: emailId,
      type: 'email',
      name: 'email',
      required: true,
      autocomplete: 'off',
      part: 'input',
      'data-key': 'invite-email',
    }) as HTMLInputElement;
    const role = h(
      'select',
      // The API's field is `roles` (a list): its field errors land here.
      {
        id: roleId,
        name: 'role',
        'data-field': 'roles',
        part: 'select',
        'data-key': 'invite-role',
      },
      ...offered.map((r) => h('option', { value: r, selected: r === 'Member' }, r)),
    ) as HTMLSelectElement;
    const form = h(
      'form',
      {
        part: 'form',
        'aria-label': this.t('invite'),
        onsubmit: (e) => {
          e.preventDefault();
          const to = email.value.trim();
          let mailed = false;
          void this.act(
            async () => {
              const { client } = await connectionOf();
              const created = await client.invitations.create({ email: to, roles: [role.value] });
              mailed = sentBy(created);
              this.#took(to, created);
            },
            // Without a mail (no `tenants.email`: the answer has no `delivery`) the link shown is the only way to
            // the invitee: said as created, with the link to share, never as sent.
            () => this.t(mailed ? 'invited' : 'inviteCreated', { name: to }),
            form,
          );
        },
      },
      h('label', { for: emailId }, this.t('email'), email),
      h('label', { for: roleId }, this.t('role'), role),
      h(
        'button',
        { type: 'submit', class: 'atk-primary', part: 'button primary', 'data-key': 'invite' },
        this.t('invite'),
      ),
    );
    return form;
  }

  #link: string | undefined;

  /**
   * An invitation's link, made or made again by a resend (which voids the one before: the API's new token), shown in
   * place of any earlier one and told as `atakora-invited` — without `tenants.email` it is the only way to the invitee.
   */
  #took(email: string, created: CreatedInvitation): void {
    this.#link = created.acceptUrl;
    this.dispatchEvent(
      new CustomEvent('atakora-invited', {
        detail: { email, acceptUrl: created.acceptUrl },
        bubbles: true,
      }),
    );
  }

  protected override rerender(): void {
    if (this.data && this.#link) this.data.link = this.#link;
    super.rerender();
  }

  #invitation(i: Invitation, mine: readonly string[]): HTMLElement {
    const name = i.email;
    const run = (
      label: string,
      aria: string,
      key: string,
      danger: boolean,
      action: () => Promise<unknown>,
      done: string | (() => string),
      confirm?: string,
    ) =>
      h(
        'button',
        {
          type: 'button',
          part: danger ? 'button danger' : 'button',
          class: danger ? 'atk-danger' : undefined,
          'data-key': `${key}-${i.id}`,
          'aria-label': aria,
          onclick: async () => {
            if (confirm && !(await this.confirmAction(confirm, label))) return;
            await this.act(action, done);
          },
        },
        label,
      );
    const client = async () => (await connectionOf()).client;
    let mailed = false;
    return h(
      'li',
      { part: 'item', 'data-invitation': i.id },
      h(
        'span',
        { class: 'atk-grow' },
        name,
        ' ',
        h(
          'span',
          { class: 'atk-muted' },
          `${i.roles.join(', ')} · ${this.t('expires', { date: this.date(i.expiresOn) })}`,
        ),
      ),
      may('invitations:resend', mine)
        ? run(
            this.t('resend'),
            this.t('resendTo', { name }),
            'resend',
            false,
            async () => {
              const again = await (await client()).invitations.resend(i.id);
              mailed = sentBy(again);
              this.#took(name, again);
            },
            // A mail goes only where the backend sends them (`delivery` is absent without `tenants.email`) and it
            // did not fail: else the new link shown is the way to the invitee, and the announcement says so.
            () => this.t(mailed ? 'resent' : 'relinked', { name }),
          )
        : null,
      // Revoking is the invitations' own rule (an Owner or an Admin), as resending.
      may('invitations:resend', mine)
        ? run(
            this.t('revoke'),
            this.t('revokeFor', { name }),
            'revoke',
            true,
            async () => (await client()).invitations.revoke(i.id),
            this.t('revoked', { name }),
            this.t('confirmRevoke', { name }),
          )
        : null,
    );
  }

  #joinRequests(data: Data, items: readonly JoinRequest[]): HTMLElement {
    const heading = uid('atk-joins');
    // Approving admits through the verified domain: the plan's `domains` feature (plan-features.ts).
    const approve = data.features === undefined || data.features.includes('domains');
    const client = async () => (await connectionOf()).client;
    const s = this.section();
    return h(
      'section',
      { 'aria-labelledby': heading, part: 'join-requests' },
      h('h3', { id: heading }, this.t('joinRequests')),
      items.length
        ? h(
            'ul',
            { part: 'list' },
            ...items.map((r) =>
              h(
                'li',
                { part: 'item', 'data-request': r.id },
                h('span', { class: 'atk-grow' }, r.email),
                approve
                  ? actionButton(s, {
                      label: this.t('approve'),
                      aria: this.t('approveWho', { name: r.email }),
                      key: `approve-${r.id}`,
                      run: async () => (await client()).tenant.joinRequests.approve(r.id),
                      done: this.t('approved', { name: r.email }),
                    })
                  : null,
                // Declining deletes the request (the person may ask again): asked first, as a revocation is.
                actionButton(s, {
                  label: this.t('decline'),
                  aria: this.t('declineWho', { name: r.email }),
                  key: `decline-${r.id}`,
                  kind: 'danger',
                  confirm: this.t('confirmDecline', { name: r.email }),
                  run: async () => (await client()).tenant.joinRequests.decline(r.id),
                  done: this.t('declined', { name: r.email }),
                }),
              ),
            ),
          )
        : h('p', { part: 'empty' }, this.t('noJoinRequests')),
    );
  }
}
