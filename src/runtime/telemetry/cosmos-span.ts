import { type Context, context, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SPAN_ATTRIBUTES as A } from './attributes.js';
import { roundCharge } from './request-span.js';
import { chargeOf, type RequestCharge, tracer } from './tracer.js';

/** What a Cosmos DB response (or error) tells of the request that made it (`@azure/cosmos` 4.x shapes). */
interface GatewayStatistics {
  readonly operationType?: string;
  readonly resourceType?: string;
  readonly statusCode?: number;
  readonly requestCharge?: number;
}
interface CosmosOutcome {
  readonly requestCharge?: unknown;
  readonly statusCode?: unknown;
  readonly code?: unknown;
  readonly headers?: unknown;
  readonly diagnostics?: {
    readonly clientSideRequestStatistics?: {
      readonly gatewayStatistics?: readonly GatewayStatistics[];
      readonly retryDiagnostics?: { readonly failedAttempts?: readonly GatewayStatistics[] };
    };
  };
  readonly cause?: unknown;
}

// Every Cosmos DB span starts the same way: one options object for all (the SDK copies the attributes).
const CLIENT_SPAN = { kind: SpanKind.CLIENT, attributes: { [A.dbSystem]: 'cosmosdb' } } as const;

// Answers the runtime expects and turns into the client's 404/409/412: not failures of the call.
const EXPECTED_STATUSES = new Set([404, 409, 412]);

// `<operation>_<resource>`, the names OpenTelemetry's Cosmos DB conventions use (`read_item`, `query_items`, …).
const RESOURCES: Readonly<Record<string, string>> = {
  docs: 'item',
  colls: 'container',
  dbs: 'database',
  pkranges: 'partition_key_ranges',
};

/**
 * One client span per Cosmos DB call: `db.system` `cosmosdb`, `db.operation.name` (`read_item`, `create_item`,
 * `query_items`, … from the SDK's own diagnostics of the call, so no caller names it), the RU it charged
 * (`db.cosmosdb.request_charge`, also added to the request's server span) and Cosmos DB's status code. Never the
 * query text, its parameters, an id or a partition key value. A call that throws ends its span as an error unless
 * Cosmos DB answered 404, 409 or 412, which the runtime expects. `parent`: the request's trace context (its
 * `ctx.trace`, passed along by the runtime), else whatever context is active.
 *
 * @example
 * ```ts
 * const { resource } = await inCosmosSpan(() => container.item(id, pk).read());
 * ```
 */
export async function inCosmosSpan<T>(
  call: () => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  const span = tracer().startSpan('cosmosdb', CLIENT_SPAN, parent);
  if (!span.isRecording()) {
    span.end();
    // Not sampled, or tracing off: the request's RU is still summed when its context keeps a tally (the usage
    // ledger's, runtime/usage/request-usage.ts); nothing else of the call is read.
    const charge = chargeOf(parent);
    return charge ? charged(call, charge) : call();
  }
  try {
    // No context is entered for the call: nothing the runtime loads starts a span under a Cosmos DB call (no HTTP
    // instrumentation), and entering one would switch AsyncLocalStorage on (runtime/telemetry/context-manager.ts).
    const result = await call();
    describe(span, parent, outcomeOf(result), undefined);
    return result;
  } catch (e) {
    describe(span, parent, undefined, e);
    throw e;
  } finally {
    span.end();
  }
}

/** The call, its RU added to `charge` whether it answers or throws (a throttled call charges too). */
async function charged<T>(call: () => Promise<T>, charge: RequestCharge): Promise<T> {
  try {
    const result = await call();
    const outcome = outcomeOf(result);
    charge.ru += chargeIn(
      outcome,
      outcome?.diagnostics?.clientSideRequestStatistics?.gatewayStatistics,
    );
    return result;
  } catch (e) {
    const outcome = cosmosError(e);
    charge.ru += chargeIn(
      outcome,
      outcome?.diagnostics?.clientSideRequestStatistics?.gatewayStatistics,
    );
    throw e;
  }
}

function outcomeOf(value: unknown): CosmosOutcome | undefined {
  return typeof value === 'object' && value !== null ? value : undefined;
}

/** The SDK's error, under the runtime's wrappers (`CosmosUnavailableError` keeps it as `cause`). */
function cosmosError(error: unknown): CosmosOutcome | undefined {
  let e = outcomeOf(error);
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'number' || e.diagnostics) return e;
    e = outcomeOf(e.cause);
  }
  return undefined;
}

function describe(
  span: Span,
  parent: Context,
  result: CosmosOutcome | undefined,
  error: unknown,
): void {
  const outcome = result ?? cosmosError(error);
  const stats = outcome?.diagnostics?.clientSideRequestStatistics;
  const main = stats?.gatewayStatistics?.at(-1) ?? stats?.retryDiagnostics?.failedAttempts?.at(-1);
  const name = operationName(main);
  if (name) {
    span.updateName(name);
    span.setAttribute(A.dbOperation, name);
  }
  const status =
    typeof outcome?.statusCode === 'number'
      ? outcome.statusCode
      : typeof outcome?.code === 'number'
        ? outcome.code
        : (main?.statusCode ?? (result ? 200 : undefined));
  if (status !== undefined) span.setAttribute(A.dbStatus, status);
  const ru = chargeIn(outcome, stats?.gatewayStatistics);
  span.setAttribute(A.requestCharge, roundCharge(ru));
  const request = chargeOf(parent);
  if (request) request.ru += ru;
  if (error !== undefined && !(status !== undefined && EXPECTED_STATUSES.has(status))) {
    span.setAttribute(
      A.errorType,
      status !== undefined ? String(status) : error instanceof Error ? error.name : 'Error',
    );
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

function operationName(stats: GatewayStatistics | undefined): string | undefined {
  const op = stats?.operationType;
  if (!op) return undefined;
  const resource = RESOURCES[stats.resourceType ?? ''] ?? stats.resourceType;
  if (!resource) return op;
  return op === 'query' ? `query_${resource}s` : `${op}_${resource}`;
}

/** The call's RU: the response's total, else its gateway requests' sum, else the error's header. */
function chargeIn(
  outcome: CosmosOutcome | undefined,
  stats: readonly GatewayStatistics[] | undefined,
): number {
  const direct = Number(outcome?.requestCharge);
  if (Number.isFinite(direct) && direct >= 0 && outcome?.requestCharge !== undefined) return direct;
  const summed = (stats ?? []).reduce((n, s) => n + (s.requestCharge ?? 0), 0);
  if (summed > 0) return summed;
  const headers = outcome?.headers as Record<string, unknown> | undefined;
  const header = Number(headers?.['x-ms-request-charge']);
  return Number.isFinite(header) && header >= 0 ? header : 0;
}
