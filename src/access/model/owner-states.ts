/**
 * Organizations their Owners run, in the reference model (DESIGN §2, "Organizations their Owners run"): an
 * organization is active, deleted (suspended with a `deleteOn`) or erased (gone), and each principal's answers follow.
 * - `PATCH api/tenant { name }` by an Owner or an Admin (a member's admission first: a deleted organization is 403
 *   `tenant-suspended` to everyone, its Owners included); a name empty or too long is 400 `validation`;
 * - `DELETE api/tenant` by an Owner: 202, the organization suspended at once with `deleteOn` `deleteAfterDays` ahead —
 *   every data route, invitation acceptance and Owner route answers 403 `tenant-suspended` from then on;
 * - `POST api/tenant/undelete` by an Owner (the membership read, not the admission: the organization is suspended)
 *   before `deleteOn`: 200 and everything as it was; 403 `access-denied` for anyone else, 409
 *   `organization-not-deleted` for an active one, 410 `organization-deletion-final` once `deleteOn` has passed, 404
 *   once it is erased and an Owner's membership somehow survived (never: the erase takes the memberships);
 * - the daily erase, at or after `deleteOn`: the organization's isolated items, the shared items stamped with it, its
 *   memberships, invitations (410 `invitation-expired` from then on), linked directory, domains, join requests and
 *   e-mail count, then its record becomes a tombstone — a former member is 403 `not-a-member` there and no longer
 *   lists it in `GET api/me/tenants`; its id is never given again (409 `conflict` to a create of it);
 * - each decision of a place (deleted, undeleted, due) is organization-life.ts's table (model/lives), as the
 *   runtime's doors read it;
 * - `GET api/me/tenants` lists the caller's organizations with their name, plan, status, `deleteOn` while deleted,
 *   and roles.
 */
import { isolated, type AccessBackend, type Principal } from './backend.js';
import { managerAdmission, memberAdmission, rolesIn } from './membership.js';
import type { Expected, ModelState, RegistryRecord } from './model-state.js';
import { entityAt } from './reference-model.js';
import {
  type OrganizationLife,
  organizationLifeOf,
  organizationNext,
} from '../../model/lives/organization-life.js';
import { organizationMoved } from '../../model/lives/organization-record.js';

const OWNER = 'Owner';
/** One day, in ms: `tenants.deleteAfterDays` counts these. */
export const DAY_MS = 86_400_000;
/** The longest display name (contract/members.ts `MAX_ORGANIZATION_NAME`: access/ imports no contract). */
export const MAX_NAME = 256;

type Outcome = { readonly expected: Expected; readonly state: ModelState };

function withRecord(s: ModelState, org: string, record: RegistryRecord): ModelState {
  return { ...s, registry: new Map(s.registry).set(org, record) };
}

/**
 * `PATCH api/tenant { name }` by `p` in `org`: 200 and the name (trimmed) kept; the admission's refusal, 403
 * `access-denied` for a Member, 400 `validation` for an empty or too long name.
 *
 * @example
 * ```ts
 * renamed(s, alice, 'org-one', 'Acme').expected; // { status: 200 }
 * ```
 */
export function renamed(s: ModelState, p: Principal, org: string, name: string): Outcome {
  const refused = managerAdmission(s, p, org);
  if (refused) return { expected: refused, state: s };
  if (name.trim() === '' || name.length > MAX_NAME)
    return { expected: { status: 400, problem: 'validation' }, state: s };
  const record = s.registry?.get(org);
  if (!record) return { expected: { status: 404, problem: 'not-found' }, state: s };
  return { expected: { status: 200 }, state: withRecord(s, org, { ...record, name: name.trim() }) };
}

/**
 * `DELETE api/tenant` by `p` in `org` at `now` (ms): 202, the organization suspended with `deleteOn` `days` ahead;
 * the admission's refusal (a deleted one is 403 `tenant-suspended`), 403 `access-denied` for a non-Owner.
 *
 * @example
 * ```ts
 * deleted(s, alice, 'org-one', now, 30).state.registry?.get('org-one')?.status; // 'suspended'
 * ```
 */
export function deleted(
  s: ModelState,
  p: Principal,
  org: string,
  now: number,
  days: number,
): Outcome {
  const a = memberAdmission(s, p, org);
  if (!a.ok) return { expected: a.expected, state: s };
  if (!a.as.roles.includes(OWNER))
    return { expected: { status: 403, problem: 'access-denied' }, state: s };
  const record = s.registry?.get(org);
  if (!record) return { expected: { status: 404, problem: 'not-found' }, state: s };
  // The runtime's own move (model/lives/organization-record.ts): the same table, the same writer of the record.
  const moved = organizationMoved(record, 'owner-deletes', now, now + days * DAY_MS);
  if (!moved.ok) return { expected: { status: 403, problem: moved.refusal }, state: s };
  return { expected: { status: 202 }, state: withRecord(s, org, moved.record) };
}

/** The organization's place in its life (organization-life.ts), from the model's record. */
function lifeOf(record: RegistryRecord): OrganizationLife {
  return organizationLifeOf({
    status: record.status,
    ...(record.deleteOn !== undefined ? { deleteOn: record.deleteOn } : {}),
  });
}

/**
 * `POST api/tenant/undelete` naming `org`, by `p` at `now` (ms): 200 and the organization active again before its
 * `deleteOn`; 403 `access-denied` to anyone who is not its Owner (a former Owner of an erased one included), 409
 * `organization-not-deleted` when no Owner deleted it, 410 `organization-deletion-final` from `deleteOn` on.
 *
 * @example
 * ```ts
 * undeleted(s, alice, 'org-one', now).expected; // { status: 200 }
 * ```
 */
export function undeleted(s: ModelState, p: Principal, org: string, now: number): Outcome {
  if (!rolesIn(s, org, p.oid)?.includes(OWNER))
    return { expected: { status: 403, problem: 'access-denied' }, state: s };
  const record = s.registry?.get(org);
  if (!record) return { expected: { status: 404, problem: 'not-found' }, state: s };
  const moved = organizationMoved(record, 'owner-undeletes', now);
  if (!moved.ok)
    return {
      expected: {
        status: moved.refusal === 'organization-deletion-final' ? 410 : 409,
        problem: moved.refusal,
      },
      state: s,
    };
  return { expected: { status: 200 }, state: withRecord(s, org, moved.record) };
}

/** Whether `org`'s deletion is due at `now`: the erase timer may erase it (organization-life.ts `erase-due`). */
function due(record: RegistryRecord, now: number): boolean {
  return organizationNext({ life: lifeOf(record), deleteOn: record.deleteOn }, 'erase-due', now).ok;
}

/**
 * The daily erase at `now` (ms): every organization whose deletion is due loses everything — its isolated items,
 * the shared items stamped with it, its memberships, invitations, directory link, domains, join requests, e-mail
 * count and record, which a tombstone replaces; the organizations erased, sorted.
 *
 * @example
 * ```ts
 * const { state, erased } = eraseDue(b, s, now + 31 * DAY_MS); // erased: ['org-one']
 * ```
 */
export function eraseDue(
  b: AccessBackend,
  s: ModelState,
  now: number,
): { readonly state: ModelState; readonly erased: readonly string[] } {
  const erased = [...(s.registry ?? new Map<string, RegistryRecord>())]
    .filter(([, r]) => due(r, now))
    .map(([org]) => org)
    .sort();
  if (erased.length === 0) return { state: s, erased };
  const gone = new Set(erased);
  const items = new Map(
    [...s.items].filter(([k, v]) =>
      isolated(entityAt(b, v.entity))
        ? !gone.has(v.item.tenantId ?? '')
        : !gone.has(s.creators?.get(k) ?? ''),
    ),
  );
  const keep = <V>(m: ReadonlyMap<string, V> | undefined, org: (k: string, v: V) => string) =>
    m && new Map([...m].filter(([k, v]) => !gone.has(org(k, v))));
  const state: ModelState = {
    ...s,
    items,
    registry: keep(s.registry, (k) => k),
    memberships: keep(s.memberships, (k) => k),
    invitations: (s.invitations ?? []).map((i) => (gone.has(i.org) ? { ...i, open: false } : i)),
    emailsSent: keep(s.emailsSent, (k) => k),
    directories: keep(s.directories, (k) => k),
    domains: keep(s.domains, (_k, d) => d.org),
    joinRequests: keep(s.joinRequests, (k) => k.split('|')[0] ?? ''),
    tombstones: new Map([...(s.tombstones ?? []), ...erased.map((org) => [org, now] as const)]),
  };
  return { state, erased };
}

/**
 * `GET api/me/tenants` by `p`: the organizations it belongs to, by id — `{ id, name, plan, status, deleteOn?, roles }`
 * (roles sorted here: the comparison sorts the runtime's too).
 *
 * @example
 * ```ts
 * myOrganizations(s, alice).body; // { items: [{ id: 'org-one', name: 'org-one', … }], continuationToken: null }
 * ```
 */
export function myOrganizations(s: ModelState, p: Principal): Expected {
  const items = [...(s.memberships ?? new Map<string, ReadonlyMap<string, readonly string[]>>())]
    .filter(([org, members]) => members.has(p.oid) && s.registry?.has(org))
    .map(([org, members]) => {
      const r = s.registry!.get(org)!;
      return {
        id: org,
        name: r.name ?? org,
        plan: r.plan,
        status: r.status,
        ...(r.deleteOn !== undefined && r.status === 'suspended'
          ? { deleteOn: new Date(r.deleteOn).toISOString() }
          : {}),
        roles: [...(members.get(p.oid) ?? [])].sort(),
      };
    })
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { status: 200, body: { items, continuationToken: null } };
}
