// The SCIM client the port of python-scim/scim2-tester drives (scim2-tester runs on python-scim/scim2-client's
// SyncSCIMClient): every request routed as the Functions host routes it (the first function by name whose template
// and methods match: kit/pure/route-order.ts, the matcher `atakora dev` uses) below `api/scim/v2`, and every answer
// checked as scim2_client/client.py `check_response` checks it — the content type (`_check_content_types`:
// application/scim+json or application/json), a SCIM Error body raised as `SCIMResponseErrorObject` unless
// `raise_scim_errors=False`, the status against the expected codes (`_check_status_codes`), and the payload's type
// by its `schemas` (`Resource.get_by_payload`) with the validation scim2-models runs on a response (scim_object.py:
// `schemas` holds the base schema; base.py: a `returned: always` attribute present, `id` for every resource).
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { SCIM_BASE, SCIM_SCHEMAS } from '../../../../src/contract/scim/scim.js';
import { matchRoute } from '../../../../src/cli/dev/host/routes.js';
import { hostRouteOrder } from '../../../../src/kit/pure/route-order.js';
import { invoke, type Reply } from '../http.js';

// biome-ignore lint/suspicious/noExplicitAny: a SCIM payload is any JSON
export type Json = Record<string, any>;

/** scim2_client's `SCIMClientError` family: what a checker catches and turns into an ERROR result. */
export class ScimClientError extends Error {
  constructor(
    message: string,
    readonly answer?: Reply,
  ) {
    super(message);
  }
}

/** What a request expects back: the codes (scim2_client's per-verb lists) and the `schemas` the payload must hold. */
export interface Expect {
  readonly codes?: readonly number[];
  readonly schema?: string;
  readonly raiseScimErrors?: boolean;
}

// scim2_client/client.py: CREATION_/QUERY_/SEARCH_/DELETION_/REPLACEMENT_/PATCH_RESPONSE_STATUS_CODES.
export const CODES = {
  create: [201, 409, 307, 308, 400, 401, 403, 404, 500],
  query: [200, 400, 307, 308, 401, 403, 404, 500],
  search: [200, 307, 308, 400, 401, 403, 404, 409, 413, 500, 501],
  delete: [204, 307, 308, 400, 401, 403, 404, 412, 500],
  replace: [200, 307, 308, 400, 401, 403, 404, 409, 412, 500, 501],
  patch: [200, 204, 307, 308, 400, 401, 403, 404, 409, 412, 500, 501],
} as const;

/** A SCIM client over the functions `fns`, authenticated by `token` as the tester's `--token` does. */
export class TesterClient {
  constructor(
    private readonly fns: ReadonlyMap<string, HttpFunctionOptions>,
    private readonly token: string,
  ) {}

  /** The raw request (scim2_client's `client.client.request`): `path` below the SCIM base, e.g. `/Users`. */
  async raw(method: string, path: string, body?: unknown, query?: Record<string, string>) {
    const full = `${SCIM_BASE}${path}`;
    const ordered = hostRouteOrder([...this.fns].map(([name, options]) => ({ name, options })));
    for (const { name, options } of ordered) {
      const methods = (options.methods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) as string[];
      if (!methods.includes(method)) continue;
      const params = matchRoute(options.route ?? name, full.split('?')[0] ?? full);
      if (!params) continue;
      return invoke(options.handler as HttpHandler, method, full, {
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/scim+json',
          'content-type': 'application/scim+json',
        },
        params,
        ...(query ? { query } : {}),
        ...(body === undefined ? {} : { body }),
      });
    }
    // The host's own 404 for a path no function takes: no body, no SCIM error.
    return { status: 404, headers: new Headers(), text: '', body: undefined } satisfies Reply;
  }

  /** scim2_client `check_response`: the payload, an Error when `raiseScimErrors` is false, or a thrown error. */
  check(answer: Reply, expect: Expect): Json | undefined {
    if (answer.status !== 204 && answer.status !== 205) {
      const type = (answer.headers.get('content-type') ?? '').split(';')[0] ?? '';
      if (!['application/scim+json', 'application/json'].includes(type))
        throw new ScimClientError(`Unexpected content type: ${type}`, answer);
    }
    const body = answer.status === 204 || answer.status === 205 ? undefined : answer.body;
    const schemas: unknown = body?.schemas;
    if (Array.isArray(schemas) && schemas.length === 1 && schemas[0] === SCIM_SCHEMAS.error) {
      if (expect.raiseScimErrors === false) return body as Json;
      throw new ScimClientError(`The server returned a SCIM Error: ${answer.text}`, answer);
    }
    if (expect.codes && !expect.codes.includes(answer.status))
      throw new ScimClientError(`Unexpected status code: ${answer.status}`, answer);
    if (!expect.schema || body === undefined) return body as Json | undefined;
    if (!Array.isArray(schemas) || !schemas.includes(expect.schema))
      throw new ScimClientError(
        `Expected type ${expect.schema} but got unknown resource with schemas: ${JSON.stringify(schemas)}`,
        answer,
      );
    return body as Json;
  }

  async call(
    method: string,
    path: string,
    expect: Expect,
    body?: unknown,
    query?: Record<string, string>,
  ) {
    return this.check(await this.raw(method, path, body, query), expect);
  }
}

/** scim2-models' response validation of one resource (a `returned: always` `id`, its base schema). */
export function validResource(resource: Json | undefined, schema: string): Json {
  if (!resource || typeof resource.id !== 'string')
    throw new ScimClientError(`Field 'id' has returnability 'always' but value is missing or null`);
  if (!Array.isArray(resource.schemas) || !resource.schemas.includes(schema))
    throw new ScimClientError(`schemas must contain the base schema '${schema}'`);
  return resource;
}
