/**
 * The steps of the seats and items model (seats.model.test.ts) and what each sends: every door that admits or
 * promises a person (src/access/model/plan-seats.ts `SeatDoor`), an Owner's removal and SCIM's deprovisioning, the
 * operator's plan change, several admissions at once, and creates (alone or at once) and deletes of notes. A door whose
 * precondition the run does not hold yet (nobody invited to accept, no pending request, no provisioned user) is
 * skipped. Each attempt says how the run's state moves when served and when refused.
 */
import type { SeatDoor } from '../../src/access/model/plan-seats.js';
import type { Reply } from '../runtime/support/http.js';
import { personOf, type SeatsApp } from './seats-app.js';

/** The doors that admit a person (take a seat): what several at once may be. */
export const ADMITTING = ['accept', 'auto-join', 'approve', 'directory', 'scim-sign-in'] as const;
export type AdmittingDoor = (typeof ADMITTING)[number];

/** One step of a run. */
export type SeatStep =
  | { readonly kind: 'door'; readonly door: SeatDoor }
  | { readonly kind: 'at-once'; readonly doors: readonly AdmittingDoor[] }
  | { readonly kind: 'remove' | 'deprovision' | 'delete' }
  | { readonly kind: 'move'; readonly plan: number }
  | { readonly kind: 'create'; readonly n: number };

/** A provisioned person: the SCIM user's id, the person's id and verified e-mail. */
export interface Provisioned {
  readonly id: string;
  readonly person: string;
  readonly email: string;
}

/** What the run holds besides the counts: who is a member, and each door's precondition. */
export interface People {
  readonly members: string[];
  readonly invitations: {
    readonly person: string;
    readonly email: string;
    readonly token: string;
  }[];
  readonly pending: { readonly person: string }[];
  /** Active SCIM users who have not signed in (or were refused a seat when they did). */
  readonly provisioned: Provisioned[];
  /** Active SCIM users who are members. */
  readonly scimMembers: Provisioned[];
  /** Deprovisioned SCIM users (linked: they had signed in). */
  readonly inactive: Provisioned[];
  /** Members a domain's auto-join admitted (their e-mail the `auto` domain's) whom no SCIM user names yet. */
  readonly autoJoined: string[];
  readonly notes: string[];
  next: number;
}

/** One door tried: what it sends, and how the run's people move when it is served or refused. */
export interface Attempt {
  readonly door: SeatDoor;
  readonly label: string;
  /**
   * The person an accept or an approval admits: an invited requester is both doors' — never tried by both at once
   * (seats.model.test.ts; the runtime's one membership and one seat for such a race: seats-member-again.test.ts).
   */
  readonly person?: string;
  /** The asker is the organization's Owner (a 402 names the checkout route). */
  readonly owner: boolean;
  /** A SCIM route: its 402 is a SCIM error naming the problem in its detail. */
  readonly scim: boolean;
  send(): Promise<Reply>;
  served(reply: Reply): void;
  refused(): void;
}

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The SCIM PATCH that sets `active`. */
export const activeOp = (active: boolean) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'replace', path: 'active', value: active }],
});

const newPerson = (app: SeatsApp, p: People) => `${app.org}-p${String(++p.next).padStart(3, '0')}`;
const admit = (p: People, person: string) => p.members.push(person);
const tokenOf = (url: unknown) => new URL(String(url)).searchParams.get('invitation') ?? '';

/** The doors a new person walks through (no precondition). */
function freshDoor(app: SeatsApp, p: People, door: SeatDoor): Attempt | undefined {
  const person = newPerson(app, p);
  const inOrg = { 'x-atakora-tenant': app.org };
  const base = { door, owner: false, scim: false, refused: () => undefined };
  if (door === 'invite') {
    const email = `${person}@mail.example`;
    return {
      ...base,
      owner: true,
      label: `owner invites ${email}`,
      send: () =>
        app.asOwner('membership-invitations', 'POST', 'tenant/invitations', {
          body: { email, roles: ['Member'] },
        }),
      served: (r) => p.invitations.push({ person, email, token: tokenOf(r.body?.acceptUrl) }),
    };
  }
  if (door === 'auto-join' || door === 'request-join') {
    const email = `${person}@${door === 'auto-join' ? app.domains.auto : app.domains.request}`;
    return {
      ...base,
      label: `${email} joins (${door})`,
      send: () =>
        app.call(
          'membership-tenant-join',
          'POST',
          `tenants/${app.org}/join`,
          personOf(person, email),
          {
            params: { id: app.org },
          },
        ),
      served: () => {
        if (door === 'request-join') return void p.pending.push({ person });
        admit(p, person);
        p.autoJoined.push(person);
      },
    };
  }
  if (door === 'directory')
    return {
      ...base,
      label: `${person} of the linked directory: first request`,
      send: () =>
        app.call('membership-members', 'GET', 'tenant/members', {
          ...personOf(person, undefined, app.tid),
          ...inOrg,
        }),
      served: () => admit(p, person),
    };
  if (door !== 'scim-create') return undefined;
  return scimCreate(app, p, door, person, `${person}@${app.domains.scim}`);
}

/** SCIM provisions `email` (`scim-create`: a new person's; `scim-create-member`: a member's). */
function scimCreate(
  app: SeatsApp,
  p: People,
  door: SeatDoor,
  person: string,
  email: string,
): Attempt {
  return {
    door,
    owner: false,
    scim: true,
    refused: () => undefined,
    label: `SCIM provisions ${email}${door === 'scim-create-member' ? ' (a member)' : ''}`,
    send: () =>
      app.scim('scim-users', 'POST', 'scim/v2/Users', {
        body: {
          schemas: [SCIM_USER],
          userName: email,
          active: true,
          emails: [{ value: email, primary: true }],
        },
      }),
    // A member's user waits for no sign-in to admit them: they hold their seat already.
    served: (r) => {
      if (door === 'scim-create') p.provisioned.push({ id: String(r.body?.id), person, email });
    },
  };
}

/** The first pending requester who is a member (an invitation accepted while the request waited), or who is none. */
const pendingOf = (p: People, member: boolean) =>
  p.pending.findIndex((q) => p.members.includes(q.person) === member);

/** The doors of a pending requester: asked again, invited meanwhile. */
function pendingDoor(app: SeatsApp, p: People, door: SeatDoor): Attempt | undefined {
  const base = { door, owner: false, scim: false, refused: () => undefined };
  const asked = p.pending[pendingOf(p, false)];
  if (!asked) return undefined;
  const email = `${asked.person}@${app.domains.request}`;
  if (door === 'request-again')
    return {
      ...base,
      label: `${email} asks again (pending)`,
      send: () =>
        app.call(
          'membership-tenant-join',
          'POST',
          `tenants/${app.org}/join`,
          personOf(asked.person, email),
          { params: { id: app.org } },
        ),
      served: () => undefined,
    };
  if (door !== 'invite-pending' || p.invitations.some((i) => i.person === asked.person))
    return undefined;
  return {
    ...base,
    owner: true,
    label: `owner invites ${email} (pending)`,
    send: () =>
      app.asOwner('membership-invitations', 'POST', 'tenant/invitations', {
        body: { email, roles: ['Member'] },
      }),
    served: (r) =>
      p.invitations.push({ person: asked.person, email, token: tokenOf(r.body?.acceptUrl) }),
  };
}

/** The doors that need what an earlier step left: an invitation, a pending request, a provisioned user. */
function heldDoor(app: SeatsApp, p: People, door: SeatDoor): Attempt | undefined {
  const base = { door, owner: false, scim: false };
  if (door === 'request-again' || door === 'invite-pending') return pendingDoor(app, p, door);
  if (door === 'scim-create-member') {
    const at = p.autoJoined.findIndex((m) => p.members.includes(m));
    const who = p.autoJoined[at];
    if (who === undefined) return undefined;
    p.autoJoined.splice(at, 1);
    return scimCreate(app, p, door, who, `${who}@${app.domains.auto}`);
  }
  if (door === 'accept' || door === 'accept-member') {
    // `accept`: an invitation to one who is no member; `accept-member`: to one a join admitted after it was sent.
    const at = p.invitations.findIndex(
      (i) => p.members.includes(i.person) === (door === 'accept-member'),
    );
    const inv = p.invitations[at];
    if (!inv) return undefined;
    p.invitations.splice(at, 1);
    return {
      ...base,
      person: inv.person,
      label: `${inv.email} accepts${door === 'accept-member' ? ' (a member)' : ''}`,
      send: () =>
        app.call(
          'membership-accept',
          'POST',
          'invitations/accept',
          personOf(inv.person, inv.email),
          {
            body: { token: inv.token },
          },
        ),
      served: () => (door === 'accept' ? admit(p, inv.person) : undefined),
      refused: () => p.invitations.splice(at, 0, inv),
    };
  }
  if (door === 'approve' || door === 'approve-member') {
    // `approve`: a requester who is no member; `approve-member`: one an invitation admitted while they waited.
    // An approved requester an Owner invited meanwhile keeps the invitation: `accept-member` takes it.
    const at = pendingOf(p, door === 'approve-member');
    const asked = p.pending[at];
    if (!asked) return undefined;
    p.pending.splice(at, 1);
    return {
      ...base,
      owner: true,
      person: asked.person,
      label: `owner approves ${asked.person}`,
      send: () =>
        app.asOwner(
          'membership-join-request-approve',
          'POST',
          `tenant/join-requests/${asked.person}/approve`,
          {
            params: { id: asked.person },
          },
        ),
      served: () => admit(p, asked.person),
      // Past the seats the request stays pending; a member's request is dropped (409 already-a-member).
      refused: () => (door === 'approve' ? p.pending.unshift(asked) : undefined),
    };
  }
  const pool =
    door === 'scim-sign-in' ? p.provisioned : door === 'scim-reactivate' ? p.inactive : [];
  const u = pool.shift();
  if (!u) return undefined;
  const joined = () => {
    admit(p, u.person);
    p.scimMembers.push(u);
  };
  if (door === 'scim-sign-in')
    return {
      ...base,
      label: `provisioned ${u.email}: first request`,
      send: () =>
        app.call('membership-members', 'GET', 'tenant/members', {
          ...personOf(u.person, u.email),
          'x-atakora-tenant': app.org,
        }),
      served: joined,
      refused: () => p.provisioned.unshift(u),
    };
  return {
    ...base,
    scim: true,
    label: `SCIM re-activates ${u.email}`,
    send: () =>
      app.scim('scim-user', 'PATCH', `scim/v2/Users/${u.id}`, {
        params: { id: u.id },
        body: activeOp(true),
      }),
    served: joined,
    refused: () => p.inactive.unshift(u),
  };
}

/**
 * The attempt of `door` in the run, its precondition taken from the run (undefined: not held yet, the step skipped).
 *
 * @example
 * ```ts
 * const a = attemptOf(app, people, 'accept');
 * ```
 */
export function attemptOf(app: SeatsApp, p: People, door: SeatDoor): Attempt | undefined {
  return freshDoor(app, p, door) ?? heldDoor(app, p, door);
}

/** An Owner's removal of the first member who is neither the Owner nor SCIM's: 204, or undefined when none is. */
export function removal(
  app: SeatsApp,
  p: People,
): { label: string; send(): Promise<Reply>; done(): void } | undefined {
  const scim = new Set(p.scimMembers.map((u) => u.person));
  const who = p.members.find((m) => m !== app.owner && !scim.has(m));
  if (who === undefined) return undefined;
  return {
    label: `owner removes ${who}`,
    send: () =>
      app.asOwner('membership-member', 'DELETE', `tenant/members/${who}`, {
        params: { userId: who },
      }),
    done: () => {
      p.members.splice(p.members.indexOf(who), 1);
      // Barred now: a request of theirs still pending admits nobody (403 member-barred), no door of it is tried.
      const pending = p.pending.findIndex((q) => q.person === who);
      if (pending >= 0) p.pending.splice(pending, 1);
    },
  };
}

/** SCIM deprovisions the first provisioned member (`active: false`): 200, their membership gone. */
export function deprovisioning(
  app: SeatsApp,
  p: People,
): { label: string; send(): Promise<Reply>; done(): void } | undefined {
  const u = p.scimMembers[0];
  if (!u) return undefined;
  return {
    label: `SCIM deprovisions ${u.email}`,
    send: () =>
      app.scim('scim-user', 'PATCH', `scim/v2/Users/${u.id}`, {
        params: { id: u.id },
        body: activeOp(false),
      }),
    done: () => {
      p.scimMembers.shift();
      p.members.splice(p.members.indexOf(u.person), 1);
      p.inactive.push(u);
    },
  };
}
