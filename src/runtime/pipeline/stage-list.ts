import type { HttpResponseInit } from '@azure/functions';
import type { Passed, Stage } from './context.js';

// A stage of any context: the list's types are checked as it is built (`use`), not as it runs.
type AnyStage = (ctx: object) => Passed<object> | Promise<Passed<object>>;

/**
 * An ordered list of stages, built like tRPC's procedure builder: each `use` takes a stage over the context so far
 * and gives a list whose context is that stage's output, so a later stage reads what an earlier one resolved
 * (`ctx.caller`, `ctx.tenant`, `ctx.access`) and none resolves it again. Immutable: `use` returns a new list.
 *
 * @example
 * ```ts
 * const stages = stageList<RequestContext>().use(admit).use(caller);
 * const passed = await stages.run(start);
 * if (!passed.ok) return passed.response;
 * passed.ctx.caller.id;
 * ```
 */
export class StageList<In, Out> {
  private constructor(private readonly stages: readonly AnyStage[]) {}

  /** An empty list over contexts of type `C`. */
  static of<C>(): StageList<C, C> {
    return new StageList<C, C>([]);
  }

  /** This list, then `stage`. */
  use<Next>(stage: Stage<Out, Next>): StageList<In, Next> {
    return new StageList<In, Next>([...this.stages, stage as unknown as AnyStage]);
  }

  /** Every stage in order: the last one's context, or the first refusal. Synchronous stages add no await. */
  async run(ctx: In): Promise<Passed<Out>> {
    let current = ctx as object;
    for (const stage of this.stages) {
      const result = stage(current);
      const passed = result instanceof Promise ? await result : result;
      if (!passed.ok) return passed;
      current = passed.ctx;
    }
    return { ok: true, ctx: current as Out };
  }
}

/**
 * A stage's pass: `ctx` extended with `fields`, frozen (no later stage or handler can change what one resolved).
 *
 * @example
 * ```ts
 * return pass(ctx, { method });
 * ```
 */
export function pass<C extends object, F extends object>(ctx: C, fields: F): Passed<C & F> {
  return { ok: true, ctx: Object.freeze({ ...ctx, ...fields }) };
}

/**
 * A stage's refusal: the answer that ends the request.
 *
 * @example
 * ```ts
 * if (denied) return refuse(denied);
 * ```
 */
export function refuse(response: HttpResponseInit): {
  readonly ok: false;
  readonly response: HttpResponseInit;
} {
  return { ok: false, response };
}
