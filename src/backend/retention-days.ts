import { AtakoraError } from '../model/errors.js';

/**
 * The retention periods Application Insights accepts: azurerm v4.55.0
 * `internal/services/applicationinsights/application_insights_resource.go`, `retention_in_days`:
 * `validation.IntInSlice([]int{30, 60, 90, 120, 180, 270, 365, 550, 730})`. The Log Analytics workspace beside it takes
 * any whole number from 30 to 730 (`log_analytics_workspace_resource.go`, `validation.IntBetween(30, 730)`), so one
 * list serves both: `monitoring.retentionDays` sets the two resources' retention.
 */
export const RETENTION_DAYS = [30, 60, 90, 120, 180, 270, 365, 550, 730] as const;

/**
 * MONITORING_RETENTION_INVALID unless `days` is one of {@link RETENTION_DAYS}; a value of another type is left to the
 * schema (CONFIG_INVALID). The resolution names the allowed values nearest to the one given, so `45` reads
 * "use 30 or 60" rather than a range the provider would refuse at `terraform plan`.
 *
 * @example
 * ```ts
 * checkRetentionDays(90); // passes
 * checkRetentionDays(45); // throws MONITORING_RETENTION_INVALID: use 30 or 60
 * ```
 */
export function checkRetentionDays(days: unknown): void {
  if (typeof days !== 'number' || (RETENTION_DAYS as readonly number[]).includes(days)) return;
  const nearest = nearestRetention(days);
  throw new AtakoraError(
    'MONITORING_RETENTION_INVALID',
    `monitoring.retentionDays ${String(days)} is not a retention Application Insights accepts: it takes ` +
      `${RETENTION_DAYS.join(', ')} days (the provider refuses any other at terraform plan).`,
    {
      path: ['config', 'monitoring', 'retentionDays'],
      details: { allowed: RETENTION_DAYS, nearest },
      resolution: `Set retentionDays to ${nearest.join(' or ')} (the nearest allowed); the allowed values are ${RETENTION_DAYS.join(', ')}.`,
    },
  );
}

/** The allowed values nearest to `days`: one, or the two either side of it when it lies between them. */
function nearestRetention(days: number): number[] {
  if (!Number.isFinite(days) || days <= RETENTION_DAYS[0]) return [RETENTION_DAYS[0]];
  const above = RETENTION_DAYS.find((d) => d > days);
  if (above === undefined) return [RETENTION_DAYS[8]];
  // The value before `above`: `days` lies above the first allowed value, so `above` is never the first.
  const below = RETENTION_DAYS.findLast((d) => d < days);
  return below === undefined ? [above] : [below, above];
}
