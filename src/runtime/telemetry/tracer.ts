import {
  type Context,
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { TRACER_NAME } from './attributes.js';
import { telemetryPending } from './pending.js';
import { userCode } from './user-code.js';

/**
 * The runtime's tracer, through the OpenTelemetry API only: from whatever provider is registered globally (Azure
 * Monitor in the deployed app, `atakora dev`'s own, a test's); it records nothing when none is. Looked up per span
 * in the global registry, never kept across providers: the API keeps its registry on a global symbol, and the
 * provider may be registered later by another copy of the API (the package's trace exporter file bundles its own),
 * whose proxy a tracer kept from this copy's own proxy would never reach. What is kept is the tracer of the provider
 * seen last: the registry hands out the same provider object until another is registered (or tracing is switched
 * off), so a span asks the registry one question instead of the provider's name-keyed lookup each time.
 *
 * @example
 * ```ts
 * const span = tracer().startSpan('GET api/notes');
 * ```
 */
export function tracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (provider !== last.provider) {
    last.provider = provider;
    last.tracer = provider.getTracer(TRACER_NAME);
  }
  return last.tracer;
}

const last: { provider?: TracerProvider; tracer: Tracer } = {
  tracer: trace.getTracer(TRACER_NAME),
};

/** The RU a request's Cosmos DB calls charged so far; its server span reports the sum. */
export interface RequestCharge {
  ru: number;
}

const CHARGE_KEY = createContextKey('atakora.request-charge');

/**
 * A context whose Cosmos DB calls add their RU to `charge` (read back by {@link chargeOf}).
 *
 * @example
 * ```ts
 * const charge: RequestCharge = { ru: 0 };
 * traceRequest(request, withCharge(trace.setSpan(parent, span), charge));
 * ```
 */
export function withCharge(ctx: Context, charge: RequestCharge): Context {
  return new ChargedContext(ctx, charge);
}

/**
 * `parent` with a request's RU tally: what `parent.setValue(CHARGE_KEY, charge)` gives, made for every request of
 * a registry backend without the API's `BaseContext` (a copy of the parent's map and three closures each time).
 * Every other key is the parent's; setting or deleting one keeps the tally on the context that results.
 */
class ChargedContext implements Context {
  constructor(
    private readonly parent: Context,
    private readonly charge: RequestCharge,
  ) {}

  getValue(key: symbol): unknown {
    return key === CHARGE_KEY ? this.charge : this.parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    if (key === CHARGE_KEY) return new ChargedContext(this.parent, value as RequestCharge);
    return new ChargedContext(this.parent.setValue(key, value), this.charge);
  }

  deleteValue(key: symbol): Context {
    if (key === CHARGE_KEY) return this.parent.deleteValue(key);
    return new ChargedContext(this.parent.deleteValue(key), this.charge);
  }
}

/** The request charge of a context, when a server span opened one. */
export function chargeOf(ctx: Context): RequestCharge | undefined {
  return ctx.getValue(CHARGE_KEY) as RequestCharge | undefined;
}

/** The trace context the Functions host hands an invocation (`InvocationContext.traceContext`). */
export interface InvocationTrace {
  readonly traceContext?: {
    readonly traceParent?: string | null | undefined;
    readonly traceState?: string | null | undefined;
  };
}

/**
 * The parent of an invocation's spans: the host's trace (its `traceparent`, W3C Trace Context, through the
 * registered propagator), so the runtime's spans join the host's request telemetry in one operation; else the
 * active context. What `@azure/functions-opentelemetry-instrumentation` does, without its module hooks (which a
 * bundled package never passes through).
 *
 * @example
 * ```ts
 * const parent = invocationParent(invocationContext);
 * ```
 */
export function invocationParent(invocation: InvocationTrace | undefined): Context {
  const parent = invocation?.traceContext?.traceParent;
  if (!parent) return context.active();
  const state = invocation.traceContext?.traceState;
  return propagation.extract(ROOT_CONTEXT, {
    traceparent: parent,
    ...(state ? { tracestate: state } : {}),
  });
}

/**
 * Run users' code `fn` inside an invocation's trace (see {@link invocationParent}) as its active context: what a
 * trigger other than HTTP (the change feed, a queue, a timer) does so that the spans it starts join the host's
 * operation.
 *
 * @example
 * ```ts
 * handler: (documents, invocation) => inInvocation(invocation, () => deliverChanges('BookingApi', onBooking, documents)),
 * ```
 */
export async function inInvocation<T>(
  invocation: InvocationTrace | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const pending = telemetryPending();
  if (pending) await pending;
  return context.with(userCode(invocationParent(invocation)), fn);
}
