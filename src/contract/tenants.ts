// The tenant registry's record and its rules, in one home: the runtime's `api/tenants` (TenantAdmin), the CLI's
// `atakora tenant add|set|suspend|resume`, the OpenAPI document and the typed client all read them from here.
// (The TenantAdmin role's name is the model's, model/runtime-manifest.ts: the planner declares it too. This module
// imports only the contract's own text rule and types, so the client's bundle shares it without pulling the model
// along.)
import { CONTROL_CHARACTERS } from './control-characters.js';
import { AtakoraFault } from '../model/fault.js';
import { organizationMoved, recordInLife } from '../model/lives/organization-record.js';
import type { PlanWarning } from './tenant-plan-warning.js';
import { type SubscriptionState, subscriptionOf } from './tenant-billing.js';
import type { OrganizationDirectory } from './enterprise/directory.js';
import type { MarketplaceLink } from './marketplace/marketplace-link.js';

/**
 * A directory's record in the tenant registry (`atakora`/`tenants`, keyed by `/id`): its plan and whether it is
 * served. Written by `atakora tenant add|set|suspend|resume`, by the `TenantAdmin` API (`api/tenants`) or by the
 * runtime on a `signUp: 'open'` first request.
 *
 * @example
 * ```ts
 * const r: TenantRecord = {
 *   id: 'contoso', plan: 'free', status: 'active', createdOn: '2026-01-01T00:00:00.000Z', updatedOn: '…',
 * };
 * ```
 */
export interface TenantRecord {
  readonly id: string;
  readonly plan: string;
  readonly status: TenantStatus;
  readonly name?: string;
  /** Where its usage is billed (`tenants.billing`): set by the operator only (`tenant set`, `PATCH api/tenants`). */
  readonly billing?: TenantBilling;
  readonly createdOn: string;
  readonly updatedOn: string;
  /**
   * Set by an Owner's `DELETE api/tenant` (the record then `suspended`): the day the organization may be erased
   * (`tenants.deleteAfterDays` ahead); until then an Owner's `POST api/tenant/undelete` restores it. Absent on an
   * operator's suspension, which only the operator lifts.
   */
  readonly deleteOn?: string;
  /**
   * `billing`: Stripe's webhook suspended the organization (an unpaid or canceled subscription under
   * `tenants.billing.onCanceled: 'suspend'`), so its Owners may still reach the billing routes and pay to come back;
   * a subscription paid again resumes it. Absent on the operator's suspension and an Owner's deletion, which keep
   * every route closed; any status the operator sets clears it.
   */
  readonly suspendedBy?: 'billing';
  /**
   * With tenants by membership on a workforce sign-in open to every directory: the Entra directory its Owner linked
   * (`PUT api/tenant/directory`); its users join on their first request (contract/enterprise/directory.ts).
   */
  readonly directory?: OrganizationDirectory;
  /**
   * The Checkout Sessions its Owners opened (newest last, at most {@link MAX_CHECKOUT_SESSIONS}), written by `POST
   * api/tenant/billing/checkout` only: Stripe's webhook links a customer and a subscription to this organization
   * only through one of these (`checkout.session.completed`), which it then takes off the list.
   */
  readonly checkoutSessions?: readonly string[];
  /**
   * With `tenants.billing.marketplace`: the Azure Marketplace subscription the organization is billed through,
   * written by the landing page and Microsoft's webhook only (contract/marketplace.ts).
   */
  readonly marketplace?: MarketplaceLink;
  /** In `GET api/tenants` only: the record names a plan the config no longer declares (tenant-plan-warning.ts). */
  readonly planWarning?: PlanWarning;
}

/** How many Checkout Sessions a record keeps ({@link TenantRecord.checkoutSessions}); a new one expires the older. */
export const MAX_CHECKOUT_SESSIONS = 5;

/** A Checkout Session id as Stripe issues it (`cs_test_…`, `cs_live_…`). */
export const CHECKOUT_SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;

/**
 * What an erased organization leaves in the registry (DESIGN §2, "One life per organization…"): its id, the status
 * `erased` and when — nothing else, so nothing of it (plan, customer, subscription, name, directory) reaches anyone,
 * and a create of that id is refused like a live one's (409), so no later holder finds what was keyed by it (files,
 * the ledger, the audit log, meter hours, a Stripe customer or subscription). A tombstone is no record: it admits no
 * one, and the registry's lists leave it out.
 *
 * @example
 * ```ts
 * const t: TenantTombstone = { id: 'acme-k3x9qa', status: 'erased', erasedOn: '2026-12-27T03:41:00.000Z' };
 * ```
 */
export interface TenantTombstone {
  readonly id: string;
  readonly status: 'erased';
  readonly erasedOn: string;
}

/**
 * The tombstone a stored item is, or undefined for anything else (a record, an item edited by hand).
 *
 * @example
 * ```ts
 * tombstoneOf({ id: 'acme', status: 'erased', erasedOn: '2026-12-27T03:41:00.000Z', _etag: '…' })?.erasedOn;
 * ```
 */
export function tombstoneOf(item: unknown): TenantTombstone | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  if (o['status'] !== 'erased' || typeof o['id'] !== 'string') return undefined;
  const on = o['erasedOn'];
  return { id: o['id'], status: 'erased', erasedOn: typeof on === 'string' ? on : '' };
}

/**
 * A tenant's billing: the Stripe customer its usage is sent to as meter events (docs/billing.md).
 *
 * @example
 * ```ts
 * const billing: TenantBilling = { stripeCustomerId: 'cus_NffrFeUfNV2Hib' };
 * ```
 */
export interface TenantBilling {
  readonly stripeCustomerId: string;
  /** Written by Stripe's webhook only (`POST api/billing/stripe`): the subscription as last read from Stripe. */
  readonly subscription?: SubscriptionState;
  /** The ids of the last Stripe events applied (each applied once; a repeat changes nothing). */
  readonly events?: readonly string[];
  /**
   * Written by Stripe's webhook only: a subscription of this organization has had a trial (Stripe's `trial_start`).
   * One trial per organization: a later Checkout on a plan with `trialDays` opens without one (docs/billing.md).
   */
  readonly trialUsed?: true;
}

/**
 * A Stripe customer id as Stripe issues it: `cus_` then letters and digits (an object id is at most 255
 * characters). Anything else is refused where it is written and ignored where it is read.
 *
 * @example
 * ```ts
 * STRIPE_CUSTOMER_ID.test('cus_NffrFeUfNV2Hib'); // true
 * STRIPE_CUSTOMER_ID.test('cus_x?customer=cus_y'); // false
 * ```
 */
export const STRIPE_CUSTOMER_ID = /^cus_[A-Za-z0-9]{1,251}$/;

/**
 * The billing a stored value holds: a `{ stripeCustomerId }` of the right shape, else none (a record edited by hand
 * never sends usage to a malformed customer).
 *
 * @example
 * ```ts
 * billingOf({ stripeCustomerId: 'cus_1' }); // { stripeCustomerId: 'cus_1' }
 * billingOf({ stripeCustomerId: 'x' });     // undefined
 * ```
 */
export function billingOf(value: unknown): TenantBilling | undefined {
  const o = value as
    | { stripeCustomerId?: unknown; subscription?: unknown; events?: unknown; trialUsed?: unknown }
    | null
    | undefined;
  const id = o?.stripeCustomerId;
  if (!(typeof id === 'string' && STRIPE_CUSTOMER_ID.test(id))) return undefined;
  const subscription = subscriptionOf(o?.subscription);
  const events = Array.isArray(o?.events)
    ? o.events.filter((e) => typeof e === 'string')
    : undefined;
  return {
    stripeCustomerId: id,
    ...(subscription ? { subscription } : {}),
    ...(events?.length ? { events } : {}),
    ...(o?.trialUsed === true ? { trialUsed: true as const } : {}),
  };
}

/**
 * Whether a registered directory is served (`active`) or refused with 403 `tenant-suspended` (`suspended`).
 *
 * @example
 * ```ts
 * const s: TenantStatus = 'suspended';
 * ```
 */
export type TenantStatus = 'active' | 'suspended';

/** The statuses a record may hold, in the order the document lists them. */
export const TENANT_STATUSES: readonly TenantStatus[] = ['active', 'suspended'];

/**
 * A tenant id as the runtime takes it from a token's `tid` claim: a GUID, `local-dev`, `contoso` (what `seed
 * --tenant`, the `tenant` commands and `POST api/tenants` accept). `shared` is not one: it names shared data.
 *
 * @example
 * ```ts
 * TENANT_ID.test('72f988bf-86f1-41af-91ab-2d7cd011db47'); // true
 * ```
 */
export const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Ids no directory may be registered under: `shared` is what traces and the ledger call shared data. */
export const RESERVED_TENANT_IDS: readonly string[] = ['shared', 'anonymous'];

/**
 * What a change of a record may say: its plan, display name and status (`tenant set|suspend|resume`, `PATCH
 * api/tenants/{id}`), or for a new record also its id (`tenant add`, `POST api/tenants`).
 *
 * @example
 * ```ts
 * const change: TenantChange = { plan: 'pro', status: 'suspended' };
 * ```
 */
export interface TenantChange {
  readonly plan?: string | undefined;
  /** A display name; `null` removes it (JSON merge patch, RFC 7396). */
  readonly name?: string | null | undefined;
  readonly status?: TenantStatus | undefined;
  /** The Stripe customer; `null` (or `stripeCustomerId: null`) removes it. */
  readonly billing?: { readonly stripeCustomerId?: string | null } | null | undefined;
}

/** One thing wrong with a change: the field and why (the 400's `errors`, the CLI's message). */
export interface TenantChangeIssue {
  readonly field: 'id' | 'plan' | 'name' | 'status' | 'billing' | 'billing.stripeCustomerId' | '';
  readonly code: 'pattern' | 'reserved' | 'enum' | 'type' | 'maxLength' | 'unknown';
  readonly message: string;
}

/** The longest display name a record keeps (a name is shown in tables, not a document). */
export const MAX_TENANT_NAME_LENGTH = 256;

/**
 * Why `id` cannot be a registered directory's id: not a tenant id's shape, or reserved; undefined when it can.
 *
 * @example
 * ```ts
 * tenantIdIssue('shared')?.code; // 'reserved'
 * tenantIdIssue('72f988bf-86f1-41af-91ab-2d7cd011db47'); // undefined
 * ```
 */
export function tenantIdIssue(id: unknown): TenantChangeIssue | undefined {
  if (typeof id !== 'string' || !TENANT_ID.test(id))
    return {
      field: 'id',
      code: 'pattern',
      message:
        'id must be a tenant id: letters, digits, ".", "_" or "-" (at most 128, starting with a letter or ' +
        "digit), its users' tid claim (a GUID).",
    };
  if (RESERVED_TENANT_IDS.includes(id.toLowerCase()))
    return {
      field: 'id',
      code: 'reserved',
      message: `id ${JSON.stringify(id)} is reserved (${RESERVED_TENANT_IDS.join(', ')}): no directory has it.`,
    };
  return undefined;
}

/**
 * What is wrong with a change against the backend's plans (`tenants.plans`): an unknown plan (naming the plans), a
 * status other than `active`/`suspended`, a name that is not text, too long or holds a control character. Empty
 * when the change is valid.
 *
 * @example
 * ```ts
 * tenantChangeIssues({ plan: 'gold' }, ['free', 'pro'])[0]?.message; // 'plan "gold" is not one of: free, pro.'
 * ```
 */
export function tenantChangeIssues(
  change: Readonly<Record<string, unknown>>,
  plans: readonly string[],
): TenantChangeIssue[] {
  const issues: TenantChangeIssue[] = [];
  const { plan, name, status, billing } = change;
  if (plan !== undefined && (typeof plan !== 'string' || !plans.includes(plan)))
    issues.push({
      field: 'plan',
      code: 'enum',
      message: `plan ${JSON.stringify(plan)} is not one of: ${plans.join(', ') || '(no plans declared)'}.`,
    });
  if (status !== undefined && !TENANT_STATUSES.includes(status as TenantStatus))
    issues.push({
      field: 'status',
      code: 'enum',
      message: `status must be one of: ${TENANT_STATUSES.join(', ')}.`,
    });
  if (name !== undefined && name !== null && typeof name !== 'string')
    issues.push({ field: 'name', code: 'type', message: 'name must be a string.' });
  else if (typeof name === 'string' && name.length > MAX_TENANT_NAME_LENGTH)
    issues.push({
      field: 'name',
      code: 'maxLength',
      message: `name must be at most ${String(MAX_TENANT_NAME_LENGTH)} characters.`,
    });
  // A name is printed in operators' terminals and admin pages: no character that a terminal acts on (an escape
  // sequence, a bidirectional override) is stored, whoever writes it (tenant add|set|import, api/tenants).
  else if (typeof name === 'string' && CONTROL_CHARACTERS.test(name))
    issues.push({
      field: 'name',
      code: 'pattern',
      message:
        'name must not hold control characters (escape sequences, line breaks, bidirectional overrides).',
    });
  issues.push(...billingIssues(billing));
  return issues;
}

/** What is wrong with a change's `billing`: not an object (or null), another key, a malformed customer id. */
function billingIssues(billing: unknown): TenantChangeIssue[] {
  if (billing === undefined || billing === null) return [];
  if (typeof billing !== 'object' || Array.isArray(billing))
    return [{ field: 'billing', code: 'type', message: 'billing must be an object or null.' }];
  const issues: TenantChangeIssue[] = [];
  for (const k of Object.keys(billing))
    if (k !== 'stripeCustomerId')
      issues.push({
        field: 'billing',
        code: 'unknown',
        message: `billing.${k} is not a field of billing (stripeCustomerId).`,
      });
  const id = (billing as { stripeCustomerId?: unknown }).stripeCustomerId;
  if (id !== undefined && id !== null && !(typeof id === 'string' && STRIPE_CUSTOMER_ID.test(id)))
    issues.push({
      field: 'billing.stripeCustomerId',
      code: 'pattern',
      message:
        'billing.stripeCustomerId must be a Stripe customer id: cus_ followed by letters and digits (or null).',
    });
  return issues;
}

/**
 * A new record of `id`: active unless the change says otherwise, on the change's plan or `defaultPlan`, created
 * and updated `now`. The change is assumed checked ({@link tenantChangeIssues}).
 *
 * @example
 * ```ts
 * newTenantRecord('contoso', { name: 'Contoso' }, 'free', '2026-01-01T00:00:00.000Z').plan; // 'free'
 * ```
 */
export function newTenantRecord(
  id: string,
  change: TenantChange,
  defaultPlan: string,
  now: string,
): TenantRecord {
  return {
    id,
    plan: change.plan ?? defaultPlan,
    status: change.status ?? 'active',
    ...(typeof change.name === 'string' ? { name: change.name } : {}),
    ...(typeof change.billing?.stripeCustomerId === 'string'
      ? { billing: { stripeCustomerId: change.billing.stripeCustomerId } }
      : {}),
    createdOn: now,
    updatedOn: now,
  };
}

/**
 * `existing` with the change applied, or undefined when it changes nothing (so nothing is written: safe twice).
 *
 * @example
 * ```ts
 * changedTenantRecord(record, { status: 'suspended' }, new Date().toISOString())?.status; // 'suspended'
 * ```
 */
export function changedTenantRecord(
  existing: TenantRecord,
  change: TenantChange,
  now: string,
): TenantRecord | undefined {
  const { name: _kept, ...unnamed } = existing;
  const { billing: _billed, ...named } = change.name === null ? unnamed : existing;
  // billing: null or { stripeCustomerId: null } removes it; a customer id sets it; absent keeps it.
  const asked = change.billing === null ? null : change.billing?.stripeCustomerId;
  const customer = asked === undefined ? existing.billing?.stripeCustomerId : (asked ?? undefined);
  // A status the operator sets moves the organization through its life table (model/lives/organization-record.ts,
  // the one writer of `status`, `suspendedBy` and `deleteOn`): their suspension closes billing's reason, a resume
  // ends an Owner's deletion too — a `deleteOn` left behind would make a later suspension a deletion the erase timer
  // acts on (organization-life.ts: `operator-resumes` from `deleted` is `active`).
  const base = change.status === undefined ? named : operatorMoved(named, change.status, now);
  const next: TenantRecord = {
    ...base,
    ...(change.plan !== undefined ? { plan: change.plan } : {}),
    ...(typeof change.name === 'string' ? { name: change.name } : {}),
    ...(customer !== undefined
      ? {
          billing:
            customer === existing.billing?.stripeCustomerId
              ? existing.billing
              : { stripeCustomerId: customer },
        }
      : {}),
  };
  if (
    next.plan === existing.plan &&
    next.name === existing.name &&
    next.status === existing.status &&
    next.suspendedBy === existing.suspendedBy &&
    next.deleteOn === existing.deleteOn &&
    next.billing?.stripeCustomerId === existing.billing?.stripeCustomerId
  )
    return undefined;
  return { ...next, updatedOn: now };
}

/** `record` after the operator's `status`, as the life table moves it (a tombstone never reaches here: no record). */
function operatorMoved<R extends TenantRecord>(record: R, status: TenantStatus, now: string): R {
  const event = status === 'active' ? 'operator-resumes' : 'operator-suspends';
  const moved = organizationMoved(record, event, Date.parse(now));
  if (!moved.ok)
    throw new AtakoraFault(
      `The operator's ${event} of tenant ${record.id} was refused (${moved.refusal}).`,
      {
        details: { id: record.id, event, refusal: moved.refusal },
      },
    );
  // Written in its place's own shape: a reason or a day a hand-edited record carried beside it does not outlive the
  // operator's word (TenantRecord: "any status the operator sets clears it").
  return recordInLife(moved.record, moved.life);
}

/**
 * One plan's bounds as `GET api/tenant` reports them (absent: unbounded).
 *
 * @example
 * ```ts
 * const limits: TenantLimits = { requestsPerMinute: 600, storageMb: 1024 };
 * ```
 */
export interface TenantLimits {
  readonly requestsPerMinute?: number;
  readonly requestUnitsPerDay?: number;
  readonly storageMb?: number;
  readonly realtimeConnections?: number;
  /** Seats: the members an organization on the plan may have. */
  readonly members?: number;
  /** Items an organization may hold per CrudApi (by component id). */
  readonly items?: Readonly<Record<string, number>>;
}

/**
 * The counts against a plan's seats and items (`GET api/tenant`): `members` where seats are counted, `items` per
 * CrudApi some plan bounds.
 *
 * @example
 * ```ts
 * const counts: TenantCounts = { members: 4, items: { ProjectApi: 2 } };
 * ```
 */
export interface TenantCounts {
  readonly members?: number;
  readonly items: Readonly<Record<string, number>>;
}

/**
 * `GET api/tenant`: the caller's own directory — its record's id, display name (when it has one), plan and status,
 * the plan's limits and features and its usage so far (`null` where the runtime keeps no ledger).
 *
 * @example
 * ```ts
 * const me: Tenant = { id: 'contoso', plan: 'pro', status: 'active', limits: { requestsPerMinute: 600 }, features: ['audit'], usage: null };
 * me.limits.requestsPerMinute; // 600
 * ```
 */
export interface Tenant {
  readonly id: string;
  /** The display name its record holds (an organization's, `PATCH api/tenant`; a directory's, `tenant set --name`). */
  readonly name?: string;
  readonly plan: string;
  readonly status: TenantStatus;
  readonly limits: TenantLimits;
  /**
   * The features the plan includes (docs/packaging.md): the built-ins and the application's. Absent when no plan of
   * the backend lists features (then every plan has every feature).
   */
  readonly features?: readonly string[];
  readonly usage: Readonly<Record<string, unknown>> | null;
  /** With a ledger: the counts against the plan's `members` and `items` (docs/packaging.md). */
  readonly counts?: TenantCounts;
  /** What is past the plan now (a downgrade deletes nothing): `members`, `items.<CrudApi>`; new ones are refused. */
  readonly over?: readonly string[];
  /** An Azure Marketplace subscription bills the organization (its plan changes there, never through Checkout). */
  readonly billedThrough?: 'marketplace';
}

/**
 * A page of `GET api/tenants`: records by id, and the token of the next page (`null` on the last).
 *
 * @example
 * ```ts
 * const page: TenantPage = { items: [], continuationToken: null }; // what client.tenants.list().page() gives
 * ```
 */
export interface TenantPage {
  readonly items: readonly TenantRecord[];
  readonly continuationToken: string | null;
}

/**
 * The TenantAdmin API's route (home directory's `TenantAdmin` role only), under `api/`: `GET|POST api/tenants`,
 * `GET|PATCH api/tenants/{id}`; registered where the backend has a tenant registry.
 *
 * @example
 * ```ts
 * await fetch(`${host}/api/${TENANTS_ROUTE}`, { headers: { Authorization: `Bearer ${adminToken}` } });
 * ```
 */
export const TENANTS_ROUTE = 'tenants';

/** The function names of the TenantAdmin routes (collection and item). */
export const TENANTS_FUNCTIONS = {
  collection: 'tenants-admin',
  item: 'tenants-admin-item',
} as const;

/**
 * The body of `POST api/tenants`: the directory's id, and optionally its plan (default `tenants.defaultPlan`),
 * display name and status (default `active`).
 *
 * @example
 * ```ts
 * const r: TenantRegistration = { id: '72f988bf-86f1-41af-91ab-2d7cd011db47', plan: 'pro', name: 'Contoso' };
 * ```
 */
export interface TenantRegistration {
  readonly id: string;
  readonly plan?: string;
  readonly name?: string;
  readonly status?: TenantStatus;
  readonly billing?: { readonly stripeCustomerId?: string | null } | null;
}

/**
 * The body of `PATCH api/tenants/{id}`: a JSON merge patch of the plan, name (`null` removes it) and status; a
 * record read before may be sent back as it is (its read-only fields unchanged).
 *
 * @example
 * ```ts
 * const suspend: TenantPatch = { status: 'suspended' };
 * ```
 */
export interface TenantPatch {
  readonly id?: string;
  readonly plan?: string;
  readonly name?: string | null;
  readonly status?: TenantStatus;
  readonly billing?: { readonly stripeCustomerId?: string | null } | null;
  readonly createdOn?: string;
  readonly updatedOn?: string;
  /** Read-only: sent back with a record read before, ignored. */
  readonly planWarning?: PlanWarning;
}

/**
 * The URLs of `api/tenant` and `api/tenants` on the API a component's base URL belongs to (its origin and the
 * Functions route prefix).
 *
 * @example
 * ```ts
 * tenantUrlsOf('https://func-x.azurewebsites.net/api/notes'); // { tenant: '…/api/tenant', tenants: '…/api/tenants' }
 * ```
 */
export function tenantUrlsOf(baseUrl: string): {
  readonly tenant: string;
  readonly tenants: string;
} {
  const url = new URL(baseUrl);
  const at = url.pathname.indexOf('/api/');
  const prefix = at >= 0 ? url.pathname.slice(0, at + 4) : '/api';
  return {
    tenant: `${url.origin}${prefix}/tenant`,
    tenants: `${url.origin}${prefix}/${TENANTS_ROUTE}`,
  };
}
