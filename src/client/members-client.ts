import type * as Members from '../contract/members.js';
import { membershipUrlsOf } from '../contract/members.js';
import { list } from './crud-client.js';
import { send, type Transport } from './transport.js';
import { urlSegment } from './url-segment.js';
import type { InvitationsClient, MeClient, MembersClient } from './types.js';

type Signal = { readonly signal?: AbortSignal } | undefined;
const signal = (o: Signal) => (o?.signal ? { signal: o.signal } : {});
const path = (id: string) => `/${urlSegment(id, ['id'])}`;

/**
 * The membership members of the client (tenants by membership) over the API a component's base URL belongs to:
 * `me` (the caller's organizations), `members` and `invitations` of the organization the client acts in
 * (`createClient({ tenant })`, sent as `X-Atakora-Tenant`).
 *
 * @example
 * ```ts
 * const { me, members, invitations } = membershipMembers(transport);
 * ```
 */
export function membershipMembers(t: Transport): {
  /** `joinable` is added by joins-client.ts, `agents` by agents/agents-client.ts. */
  readonly me: Omit<MeClient, 'joinable' | 'agents'>;
  readonly members: MembersClient;
  readonly invitations: InvitationsClient;
} {
  const urls = membershipUrlsOf(t.baseUrl);
  const at = (baseUrl: string): Transport => ({ ...t, baseUrl });
  const members: MembersClient = {
    list: (options) => list<Members.Membership>(at(urls.members), options),
    update: async (userId, patch: Members.MemberPatch, options) =>
      (
        await send(at(urls.members), {
          method: 'PATCH',
          path: path(userId),
          body: patch,
          ...signal(options),
        })
      ).body as Members.Membership,
    remove: async (userId, options) => {
      await send(at(urls.members), { method: 'DELETE', path: path(userId), ...signal(options) });
    },
    delete: (userId, options) => members.remove(userId, options),
  };
  const invitations: InvitationsClient = {
    create: async (invitation: Members.InvitationRequest, options) =>
      (
        await send(at(urls.invitations), {
          method: 'POST',
          path: '',
          body: invitation,
          ...signal(options),
        })
      ).body as Members.CreatedInvitation,
    list: (options) => list<Members.Invitation>(at(urls.invitations), options),
    get: async (id, options) =>
      (await send(at(urls.invitations), { method: 'GET', path: path(id), ...signal(options) }))
        .body as Members.Invitation,
    revoke: async (id, options) => {
      await send(at(urls.invitations), { method: 'DELETE', path: path(id), ...signal(options) });
    },
    delete: (id, options) => invitations.revoke(id, options),
    resend: async (id, options) =>
      (
        await send(at(urls.invitations), {
          method: 'POST',
          path: `${path(id)}/resend`,
          ...signal(options),
        })
      ).body as Members.CreatedInvitation,
    accept: async (token, options) =>
      (
        await send(
          // Accepting acts in no organization yet: no header, whatever the client's.
          { ...at(urls.accept), tenant: () => undefined },
          { method: 'POST', path: '', body: { token }, ...signal(options) },
        )
      ).body as Members.Membership,
    preview: async (token, options) =>
      (
        await send(
          // Anonymous and in no organization: what a landing page asks before anyone signs in.
          { ...at(urls.preview), tenant: () => undefined },
          {
            method: 'GET',
            path: `?${new URLSearchParams({ invitation: token }).toString()}`,
            ...signal(options),
          },
        )
      ).body as Members.InvitationPreview,
  };
  const me: Omit<MeClient, 'joinable' | 'agents'> = {
    tenants: async (options) => {
      const query = new URLSearchParams();
      if (options?.first !== undefined) query.set('$first', String(options.first));
      if (options?.after !== undefined) query.set('$after', options.after);
      const q = query.toString();
      const page = (
        await send(
          { ...at(urls.meTenants), tenant: () => undefined },
          { method: 'GET', path: q ? `?${q}` : '', ...signal(options) },
        )
      ).body as Partial<Members.MyTenantPage> | undefined;
      // The page as the route documents it (an older API answered no token: its one page is the last).
      return { items: page?.items ?? [], continuationToken: page?.continuationToken ?? null };
    },
  };
  return { me, members, invitations };
}
