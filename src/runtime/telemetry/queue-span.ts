import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SPAN_ATTRIBUTES as A } from './attributes.js';
import { tracer } from './tracer.js';

/**
 * A send to a storage queue (`queueClient(name).send`) as one producer span, `send <queue>`: the messaging system,
 * the operation and the queue's name. Never the message, its id or the queue's URL.
 *
 * @example
 * ```ts
 * const sent = await inQueueSpan('emails', () => queue.sendMessage(text));
 * ```
 */
export async function inQueueSpan<T>(queue: string, send: () => Promise<T>): Promise<T> {
  const parent = context.active();
  const span = tracer().startSpan(
    `send ${queue}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [A.messagingSystem]: 'azure_storage_queue',
        [A.messagingOperation]: 'send',
        [A.messagingDestination]: queue,
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), send);
  } catch (e) {
    span.setAttribute(A.errorType, e instanceof Error ? e.name : 'Error');
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw e;
  } finally {
    span.end();
  }
}
