/**
 * The reference model of organization API keys (docs/integrations.md; DESIGN §2, "Integrations"): pure answers of
 * the key routes and of a key as a caller, over a small state — the organizations (plan with or without `api-keys`,
 * active or suspended, erased), their members' roles, the keys (organization, role, expiry, revoked) and the notes
 * each organization holds — in the runtime's order of decisions. api-keys.model.test.ts runs random commands on it
 * and on the real runtime side by side.
 */

/** The roles a member holds in the model's organizations. */
export type ModelRole = 'Owner' | 'Admin' | 'Member';

export interface ModelOrganization {
  readonly members: Readonly<Record<string, ModelRole>>;
  readonly featured: boolean;
  readonly status: 'active' | 'suspended' | 'erased';
  readonly notes: number;
}

export interface ModelKey {
  readonly org: string;
  readonly role: 'Admin' | 'Member';
  readonly expiresAt: number | undefined;
  readonly revoked: boolean;
}

export interface KeysState {
  readonly now: number;
  readonly orgs: Readonly<Record<string, ModelOrganization>>;
  /** By the index the run created them in (the real side keeps each one's id and key beside). */
  readonly keys: readonly ModelKey[];
}

/** An answer: its status and problem code (none for a success). */
export interface Answer {
  readonly status: number;
  readonly code?: string;
}

/** The bound of keys per organization the run's backend sets (`tenants.apiKeys.perOrganization`). */
export const PER_ORGANIZATION = 3;
/** The longest life the run's backend allows (`tenants.apiKeys.maxDays`). */
export const MAX_DAYS = 30;
export const DAY_MS = 86_400_000;

const refused = (status: number, code: string): Answer => ({ status, code });

/**
 * The admission every organization route makes of a person: member, organization active, plan's feature — unless
 * `anyPlan` (revoking: a downgrade must not leave keys beyond the organization's reach, issue #123).
 */
function personIn(s: KeysState, user: string, org: string, anyPlan = false): Answer | ModelRole {
  const o = s.orgs[org];
  const role = o?.status === 'erased' ? undefined : o?.members[user];
  if (!o || !role) return refused(403, 'not-a-member');
  if (o.status !== 'active') return refused(403, 'tenant-suspended');
  if (!o.featured && !anyPlan) return refused(402, 'feature-not-in-plan');
  return role;
}

/** `POST api/tenant/api-keys` by `user` in `org`: the answer, and the key it adds (when 201). */
export function createKey(
  s: KeysState,
  user: string,
  org: string,
  role: 'Admin' | 'Member' | 'Owner',
  days: number | undefined,
): { answer: Answer; key?: ModelKey } {
  const mine = personIn(s, user, org);
  if (typeof mine !== 'string') return { answer: mine };
  if (mine === 'Member') return { answer: refused(403, 'access-denied') };
  if (role === 'Owner' || (days !== undefined && (days < 1 || days > MAX_DAYS)))
    return { answer: refused(400, 'validation') };
  if (s.keys.filter((k) => k.org === org && !k.revoked).length >= PER_ORGANIZATION)
    return { answer: refused(409, 'api-key-limit') };
  const life = days ?? MAX_DAYS;
  return {
    answer: { status: 201 },
    key: { org, role, expiresAt: s.now + life * DAY_MS, revoked: false },
  };
}

/** `DELETE api/tenant/api-keys/{id}` by `user` in `org` of the run's key `index`: on any plan, `api-keys` or not. */
export function revokeKey(s: KeysState, user: string, org: string, index: number): Answer {
  const mine = personIn(s, user, org, true);
  if (typeof mine !== 'string') return mine;
  if (mine === 'Member') return refused(403, 'access-denied');
  const key = s.keys[index];
  if (!key || key.revoked || key.org !== org) return refused(404, 'not-found');
  return { status: 204 };
}

/** What a key is refused with before any route's own rule, or its organization when admitted. */
function keyIn(s: KeysState, index: number, named: string | undefined): Answer | ModelKey {
  const key = s.keys[index];
  const o = key ? s.orgs[key.org] : undefined;
  if (!key || key.revoked || !o || o.status === 'erased') return refused(401, 'api-key-invalid');
  if (key.expiresAt !== undefined && key.expiresAt <= s.now) return refused(401, 'api-key-invalid');
  return key;
}

/**
 * A key's request: `notes` — `GET api/notes` (200 with its organization's notes) or `POST api/notes` (201) —, or
 * `people` (`GET api/tenant/members`: 403 `api-key-not-allowed`), naming `named` in `X-Atakora-Tenant`.
 */
export function keyRequest(
  s: KeysState,
  index: number,
  route: 'list' | 'create' | 'people',
  named: string | undefined,
): { answer: Answer; count?: number } {
  const key = keyIn(s, index, named);
  if (!('org' in key)) return { answer: key };
  if (route === 'people' || (named !== undefined && named !== key.org))
    return { answer: refused(403, 'api-key-not-allowed') };
  const o = s.orgs[key.org] as ModelOrganization;
  if (o.status !== 'active') return { answer: refused(403, 'tenant-suspended') };
  if (!o.featured) return { answer: refused(402, 'feature-not-in-plan') };
  return route === 'list'
    ? { answer: { status: 200 }, count: o.notes }
    : { answer: { status: 201 } };
}
