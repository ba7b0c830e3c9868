// The steps of the SCIM deletion models (scim-deletion.model.test.ts, scim-deletion-invitations.model.test.ts,
// scim-erase.model.test.ts) as plain data: the people, their doors, and the fast-check arbitrary of a step.
import fc from 'fast-check';
import type { ModelPerson } from '../../src/access/model/scim-provisioning.js';
import { DOMAINS } from '../runtime/support/scim-app.js';
import { HOME } from './scim-people-run.js';

export const DAY_MS = 86_400_000;
export const DELETE_AFTER_DAYS = 2;
/** Past the registry's and the membership cache's 30 s bound: every instance reads what the others wrote. */
export const CACHE_BOUND_MS = 31_000;
/** acme's Admin (its Owner: ADA), whose request warms an instance's caches. */
export const ANN: ModelPerson = {
  oid: 'ann',
  email: 'ann@mail.example',
  verified: false,
  tid: 'ann-dir',
};
/** kim: a verified e-mail on acme's domain; lee: her directory only; dee: her user principal name only. */
export const PEOPLE: readonly ModelPerson[] = [
  { oid: 'kim', email: `kim@${DOMAINS.acme}`, verified: true, tid: HOME },
  { oid: 'lee', email: `lee@${DOMAINS.acme}`, verified: false, tid: HOME },
  {
    oid: 'dee',
    email: 'dee@mail.example',
    verified: false,
    tid: HOME,
    upn: 'dee@home-dir.example',
  },
];
export const USER_NAMES = PEOPLE.map((p) => p.upn ?? p.email);
/** A first request, `GET api/me/tenants`, a domain join, an acceptance of acme's invitation (e-mail proven). */
export const DOORS = ['request', 'mine', 'join', 'accept'] as const;
export type Door = (typeof DOORS)[number];

export type Spec =
  | { kind: 'link'; on: boolean }
  | { kind: 'provision'; user: number; externalId: boolean; inactive: boolean }
  | { kind: 'active'; user: number; active: boolean }
  /** A person's door on instance `on` (0: the one the Owner and SCIM use, 1: the other). */
  | { kind: 'door'; door: number; person: number; on: number }
  /** acme's Owner invites the person (accepted later: the door `accept`). */
  | { kind: 'invite'; person: number }
  | { kind: 'delete' }
  | { kind: 'undelete' }
  | { kind: 'day' }
  /**
   * The person's door on the second instance (its caches warmed by Ann's request just before: `warm`) in flight
   * while the Owner deletes acme (`exit` 0) or undeletes it (1) on the first — the door's membership write held until
   * the Owner's request has been answered — or (`after`) sent just after it, within the caches' bound.
   */
  | { kind: 'race'; door: number; person: number; exit: number; warm: boolean; after: boolean }
  /**
   * `days` pass, then the daily erase runs through the app's timer on the first instance, with `racer` — a person's
   * door on the second instance, SCIM, the Owner's undelete or invitation — sent at once beside it, or (`held`)
   * while the erase's last write, acme's tombstone, is held: acme half erased (scim-erase-steps.ts).
   */
  | { kind: 'erase'; days: number; racer?: Racer; held?: boolean };

/** What may race the erase. */
export type Racer = Extract<
  Spec,
  { kind: 'door' | 'provision' | 'active' | 'undelete' | 'invite' }
>;

export const i = (n: number) => fc.integer({ min: 0, max: n - 1 });
/** Mostly `false`: one in five. */
export const seldom = fc.oneof(
  { weight: 4, arbitrary: fc.constant(false) },
  { weight: 1, arbitrary: fc.constant(true) },
);

/** SCIM provisioning a user (inactive sometimes) and (de)activating one. */
export const scimSpecs = [
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('provision' as const),
      user: i(PEOPLE.length),
      externalId: fc.boolean(),
      inactive: seldom,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('active' as const),
      user: i(PEOPLE.length),
      active: fc.boolean(),
    }),
  },
] as const;

export const spec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('link' as const), on: fc.boolean() }) },
  ...scimSpecs,
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('door' as const),
      door: i(DOORS.length),
      person: i(PEOPLE.length),
      on: i(2),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('invite' as const), person: i(PEOPLE.length) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undelete' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('day' as const) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('race' as const),
      door: i(DOORS.length),
      person: i(PEOPLE.length),
      exit: i(2),
      // Mostly warmed: the second instance's caches holding acme as it was is what the race is about.
      warm: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      after: fc.boolean(),
    }),
  },
);
