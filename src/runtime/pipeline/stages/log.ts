import type { HttpResponseInit } from '@azure/functions';
import { contextLogger, logNoteOf, requestLogEntry } from '../../http/log.js';
import { problemResponse } from '../../http/response.js';
import type { LogFrame, Outcome, RequestContext } from '../context.js';
import { NOTHING } from '../stage-list.js';

type Next = (adds: object) => Promise<Outcome>;

/**
 * Log: exactly one structured line per request of a route that asks for one (`endpoint.log`), and an unexpected
 * exception turned into a problem+json 500 — never a stack trace to the client; its message goes to the line
 * (as does a response's log note: why a 503 was answered).
 *
 * @example
 * ```ts
 * StageList.of<RequestContext>().wrap(trace).wrap(log);
 * ```
 */
export function log(ctx: RequestContext, next: Next): Promise<Outcome> {
  const frame = ctx.endpoint.log;
  const invocation = ctx.invocation;
  if (!frame || !invocation) return next(NOTHING);
  return logged(ctx, frame, invocation, next);
}

async function logged(
  ctx: RequestContext,
  frame: LogFrame,
  invocation: NonNullable<RequestContext['invocation']>,
  next: Next,
): Promise<Outcome> {
  const started = performance.now();
  const outcome = await next(NOTHING);
  // Handed on to a route that logs itself (an MCP tool function's call): its line, not a second one.
  if (outcome.ctx.passedOn) return outcome;
  let response: HttpResponseInit;
  let error: string | undefined;
  if ('failed' in outcome) {
    const e = outcome.failed;
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    response = problemResponse(
      'internal',
      'The request failed unexpectedly; see the Function App logs.',
      { invocationId: invocation.invocationId },
    );
  } else {
    response = outcome.response;
    error = logNoteOf(response);
  }
  const logger = frame.logger ?? ctx.services.logger ?? contextLogger;
  logger(
    requestLogEntry(
      frame.labels,
      frame.operationOf(ctx.request),
      ctx.request.method,
      outcome.ctx.operationStatus ?? response.status ?? 200,
      performance.now() - started,
      invocation.invocationId,
      error,
    ),
    invocation,
  );
  return { ctx: outcome.ctx, response };
}
