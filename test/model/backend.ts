/**
 * The backends the model-based test generates, as plain data the reference model reads (reference-model.ts) and
 * the real side turns into `CrudApi.define` configs (real-app.ts). Small on purpose: two or three CrudApis, a few
 * principals of three directories, ids from a pool of three — so items collide across partitions, tenants and
 * owners, which is where features meet.
 */
import type {
  AccessBackend,
  AccessEntity,
  AccessRelation,
  Principal,
} from '../../src/access/model/backend.js';
import type { AccessRule, CrudOperation } from '../../src/model/runtime-manifest.js';

export type { Principal };

/** The partition keys generated: `/id` and `/tenantId` name one item per tenant, `/region` does not. */
export type KeyKind = 'id' | 'tenantId' | 'region';

/** One relation of a generated entity (targets by entity index). */
export type ModelRelation = AccessRelation;

/** One generated CrudApi. */
export interface ModelEntity extends AccessEntity {
  readonly entityName: string;
  readonly key: KeyKind;
  /** String fields besides `id` (and `region` for a `/region` key): `name` and the reference fields. */
  readonly fields: readonly string[];
  /**
   * `schemaVersion: 2`, whose migration drops `ssn` (a field version 1 stored and no client may see again).
   * Every entity also has `status` with `default: 'open'`, which items stored before it lack.
   */
  readonly versioned: boolean;
}

/**
 * A generated backend. `multi`: a multi-tenant sign-in (`allowedTenants` lists T1 and T2, T1 is home); otherwise
 * every directory is admitted and no directory is home (role rules hold for all).
 */
export interface ModelBackend extends AccessBackend {
  readonly entities: readonly ModelEntity[];
  /** Every CrudApi `realtime: true`: each principal connects, and the events it receives are compared. */
  readonly realtime?: boolean;
  /**
   * Tenants by membership (members.model.test.ts): the tenant is the organization a request names, the roles its
   * membership's (src/access/model/membership.ts); every directory signs in.
   */
  readonly membership?: boolean;
  /** With membership: `tenants.email.invitationsPerDay` (invitations e-mailed; each organization's day bounded). */
  readonly invitationsPerDay?: number;
  /** With membership: `tenants.deleteAfterDays` (how long an organization an Owner deleted waits for its erase). */
  readonly deleteAfterDays?: number;
}

/** `tenants.email.invitationsPerDay` of the membership backends: small, so a run meets the bound. */
export const INVITATIONS_PER_DAY = 4;

/** The organizations the membership runs create (ids a request may name), and the one no run creates. */
export const ORGANIZATIONS = ['org-one', 'org-two', 'org-none'] as const;
/** `tenants.maxOrganizationsPerUser` of the membership backends: two, so a run meets the bound. */
export const MAX_ORGANIZATIONS = 2;

export const HOME = '11111111-1111-4111-8111-111111111111';
export const CUSTOMER = '22222222-2222-4222-8222-222222222222';
/** A directory never listed in `allowedTenants`. */
export const STRANGER = '33333333-3333-4333-8333-333333333333';

/** The role the generated rules name. */
export const ADMIN = 'Admin';

/** Global Administrator's role template id (its directory's administrator: may link it to an organization). */
export const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

/**
 * The principals: Alice and Eve administer their directories (`wids`: Global Administrator), the others are their
 * directories' ordinary users (Ada's and Evan's `Admin` is an app role, no directory role).
 */
export const PRINCIPALS: readonly Principal[] = [
  { name: 'alice', tid: HOME, oid: 'alice', roles: [], wids: [GLOBAL_ADMIN] },
  { name: 'bob', tid: HOME, oid: 'bob', roles: [] },
  { name: 'ada', tid: HOME, oid: 'ada', roles: [ADMIN] },
  { name: 'eve', tid: CUSTOMER, oid: 'eve', roles: [], wids: [GLOBAL_ADMIN] },
  { name: 'evan', tid: CUSTOMER, oid: 'evan', roles: [ADMIN] },
  { name: 'mal', tid: STRANGER, oid: 'mal', roles: [] },
];

export const IDS = ['a', 'b', 'c'] as const;
export const REGIONS = ['eu', 'us'] as const;

/** The rule sets generated (index into this list); `undefined` is the default. */
export const RULE_SETS: readonly (readonly AccessRule[] | undefined)[] = [
  undefined,
  [{ allow: 'owner' }],
  [{ allow: 'owner' }, { allow: 'role', role: ADMIN }],
  [
    { allow: 'authenticated', operations: ['read', 'list'] },
    { allow: 'role', role: ADMIN },
  ],
  [{ allow: 'authenticated', operations: ['read', 'list'] }, { allow: 'owner' }],
  [
    { allow: 'authenticated', operations: ['read', 'list', 'create'] },
    { allow: 'role', role: ADMIN, tenants: 'any' },
  ],
  [
    { allow: 'owner', operations: ['create', 'read', 'list', 'update'] },
    { allow: 'role', role: ADMIN },
  ],
];

/** Every operation a generated CrudApi enables (rules decide the rest). */
export const OPERATIONS: readonly CrudOperation[] = ['create', 'read', 'update', 'delete', 'list'];

/** The field a relation from entity `parent` puts on its child. */
export function parentField(parent: number): string {
  return `e${parent}Id`;
}

/** The entity's partition key field (`id`, `tenantId` or `region`). */
export function keyField(e: ModelEntity): string {
  return e.key;
}

/**
 * What every generated CrudApi's `search` declares: full-text search over `name`, and a vector field of two numbers
 * (cosine, a flat index) that no write of the model fills — a vector search finds nothing, a hybrid one ranks by text.
 */
export const SEARCHED = { text: 'name', vector: 'embedding', dimensions: 2 } as const;

/** The field version 1 of a versioned entity stored and its migration to version 2 drops. */
export const DROPPED = 'ssn';
/** The field with a `default` every entity has (items stored before it read with it). */
export const DEFAULTED = { field: 'status', value: 'open' } as const;

export { isolated } from '../../src/access/model/backend.js';

/** A short description of a backend, for failure messages and the regression cases' comments. */
export function describeBackend(b: ModelBackend): string {
  const lines = b.entities.map((e, i) => {
    const rels = e.relations
      .map(
        (r) =>
          `${r.name}: ${r.kind} E${r.target} by ${r.field}${r.onDelete ? ` (${r.onDelete})` : ''}`,
      )
      .join('; ');
    return (
      `E${i} /${e.key}${e.shared ? ' shared' : ''}${e.versioned ? ' v2' : ''} access=${JSON.stringify(e.access ?? 'default')}` +
      `${rels ? ` relations: ${rels}` : ''}`
    );
  });
  return `${b.multi ? 'multi-tenant' : 'single-tenant'}${b.realtime ? ' realtime' : ''}\n  ${lines.join('\n  ')}`;
}
