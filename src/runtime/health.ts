import type { HttpHandler } from '@azure/functions';
import type { AtakoraError } from '../model/errors.js';
import { serve } from './pipeline/serve.js';
import type { HealthTarget } from './routes/register-deps.js';

export type { HealthTarget } from './routes/register-deps.js';
import { callCosmos, type CosmosCallPolicy, CosmosUnavailableError } from './data/cosmos-policy.js';
import { jsonResponse } from './http/response.js';
import type { RuntimeLogger } from './http/log.js';
import { at } from '../model/at.js';

/**
 * Options of {@link createHealthHandler}.
 *
 * @example
 * ```ts
 * const handler = createHealthHandler([{ name: 'acct/app/users', container }], { timeoutMs: 2000 });
 * ```
 */
export interface HealthOptions {
  readonly logger?: RuntimeLogger;
  /**
   * Budget of each check, token acquisition and SDK retries included (the identity endpoint can take 20 s
   * to fail); a slow container counts as down so the probe itself stays fast. Default 5 s (an app's health route:
   * 5 s, or its Cosmos DB deadline, `ATAKORA_COSMOS_TIMEOUT_MS`, when that is shorter).
   */
  readonly timeoutMs?: number;
}

/** Each health check's budget unless the Cosmos DB deadline is shorter. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 5000;

/**
 * The budget of each health check in an app whose Cosmos DB calls have `policy`'s deadline: 5 s, or that deadline
 * (`ATAKORA_COSMOS_TIMEOUT_MS`, at least 1 s) when it is shorter — a check is one Cosmos DB call, and waits no
 * longer than any other call of the app would.
 *
 * @example
 * ```ts
 * healthBudgetMs({ timeoutMs: 2000, retryAfterSeconds: 5 }); // 2000
 * healthBudgetMs(undefined); // 5000
 * ```
 */
export function healthBudgetMs(policy: Pick<CosmosCallPolicy, 'timeoutMs'> | undefined): number {
  return Math.min(DEFAULT_HEALTH_TIMEOUT_MS, policy?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS);
}

async function check(target: HealthTarget, label: string, timeoutMs: number) {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    // Reading the container's metadata is what its identity's role allows (readMetadata at container scope),
    // and proves token acquisition, the network path and the container all work.
    await callCosmos({ timeoutMs, retryAfterSeconds: 0 }, (abortSignal) =>
      target.container.read({ abortSignal }),
    );
    return { name: label, status: 'ok' as const, durationMs: elapsed() };
  } catch (e) {
    // Only a timeout, a status code or an error name: the route is anonymous and must not leak internals.
    const code = (e as { code?: unknown }).code;
    const reason =
      e instanceof CosmosUnavailableError
        ? e.cause === undefined
          ? 'timeout'
          : e.reason
        : typeof code === 'number'
          ? String(code)
          : 'error';
    return { name: label, status: 'unavailable' as const, reason, durationMs: elapsed() };
  }
}

/**
 * GET `api/health`: reads every target container in parallel, each with its own client (identity) and within
 * `timeoutMs`, token acquisition included. 200 `{ status: 'ok', checks }` when all answer, else 503
 * `{ status: 'unavailable', checks }` (with `Retry-After`). Checks are labelled `container-<n>`; the failing
 * targets' real names go to the log.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * app.http('health', {
 *   route: 'health',
 *   methods: ['GET'],
 *   authLevel: 'anonymous',
 *   handler: createHealthHandler([
 *     { name: 'acct/app/users', container: client.database('app').container('users') },
 *   ]),
 * });
 * ```
 */
export function createHealthHandler(
  targets: readonly HealthTarget[],
  options: HealthOptions = {},
): HttpHandler {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  // Anonymous, so the platform's probe reaches it: the pipeline's caller stage admits everyone.
  return serve<null>({
    policy: undefined,
    anonymous: true,
    route: () => ({ ok: true, value: null }),
    handle: async (ctx) => {
      const checks = await Promise.all(
        targets.map((t, i) => check(t, `container-${i + 1}`, timeoutMs)),
      );
      const healthy = checks.every((c) => c.status === 'ok');
      if (!healthy) {
        const failed = checks.flatMap((c, i) =>
          c.status === 'ok'
            ? []
            : [{ label: c.name, target: at(targets, i).name, reason: c.reason }],
        );
        ctx.invocation?.warn(JSON.stringify({ component: 'runtime', operation: 'health', failed }));
      }
      const headers: Record<string, string> = {
        'Cache-Control': 'no-store',
        ...(healthy ? {} : { 'Retry-After': String(Math.ceil(timeoutMs / 1000)) }),
      };
      return jsonResponse(
        healthy ? 200 : 503,
        { status: healthy ? 'ok' : 'unavailable', checks },
        headers,
      );
    },
    log: healthLog(options),
  });
}

/** The health route's log line: the runtime's own component, operation `health`. */
function healthLog(options: HealthOptions) {
  return {
    labels: { component: 'runtime', entity: '-' },
    operationOf: () => 'health',
    ...(options.logger ? { logger: options.logger } : {}),
  };
}

/**
 * The health handler of an app whose configuration is invalid: always 503 with the error code, so the
 * problem shows in the platform's health probe and not only in the startup log.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * try {
 *   parseManifest(undefined);
 * } catch (error) {
 *   if (!(error instanceof AtakoraError)) throw error;
 *   app.http('health', { route: 'health', methods: ['GET'], handler: createMisconfiguredHealthHandler(error) });
 * }
 * ```
 */
export function createMisconfiguredHealthHandler(
  error: AtakoraError,
  options: HealthOptions = {},
): HttpHandler {
  return serve<null>({
    policy: undefined,
    anonymous: true,
    route: () => ({ ok: true, value: null }),
    handle: () =>
      Promise.resolve(
        jsonResponse(
          503,
          { status: 'misconfigured', code: error.code, resolution: error.resolution },
          { 'Cache-Control': 'no-store' },
        ),
      ),
    log: healthLog(options),
  });
}
