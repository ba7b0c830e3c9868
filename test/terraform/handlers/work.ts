import type { InvocationContext } from '@azure/functions';

/** A queue handler for the check:terraform fixtures. */
export default async function work(message: unknown, context: InvocationContext): Promise<void> {
  context.log('work', message);
}
