import { type Context, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isTracingSuppressed } from '@opentelemetry/core';
import { USER_CODE } from './user-code.js';

/**
 * An `AsyncLocalStorage` context manager that keeps `AsyncLocalStorage` on only while some code needs an active
 * context:
 * - while users' code runs: entered with a `userCode` context (runtime/telemetry/user-code.ts), from its entry until
 *   the promise it returns settles;
 * - for good, once other code enters a context of its own (`with`, `attach`, `bind`) outside users' code;
 * - never for a span processor's export, whose context is active for the export's synchronous part only while off.
 *
 * Why: on Node 20, `AsyncLocalStorage` in use means promise hooks that run for every promise of the process. A
 * traced CRUD request costs ×1.14 of an untraced one while they run, ×1.06 without them (`PARTS=1 npx tsx
 * bench/traces.ts`). The runtime's own code never needs them: a request's span reaches its Cosmos DB calls
 * explicitly (the request context's `trace`: runtime/pipeline/stages/trace.ts). Users' code does (a handler's own spans find their request
 * across `await`s) for as long as it runs; work it leaves running after its handler has answered may find no
 * active context, and its spans start traces of their own. The span processors enter a tracing-suppressed context
 * around every export (`@opentelemetry/core`'s `internal._export`, sdk-trace's
 * `BatchSpanProcessorBase._flushOneBatch`), which would keep the hooks on in every traced worker. Suppression is
 * for instrumentations of the export's own calls (HTTP), which the runtime never loads
 * (runtime/telemetry/azure-monitor.ts).
 *
 * @example
 * ```ts
 * context.setGlobalContextManager(new OnDemandContextManager().enable());
 * ```
 */
export class OnDemandContextManager extends AsyncLocalStorageContextManager {
  /** Users' code running now, each entered with a `userCode` context. */
  #running = 0;
  /** Some code entered a context outside users' code: on for good. */
  #always = false;
  /** The context a synchronous entry made active while off. */
  #current: Context | undefined;

  /** Whether `AsyncLocalStorage` is in use: users' code is running, or some code entered a context of its own. */
  get engaged(): boolean {
    return this.#always || this.#running > 0;
  }

  override active(): Context {
    return this.#current ?? (this.engaged ? super.active() : ROOT_CONTEXT);
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    if (!this.engaged && isTracingSuppressed(ctx))
      return this.#synchronously(ctx, fn, thisArg, args);
    // Inside a context entered before (users' code and what it calls): `AsyncLocalStorage` is on already.
    const outermost = !this.engaged || super.active() === ROOT_CONTEXT;
    if (!outermost || isTracingSuppressed(ctx)) return super.with(ctx, fn, thisArg, ...args);
    if (ctx.getValue(USER_CODE) !== true) {
      this.#always = true;
      return super.with(ctx, fn, thisArg, ...args);
    }
    this.#running++;
    let result: ReturnType<F>;
    try {
      result = super.with(ctx, fn, thisArg, ...args);
    } catch (e) {
      this.#finished();
      throw e;
    }
    if (!isThenable(result)) {
      // Code whose end is unknown (it may have started work that goes on): on for good.
      this.#always = true;
      this.#finished();
      return result;
    }
    const finished = () => {
      this.#finished();
    };
    result.then(finished, finished);
    return result;
  }

  override attach(ctx: Context): ReturnType<AsyncLocalStorageContextManager['attach']> {
    this.#always = true;
    return super.attach(ctx);
  }

  override disable(): this {
    this.#running = 0;
    this.#always = false;
    this.#current = undefined;
    return super.disable();
  }

  #synchronously<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg: ThisParameterType<F> | undefined,
    args: A,
  ): ReturnType<F> {
    const previous = this.#current;
    this.#current = ctx;
    try {
      return fn.apply(thisArg, args);
    } finally {
      this.#current = previous;
    }
  }

  #finished(): void {
    this.#running--;
    // Node 20: with no store left in use, its promise hooks are removed (`AsyncLocalStorage.disable`).
    if (!this.engaged) super.disable();
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
