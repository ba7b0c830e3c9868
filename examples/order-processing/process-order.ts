/**
 * Queue worker of the order-processing example: one message per order placed on the `orders` queue.
 * Default export = the handler (`handler: './examples/order-processing/process-order.ts'`).
 */
import type { InvocationContext } from '@azure/functions';

interface OrderMessage {
  readonly orderId: string;
  readonly total: number;
}

export default async function processOrder(
  message: unknown,
  context: InvocationContext,
): Promise<void> {
  const order = message as Partial<OrderMessage>;
  if (typeof order.orderId !== 'string') {
    // Throwing makes the host retry, then move the message to orders-poison after maxDequeueCount tries.
    throw new Error('order message without orderId');
  }
  context.log(
    JSON.stringify({
      component: 'OrderWorker',
      operation: 'process-order',
      orderId: order.orderId,
      total: order.total ?? 0,
    }),
  );
  await Promise.resolve();
}
