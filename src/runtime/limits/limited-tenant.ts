import type { HttpResponseInit } from '@azure/functions';
import type {
  RuntimeAuth,
  RuntimeTenantPlan,
  RuntimeTenantRegistry,
} from '../../model/runtime-manifest.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import type { RegisteredTenant } from '../tenants/tenant-record.js';
import { type UsageMeter } from '../usage/usage-meter.js';

/**
 * A limit's answer: the refusal that ends the request, or undefined to let it through — a promise only when the
 * limit has to read the ledger first.
 *
 * @example
 * ```ts
 * const answer: LimitAnswer = undefined; // within the plan
 * ```
 */
export type LimitAnswer = HttpResponseInit | undefined | Promise<HttpResponseInit | undefined>;

/**
 * What {@link limitedTenant} reads of a request's context (any route's, whatever its route type): the pipeline's
 * context types stand above this room, so the fields it reads are spelled here and the context is one of them.
 */
export interface LimitScope {
  readonly caller: { readonly id: string | undefined; readonly registered?: RegisteredTenant };
  readonly endpoint: { readonly policy: RuntimeAuth | undefined; readonly unlimited?: boolean };
  readonly services: { readonly meter?: UsageMeter; readonly registry?: RegistryCache };
}

/** What a limit checks a request against: the tenant's plan, the registry's per-user bounds, the meter. */
export interface LimitedTenant {
  readonly tenant: string;
  readonly user: string | undefined;
  readonly plan: RuntimeTenantPlan;
  readonly registry: RuntimeTenantRegistry;
  readonly meter: UsageMeter;
  /** The registry as this instance reads it (another tenant's plan: a shared item's creator's). */
  readonly records?: RegistryCache | undefined;
  /** What the answer's `RateLimit` headers say once the rate limit admitted the request (rate-limit.ts sets it). */
  limitHeaders?: Readonly<Record<string, string>>;
}

/**
 * The tenant a limit applies to, or undefined when none does: no registry (or no ledger bound), a route the
 * registry stage did not admit, or an endpoint that is never
 * limited (`unlimited`: the home directory's `api/tenants`).
 *
 * @example
 * ```ts
 * const limited = limitedTenant(ctx);
 * if (!limited || limited.plan.requestUnitsPerDay === undefined) return undefined;
 * ```
 */
export function limitedTenant(ctx: LimitScope): LimitedTenant | undefined {
  const registered = ctx.caller.registered;
  const registry = ctx.endpoint.policy?.registry;
  if (!registered || !registry || ctx.endpoint.unlimited) return undefined;
  const meter = ctx.services.meter;
  if (!meter) return undefined;
  return {
    tenant: registered.record.id,
    user: ctx.caller.id,
    plan: registered.limits,
    registry,
    meter,
    records: ctx.services.registry,
  };
}
