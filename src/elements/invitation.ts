/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { InvitationPreview } from '../contract/member-shapes.js';
import { AtakoraElement } from './base.js';
import { connectionOf, getJson, setOrganization } from './connection.js';
import { type Child, h } from './dom.js';

type Data =
  | { readonly state: 'none' }
  | { readonly state: 'open'; readonly token: string; readonly preview: InvitationPreview }
  | { readonly state: 'accepted'; readonly name: string }
  | { readonly state: 'declined' };

/**
 * `<atakora-invitation>`: the landing of an invitation link (`?invitation=<token>`, or the `token` attribute):
 * who invites whom to what (`GET api/invitations/preview`), Accept (`POST api/invitations/accept`: the person joins
 * and the elements act in that organization; a wrong account's refusal shown with its problem, the link kept to try
 * with the invited one) and Decline (joins nothing; the link leaves the address bar). Events: `atakora-accepted`
 * (detail: the membership), `atakora-declined`.
 *
 * @example
 * ```html
 * <atakora-invitation></atakora-invitation>
 * ```
 */
export class AtakoraInvitation extends AtakoraElement<Data> {
  static override get observedAttributes(): string[] {
    return ['lang', 'token'];
  }
  #outcome: Data | undefined;

  protected heading(): string {
    return this.t('invitationTitle');
  }

  get #token(): string | null {
    return this.getAttribute('token') ?? new URLSearchParams(location.search).get('invitation');
  }

  protected async load(): Promise<Data> {
    if (this.#outcome) return this.#outcome;
    const token = this.#token;
    if (!token) return { state: 'none' };
    const preview = await getJson<InvitationPreview>(
      `invitations/preview?${new URLSearchParams({ invitation: token }).toString()}`,
    );
    return { state: 'open', token, preview };
  }

  #forget(): void {
    const url = new URL(location.href);
    if (!url.searchParams.has('invitation')) return;
    url.searchParams.delete('invitation');
    history.replaceState(history.state, '', url.href);
  }

  protected view(data: Data): Child[] {
    if (data.state === 'none') return [h('p', { part: 'empty' }, this.t('noInvitation'))];
    if (data.state === 'accepted')
      return [h('p', { part: 'result' }, this.t('accepted', { name: data.name }))];
    if (data.state === 'declined')
      return [h('p', { part: 'result' }, this.t('invitationDeclined'))];
    const { preview, token } = data;
    const name = preview.organization.name;
    return [
      h(
        'p',
        { part: 'preview' },
        this.t('invitationText', {
          inviter: preview.invitedBy.name,
          email: preview.emailHint,
          organization: name,
          role: preview.roles.join(', ') || 'Member',
        }),
      ),
      h(
        'p',
        { class: 'atk-muted' },
        this.t('invitationExpires', { date: this.date(preview.expiresOn) }),
      ),
      h(
        'div',
        { class: 'atk-actions', part: 'actions' },
        h(
          'button',
          {
            type: 'button',
            part: 'button',
            'data-key': 'decline',
            onclick: () => {
              this.#forget();
              this.#outcome = { state: 'declined' };
              this.dispatchEvent(new CustomEvent('atakora-declined', { bubbles: true }));
              void this.act(() => Promise.resolve(), this.t('invitationDeclined'));
            },
          },
          this.t('decline'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'atk-primary',
            part: 'button primary',
            'data-key': 'accept',
            onclick: () =>
              void this.act(
                async () => {
                  const { client } = await connectionOf();
                  const membership = await client.invitations.accept(token);
                  // Only once accepted: the token works once, and a refusal keeps it to try with the invited account.
                  this.#forget();
                  this.#outcome = { state: 'accepted', name };
                  setOrganization(membership.tenant);
                  this.dispatchEvent(
                    new CustomEvent('atakora-accepted', { detail: membership, bubbles: true }),
                  );
                },
                this.t('accepted', { name }),
              ),
          },
          this.t('accept'),
        ),
      ),
    ];
  }
}
