import type { PlanIssue } from '../../model/plan.js';

/** The seeds' `healthCheck` of a CrudApi as given, carried on its functions requirement (crud/define.ts). */
export interface HealthCheckGiven {
  readonly interval?: number;
  readonly timeout?: number;
  readonly unhealthyThreshold?: number;
  /** What App Service gets: `WEBSITE_HEALTHCHECK_MAXPINGFAILURES`, i.e. `health_check_eviction_time_in_min`. */
  readonly evictionMinutes: number;
}

/**
 * Say what App Service health check does with the seeds' `healthCheck` options, never silently: it probes the
 * path once a minute on every instance and removes an instance after N failed minutes (2–10), with neither a
 * configurable interval nor a timeout (Learn, "Monitor App Service instances by using Health check"; azurerm's
 * `health_check_eviction_time_in_min`). So `timeout` is ignored, and `interval × unhealthyThreshold` becomes
 * the eviction time.
 *
 * @example
 * ```ts
 * healthCheckIssues('UserApi', {
 *   timeout: 5,
 *   interval: 30,
 *   unhealthyThreshold: 3,
 *   evictionMinutes: 2,
 * }); // two warnings
 * ```
 */
export function healthCheckIssues(
  componentId: string,
  given: HealthCheckGiven | undefined,
): PlanIssue[] {
  if (!given) return [];
  const issues: PlanIssue[] = [];
  if (given.timeout !== undefined) {
    issues.push({
      severity: 'warning',
      code: 'HEALTH_CHECK_TIMEOUT_IGNORED',
      path: ['components', componentId, 'healthCheck', 'timeout'],
      components: [componentId],
      message:
        `${componentId}: healthCheck.timeout (${given.timeout}s) is ignored: App Service health check has no ` +
        `configurable timeout.`,
      resolution:
        'Remove healthCheck.timeout; keep /api/health fast (it answers from the runtime without a database ' +
        'round trip unless asked).',
    });
  }
  if (given.interval !== undefined || given.unhealthyThreshold !== undefined) {
    issues.push({
      severity: 'warning',
      code: 'HEALTH_CHECK_INTERVAL_AS_EVICTION',
      path: [
        'components',
        componentId,
        'healthCheck',
        given.interval !== undefined ? 'interval' : 'unhealthyThreshold',
      ],
      components: [componentId],
      message:
        `${componentId}: App Service probes /api/health once a minute (not every ${given.interval ?? 60}s); ` +
        `healthCheck.interval × unhealthyThreshold (${given.interval ?? 60}s × ` +
        `${given.unhealthyThreshold ?? 3}) becomes the eviction time: an instance failing ` +
        `${given.evictionMinutes} minute(s) in a row is replaced.`,
      resolution:
        'Nothing to do if that eviction time suits you; otherwise set interval × unhealthyThreshold to the ' +
        'minutes (2–10) × 60 you want.',
    });
  }
  return issues;
}
