import type {
  HttpHandler,
  HttpRequest,
  HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import { problemResponse } from './response.js';

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

const logNotes = new WeakMap<HttpResponseInit, string>();

/**
 * Attach a detail to a response for its log line only (the `error` field), never sent to the client: a 503
 * tells the client to retry, while the log says why (a timeout, `ECONNREFUSED`, a failed token request).
 *
 * @example
 * ```ts
 * return withLogNote(problemResponse('database-unavailable', 'Retry later.'), 'ECONNRESET');
 * ```
 */
export function withLogNote(response: HttpResponseInit, note: string): HttpResponseInit {
  logNotes.set(response, note);
  return response;
}

/** The note {@link withLogNote} attached to a response (what its log line will say), if any. */
export function logNoteOf(response: HttpResponseInit): string | undefined {
  return logNotes.get(response);
}

/** Names the operation a request performs, for the log line. */
export type OperationOf = (request: HttpRequest) => string;

/**
 * Wrap a handler so that every request produces exactly one log line and an unexpected exception becomes
 * a problem+json 500 (never a stack trace to the client; the message goes to the log).
 *
 * @example
 * ```ts
 * const handler = withRequestLog({ component: 'UserApi', entity: 'User' }, () => 'read', inner, contextLogger);
 * ```
 */
export function withRequestLog(
  labels: { readonly component: string; readonly entity: string },
  operationOf: OperationOf,
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
  logger: RuntimeLogger,
): HttpHandler {
  return async (request, context) => {
    const started = performance.now();
    let response: HttpResponseInit;
    let error: string | undefined;
    try {
      response = await handler(request, context);
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      response = problemResponse(
        'internal',
        'The request failed unexpectedly; see the Function App logs.',
        {
          invocationId: context.invocationId,
        },
      );
    }
    const status = response.status ?? 200;
    error ??= logNotes.get(response);
    logger(
      {
        ...labels,
        operation: operationOf(request),
        method: request.method,
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        outcome: status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'success',
        invocationId: context.invocationId,
        ...(error === undefined ? {} : { error }),
      },
      context,
    );
    return response;
  };
}
