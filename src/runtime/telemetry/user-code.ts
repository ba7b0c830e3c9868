import { type Context, createContextKey } from '@opentelemetry/api';

// `Symbol.for` underneath: the same key in every copy of the API (the runtime's and the trace export's bundles).
export const USER_CODE = createContextKey('atakora.user-code');

/**
 * `ctx` marked as the context a user's code runs in (a FunctionsApp handler, an `onChange`): entered with
 * `context.with`, the runtime's context manager (runtime/telemetry/context-manager.ts) keeps `AsyncLocalStorage` on while that code runs, and only then.
 *
 * @example
 * ```ts
 * return context.with(userCode(trace.setSpan(parent, span)), () => handler(request, invocation));
 * ```
 */
export function userCode(ctx: Context): Context {
  return ctx.setValue(USER_CODE, true);
}
