import { AtakoraError } from '../../model/errors.js';
import {
  type AccessRule,
  type CrudOperation,
  APP_ROLE_VALUE,
  CRUD_OPERATIONS,
  DEFAULT_ACCESS,
  DEFAULT_OWNER_FIELD,
} from '../../model/runtime-manifest.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import { isOwnerFieldName } from '../../model/field-names.js';
import { FEATURE_NAME } from '../../model/plans/plan-features.js';
import { checkKnownKeys, keysOf } from '../check-keys.js';
import type { CrudApiConfig } from './config.js';

const ALLOW = ['owner', 'role', 'authenticated'] as const;
const RULE_KEYS = keysOf<{
  allow: unknown;
  role: unknown;
  operations: unknown;
  tenants: unknown;
  feature: unknown;
}>()(['allow', 'role', 'operations', 'tenants', 'feature']);
/** Fields the runtime owns already. */
const RESERVED = ['id', 'tenantId', 'ttl'];

/**
 * {@link DEFAULT_ACCESS} as plain data (kit/pure/plain-data.ts): the plan places it in every CrudApi's outputs
 * that writes no rules, and keeps plain data as it is, where it would copy the model's frozen constant once per
 * CrudApi (10,000 copies, and as many entries in the plain-data set, at 10,000 CrudApis).
 */
const PLAIN_DEFAULT_ACCESS: readonly AccessRule[] = frozenPlainData(DEFAULT_ACCESS);

/** The checked access rules of a CrudApi and its owner field. */
export interface NormalizedAccess {
  /** The rules as given (operations in canonical order), or {@link DEFAULT_ACCESS}. */
  readonly access: readonly AccessRule[];
  readonly ownerField: string;
  /** Whether `access` was written (only then does the manifest carry it). */
  readonly explicit: boolean;
}

/**
 * Check `access` and `ownerField` of a CrudApi at define time (`CRUD_ACCESS_INVALID` with the path of the bad
 * rule). Rules naming an operation the CrudApi does not enable are kept: the runtime never widens beyond
 * `operations` (those requests are 405).
 *
 * @example
 * ```ts
 * normalizeAccess('NoteApi', { entityName: 'Note', schema: { id: 'string' }, access: [{ allow: 'owner' }] }, '/id');
 * // { access: [{ allow: 'owner' }], ownerField: 'ownerId', explicit: true }
 * ```
 */
export function normalizeAccess(
  id: string,
  config: CrudApiConfig,
  partitionKey: string,
): NormalizedAccess {
  const ownerField = config.ownerField ?? DEFAULT_OWNER_FIELD;
  if (
    typeof ownerField !== 'string' ||
    !isOwnerFieldName(ownerField) ||
    RESERVED.includes(ownerField) ||
    `/${ownerField}` === partitionKey
  ) {
    accessFailure(
      id,
      `ownerField ${JSON.stringify(ownerField)} must be a top-level field name other than id, tenantId, ttl ` +
        `and the partition key.`,
      ['components', id, 'config', 'ownerField'],
      "Leave ownerField out (the field is 'ownerId') or name another field, e.g. ownerField: 'authorId'.",
    );
  }
  const raw: unknown = config.access;
  if (raw === undefined) return { access: PLAIN_DEFAULT_ACCESS, ownerField, explicit: false };
  if (!Array.isArray(raw) || raw.length === 0) {
    accessFailure(
      id,
      'access must be a non-empty list of rules (an empty list would refuse every request).',
      ['components', id, 'config', 'access'],
    );
  }
  // Made only for written rules: a closure made on every define costs a defineProperty (the bundle's keepNames).
  const fail = (message: string, path: (string | number)[], resolution?: string): never =>
    accessFailure(id, message, path, resolution);
  const rules = (raw as unknown[]).map((rule, i) =>
    checkRule(rule, ['components', id, 'config', 'access', i], fail, id),
  );
  // Plain data too: every plan of this definition places the rules as they are (in its outputs, its manifest).
  return { access: frozenPlainData(rules), ownerField, explicit: true };
}

function accessFailure(
  id: string,
  message: string,
  path: (string | number)[],
  resolution?: string,
): never {
  throw new AtakoraError('CRUD_ACCESS_INVALID', `CrudApi ${id}: ${message}`, {
    path,
    resolution:
      resolution ??
      "Write access as a list of rules: [{ allow: 'owner' }, { allow: 'role', role: 'NoteAdmin' }, { allow: " +
        "'authenticated', operations: ['read', 'list'] }].",
  });
}

function checkRule(
  rule: unknown,
  path: (string | number)[],
  fail: (m: string, p: (string | number)[], r?: string) => never,
  id: string,
): AccessRule {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule))
    fail("each access rule must be an object such as { allow: 'owner' }.", path);
  const r = rule as {
    allow?: unknown;
    role?: unknown;
    operations?: unknown;
    tenants?: unknown;
    feature?: unknown;
  };
  checkKnownKeys(r, RULE_KEYS, path, `CrudApi ${id}: access rule`);
  if (!(ALLOW as readonly unknown[]).includes(r.allow))
    fail(`allow ${JSON.stringify(r.allow)} must be 'owner', 'role' or 'authenticated'.`, [
      ...path,
      'allow',
    ]);
  if (r.allow === 'role') {
    if (typeof r.role !== 'string' || !APP_ROLE_VALUE.test(r.role)) {
      fail(
        `role ${JSON.stringify(r.role)} must be an app role value: letters, digits, '_', '.', ':' or '-', no ` +
          `spaces, up to 120 characters.`,
        [...path, 'role'],
        "Name the app role, e.g. { allow: 'role', role: 'NoteAdmin' }; the stack declares it on the API registration.",
      );
    }
  } else if (r.role !== undefined) {
    fail(
      `role is only for { allow: 'role' } rules (this rule allows ${JSON.stringify(r.allow)}).`,
      [...path, 'role'],
    );
  }
  if (
    r.tenants !== undefined &&
    (r.allow !== 'role' || (r.tenants !== 'home' && r.tenants !== 'any'))
  ) {
    fail(
      `tenants ${JSON.stringify(r.tenants)} is only for { allow: 'role' } rules, as 'home' (the backend's ` +
        `own directory, the default on shared data) or 'any'.`,
      [...path, 'tenants'],
    );
  }
  if (r.feature !== undefined && (typeof r.feature !== 'string' || !FEATURE_NAME.test(r.feature)))
    fail(
      `feature ${JSON.stringify(r.feature)} must be a feature name one of tenants.plans lists (lower case, a ` +
        'letter first, then letters, digits or -).',
      [...path, 'feature'],
      "Name a feature of your plans, e.g. { allow: 'authenticated', feature: 'reports' } (docs/packaging.md).",
    );
  let operations: CrudOperation[] | undefined;
  if (r.operations !== undefined) {
    const ops = r.operations;
    if (
      !Array.isArray(ops) ||
      ops.length === 0 ||
      ops.some((o) => !(CRUD_OPERATIONS as readonly unknown[]).includes(o))
    ) {
      fail(
        `operations ${JSON.stringify(ops)} must be a non-empty list of ${CRUD_OPERATIONS.join(', ')}.`,
        [...path, 'operations'],
      );
    }
    operations = CRUD_OPERATIONS.filter((o) => (ops as unknown[]).includes(o));
  }
  // Keys in code-unit order (allow, feature, operations, role, tenants), the plan's order.
  return {
    allow: r.allow,
    ...(r.feature !== undefined ? { feature: r.feature } : {}),
    ...(operations ? { operations } : {}),
    ...(r.allow === 'role' ? { role: r.role } : {}),
    ...(r.allow === 'role' && r.tenants !== undefined ? { tenants: r.tenants } : {}),
  } as AccessRule;
}

/**
 * The roles named by `role` rules, sorted and unique: the app roles the API registration must declare.
 *
 * @example
 * ```ts
 * rolesOfRules([{ allow: 'role', role: 'NoteAdmin' }, { allow: 'owner' }]); // ['NoteAdmin']
 * ```
 */
export function rolesOfRules(rules: readonly AccessRule[]): string[] {
  return [...new Set(rules.flatMap((r) => (r.allow === 'role' ? [r.role] : [])))].sort();
}
