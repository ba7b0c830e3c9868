import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SHARED_TENANT, SPAN_ATTRIBUTES as A } from './attributes.js';
import { tracer } from './tracer.js';

/**
 * A CrudApi's `onChange` call as one internal span, `on-change <ComponentId>`, child of what caused it (the write's
 * request under `atakora dev`, the change feed trigger's invocation in Azure): `atakora.operation` `on-change`, the
 * component and the item's tenant (`shared` when the item has none). Never the item. `run` answers whether the
 * handler succeeded (its failure is logged and swallowed by the dispatch); a failure marks the span as an error.
 *
 * @example
 * ```ts
 * const ok = await inChangeSpan('BookingApi', 't1', () => dispatch());
 * ```
 */
export async function inChangeSpan(
  componentId: string,
  tenant: string | undefined,
  run: () => Promise<boolean>,
): Promise<boolean> {
  const parent = context.active();
  const span = tracer().startSpan(
    `on-change ${componentId}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        [A.component]: componentId,
        [A.operation]: 'on-change',
        [A.tenant]: tenant ?? SHARED_TENANT,
      },
    },
    parent,
  );
  try {
    const ok = await context.with(trace.setSpan(parent, span), run);
    if (!ok) {
      span.setAttribute(A.errorType, 'handler_failed');
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    return ok;
  } finally {
    span.end();
  }
}
