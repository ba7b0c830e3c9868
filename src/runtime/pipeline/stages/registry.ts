import type { RuntimeTenantRegistry } from '../../../model/runtime-manifest.js';
import { cosmosErrorResponse } from '../../http/cosmos-errors.js';
import { problemResponse } from '../../http/response.js';
import { boundTenantRegistry } from '../../tenants/registry-binding.js';
import { markLedgerTenant } from '../../usage/request-usage.js';
import type { TenantRecord } from '../../tenants/tenant-record.js';
import { planLimits } from '../../tenants/plan-limits.js';
import type { CallerContext, Passed, RegisteredTenant } from '../context.js';
import { pass, refuse } from '../stage-list.js';
import { admitOrganization } from '../../members/membership-stage.js';

const notRegistered = (tid: string | undefined, detail: string) =>
  refuse(
    problemResponse(
      'tenant-not-registered',
      (tid === undefined
        ? 'Your token names no directory (no tid claim)'
        : `Your directory (tenant ${tid}) is not registered`) +
        `: this API admits the directories of its tenant registry. ${detail}`,
    ),
  );

// A plan the config no longer declares gets defaultPlan's bounds, never none (tenants/plan-limits.ts).
const registered = (record: TenantRecord, registry: RuntimeTenantRegistry): RegisteredTenant => ({
  record,
  limits: planLimits(registry, record.plan).limits,
});

/**
 * Registry: with `auth.allowedTenants: 'registry'`, the caller's directory as the tenant registry records it —
 * the home directory always admitted; no record → 403 `tenant-not-registered` (with `signUp: 'open'` a record on
 * the default plan is written and the caller admitted); `suspended` → 403 `tenant-suspended`; `active` → admitted,
 * the record and its plan's limits on the context for later stages. Read through this instance's cache (a change
 * holds within 30 s). Without a registry it passes everything on; an anonymous route is served either way, its
 * signed-in caller known to it only when admitted.
 *
 * @example
 * ```ts
 * const admitted = await registry(called.ctx);
 * if (admitted.ok) admitted.ctx.registered?.record.plan; // 'free'
 * ```
 */
export async function registry<R>(ctx: CallerContext<R>): Promise<Passed<CallerContext<R>>> {
  const policy = ctx.endpoint.policy;
  const reg = policy?.registry;
  if (!reg || !policy.required) return { ok: true, ctx };
  // An anonymous route serves everyone; a signed-in caller's directory is still looked up, so that only an
  // admitted one is known to the route (`callerOf` in an anonymous function).
  if (ctx.endpoint.anonymous) {
    if (ctx.caller.id === undefined) return { ok: true, ctx };
    const admitted = await admitTenant(ctx, reg, policy.homeTenant).catch(() => undefined);
    return admitted?.ok ? admitted : { ok: true, ctx };
  }
  return admitTenant(ctx, reg, policy.homeTenant);
}

/** The registry's records are directories, or organizations (tenants by membership: members/membership-stage.ts). */
const admitTenant = <R>(
  ctx: CallerContext<R>,
  reg: RuntimeTenantRegistry,
  home: string | undefined,
) => (reg.membership ? admitOrganization(ctx, reg) : admit(ctx, reg, home));

async function admit<R>(
  ctx: CallerContext<R>,
  reg: RuntimeTenantRegistry,
  homeTenant: string | undefined,
): Promise<Passed<CallerContext<R>>> {
  const tid = ctx.caller.directory;
  const home =
    tid !== undefined && homeTenant !== undefined && tid.toLowerCase() === homeTenant.toLowerCase();
  const cache = boundTenantRegistry(reg);
  if (home) {
    markLedgerTenant(ctx.request, tid);
    // The publisher's own directory needs no record (it runs the backend); one it has is reported as is.
    const record = cache ? await cache.get(tid).catch(() => undefined) : undefined;
    const now = new Date(0).toISOString();
    return pass(ctx, {
      registered: registered(
        record?.status === 'active'
          ? record
          : { id: tid, plan: reg.defaultPlan, status: 'active', createdOn: now, updatedOn: now },
        reg,
      ),
    });
  }
  if (tid === undefined || !cache)
    return notRegistered(tid, 'The operator registers it with atakora tenant add.');
  let record: TenantRecord | undefined;
  try {
    record = await cache.get(tid);
    if (!record && reg.signUp === 'open') {
      const now = new Date().toISOString();
      record = await cache.register({
        id: tid,
        plan: reg.defaultPlan,
        status: 'active',
        createdOn: now,
        updatedOn: now,
      });
    }
  } catch (e) {
    // The registry unreachable or throttled is the service's state, not the caller's: 503/429 with Retry-After,
    // as every Cosmos DB failure of a request is answered (http/cosmos-errors.ts); anything else is a fault.
    const response = cosmosErrorResponse(e, 'the tenant registry');
    if (response) return refuse(response);
    throw e;
  }
  // A directory the registry knows is counted under its id in the usage ledger, suspended or not; a stranger's
  // requests are counted under `anonymous`, so tokens of unknown directories never add tenants to the ledger.
  if (record) markLedgerTenant(ctx.request, tid);
  if (!record)
    return notRegistered(
      tid,
      'The operator registers it (atakora tenant add <entry> <tid> --plan <plan>); no deploy is needed.',
    );
  if (record.status !== 'active')
    return refuse(
      problemResponse(
        'tenant-suspended',
        `Your directory (tenant ${tid}) is suspended: this API serves it again once the operator resumes it ` +
          '(atakora tenant resume).',
      ),
    );
  return pass(ctx, { registered: registered(record, reg) });
}
