import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { cosmosErrorResponse } from '../http/cosmos-errors.js';
import { problemResponse, refused } from '../http/response.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import { planLimits } from '../tenants/plan-limits.js';
import {
  isHomeDirectory,
  type RegisteredTenant,
  type TenantRecord,
} from '../tenants/tenant-record.js';
import type { TenantAdmission, TenantSource } from './tenant-source.js';

const notRegistered = (tid: string | undefined, detail: string): TenantAdmission =>
  refused(
    'tenant-not-registered',
    (tid === undefined
      ? 'Your token names no directory (no tid claim)'
      : `Your directory (tenant ${tid}) is not registered`) +
      `: this API admits the directories of its tenant registry. ${detail}`,
  );

/**
 * The tenant registry as a {@link TenantSource} (`auth.allowedTenants: 'registry'`): the caller's directory as the
 * registry records it — the home directory always admitted (its record when it has an active one, else an active
 * one on the default plan); no record → 403 `tenant-not-registered` (with `signUp: 'open'` a record on the default
 * plan is written and the caller admitted); `suspended` → 403 `tenant-suspended`; `active` → admitted with the
 * record and its plan's limits. Read through this instance's cache (a change holds within 30 s); without a cache
 * (none bound) only the home directory is admitted: closed, never open.
 *
 * @example
 * ```ts
 * const source = registryTenants(policy.registry, policy.homeTenant, services.registry);
 * ```
 */
export function registryTenants(
  reg: RuntimeTenantRegistry,
  homeTenant: string | undefined,
  cache: RegistryCache | undefined,
): TenantSource {
  // A plan the config no longer declares gets defaultPlan's bounds, never none (tenants/plan-limits.ts).
  const registered = (record: TenantRecord): RegisteredTenant => ({
    record,
    limits: planLimits(reg, record.plan).limits,
  });
  return {
    async admit(caller) {
      const tid = caller.directory;
      if (tid !== undefined && isHomeDirectory(tid, { homeTenant })) {
        // The publisher's own directory needs no record (it runs the backend); one it has is reported as is.
        const record = cache ? await cache.get(tid).catch(() => undefined) : undefined;
        const now = new Date(0).toISOString();
        const home: TenantRecord =
          record?.status === 'active'
            ? record
            : { id: tid, plan: reg.defaultPlan, status: 'active', createdOn: now, updatedOn: now };
        return {
          ok: true,
          caller: caller.with({ registered: registered(home) }),
          ledgerTenant: tid,
        };
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
        if (response) return { ok: false, response };
        throw e;
      }
      if (!record)
        return notRegistered(
          tid,
          'The operator registers it (atakora tenant add <entry> <tid> --plan <plan>); no deploy is needed.',
        );
      // A directory the registry knows is counted under its id in the usage ledger, suspended or not.
      if (record.status !== 'active')
        return {
          ok: false,
          ledgerTenant: tid,
          response: problemResponse(
            'tenant-suspended',
            `Your directory (tenant ${tid}) is suspended: this API serves it again once the operator resumes it ` +
              '(atakora tenant resume).',
          ),
        };
      return {
        ok: true,
        caller: caller.with({ registered: registered(record) }),
        ledgerTenant: tid,
      };
    },
  };
}
