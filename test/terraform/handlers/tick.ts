import type { InvocationContext, Timer } from '@azure/functions';

/** A timer handler for the check:terraform fixtures. */
export default async function tick(_timer: Timer, context: InvocationContext): Promise<void> {
  context.log('tick');
}
