// A new registry record as every writer checks it: `POST api/tenants` (the runtime's TenantAdmin API), `atakora
// tenant add` and `atakora tenant import` (an archive's record is a registration like any other: who could have
// written manifest.json? whoever handed over the folder). The field rules themselves are ./tenants.ts's.
import {
  billingOf,
  newTenantRecord,
  type TenantChange,
  type TenantRecord,
  tenantChangeIssues,
  tenantIdIssue,
} from './tenants.js';

/** The fields a registration may name (`POST api/tenants`, an imported record). */
export const TENANT_REGISTRATION_FIELDS: readonly string[] = ['id', 'plan', 'name', 'status'];

/** Fields a record read back carries that its writer sets itself: sent again, they are ignored. */
export const TENANT_RECORD_DATES: readonly string[] = ['createdOn', 'updatedOn'];

/** One thing wrong with a registration: the field (the body as a whole: `''`), a stable code, and why. */
export interface TenantFieldIssue {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/**
 * What is wrong with a registration body against the backend's plans: a field that is not one of `allowed` (default
 * {@link TENANT_REGISTRATION_FIELDS}), an id no directory may have (its shape, or reserved), and the change rules of
 * {@link tenantChangeIssues} (declared plan, status, a name without control characters). Empty when it is valid.
 *
 * @example
 * ```ts
 * tenantRegistrationIssues({ id: 'shared', plan: 'free' }, ['free'])[0]?.code; // 'reserved'
 * ```
 */
export function tenantRegistrationIssues(
  body: Readonly<Record<string, unknown>>,
  plans: readonly string[],
  allowed: readonly string[] = TENANT_REGISTRATION_FIELDS,
): TenantFieldIssue[] {
  const unknown = unknownTenantFields(body, allowed);
  const id = tenantIdIssue(body['id']);
  return [...unknown, ...(id ? [id] : []), ...tenantChangeIssues(body, plans)];
}

/**
 * The keys of `body` that are not in `allowed`, one `unknown` issue each (a registration, or a PATCH's fields with the
 * read-only ones a GET body carries).
 *
 * @example
 * ```ts
 * unknownTenantFields({ id: 'x', tenantId: 'y' }, TENANT_REGISTRATION_FIELDS)[0]?.field; // 'tenantId'
 * ```
 */
export function unknownTenantFields(
  body: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
): TenantFieldIssue[] {
  return Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({
      field: k,
      code: 'unknown',
      message: `${k} is not a field of a registration (${allowed.join(', ')}).`,
    }));
}

/** What {@link importedTenantRecord} is given besides the archived record. */
export interface ImportedRecordContext {
  /** The tenant the archive says it holds (its manifest's `tenant`): the record must be that tenant's. */
  readonly exported: string;
  /** The tenant it is loaded into (the same, or `--tenant`'s copy). */
  readonly tenant: string;
  /** The backend's declared plans (`tenants.plans`). */
  readonly plans: readonly string[];
  readonly defaultPlan: string;
  /** The import's own time: the new record's `createdOn` and `updatedOn`. */
  readonly now: string;
}

/**
 * An archive's registry record checked exactly as a registration (`tenant add`, `POST api/tenants`) is — known fields
 * only, the exported tenant's own id, a declared plan, a status, a name without control characters — and made into
 * the record to write for `tenant`: its plan, status and name kept, its dates the import's own (an archive's
 * `createdOn` says nothing about this registry) and its Stripe customer left out, named as `unbilled` for the
 * operator to set again where the tenant is billed. Either the record, or every issue found.
 *
 * @example
 * ```ts
 * const r = importedTenantRecord(manifest.registry, { exported: 'contoso', tenant: 'contoso', plans: ['free'],
 *   defaultPlan: 'free', now: new Date().toISOString() });
 * if (!r.ok) r.issues.map((i) => i.message);
 * ```
 */
export function importedTenantRecord(
  archived: unknown,
  context: ImportedRecordContext,
):
  | {
      readonly ok: true;
      readonly record: TenantRecord;
      /** The Stripe customer the archive named, which the record leaves out; undefined when it named none. */
      readonly unbilled?: string;
    }
  | { readonly ok: false; readonly issues: TenantFieldIssue[] } {
  if (archived === null || typeof archived !== 'object' || Array.isArray(archived))
    return {
      ok: false,
      issues: [{ field: '', code: 'type', message: 'the registry record must be a JSON object.' }],
    };
  const body = archived as Readonly<Record<string, unknown>>;
  // An archived record's Stripe customer is checked and left out: a copy (or a tenant loaded elsewhere) must never
  // bill its usage to the customer of the tenant it was copied from; the operator sets it (docs/billing.md).
  const issues = tenantRegistrationIssues(body, context.plans, [
    ...TENANT_REGISTRATION_FIELDS,
    ...TENANT_RECORD_DATES,
    'billing',
  ]);
  if (body['id'] !== context.exported && !issues.some((i) => i.field === 'id'))
    issues.push({
      field: 'id',
      code: 'mismatch',
      message: `id ${JSON.stringify(body['id'])} is not the exported tenant (${context.exported}).`,
    });
  const target = tenantIdIssue(context.tenant);
  if (target) issues.push(target);
  if (issues.length > 0) return { ok: false, issues };
  const { plan, name, status } = body as TenantChange;
  const unbilled = billingOf(body['billing'])?.stripeCustomerId;
  return {
    ok: true,
    record: newTenantRecord(
      context.tenant,
      { plan, name, status },
      context.defaultPlan,
      context.now,
    ),
    ...(unbilled !== undefined ? { unbilled } : {}),
  };
}
