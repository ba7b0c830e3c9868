import type { HttpHandler, HttpResponseInit, InvocationContext } from '@azure/functions';
// The classes as every loader of this file sees them (the benches load it outside vitest: bench/agents.ts).
import { HttpRequest, InvocationContext as Context } from '../../support/azure-functions.js';
import type { RuntimeEntity } from '../../../src/model/runtime-manifest.js';
import type { CrudHandlers } from '../../../src/runtime/crud/handlers.js';

export const BASE = 'https://app.test/api';

/** A handler's response, decoded. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export interface CallOptions {
  /** An object is sent as JSON; a string is sent raw (for malformed-body tests). */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
}

/** Captures log lines written through an InvocationContext. */
export function makeContext(lines?: { level: string; message: string }[]): InvocationContext {
  return new Context({
    invocationId: 'test-invocation',
    functionName: 'test',
    logHandler: (level, ...args) => lines?.push({ level, message: args.map(String).join(' ') }),
  });
}

export async function invoke(
  handler: HttpHandler,
  method: string,
  path: string,
  opts: CallOptions & { params?: Record<string, string> } = {},
  lines?: { level: string; message: string }[],
): Promise<Reply> {
  const url = new URL(`${BASE}/${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const body =
    opts.body === undefined
      ? undefined
      : { string: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) };
  const request = new HttpRequest({
    method,
    url: url.toString(),
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    params: opts.params ?? {},
    ...(body ? { body } : {}),
  });
  const result = (await handler(request, makeContext(lines))) as HttpResponseInit;
  const text =
    typeof result.body === 'string'
      ? result.body
      : result.body === undefined || result.body === null
        ? ''
        : String(result.body);
  return {
    status: result.status ?? 200,
    headers: new Headers(result.headers as ConstructorParameters<typeof Headers>[0]),
    text,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** A tiny HTTP client over one entity's handlers, addressing items by id like the host's router. */
export function apiFor(
  entity: RuntimeEntity,
  handlers: CrudHandlers,
  lines?: { level: string; message: string }[],
) {
  const coll = (method: string, opts?: CallOptions) =>
    invoke(handlers.collection, method, entity.route, opts, lines);
  const item = (method: string, id: string, opts?: CallOptions) =>
    invoke(
      handlers.item,
      method,
      `${entity.route}/${encodeURIComponent(id)}`,
      { ...opts, params: { id } },
      lines,
    );
  return {
    create: (body: unknown, opts: CallOptions = {}) => coll('POST', { ...opts, body }),
    list: (opts: CallOptions = {}) => coll('GET', opts),
    collection: coll,
    get: (id: string, opts: CallOptions = {}) => item('GET', id, opts),
    put: (id: string, body: unknown, opts: CallOptions = {}) => item('PUT', id, { ...opts, body }),
    patch: (id: string, body: unknown, opts: CallOptions = {}) =>
      item('PATCH', id, { ...opts, body }),
    del: (id: string, opts: CallOptions = {}) => item('DELETE', id, opts),
    item,
  };
}

/**
 * A request to `api/<path>` as an operation takes it, `body` sent as JSON when given, `headers` besides.
 *
 * @example
 * ```ts
 * await createOrganization(api, owner, jsonRequest('POST', 'tenants', { name: 'Acme' }));
 * ```
 */
export function jsonRequest(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return new HttpRequest({
    method,
    url: `${BASE}/${path}`,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
  });
}

/**
 * An operation's answer decoded: its status, headers, JSON body, and the problem's code (its `type` without
 * `urn:atakora:problem:`; '' for none).
 *
 * @example
 * ```ts
 * const r = await decoded(createOrganization(api, owner, jsonRequest('POST', 'tenants', { name: 'Acme' })));
 * ```
 */
export async function decoded(r: Promise<HttpResponseInit>) {
  const res = await r;
  const text = typeof res.body === 'string' ? res.body : '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body: any = text ? JSON.parse(text) : undefined;
  return {
    status: res.status ?? 200,
    headers: new Headers(res.headers as Record<string, string>),
    body,
    code: String(body?.type ?? '').replace('urn:atakora:problem:', ''),
  };
}
