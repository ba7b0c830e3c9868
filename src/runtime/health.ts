import type { Database } from '@azure/cosmos';
import type { HttpHandler } from '@azure/functions';
import type { AtakoraError } from '../model/errors.js';
import { jsonResponse } from './http-response.js';
import { contextLogger, type RuntimeLogger, withRequestLog } from './request-log.js';

/**
 * One Cosmos database the app depends on, named for the health report (`<endpoint host>/<database>`).
 *
 * @example
 * ```ts
 * const target: HealthTarget = { name: 'cosmos-app.documents.azure.com/users-db', database: client.database('users-db') };
 * ```
 */
export interface HealthTarget {
  readonly name: string;
  readonly database: Database;
}

/**
 * Options of {@link createHealthHandler}.
 *
 * @example
 * ```ts
 * const handler = createHealthHandler(targets, { timeoutMs: 2000 });
 * ```
 */
export interface HealthOptions {
  readonly logger?: RuntimeLogger;
  /** Per-check budget; a slow database counts as down so the probe itself stays fast. Default 5 s. */
  readonly timeoutMs?: number;
}

async function check(target: HealthTarget, timeoutMs: number) {
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    await target.database.read({ abortSignal: abort.signal });
    return { name: target.name, status: 'ok' as const, durationMs: Math.round(performance.now() - started) };
  } catch (e) {
    // Only a status code or error name: the health route is anonymous and must not leak internals.
    const code = (e as { code?: unknown }).code;
    const reason = abort.signal.aborted ? 'timeout' : typeof code === 'number' || typeof code === 'string' ? String(code) : (e as Error).name;
    return { name: target.name, status: 'unavailable' as const, reason, durationMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET `api/health`: reads every distinct Cosmos database in parallel. 200 `{ status: 'ok', checks }` when
 * all answer, else 503 `{ status: 'unavailable', checks }`.
 *
 * @example
 * ```ts
 * app.http('health', { route: 'health', methods: ['GET'], authLevel: 'anonymous',
 *   handler: createHealthHandler([{ name: 'acct/app', database }]) });
 * ```
 */
export function createHealthHandler(targets: readonly HealthTarget[], options: HealthOptions = {}): HttpHandler {
  const timeoutMs = options.timeoutMs ?? 5000;
  return withRequestLog({ component: 'runtime', entity: '-' }, () => 'health', async () => {
    const checks = await Promise.all(targets.map((t) => check(t, timeoutMs)));
    const healthy = checks.every((c) => c.status === 'ok');
    return jsonResponse(healthy ? 200 : 503, { status: healthy ? 'ok' : 'unavailable', checks }, { 'Cache-Control': 'no-store' });
  }, options.logger ?? contextLogger);
}

/**
 * The health handler of an app whose configuration is invalid: always 503 with the error code, so the
 * problem shows in the platform's health probe and not only in the startup log.
 *
 * @example
 * ```ts
 * app.http('health', { route: 'health', methods: ['GET'], handler: createMisconfiguredHealthHandler(error) });
 * ```
 */
export function createMisconfiguredHealthHandler(error: AtakoraError, options: HealthOptions = {}): HttpHandler {
  return withRequestLog({ component: 'runtime', entity: '-' }, () => 'health', async () =>
    jsonResponse(503, { status: 'misconfigured', code: error.code, resolution: error.resolution }, { 'Cache-Control': 'no-store' }),
  options.logger ?? contextLogger);
}
