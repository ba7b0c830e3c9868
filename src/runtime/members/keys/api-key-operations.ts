import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  API_KEY_PREFIX,
  type ApiKey,
  type CreatedApiKey,
  DEFAULT_API_KEYS_PER_ORGANIZATION,
  MAX_API_KEY_DAYS,
  MAX_API_KEY_NAME,
} from '../../../contract/integrations/api-keys.js';
import { OWNER_ROLE } from '../../../contract/members.js';
import { apiKeyHash } from '../../caller/api-key-bearer.js';
import { readJsonObject } from '../../http/body.js';
import { createBounded, type MaybeRoom, placeFreedIn } from '../../limits/bounded-create.js';
import { emptyResponse, jsonResponse, problemResponse } from '../../http/response.js';
import {
  type Actor,
  byOwnerOrAdmin,
  type MembersApi,
  nowOf,
  recordMemberAudit,
} from '../members-api.js';
import type { ApiKeyCache } from './api-key-cache.js';
import { API_KEYS_ROOM, type StoredApiKey } from './api-key-store.js';

/** The members API with its keys: what the key routes need. */
export type KeysApi = MembersApi & { readonly keys: ApiKeyCache };

const DAY_MS = 86_400_000;
/** How many characters of a key its list shows: `atk_` and 6 of its 43 random ones (36 of 256 bits). */
const PREFIX_LENGTH = API_KEY_PREFIX.length + 6;

const shown = (k: StoredApiKey): ApiKey => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  createdOn: k.createdOn,
  createdBy: k.createdBy,
  expiresOn: k.expiresOn ?? null,
  lastUsedOn: k.lastUsedOn ?? null,
});

/** The roles a key may act with: `tenants.apiKeys.roles`, else every membership role — never Owner. */
export const keyRoles = (api: Pick<MembersApi, 'membership'>): readonly string[] =>
  (api.membership.apiKeys?.roles ?? api.membership.roles).filter((r) => r !== OWNER_ROLE);

const invalidBody = (field: string, message: string) => ({
  ok: false as const,
  response: problemResponse(
    'validation',
    `An API key takes { name, role, expiresInDays? }: ${message}`,
    {
      errors: [{ field, code: 'invalid', message }],
    },
  ),
});

/** The body checked: the key's name, role and life in days (undefined: no expiry), or the 400. */
function keyInput(
  api: Pick<MembersApi, 'membership'>,
  body: Record<string, unknown>,
):
  | { ok: true; name: string; role: string; days: number | undefined }
  | { ok: false; response: HttpResponseInit } {
  const { name, role, expiresInDays, ...rest } = body;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return invalidBody(unknown, `${unknown} is not a field.`);
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_API_KEY_NAME)
    return invalidBody(
      'name',
      `name must be a non-empty string of up to ${String(MAX_API_KEY_NAME)}.`,
    );
  const roles = keyRoles(api);
  if (typeof role !== 'string' || !roles.includes(role))
    return invalidBody(
      'role',
      `role must be one of ${roles.join(', ') || '(none)'} — never ${OWNER_ROLE}.`,
    );
  const max = api.membership.apiKeys?.maxDays;
  const most = max ?? MAX_API_KEY_DAYS;
  const fits = (d: unknown) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= most;
  if (expiresInDays !== undefined && !fits(expiresInDays))
    return invalidBody(
      'expiresInDays',
      `expiresInDays must be a whole number from 1 to ${String(most)}.`,
    );
  const days = typeof expiresInDays === 'number' ? expiresInDays : max;
  return { ok: true, name: name.trim(), role, days };
}

/** The organization's count of keys (counted-room.ts), kept when the store keeps one. */
const keyRoom = (api: KeysApi, tenant: string): MaybeRoom => ({
  store: api.keys.store.rooms,
  tenant,
  id: API_KEYS_ROOM,
  now: () => nowOf(api).getTime(),
  counted: async () => (await api.keys.store.list(tenant)).length,
});

/**
 * Store `stored` within the organization's bound: undefined once stored, else the 409 `api-key-limit` (or the 503 of
 * a count that kept changing). The bound is decided on the organization's count of keys at the version read, so
 * creations racing on any instance never pass it together.
 */
async function keyCreated(
  api: KeysApi,
  tenant: string,
  bound: number,
  stored: StoredApiKey,
): Promise<HttpResponseInit | undefined> {
  return createBounded(
    keyRoom(api, tenant),
    bound,
    () => api.keys.store.create(stored),
    (held) =>
      problemResponse(
        'api-key-limit',
        `Organization ${tenant} holds ${String(held)} API keys, as many as it may: revoke one ` +
          '(DELETE api/tenant/api-keys/{id}) before creating another.',
      ),
  );
}

/**
 * `POST api/tenant/api-keys { name, role, expiresInDays? }` by an Owner or an Admin → 201 `{ id, name, role, key,
 * expiresOn }`: the key (`atk_` and 32 random bytes) shown this once, its SHA-256 stored. 400 `validation` for a
 * role the key may not have (never Owner) or a life past `tenants.apiKeys.maxDays`; 409 `api-key-limit` past
 * `tenants.apiKeys.perOrganization`.
 *
 * @example
 * ```ts
 * // POST /api/tenant/api-keys { "name": "sync", "role": "Member" } → 201 { "id": "…", "key": "atk_…", … }
 * ```
 */
export function createApiKey(
  api: KeysApi,
  actor: Actor,
  tenant: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, 'manages its API keys', async () => {
    const body = await readJsonObject(request);
    if (!body.ok) return body.response;
    const input = keyInput(api, body.value);
    if (!input.ok) return input.response;
    const bound = api.membership.apiKeys?.perOrganization ?? DEFAULT_API_KEYS_PER_ORGANIZATION;
    const now = nowOf(api);
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const stored: StoredApiKey = {
      tenant,
      id: randomBytes(9).toString('base64url'),
      name: input.name,
      role: input.role,
      hash: apiKeyHash(key),
      prefix: key.slice(0, PREFIX_LENGTH),
      createdOn: now.toISOString(),
      createdBy: actor.userId,
      ...(input.days !== undefined
        ? { expiresOn: new Date(now.getTime() + input.days * DAY_MS).toISOString() }
        : {}),
    };
    const full = await keyCreated(api, tenant, bound, stored);
    if (full) return full;
    await recordMemberAudit(api, actor, tenant, 'api-key.created', stored.id, {
      name: stored.name,
      role: stored.role,
    });
    const created: CreatedApiKey = {
      id: stored.id,
      name: stored.name,
      role: stored.role,
      key,
      expiresOn: stored.expiresOn ?? null,
    };
    // The key is in this answer alone: no cache may keep it.
    return jsonResponse(201, created, { 'Cache-Control': 'no-store' });
  });
}

/**
 * `GET api/tenant/api-keys` by an Owner or an Admin → 200 `{ items: [{ id, name, role, prefix, createdOn,
 * createdBy, expiresOn, lastUsedOn }] }`, never a key.
 *
 * @example
 * ```ts
 * // GET /api/tenant/api-keys → 200 { "items": [{ "id": "…", "prefix": "atk_Zk3q7A", … }] }
 * ```
 */
export function listApiKeys(api: KeysApi, actor: Actor, tenant: string): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, 'manages its API keys', async () =>
    jsonResponse(200, { items: (await api.keys.store.list(tenant)).map(shown) }),
  );
}

/**
 * `DELETE api/tenant/api-keys/{id}` by an Owner or an Admin → 204: the key is refused at once on this instance and
 * within 30 s on every other (their caches' bound); 404 for a key the organization does not hold.
 *
 * @example
 * ```ts
 * // DELETE /api/tenant/api-keys/Qm3x9a7bK2 → 204
 * ```
 */
export function revokeApiKey(
  api: KeysApi,
  actor: Actor,
  tenant: string,
  id: string,
): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, 'manages its API keys', async () => {
    const removed = await api.keys.store.remove(tenant, id);
    if (!removed)
      return problemResponse(
        'not-found',
        `Organization ${tenant} has no API key ${JSON.stringify(id.slice(0, 40))}.`,
      );
    api.keys.forget(removed.hash);
    await placeFreedIn(keyRoom(api, tenant));
    await recordMemberAudit(api, actor, tenant, 'api-key.revoked', id, { name: removed.name });
    return emptyResponse(204);
  });
}
