import type { InvocationContext } from '@azure/functions';
import { queueClient } from '@atakora/component/runtime';

/** A queue handler for the check:terraform fixtures: passes each message on to the declared `work-done` queue. */
export default async function work(message: unknown, context: InvocationContext): Promise<void> {
  context.log('work', message);
  await queueClient('work-done').send({ done: message ?? null });
}
