import type { HttpResponseInit } from '@azure/functions';
import type { DoorAnswer } from '../../contract/data-door.js';
import { jsonObjectOf } from '../../contract/json-object.js';

/** The route's headers as a record of lower-case names (what a door's caller reads: ETag, Retry-After, RateLimit). */
function headersOf(response: HttpResponseInit): Record<string, string> {
  const out: Record<string, string> = {};
  const h = response.headers;
  if (!h) return out;
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v));
  else if (Array.isArray(h)) for (const [k, v] of h) out[k.toLowerCase()] = v;
  else for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/** The route's body as JSON text (every CRUD route answers a string, or nothing: a 204). */
function jsonOf(response: HttpResponseInit): string | undefined {
  const body: unknown = response.body;
  if (typeof body === 'string') return body === '' ? undefined : body;
  if (response.jsonBody !== undefined) return JSON.stringify(response.jsonBody);
  return undefined;
}

/**
 * A success as the door gives it: the body read as a value only when asked for (an MCP tool passes the route's JSON
 * on as it is, a `dataOf` call reads the value: neither pays for the other).
 */
class Served {
  readonly ok = true;
  private read = false;
  private value: unknown;

  constructor(
    readonly status: number,
    readonly etag: string | undefined,
    readonly json: string | undefined,
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  get body(): unknown {
    if (!this.read) {
      this.read = true;
      this.value = this.json === undefined ? undefined : (JSON.parse(this.json) as unknown);
    }
    return this.value;
  }
}

/**
 * A route's answer as data: its status, ETag and body (a value) — or its problem document, for any status from
 * 400 (an answer without one, as the typed client makes it, an empty problem of that status).
 *
 * @example
 * ```ts
 * const answer = doorAnswer(await run(caller, { method: 'GET', id: '42' }, invocation));
 * ```
 */
export function doorAnswer(response: HttpResponseInit): DoorAnswer {
  const status = response.status ?? 200;
  const headers = headersOf(response);
  const json = status === 204 ? undefined : jsonOf(response);
  if (status < 400) return new Served(status, headers['etag'], json, headers);
  return { ok: false, status, problem: jsonObjectOf(json) ?? {}, json, headers };
}

/**
 * The answer of a call to something this app does not serve (a CrudApi or a relation the caller's code named that
 * is not here): the REST routes' 404 for a path none of them serves.
 *
 * @example
 * ```ts
 * if (!run) return NOT_SERVED;
 * ```
 */
export const NOT_SERVED: DoorAnswer = Object.freeze({
  ok: false,
  status: 404,
  problem: Object.freeze({ type: 'about:blank', title: 'Not Found', status: 404 }),
  json: '{"type":"about:blank","title":"Not Found","status":404}',
  headers: Object.freeze({}),
});
