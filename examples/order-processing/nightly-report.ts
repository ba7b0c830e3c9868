/**
 * Timer of the order-processing example. A named export (`handler: './examples/order-processing/nightly-report.ts#nightlyReport'`).
 */
import type { InvocationContext, Timer } from '@azure/functions';

export async function nightlyReport(timer: Timer, context: InvocationContext): Promise<void> {
  context.log(
    JSON.stringify({
      component: 'OrderWorker',
      operation: 'nightly-report',
      pastDue: timer.isPastDue,
    }),
  );
  await Promise.resolve();
}
