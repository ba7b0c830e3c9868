/**
 * The tenant registry in the reference model (DESIGN §2 "Tenants are data"): with `auth.allowedTenants:
 * 'registry'` the directories served are the registry's records, not a list in the config.
 * - a directory without a record is 403 `tenant-not-registered` on every route, before anything else is decided;
 *   with `signUp: 'open'` its first request (whatever it asks) writes a record on the default plan instead;
 * - a suspended directory is 403 `tenant-suspended` on every route;
 * - the home directory is always served, with or without a record;
 * - `atakora tenant add|set|suspend|resume` change the records (add keeps a record already there; the others refuse
 *   a directory not registered; an unknown plan is refused before anything is read).
 * The model-based test (test/model/tenant-*.ts) drives these next to the CRUD model; a change holds on the next
 * request (the runtime's cache bound is passed in the test, never waited for).
 */
import type { AccessBackend, Principal } from './backend.js';
import type { Expected, ModelState, RegistryRecord } from './model-state.js';

export type { RegistryRecord, RegistryState } from './model-state.js';

const refusal = (type: string): Expected => ({ status: 403, problem: type });

/** Whether `tid` is the backend's home directory (compared as the runtime compares it: case aside). */
export function isHome(b: AccessBackend, tid: string): boolean {
  return b.home !== undefined && b.home.toLowerCase() === tid.toLowerCase();
}

/**
 * The registry's refusal of `p`'s request, or undefined when its directory is served (or the backend keeps no
 * registry).
 *
 * @example
 * ```ts
 * registryRefusal(b, { items: new Map() }, eve); // { status: 403, problem: 'tenant-not-registered' }
 * ```
 */
export function registryRefusal(
  b: AccessBackend,
  s: ModelState,
  p: Principal,
): Expected | undefined {
  if (!b.registry || isHome(b, p.tid)) return undefined;
  const record = s.registry?.get(p.tid);
  if (!record) return refusal('tenant-not-registered');
  return record.status === 'active' ? undefined : refusal('tenant-suspended');
}

/**
 * The state after `p`'s request passed the registry's first step: with `signUp: 'open'`, an unregistered directory
 * (not the home one) is registered, active on the default plan, whatever the request goes on to be answered.
 *
 * @example
 * ```ts
 * model.state = signedUp(b, model.state, eve);
 * ```
 */
export function signedUp(b: AccessBackend, s: ModelState, p: Principal): ModelState {
  const reg = b.registry;
  if (!reg || reg.signUp !== 'open' || isHome(b, p.tid) || s.registry?.has(p.tid)) return s;
  const registry = new Map(s.registry);
  registry.set(p.tid, { plan: reg.defaultPlan, status: 'active' });
  return { ...s, registry };
}

/**
 * `GET api/tenant`: the caller's directory as the registry records it — the home directory's own record when it
 * has an active one, else the default plan. `usage` (the ledger's counts) is not this model's: `null` here, and the
 * test takes the runtime's when it has the ledger's shape.
 *
 * @example
 * ```ts
 * tenantSelf(b, s, eve).body; // { id: eve.tid, plan: 'free', status: 'active', limits: {}, usage: null }
 * ```
 */
export function tenantSelf(b: AccessBackend, s: ModelState, p: Principal): Expected {
  const reg = b.registry;
  if (!reg) return { status: 404, problem: 'not-found' };
  const refused = registryRefusal(b, s, p);
  if (refused) return refused;
  const own = s.registry?.get(p.tid);
  const plan = own?.status === 'active' ? own.plan : reg.defaultPlan;
  return {
    status: 200,
    body: { id: p.tid, plan, status: 'active', limits: reg.plans[plan] ?? {}, usage: null },
  };
}

/** An operator's registry command (`atakora tenant add|set|suspend|resume <entry> <tid>`). */
export type RegistryChange =
  | { readonly action: 'add'; readonly tid: string; readonly plan?: string | undefined }
  | {
      readonly action: 'set';
      readonly tid: string;
      readonly plan: string;
      /** `--stripe-customer`: an id sets it, `''` removes it; undefined leaves it. */
      readonly customer?: string | undefined;
    }
  | { readonly action: 'suspend' | 'resume'; readonly tid: string };

/** What a registry command answers: the record now stored and whether it changed, or its error code. */
export type RegistryAnswer =
  | { readonly record: RegistryRecord; readonly changed: boolean }
  | {
      readonly error:
        | 'TENANT_PLAN_UNKNOWN'
        | 'TENANT_COMMAND_REFUSED'
        | 'TENANT_ALREADY_REGISTERED'
        | 'BILLING_CUSTOMER_INVALID';
    };

/** A Stripe customer id as the registry takes it (contract/tenants.ts STRIPE_CUSTOMER_ID, restated). */
const CUSTOMER_ID = /^cus_[A-Za-z0-9]{1,251}$/;

/**
 * An operator's registry command on the model: `add` registers (active, the plan given or the default) and keeps
 * a record already there (refused when it names another plan: TENANT_ALREADY_REGISTERED); `set`, `suspend` and
 * `resume` change a registered directory and refuse another; a plan the backend does not declare is refused first,
 * then a malformed Stripe customer id (`set` with `customer`: an id sets it, `''` removes it). Each is safe to run
 * twice (unchanged → `changed: false`).
 *
 * @example
 * ```ts
 * const { answer, state } = registryChange(b, s, { action: 'suspend', tid: eve.tid });
 * ```
 */
export function registryChange(
  b: AccessBackend,
  s: ModelState,
  change: RegistryChange,
): { readonly answer: RegistryAnswer; readonly state: ModelState } {
  const reg = b.registry;
  if (!reg) return { answer: { error: 'TENANT_COMMAND_REFUSED' }, state: s };
  const plan = change.action === 'add' ? (change.plan ?? reg.defaultPlan) : undefined;
  const named = change.action === 'set' ? change.plan : plan;
  if (named !== undefined && !Object.hasOwn(reg.plans, named))
    return { answer: { error: 'TENANT_PLAN_UNKNOWN' }, state: s };
  const customer = change.action === 'set' ? change.customer : undefined;
  if (customer !== undefined && customer !== '' && !CUSTOMER_ID.test(customer))
    return { answer: { error: 'BILLING_CUSTOMER_INVALID' }, state: s };
  const existing = s.registry?.get(change.tid);
  if (change.action === 'add') {
    // A record already there is kept, and refused when add names another plan (tenant set changes it).
    if (existing && change.plan !== undefined && change.plan !== existing.plan)
      return { answer: { error: 'TENANT_ALREADY_REGISTERED' }, state: s };
    if (existing) return { answer: { record: existing, changed: false }, state: s };
    const record: RegistryRecord = { plan: named ?? reg.defaultPlan, status: 'active' };
    return { answer: { record, changed: true }, state: withRecord(s, change.tid, record) };
  }
  if (!existing) return { answer: { error: 'TENANT_COMMAND_REFUSED' }, state: s };
  const { customer: kept, ...unbilled } = existing;
  const billed = customer === undefined ? kept : customer === '' ? undefined : customer;
  const record: RegistryRecord =
    change.action === 'set'
      ? { ...unbilled, plan: change.plan, ...(billed !== undefined ? { customer: billed } : {}) }
      : { ...existing, status: change.action === 'suspend' ? 'suspended' : 'active' };
  if (
    record.plan === existing.plan &&
    record.status === existing.status &&
    record.customer === existing.customer
  )
    return { answer: { record: existing, changed: false }, state: s };
  return { answer: { record, changed: true }, state: withRecord(s, change.tid, record) };
}

/**
 * The state with `tid`'s record set (or removed: `undefined`).
 *
 * @example
 * ```ts
 * withRecord(s, 'contoso', undefined); // contoso erased from the registry
 * ```
 */
export function withRecord(
  s: ModelState,
  tid: string,
  record: RegistryRecord | undefined,
): ModelState {
  const registry = new Map(s.registry);
  if (record) registry.set(tid, record);
  else registry.delete(tid);
  return { ...s, registry };
}
