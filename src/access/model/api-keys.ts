/**
 * The reference model of organization API keys beside the memberships (DESIGN §2, "Integrations"; docs/integrations.md):
 * who creates and revokes a key, and a key as a caller — pure answers over {@link ModelState}, in the runtime's order
 * of decisions (members/keys/key-tenants.ts, api-key-operations.ts).
 * - `POST api/tenant/api-keys` is a person's route: the membership's admission first (membership.ts), then only an
 *   Owner or an Admin (403 `access-denied`), a role among the backend's but never Owner and a life within the bound
 *   (400 `validation`), at most `perOrganization` keys held (409 `api-key-limit`; a revoked key is gone, an expired
 *   one still held);
 * - `DELETE api/tenant/api-keys/{id}`: the same admission and roles; a key of another organization, or revoked, 404;
 * - a key's request: unknown, revoked or expired, or its organization erased → 401 `api-key-invalid` (before any
 *   route is considered); a people route, or another organization named in `X-Atakora-Tenant` → 403
 *   `api-key-not-allowed`; its organization suspended or deleted → 403 `tenant-suspended`, as its members; else the
 *   CRUD model answers it as a member of its one role in its one organization whose id is the key's (an owner rule's
 *   owner) — never an Owner, never its organization's directory rule (a key signs in from no directory);
 * - the doors ({@link keyDoorTakesKeys}): the REST route and `dataOf` in a handler the key calls take a key as that
 *   member; the MCP server (`api/mcp`) is for people's agents and refuses a key as a people route does, 403
 *   `api-key-not-allowed` after the 401s.
 */
import type { Principal } from './backend.js';
import { managerAdmission } from './membership.js';
import type { Expected, ModelApiKey, ModelState } from './model-state.js';

export type { ModelApiKey } from './model-state.js';

const OWNER = 'Owner';
const DAY_MS = 86_400_000;

/** The backend's `tenants.apiKeys` as the model reads them, and the roles its organizations know. */
export interface ApiKeyBounds {
  readonly perOrganization: number;
  /** The longest life (days) a key may ask, and the life of one that asks none; absent: keys never expire. */
  readonly maxDays?: number;
  /** The roles a key may hold: the backend's roles but Owner. */
  readonly roles: readonly string[];
}

const problem = (status: number, type: string): Expected => ({ status, problem: type });

/**
 * `POST api/tenant/api-keys { name, role, expiresInDays? }` by `p` naming `org`, at `now` (ms): the answer, and the
 * key the organization then holds (without its id: the runtime draws it; the caller adds it).
 *
 * @example
 * ```ts
 * const { expected, key } = apiKeyCreation(s, alice, 'org-one', 'Member', undefined, now, bounds);
 * if (key) s = { ...s, apiKeys: [...(s.apiKeys ?? []), { ...key, id: answer.id }] };
 * ```
 */
export function apiKeyCreation(
  s: ModelState,
  p: Principal,
  org: string,
  role: string,
  days: number | undefined,
  now: number,
  bounds: ApiKeyBounds,
): { readonly expected: Expected; readonly key?: Omit<ModelApiKey, 'id'> } {
  const refused = managerAdmission(s, p, org);
  if (refused) return { expected: refused };
  const most = bounds.maxDays ?? 3650;
  if (
    role === OWNER ||
    !bounds.roles.includes(role) ||
    (days !== undefined && (!Number.isInteger(days) || days < 1 || days > most))
  )
    return { expected: problem(400, 'validation') };
  const held = (s.apiKeys ?? []).filter((k) => k.org === org && !k.revoked).length;
  if (held >= bounds.perOrganization) return { expected: problem(409, 'api-key-limit') };
  const life = days ?? bounds.maxDays;
  return {
    expected: { status: 201 },
    key: {
      org,
      role,
      revoked: false,
      ...(life === undefined ? {} : { expiresAt: now + life * DAY_MS }),
    },
  };
}

/**
 * `DELETE api/tenant/api-keys/{id}` of the run's key `index` by `p` naming `org`: the answer and the next state.
 *
 * @example
 * ```ts
 * const { expected, state } = apiKeyRevocation(s, alice, 'org-one', 0);
 * ```
 */
export function apiKeyRevocation(
  s: ModelState,
  p: Principal,
  org: string,
  index: number,
): { readonly expected: Expected; readonly state: ModelState } {
  const refused = managerAdmission(s, p, org);
  if (refused) return { expected: refused, state: s };
  const keys = s.apiKeys ?? [];
  const key = keys[index];
  if (!key || key.revoked || key.org !== org)
    return { expected: problem(404, 'not-found'), state: s };
  return {
    expected: { status: 204 },
    state: { ...s, apiKeys: keys.map((k, i) => (i === index ? { ...k, revoked: true } : k)) },
  };
}

/**
 * A request with the run's key `index` naming `named` (or nothing) in `X-Atakora-Tenant`, at `now` (ms), on a data
 * route (`people`: a people route): refused, or admitted as the principal the CRUD model answers — the key's id, its
 * organization as tenant, its one role.
 *
 * @example
 * ```ts
 * const a = keyAdmission(s, 0, undefined, now);
 * const expected = a.ok ? read(b, s, a.as, 0, 'a', undefined, []) : a.expected;
 * ```
 */
export function keyAdmission(
  s: ModelState,
  index: number,
  named: string | undefined,
  now: number,
  people = false,
):
  | { readonly ok: true; readonly as: Principal }
  | { readonly ok: false; readonly expected: Expected } {
  const key = (s.apiKeys ?? [])[index];
  const record = key ? s.registry?.get(key.org) : undefined;
  if (
    !key ||
    key.revoked ||
    (key.expiresAt !== undefined && key.expiresAt <= now) ||
    !record ||
    s.tombstones?.has(key.org)
  )
    return { ok: false, expected: problem(401, 'api-key-invalid') };
  if (people || (named !== undefined && named !== key.org))
    return { ok: false, expected: problem(403, 'api-key-not-allowed') };
  if (record.status !== 'active') return { ok: false, expected: problem(403, 'tenant-suspended') };
  return {
    ok: true,
    as: { name: `key ${key.id}`, tid: key.org, oid: key.id, roles: [key.role] },
  };
}

/** The doors a data request reaches (test/model/doors.ts): the REST route, an MCP tool call, `dataOf` in a handler. */
export type KeyDoor = 'rest' | 'mcp' | 'data';

/**
 * Whether `door` takes an organization's API key (DESIGN §2, "Integrations": a key is a caller "as for a member of
 * that role" on the organization's data; the MCP door — "MCP (agents as clients)", "Agents that sign in" — is the
 * door of people's agents, signed in as their person: Entra tokens or the backend's own agent tokens). The REST route
 * and `dataOf` (a handler the key calls acts for it: the function gate takes keys) do; `api/mcp` does not — a key
 * there is refused as on a people route ({@link keyAdmission} with `people`), before any tool or message is read.
 *
 * @example
 * ```ts
 * keyAdmission(s, 0, undefined, now, !keyDoorTakesKeys('mcp')); // 403 api-key-not-allowed (a live key)
 * ```
 */
export function keyDoorTakesKeys(door: KeyDoor | undefined): boolean {
  return door !== 'mcp';
}
