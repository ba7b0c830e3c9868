import { type Context, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SHARED_TENANT, SPAN_ATTRIBUTES as A } from './attributes.js';
import { tracer } from './tracer.js';
import { userCode } from './user-code.js';

/**
 * A CrudApi's `onChange` call as one internal span, `on-change <ComponentId>`, child of what caused it (the write's
 * request under `atakora dev`, the change feed trigger's invocation in Azure): `atakora.operation` `on-change`, the
 * component and the item's tenant (`shared` when the item has none). Never the item. `run` answers whether the
 * handler succeeded (its failure is logged and swallowed by the dispatch); a failure marks the span as an error.
 * `parent`: the write's request trace context when the runtime passes it, else the active context.
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
  parent: Context = context.active(),
): Promise<boolean> {
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
    // The user's handler runs in the span's context (its own spans find it): AsyncLocalStorage is on while it runs
    // (runtime/telemetry/context-manager.ts).
    const ok = await context.with(userCode(trace.setSpan(parent, span)), run);
    if (!ok) {
      span.setAttribute(A.errorType, 'handler_failed');
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    return ok;
  } finally {
    span.end();
  }
}
