import type { HttpResponseInit } from '@azure/functions';
import type { Passed, Stage } from './context.js';

/**
 * An ordered list of stages, built like tRPC's procedure builder: each `use` takes a stage over the context so far
 * and gives a list whose context is that stage's output, so a later stage reads what an earlier one resolved
 * (`ctx.caller`, `ctx.tenant`, `ctx.access`) and none resolves it again. Immutable: `use` returns a new list.
 *
 * @example
 * ```ts
 * const stages = StageList.of<RequestContext>().use(admit).use(caller);
 * const passed = await stages.run(start);
 * if (!passed.ok) return passed.response;
 * passed.ctx.caller.id;
 * ```
 */
export class StageList<In, Out> {
  private constructor(private readonly step: (ctx: In) => Passed<Out> | Promise<Passed<Out>>) {}

  /** An empty list over contexts of type `C`. */
  static of<C>(): StageList<C, C> {
    return new StageList<C, C>((ctx) => ({ ok: true, ctx }));
  }

  /** This list, then `stage` (run only when every earlier stage passed). */
  use<Next>(stage: Stage<Out, Next>): StageList<In, Next> {
    const before = this.step;
    return new StageList<In, Next>((ctx) => {
      const passed = before(ctx);
      // Synchronous stages chain without a promise; the first asynchronous one turns the rest into one.
      if (passed instanceof Promise) return passed.then((p) => (p.ok ? stage(p.ctx) : p));
      return passed.ok ? stage(passed.ctx) : passed;
    });
  }

  /** Every stage in order: the last one's context, or the first refusal. */
  async run(ctx: In): Promise<Passed<Out>> {
    return this.step(ctx);
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
