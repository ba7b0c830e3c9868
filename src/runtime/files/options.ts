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
   * The app's services (registry, usage meter), made once by registerCrudRoutes; omitted → the ones this process
   * bound for `caller`'s registry (read once, here).
   */
  readonly services?: RuntimeServices;
}
