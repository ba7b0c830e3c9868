import type { Context } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';
import { chargeOf, type RequestCharge, withCharge } from '../../telemetry/tracer.js';
import { withLimitHeaders } from '../../usage/limit-headers.js';
import { ANONYMOUS_TENANT } from '../../usage/request-usage.js';
import type { UsageMeter } from '../../usage/usage-meter.js';
import type { Outcome, RequestContext } from '../context.js';
import { NOTHING } from '../stage-list.js';

type Next = (adds: { trace?: Context | undefined }) => Promise<Outcome>;

/**
 * Ledger: the usage ledger's entry of every request of a backend with a tenant registry and a meter — refused ones
 * too (the registry's 403s, the limits' 429s) — counted once the request is answered: under the tenant the registry
 * stage named (`ctx.usage`; `anonymous` for a stranger), with the RU its Cosmos DB calls charged whatever the trace
 * sampling (a tally on the request's trace context, which every call of the request reaches). The limits' headers
 * (`RateLimit`, `RateLimit-Policy`) go on the answer here.
 *
 * @example
 * ```ts
 * StageList.of<RequestContext>().wrap(trace).wrap(log).wrap(ledger);
 * ```
 */
export function ledger(ctx: RequestContext, next: Next): Promise<Outcome> {
  const meter = ctx.services.meter;
  if (!meter || !ctx.endpoint.policy?.registry) return next(NOTHING);
  // The server span's tally when one is recording, else one of its own on the request's trace context.
  const held = ctx.trace && chargeOf(ctx.trace);
  if (held) return counted(meter, held, next({ trace: ctx.trace }));
  const charge: RequestCharge = { ru: 0 };
  return counted(meter, charge, next({ trace: withCharge(ctx.trace ?? context.active(), charge) }));
}

async function counted(
  meter: UsageMeter,
  charge: RequestCharge,
  run: Promise<Outcome>,
): Promise<Outcome> {
  const outcome = await run;
  // Handed on to a route that counts itself (an MCP tool function's call): counted there, once.
  if (outcome.ctx.passedOn) return outcome;
  const tenant = outcome.ctx.usage?.tenant ?? ANONYMOUS_TENANT;
  if ('failed' in outcome) {
    meter.request(tenant, { refused: true, ru: charge.ru });
    return outcome;
  }
  const response = withLimitHeaders(outcome.ctx.limitHeaders, outcome.response);
  const status = outcome.ctx.operationStatus ?? response.status ?? 200;
  meter.request(tenant, { refused: status >= 400, ru: charge.ru });
  return { ctx: outcome.ctx, response };
}
