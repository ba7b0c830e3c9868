// Organization API keys (DESIGN §2, "Integrations"): the routes an Owner or an Admin manages keys through, the key's
// shape and the bounds the runtime, the planner, the OpenAPI document and the typed client share. Imports nothing,
// so the client's bundle shares it.

/**
 * What every key starts with: `atk_`, then 32 random bytes (base64url). A bearer token with this prefix is an API
 * key; nothing else is looked up as one (an Entra token costs no read).
 *
 * @example
 * ```ts
 * key.startsWith(API_KEY_PREFIX); // true
 * ```
 */
export const API_KEY_PREFIX = 'atk_';

/**
 * An organization's API key as `GET api/tenant/api-keys` lists it: never the key, which only the create answers
 * ({@link CreatedApiKey}); `prefix` its first characters, so a person tells their keys apart.
 *
 * @example
 * ```ts
 * const k: ApiKey = {
 *   id: 'Qm3x9a7bK2', name: 'nightly export', role: 'Member', prefix: 'atk_Zk3q7A',
 *   createdOn: '2026-11-29T01:00:00.000Z', createdBy: 'ada', expiresOn: null, lastUsedOn: null,
 * };
 * ```
 */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  /** The role the key acts with in its organization: one of `tenants.apiKeys.roles`, never `Owner`. */
  readonly role: string;
  readonly prefix: string;
  readonly createdOn: string;
  /** Who created it (their user id). */
  readonly createdBy: string;
  /** When it stops being accepted (401 from then on); `null`: never. */
  readonly expiresOn: string | null;
  /** When a request last used it (kept to within a few minutes); `null`: never used. */
  readonly lastUsedOn: string | null;
}

/**
 * `POST api/tenant/api-keys`'s answer: the key, shown this once (stored as its SHA-256 hash).
 *
 * @example
 * ```ts
 * const created: CreatedApiKey = { id: 'Qm3x9a7bK2', name: 'nightly export', role: 'Member', key: 'atk_…', expiresOn: null };
 * ```
 */
export interface CreatedApiKey {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly key: string;
  readonly expiresOn: string | null;
}

/**
 * `POST api/tenant/api-keys`'s body: a name, the role the key acts with, and in how many days it expires (at most
 * `tenants.apiKeys.maxDays`, which is also the default when set).
 *
 * @example
 * ```ts
 * const body: ApiKeyInput = { name: 'warehouse sync', role: 'Member', expiresInDays: 90 };
 * ```
 */
export interface ApiKeyInput {
  readonly name: string;
  readonly role: string;
  readonly expiresInDays?: number;
}

/**
 * The key routes (below `api/`): Owners and Admins, acting in the request's organization, behind the plan's
 * built-in feature `api-keys`.
 *
 * @example
 * ```ts
 * `/api/${API_KEY_ROUTES.keys}`; // '/api/tenant/api-keys'
 * ```
 */
export const API_KEY_ROUTES = Object.freeze({
  keys: 'tenant/api-keys',
  key: 'tenant/api-keys/{id}',
});

/**
 * The function names of the key routes.
 *
 * @example
 * ```ts
 * API_KEY_FUNCTIONS.keys; // 'membership-api-keys'
 * ```
 */
export const API_KEY_FUNCTIONS = Object.freeze({
  keys: 'membership-api-keys',
  key: 'membership-api-key',
});

/**
 * How many keys an organization may hold when `tenants.apiKeys.perOrganization` is not set.
 *
 * @example
 * ```ts
 * const bound = config.perOrganization ?? DEFAULT_API_KEYS_PER_ORGANIZATION; // 20
 * ```
 */
export const DEFAULT_API_KEYS_PER_ORGANIZATION = 20;

/**
 * The largest `tenants.apiKeys.perOrganization` the planner accepts: the list is one page of one partition.
 *
 * @example
 * ```ts
 * n <= MAX_API_KEYS_PER_ORGANIZATION; // a valid bound
 * ```
 */
export const MAX_API_KEYS_PER_ORGANIZATION = 100;

/**
 * The longest life a key may be given, in days (`tenants.apiKeys.maxDays` at most, `expiresInDays` at most): ten
 * years — a key that should never expire is created without `expiresInDays` where `maxDays` is not set.
 *
 * @example
 * ```ts
 * days <= MAX_API_KEY_DAYS; // true
 * ```
 */
export const MAX_API_KEY_DAYS = 3650;

/**
 * How long an instance trusts what it read of a key (seconds): a revoked key is refused on every instance within
 * this bound (DESIGN §2: "revokes it on every instance within 30 s"), at once on the instance that revoked it.
 *
 * @example
 * ```ts
 * const ttlMs = API_KEY_CACHE_SECONDS * 1000; // 30_000
 * ```
 */
export const API_KEY_CACHE_SECONDS = 30;

/**
 * The longest key name (characters).
 *
 * @example
 * ```ts
 * name.length <= MAX_API_KEY_NAME; // true
 * ```
 */
export const MAX_API_KEY_NAME = 100;
