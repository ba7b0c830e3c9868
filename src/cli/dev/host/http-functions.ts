import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpResponse as HttpResponseType, HttpResponseInit } from '@azure/functions';
import { bodyText, problem } from './answers.js';
import { functionsLibrary } from './functions-library.js';
import { matchSegments } from './routes.js';
import { triggerOf, type WorkerFunctions } from './worker-functions.js';

const { HttpRequest, HttpResponse } = functionsLibrary;
type HttpResponse = HttpResponseType;

/** A request as the worker hands it to an HTTP function: signed in, its path split, CORS decided. */
export interface HttpCall {
  readonly method: string;
  readonly url: URL;
  /** The path's segments after `api`. */
  readonly apiPath: readonly string[];
  readonly headers: Record<string, string>;
  readonly hostHeader: string | undefined;
  /** The CORS headers every answer carries (app-service-auth.ts). */
  readonly corsOut: Record<string, string>;
}

/**
 * Run the first HTTP function whose route template and methods match, in the host's order (by function name:
 * kit/pure/route-order.ts, first match wins), and write its answer; false when none matches.
 *
 * @example
 * ```ts
 * if (!(await runHttpFunction(req, res, call, functions))) problem(res, 'not-found', '…');
 * ```
 */
export async function runHttpFunction(
  req: IncomingMessage,
  res: ServerResponse,
  call: HttpCall,
  functions: WorkerFunctions,
): Promise<boolean> {
  for (const fn of functions.http) {
    const t = triggerOf(fn);
    if (!(t?.methods ?? []).includes(call.method)) continue;
    const params = matchSegments(t?.route ?? fn.metadata.name, call.apiPath);
    if (!params) continue;
    const text = await bodyText(req);
    const request = new HttpRequest({
      method: call.method,
      url: `http://${call.hostHeader ?? '127.0.0.1'}${req.url ?? '/'}`,
      headers: call.headers,
      params,
      query: Object.fromEntries(call.url.searchParams),
      ...(text ? { body: { string: text } } : {}),
    });
    let result: HttpResponseInit | HttpResponse | undefined;
    try {
      result = (await fn.callback(request, functions.context(fn.metadata.name))) as
        | HttpResponseInit
        | HttpResponse
        | undefined;
    } catch (e) {
      // The Functions host answers a handler that throws with a bare 500; here the message helps, and the CORS
      // headers let a page on a dev origin read it instead of failing the request as a CORS error.
      console.error(e);
      problem(
        res,
        'internal',
        `${fn.metadata.name} threw: ${e instanceof Error ? e.message : String(e)} (the stack is in the ` +
          `atakora dev output; in Azure the Functions host answers 500 with no body).`,
        call.corsOut,
      );
      return true;
    }
    await writeResponse(res, result, call.corsOut);
    return true;
  }
  return false;
}

async function writeResponse(
  res: ServerResponse,
  result: HttpResponseInit | HttpResponse | undefined,
  corsOut: Record<string, string>,
): Promise<void> {
  // The bundle has its own copy of the HttpResponse class: accept any response-shaped object.
  const response =
    result && typeof (result as HttpResponse).arrayBuffer === 'function'
      ? (result as HttpResponse)
      : new HttpResponse(result ?? {});
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...corsOut });
  res.end(Buffer.from(await response.arrayBuffer()));
}
