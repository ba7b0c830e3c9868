import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { RuntimeLogger } from '../http/log.js';
import type { RuntimeServices } from '../pipeline/context.js';

/**
 * Options of {@link createFileHandlers}.
 *
 * @example
 * ```ts
 * const options: FileHandlerOptions = {
 *   caller: { required: true, tenantClaim: 'tid', trustTenantHeader: false },
 *   timeoutMs: 10_000,
 * };
 * ```
 */
export interface FileHandlerOptions {
  readonly caller?: RuntimeAuth;
  readonly logger?: RuntimeLogger;
  readonly generateId?: () => string;
  /** Deadline of each storage call (default 10 s); past it, or on a storage failure, 503 with Retry-After. */
  readonly timeoutMs?: number;
  /** The clock, in milliseconds (tests). */
  readonly now?: () => number;
  /**
   * The app's services (registry, usage meter, tenant source), made once by the route registration
   * (routes/app-services.ts) and handed here; omitted → none: under a tenant registry only the home directory is
   * admitted and nothing is counted. What the process bound is never read here (a host building the handlers
   * alone passes `boundServices(policy)` itself).
   */
  readonly services?: RuntimeServices;
}
