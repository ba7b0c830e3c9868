import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth, RuntimeEntity } from '../../model/runtime-manifest.js';
import type { Embedder } from '../embed/embed-types.js';
import type { AuditLog } from '../audit/record-audit.js';
import { registryTenants } from '../caller/registry-tenants.js';
import { NO_ORGANIZATIONS, type TenantSource, tenantSources } from '../caller/tenant-source.js';
import type { RuntimeLogger } from '../http/log.js';
import { boundTenantRegistry } from '../tenants/registry-binding.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import { boundUsageMeter } from '../usage/usage-binding.js';
import type { UsageMeter } from '../usage/usage-meter.js';

/**
 * What the stages of every request use besides the request: made once when the routes are registered
 * (register-routes.ts) and handed to each request in its context — never looked up per request.
 *
 * @example
 * ```ts
 * const services = runtimeServices(policy, { registry: cache, meter });
 * app.http('NoteApi-item', { route: 'notes/{id}', handler: serve(endpoint, services) });
 * ```
 */
export interface RuntimeServices {
  /** Where the registry stage admits the caller's tenant (tenant-source.ts); none → every caller passes. */
  readonly tenants?: TenantSource;
  /** The tenant registry as this instance reads it (the TenantAdmin API forgets what it changed). */
  readonly registry?: RegistryCache;
  /** The usage ledger's meter: every request counted, the plans' limits enforced; none → neither. */
  readonly meter?: UsageMeter;
  /** Where request log lines go when a route names no logger of its own; default `context.log`. */
  readonly logger?: RuntimeLogger;
  /** The audit log every change to an organization is recorded in (`recordAudit`); none → nothing recorded. */
  readonly audit?: AuditLog;
  /**
   * The embedder of an entity whose search embeds (runtime/embed/query-embedder.ts); none, or undefined for an
   * entity → the default (Azure OpenAI with `ATAKORA_OPENAI_ENDPOINT`, the local deterministic one without).
   */
  readonly embedderFor?: (entity: RuntimeEntity) => Embedder | undefined;
  /** Where an organization's item writes become webhook deliveries (runtime/webhooks/); none → no webhooks. */
  readonly webhooks?: WebhookSink;
}

/**
 * What the writes tell the organization's webhooks (runtime/webhooks/webhook-wiring.ts implements it): each
 * acknowledged write of an item of `tenant`, as answered. Never throws.
 *
 * @example
 * ```ts
 * await services.webhooks?.entityChanged(entity, 'create', response, undefined, 'acme');
 * ```
 */
export interface WebhookSink {
  entityChanged(
    entity: RuntimeEntity,
    operation: string,
    response: HttpResponseInit,
    id: string | undefined,
    tenant: string,
  ): Promise<void>;
}

/** No services: nothing counted, no registry, every caller's tenant from their token (handlers built alone). */
export const NO_SERVICES: RuntimeServices = Object.freeze({});

/**
 * The services of routes served under `policy`: the registry as the tenant source when the policy names one (and
 * requires a signed-in caller), the meter, the logger.
 *
 * @example
 * ```ts
 * const services = runtimeServices(policy, { registry: new RegistryCache(store), meter: new UsageMeter(ledger) });
 * ```
 */
export function runtimeServices(
  policy: RuntimeAuth | undefined,
  parts: {
    readonly registry?: RegistryCache | undefined;
    readonly meter?: UsageMeter | undefined;
    readonly logger?: RuntimeLogger | undefined;
    /** The app's tenant source when it is not the registry of directories (tenants by membership). */
    readonly tenants?: TenantSource | undefined;
    readonly audit?: AuditLog | undefined;
    readonly webhooks?: WebhookSink | undefined;
  },
): RuntimeServices {
  const reg = policy?.required ? policy.registry : undefined;
  // Directories are the registry's records unless tenants are organizations (their source is the app's: members/).
  const tenants = !reg
    ? undefined
    : (parts.tenants ??
      (reg.membership
        ? NO_ORGANIZATIONS
        : registryTenants(reg, policy?.homeTenant, parts.registry)));
  return Object.freeze({
    ...(tenants ? { tenants } : {}),
    ...(parts.registry ? { registry: parts.registry } : {}),
    ...(parts.meter ? { meter: parts.meter } : {}),
    ...(parts.logger ? { logger: parts.logger } : {}),
    ...(parts.audit ? { audit: parts.audit } : {}),
    ...(parts.webhooks ? { webhooks: parts.webhooks } : {}),
  });
}

/**
 * The services this process bound for `policy`'s registry and ledger (`registerCrudRoutes` binds them), read once:
 * what routes built outside the route registration use — FunctionsApp functions in the same app
 * (packaging/register-hosted.ts), handlers a host builds alone.
 *
 * @example
 * ```ts
 * const files = createFileHandlers(store, blobs, { caller: policy, services: boundServices(policy) });
 * ```
 */
export function boundServices(
  policy: RuntimeAuth | undefined,
  logger?: RuntimeLogger,
): RuntimeServices {
  const reg = policy?.registry;
  return runtimeServices(policy, {
    registry: reg ? boundTenantRegistry(reg) : undefined,
    meter: reg ? boundUsageMeter(reg) : undefined,
    // Organizations are the app's own source (members/); directories are the registry's, as bound above.
    tenants: reg?.membership ? tenantSources.bound(reg) : undefined,
    logger,
  });
}
