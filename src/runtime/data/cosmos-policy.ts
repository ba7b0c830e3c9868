import { setTimeout as sleep } from 'node:timers/promises';
import type { Container } from '@azure/cosmos';
import type { Context } from '@opentelemetry/api';
import { AtakoraError } from '../../model/errors.js';
import { inCosmosSpan } from '../telemetry/cosmos-span.js';

/**
 * App setting that overrides the per-call Cosmos DB deadline, in milliseconds (1000–120000).
 *
 * @example
 * ```ts
 * // app_settings: { ATAKORA_COSMOS_TIMEOUT_MS: '5000' }
 * const policy = cosmosPolicyFromEnv(process.env);
 * ```
 */
export const COSMOS_TIMEOUT_SETTING = 'ATAKORA_COSMOS_TIMEOUT_MS';

/**
 * How long one Cosmos DB call may take, and what a client is told when it does not finish: the runtime
 * answers 503 with `Retry-After` instead of waiting. The default (10 s) sits far below the 230 s after which
 * the platform's load balancer drops an HTTP request to a Function App
 * (https://learn.microsoft.com/azure/azure-functions/functions-scale#timeout), and a PATCH makes at most a
 * few calls in a row.
 *
 * @example
 * ```ts
 * const policy: CosmosCallPolicy = { timeoutMs: 2000, retryAfterSeconds: 1 };
 * createCrudHandlers(entity, container, { cosmos: policy });
 * ```
 */
export interface CosmosCallPolicy {
  /** Deadline of one call, token acquisition and SDK retries included. */
  readonly timeoutMs: number;
  /** `Retry-After` of the 503 sent when Cosmos DB is unreachable or too slow. */
  readonly retryAfterSeconds: number;
}

/**
 * A {@link CosmosCallPolicy} for one request's calls: with the request's trace context ({@link tracedPolicy}: the
 * request context's `trace`), their spans' parent; without it, whatever context is active.
 *
 * @example
 * ```ts
 * const policy: TracedCallPolicy = { ...DEFAULT_COSMOS_POLICY, trace: ctx.trace };
 * ```
 */
export interface TracedCallPolicy extends CosmosCallPolicy {
  readonly trace?: Context | undefined;
}

/**
 * `policy` with a request's trace context, which its Cosmos DB calls' spans join (and their RU tally); the same
 * object when the request is not traced, so an untraced request allocates nothing.
 *
 * @example
 * ```ts
 * await callCosmos(tracedPolicy(ctx.cosmos, ctx.trace), (abortSignal) => container.item(id, pk).read({ abortSignal }));
 * ```
 */
export function tracedPolicy<P extends TracedCallPolicy>(policy: P, trace: Context | undefined): P {
  // Object.assign, not `{ ...policy, trace }` (V8's slow path for a literal that starts with a spread: http/log.ts).
  return trace ? Object.assign({}, policy, { trace }) : policy;
}

/**
 * The default {@link CosmosCallPolicy}: 10 s per call, retry after 5 s.
 *
 * @example
 * ```ts
 * createCrudHandlers(entity, container, { cosmos: { ...DEFAULT_COSMOS_POLICY, timeoutMs: 3000 } });
 * ```
 */
export const DEFAULT_COSMOS_POLICY: CosmosCallPolicy = { timeoutMs: 10_000, retryAfterSeconds: 5 };

/**
 * The policy from the app settings ({@link COSMOS_TIMEOUT_SETTING}), defaults otherwise.
 *
 * @throws AtakoraError `RUNTIME_CONFIG_INVALID` when the setting is not an integer from 1000 to 120000.
 * @example
 * ```ts
 * const policy = cosmosPolicyFromEnv({ ATAKORA_COSMOS_TIMEOUT_MS: '3000' }); // { timeoutMs: 3000, retryAfterSeconds: 5 }
 * ```
 */
export function cosmosPolicyFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): CosmosCallPolicy {
  const raw = env[COSMOS_TIMEOUT_SETTING]?.trim();
  if (!raw) return DEFAULT_COSMOS_POLICY;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1000 || ms > 120_000) {
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      `App setting ${COSMOS_TIMEOUT_SETTING} must be an integer from 1000 to 120000 (milliseconds), got "${raw}".`,
      {
        path: ['appSettings', COSMOS_TIMEOUT_SETTING],
      },
    );
  }
  return { ...DEFAULT_COSMOS_POLICY, timeoutMs: ms };
}

/**
 * Cosmos DB could not be reached in time: refused, reset, timed out, or the identity endpoint failed. The
 * runtime turns it into 503 + `Retry-After`. For a write the outcome is unknown, which the 503 tells honestly.
 *
 * @example
 * ```ts
 * // What a handler's Cosmos DB call throws when Cosmos DB cannot be reached in time (the handler answers 503).
 * function explain(e: unknown) {
 *   if (e instanceof CosmosUnavailableError) console.log(e.reason);
 * }
 * ```
 */
export class CosmosUnavailableError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cosmos DB unavailable: ${reason}`, options);
    this.name = 'CosmosUnavailableError';
  }
}

// Socket-level failures (Node and undici codes): the database is not reachable right now.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'TimeoutError',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);
// Cosmos answers a request timeout with 408, a transient write conflict with 449 ("retry with"), and any
// failure of its own with a 5xx (https://learn.microsoft.com/rest/api/cosmos-db/http-status-codes-for-cosmosdb):
// none is the client's fault, each is worth a retry.
const UNAVAILABLE_STATUSES = new Set([408, 449]);
// Errors of this code's own making (a bug, or client input that should have been refused earlier): never
// reported as "unavailable", so they stay visible as 500s.
const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'URIError']);
// @azure/identity's failures to obtain a token (identity endpoint down): not the client's fault either.
const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
]);

/**
 * Why an error means "Cosmos DB is unavailable", or `undefined` for any other error (a 4xx the client can
 * act on, or a bug). Follows `cause` a few levels, since the SDK and fetch wrap socket errors.
 *
 * @example
 * ```ts
 * unavailableReason(new CosmosUnavailableError('timeout')); // 'timeout'
 * unavailableReason(new TypeError('a bug'));                // undefined
 * ```
 */
export function unavailableReason(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  if (error instanceof CosmosUnavailableError) return error.reason;
  const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  if (typeof code === 'number' && (UNAVAILABLE_STATUSES.has(code) || code >= 500))
    return String(code);
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
  if (typeof name === 'string' && CREDENTIAL_ERRORS.has(name)) return 'credential';
  return unavailableReason(cause, depth + 1);
}

/**
 * Why a failure that is not an HTTP answer of Cosmos DB (no numeric status) happened inside a call: the
 * connection broke, the answer was cut short or garbled (a truncated body fails the SDK's JSON parse).
 * `undefined` for programming errors, which stay 500s.
 */
function transportReason(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === 'number') return undefined;
  if (typeof name === 'string' && PROGRAMMING_ERRORS.has(name) && typeof code !== 'string')
    return undefined;
  if (typeof code === 'string' && code.startsWith('ERR_INVALID')) return undefined;
  return `transport: ${typeof name === 'string' ? name : 'Error'}${typeof code === 'string' ? ` ${code}` : ''}`;
}

/** Most throttled attempts of one call; each waits the service's hint, within the call's deadline. */
const MAX_THROTTLED_ATTEMPTS = 3;

/** Cosmos DB's hint after a 429 (`x-ms-retry-after-ms`, which the SDK exposes as `retryAfterInMs`). */
function throttleHintMs(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== 429)
    return undefined;
  const ms = (error as { retryAfterInMs?: unknown }).retryAfterInMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : 0;
}

/**
 * Run one Cosmos DB call under the policy's deadline. The call gets an `AbortSignal` to pass on as
 * `abortSignal` (so the SDK stops its own retries); the deadline is also enforced here, because the SDK
 * does not always honour the signal (a reset connection is retried for ~10 s regardless, and token
 * acquisition ignores it). A throttled call (429: not executed) is tried again after the service's hint
 * when that fits in the deadline, else the 429 passes on with its hint. Errors meaning "unreachable" —
 * refused, reset, timed out, a 5xx, an answer cut short — become {@link CosmosUnavailableError}; others pass.
 *
 * @example
 * ```ts
 * const { resource } = await callCosmos(policy, (abortSignal) => container.item(id, pk).read({ abortSignal }));
 * ```
 */
export function callCosmos<T>(
  policy: TracedCallPolicy,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  // One client span per call, retries and deadline included (runtime/telemetry/cosmos-span.ts).
  return inCosmosSpan(() => withinDeadline(policy, run), policy.trace);
}

async function withinDeadline<T>(
  policy: CosmosCallPolicy,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const attempts = async (): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run(abort.signal);
      } catch (e) {
        const hint = throttleHintMs(e);
        const left = policy.timeoutMs - (performance.now() - started);
        if (hint === undefined || attempt >= MAX_THROTTLED_ATTEMPTS || hint >= left) throw e;
        await sleep(hint, undefined, { signal: abort.signal });
      }
    }
  };
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new CosmosUnavailableError(`no answer within ${policy.timeoutMs} ms`));
        abort.abort();
      }, policy.timeoutMs);
    });
    const call = attempts();
    // The losing promise of the race must not surface as an unhandled rejection later.
    call.catch(() => undefined);
    return await Promise.race([call, deadline]);
  } catch (e) {
    if (e instanceof CosmosUnavailableError) throw e;
    const reason = unavailableReason(e) ?? transportReason(e);
    if (reason !== undefined) throw new CosmosUnavailableError(reason, { cause: e });
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The item `id` of partition `pk` as stored, or undefined when there is none (404), read with the runtime's deadline.
 *
 * @example
 * ```ts
 * const record = await readItemOrNone(container, policy, 'contoso', 'contoso');
 * ```
 */
export async function readItemOrNone(
  container: Container,
  policy: CosmosCallPolicy,
  id: string,
  pk: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { resource } = await callCosmos(policy, (abortSignal) =>
      container.item(id, pk).read<Record<string, unknown>>({ abortSignal }),
    );
    return resource;
  } catch (e) {
    if ((e as { code?: unknown }).code === 404) return undefined;
    throw e;
  }
}
