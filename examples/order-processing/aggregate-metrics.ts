/**
 * Hourly timer used by the feature-flag example's AnalyticsProcessor: a named export.
 */
import type { InvocationContext, Timer } from '@azure/functions';

export async function aggregateMetrics(timer: Timer, context: InvocationContext): Promise<void> {
  context.log(
    JSON.stringify({
      component: 'AnalyticsProcessor',
      operation: 'aggregate-metrics',
      pastDue: timer.isPastDue,
    }),
  );
  await Promise.resolve();
}
