import type { HttpResponseInit, InvocationContext } from '@azure/functions';

/**
 * The one structured log line written per request: flat fields so Application Insights queries can filter
 * by component, operation and outcome.
 *
 * @example
 * ```ts
 * const entry: RequestLogEntry = {
 *   component: 'UserApi', entity: 'User', operation: 'read', method: 'GET', status: 404, durationMs: 12,
 *   outcome: 'client_error', invocationId: context.invocationId,
 * };
 * ```
 */
export interface RequestLogEntry {
  readonly component: string;
  readonly entity: string;
  readonly operation: string;
  readonly method: string;
  readonly status: number;
  readonly durationMs: number;
  /** `success` (< 400), `client_error` (4xx) or `server_error` (5xx). */
  readonly outcome: 'success' | 'client_error' | 'server_error';
  readonly invocationId: string;
  readonly error?: string;
}

/**
 * Where request log lines go. The default ({@link contextLogger}) writes JSON through the invocation context;
 * replace it to collect lines in tests or to forward them elsewhere.
 *
 * @example
 * ```ts
 * const lines: RequestLogEntry[] = [];
 * const logger: RuntimeLogger = (entry) => { lines.push(entry); };
 * import { app } from '@azure/functions';
 * registerCrudRoutes(app, manifest, { containerFor, logger });
 * ```
 */
export type RuntimeLogger = (entry: RequestLogEntry, context: InvocationContext) => void;

/**
 * Writes each entry as one JSON line: `context.log` for < 500, `context.error` for server errors, so
 * Application Insights severity follows the outcome.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * registerCrudRoutes(app, manifest, { containerFor, logger: contextLogger });
 * ```
 */
export const contextLogger: RuntimeLogger = (entry, context) => {
  const line = JSON.stringify(entry);
  if (entry.status >= 500) context.error(line);
  else context.log(line);
};

// Where a response carries its note: a hidden symbol key on the answer itself — never sent (the host reads the
// response's named fields only), never a JSON field nor compared, and gone with the answer.
const LOG_NOTE = Symbol('atakora.logNote');

/**
 * `response` with a detail for its log line only (the `error` field), never sent to the client: a 503 tells the
 * client to retry, while the log says why (a timeout, `ECONNREFUSED`, a failed token request).
 *
 * @example
 * ```ts
 * return withLogNote(problemResponse('database-unavailable', 'Retry later.'), 'ECONNRESET');
 * ```
 */
export function withLogNote(response: HttpResponseInit, note: string): HttpResponseInit {
  return Object.defineProperty({ ...response }, LOG_NOTE, { value: note });
}

/**
 * The note {@link withLogNote} put on a response (what its log line will say), if any.
 *
 * @example
 * ```ts
 * logNoteOf(withLogNote({ status: 503 }, 'ECONNRESET')); // 'ECONNRESET'
 * ```
 */
export function logNoteOf(response: HttpResponseInit): string | undefined {
  const note = (response as { [LOG_NOTE]?: unknown })[LOG_NOTE];
  return typeof note === 'string' ? note : undefined;
}

/**
 * The one log line of a request, from its labels, operation, status, duration and error text.
 *
 * @example
 * ```ts
 * logger(requestLogEntry(labels, 'read', request.method, 200, 12.5, context.invocationId), context);
 * ```
 */
export function requestLogEntry(
  labels: { readonly component: string; readonly entity: string },
  operation: string,
  method: string,
  status: number,
  durationMs: number,
  invocationId: string,
  error: string | undefined,
): RequestLogEntry {
  // Named field by field: an object literal that starts with a spread (`{ ...labels, operation, … }`) stores each
  // later field through V8's slow path on Node 20 — 4–5 µs a line, on every request (docs/performance.md).
  const entry: { -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K] } = {
    component: labels.component,
    entity: labels.entity,
    operation,
    method,
    status,
    durationMs: Math.round(durationMs * 100) / 100,
    outcome: status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'success',
    invocationId,
  };
  if (error !== undefined) entry.error = error;
  return entry;
}
