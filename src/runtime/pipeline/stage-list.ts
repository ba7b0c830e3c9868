import type { HttpResponseInit } from '@azure/functions';
import type {
  AuthorizedContext,
  Outcome,
  Overwrite,
  Passed,
  ReachedContext,
  Stage,
  Wrap,
} from './context.js';

/**
 * One entry of a stage list: a stage that adds to the context (or refuses), or one that wraps the rest.
 *
 * @example
 * ```ts
 * const entry: StageEntry = { kind: 'step', name: 'admit', run: admit };
 * ```
 */
export type StageEntry =
  | { readonly kind: 'step'; readonly name: string; readonly run: Stage<never, object> }
  | { readonly kind: 'wrap'; readonly name: string; readonly around: Wrap<never, object> };

/**
 * An ordered list of stages, built like tRPC's procedure builder: each `use` takes a stage over the context so far
 * and gives a list whose context is that context with the stage's additions put over it (`Overwrite`), so a later
 * stage reads what an earlier one resolved (`ctx.caller`, `ctx.tenant`, `ctx.access`) and none resolves it again.
 * `wrap` adds a stage that wraps the rest (a span, a log line, a ledger entry). Immutable: each call returns a new
 * list. What it holds is a plain array ({@link StageList.stages}), which {@link runStages} walks in order.
 *
 * @example
 * ```ts
 * const stages = StageList.of<RequestContext>().use(admit).use(caller);
 * const outcome = await runStages(stages.stages, start);
 * ```
 */
export class StageList<In, Out> {
  private constructor(
    /** The stages, in order: a plain array, walked by {@link runStages}. */
    readonly stages: readonly StageEntry[],
  ) {
    Object.freeze(stages);
  }

  /** An empty list over contexts of type `C`. */
  static of<C>(): StageList<C, C> {
    return new StageList<C, C>([]);
  }

  /** This list, then `stage` (run only when every earlier stage passed). */
  use<Adds extends object>(stage: Stage<Out, Adds>): StageList<In, Overwrite<Out, Adds>> {
    return new StageList([...this.stages, { kind: 'step', name: stage.name, run: stage }]);
  }

  /** This list, then `wrap` around every later stage and the handler. */
  wrap<Adds extends object>(wrap: Wrap<Out, Adds>): StageList<In, Overwrite<Out, Adds>> {
    return new StageList([...this.stages, { kind: 'wrap', name: wrap.name, around: wrap }]);
  }
}

/**
 * A stage's pass: what it adds to the context (the runner puts it over the context, frozen: no later stage or
 * handler can change what one resolved).
 *
 * @example
 * ```ts
 * return pass({ method });
 * ```
 */
export function pass<F extends object>(adds: F): { readonly ok: true; readonly adds: F } {
  return { ok: true, adds };
}

/** What a stage adds when it adds nothing: the context passes on as it is, not copied. */
export const NOTHING: object = Object.freeze({});

/** The pass of a stage that adds nothing. */
export const PASS: { readonly ok: true; readonly adds: object } = Object.freeze({
  ok: true,
  adds: NOTHING,
});

/**
 * A stage's refusal: the answer that ends the request, and what the stage resolved all the same (the caller a span
 * names, the tenant the ledger counts).
 *
 * @example
 * ```ts
 * if (denied) return refuse(denied);
 * ```
 */
export function refuse(
  response: HttpResponseInit,
  adds?: object,
): { readonly ok: false; readonly response: HttpResponseInit; readonly adds?: object } {
  return adds ? { ok: false, response, adds } : { ok: false, response };
}

const merged = (ctx: object, adds: object): object =>
  adds === NOTHING ? ctx : Object.freeze(Object.assign({}, ctx, adds));

/**
 * Walk `stages` from `start`, then the endpoint's handler and its after steps: how the request ended, with the
 * context it reached. A stage answers a promise only when it must wait (a registry read, a ledger read), so a
 * request whose stages need nothing remote passes them without a microtask. Nothing escapes as an exception: a
 * throw becomes the outcome's `failed`, for the wrapping stages (the log line's 500) to see.
 *
 * @example
 * ```ts
 * const outcome = await runStages(REQUEST_STAGES.stages, { request, invocation, endpoint, services });
 * ```
 */
export function runStages(stages: readonly StageEntry[], start: object): Promise<Outcome> {
  return from(stages, 0, start);
}

function from(stages: readonly StageEntry[], first: number, start: object): Promise<Outcome> {
  let ctx = start;
  for (let i = first; i < stages.length; i++) {
    const stage = stages[i] as StageEntry;
    try {
      if (stage.kind === 'wrap') {
        const here = ctx;
        const next = i + 1;
        return Promise.resolve(
          (stage.around as Wrap<object, object>)(here, (adds) =>
            from(stages, next, merged(here, adds)),
          ),
        );
      }
      const passed = (stage.run as Stage<object, object>)(ctx);
      if (passed instanceof Promise) {
        const here = ctx;
        const next = i + 1;
        return passed.then(
          (p) => (p.ok ? from(stages, next, merged(here, p.adds)) : refused(here, p)),
          (e: unknown) => failed(here, e),
        );
      }
      if (!passed.ok) return Promise.resolve(refused(ctx, passed));
      ctx = merged(ctx, passed.adds);
    } catch (e) {
      return Promise.resolve(failed(ctx, e));
    }
  }
  return handled(ctx as AuthorizedContext);
}

function refused(ctx: object, p: Exclude<Passed<object>, { ok: true }>): Outcome {
  return { ctx: (p.adds ? merged(ctx, p.adds) : ctx) as ReachedContext, response: p.response };
}

function failed(ctx: object, e: unknown): Outcome {
  return { ctx: ctx as ReachedContext, failed: e };
}

/** The handler, then each after step on its answer. */
async function handled(ctx: AuthorizedContext): Promise<Outcome> {
  try {
    let response = await ctx.endpoint.handle(ctx);
    for (const step of ctx.endpoint.after ?? []) response = await step(ctx, response);
    return { ctx, response };
  } catch (e) {
    return { ctx, failed: e };
  }
}
