/**
 * The backend as the reference model of access reads it: plain data, one entry per CrudApi, its rules, tenancy,
 * partition key and relations, and the sign-in's directories. The model-based test generates these
 * (test/model/backend.ts); `atakora verify` builds one from a backend's runtime manifest (access/matrix).
 */
import type { AccessRule } from '../../model/runtime-manifest.js';

/** One relation of an entity to another CrudApi of the backend (targets by entity index). */
export interface AccessRelation {
  readonly name: string;
  readonly kind: 'belongsTo' | 'hasMany';
  /** Index of the related entity in {@link AccessBackend.entities}. */
  readonly target: number;
  /** `belongsTo`: this entity's field; `hasMany`: the target's field. */
  readonly field: string;
  /** `hasMany` only (absent → `restrict`). */
  readonly onDelete?: 'restrict' | 'cascade';
}

/**
 * One CrudApi as the model sees it.
 *
 * @example
 * ```ts
 * const notes: AccessEntity = {
 *   componentId: 'NoteApi', route: 'notes', key: 'tenantId', shared: false,
 *   access: [{ allow: 'owner' }], relations: [],
 * };
 * ```
 */
export interface AccessEntity {
  readonly componentId: string;
  readonly route: string;
  /** The partition key's field: `id` and `tenantId` name one item per tenant; any other the request names. */
  readonly key: string;
  /** `tenancy: 'shared'` (never with a `/tenantId` key). */
  readonly shared: boolean;
  /** `undefined`: the default `[{ allow: 'authenticated' }]`. */
  readonly access?: readonly AccessRule[];
  /** Sorted by name, as CrudApi.define normalizes them. */
  readonly relations: readonly AccessRelation[];
  /** Fields with a `default`: a stored item without one reads with it. */
  readonly defaults?: Readonly<Record<string, string>>;
  /** Fields an older version stored and a migration drops: never served again. */
  readonly dropped?: readonly string[];
}

/**
 * A backend. `multi`: a multi-tenant sign-in — `home` is the backend's own directory and `admitted` the directories
 * admitted (`allowedTenants`, the home one only when listed); otherwise every directory the sign-in accepts is
 * admitted and none is home.
 *
 * @example
 * ```ts
 * const b: AccessBackend = { entities: [notes], multi: true, home: 'contoso', admitted: ['contoso', 'fabrikam'] };
 * ```
 */
export interface AccessBackend {
  readonly entities: readonly AccessEntity[];
  readonly multi: boolean;
  readonly home?: string;
  readonly admitted?: readonly string[] | 'any';
  /**
   * `auth.allowedTenants: 'registry'` (tenant-registry.ts): the registry, not `admitted`, says which directories
   * are served; the home directory always is.
   */
  readonly registry?: AccessRegistry;
  /**
   * The features of the plan the callers' tenants are on (model/plans/plan-features.ts `featuresOf`): a rule with
   * `feature` applies only when this has it. Absent: every feature (no plan lists features; the committed matrix).
   */
  readonly features?: { has(feature: string): boolean };
}

/**
 * A backend's tenant registry settings as the model reads them (`tenants: { plans, defaultPlan, signUp }`).
 *
 * @example
 * ```ts
 * const r: AccessRegistry = { plans: { free: {}, pro: {} }, defaultPlan: 'free', signUp: 'invite' };
 * ```
 */
export interface AccessRegistry {
  /** Each plan's limits (`GET api/tenant` answers the caller's plan's). */
  readonly plans: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly defaultPlan: string;
  readonly signUp: 'invite' | 'open';
}

/**
 * A signed-in caller: directory (`tid`), user (`oid`) and app roles.
 *
 * @example
 * ```ts
 * const alice: Principal = { name: 'alice', tid: 'contoso', oid: 'alice', roles: [] };
 * ```
 */
export interface Principal {
  readonly name: string;
  readonly tid: string;
  readonly oid: string;
  readonly roles: readonly string[];
  /** Their directory roles (the token's `wids`: role template ids), when their token carries any. */
  readonly wids?: readonly string[];
}

/** Every entity is confined to the caller's tenant unless shared (a `/tenantId` key is never shared). */
export function isolated(e: AccessEntity): boolean {
  return e.key === 'tenantId' || !e.shared;
}
