import { AtakoraError } from './client-error.js';
import { urlSegment } from './url-segment.js';
import type { FunctionCallOptions, FunctionShape } from './function-types.js';
import { send, type Transport } from './transport.js';

const NO_BODY = new Set(['GET', 'HEAD']);

/**
 * The call of one HTTP function under a FunctionsApp's base URL (its handle's `endpoint`, with or without the
 * host's `/api` prefix). `shape` is the function's config when the client was given it (`createClient({ functions })`);
 * without it the route is the function's name and the method POST with a body, GET without — a function's
 * defaults. Route parameters come from `options.params` (URL-encoded); a missing required one is an
 * `AtakoraError` before anything is sent.
 *
 * @example
 * ```ts
 * const submit = functionCall(transport, 'submit', { trigger: 'http', route: 'orders/submit', methods: ['POST'] });
 * await submit({ sku: 'A-1' });
 * ```
 */
export function functionCall(t: Transport, name: string, shape: FunctionShape | undefined) {
  return async (
    body?: unknown,
    options: FunctionCallOptions<
      string,
      Readonly<Record<string, string | number | undefined>>
    > = {},
  ): Promise<unknown> => {
    const declared = shape?.methods ?? [];
    const method = (
      options.method ??
      declared[0] ??
      (body === undefined ? 'GET' : 'POST')
    ).toUpperCase();
    if (declared.length > 0 && !declared.includes(method as never)) {
      throw new AtakoraError(`Function "${name}" takes ${declared.join(', ')}, not ${method}.`, [
        'functions',
        name,
        'method',
      ]);
    }
    if (body !== undefined && NO_BODY.has(method)) {
      throw new AtakoraError(
        `Function "${name}" is called with ${method}, which carries no body: pass undefined, or method: 'POST'.`,
        ['functions', name, 'body'],
      );
    }
    const path = fillRoute(
      name,
      (shape?.route ?? name).replace(/^\/+/, '').replace(/^api\//, ''),
      options.params ?? {},
    );
    return (
      await send(
        { ...t, baseUrl: apiBase(t.baseUrl) },
        {
          method,
          path: `/${path}`,
          body,
          ...(options.query ? { query: options.query } : {}),
          ...(options.headers ? { headers: options.headers } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        },
      )
    ).body;
  };
}

/** `https://func-x.azurewebsites.net` and `…/api` both → `…/api`: the host serves functions under `api/`. */
function apiBase(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/api$/.test(trimmed) ? trimmed : `${trimmed}/api`;
}

/** ASP.NET Core route template segments: `{id}`, `{id?}`, `{id:int}`, `{*rest}` (rest keeps its slashes). */
function fillRoute(
  name: string,
  route: string,
  params: Readonly<Record<string, string | number | undefined>>,
): string {
  const out: string[] = [];
  for (const segment of route.split('/')) {
    const m = /^\{(\*{0,2})([A-Za-z_][A-Za-z0-9_]*)[^}?]*(\?)?\}$/.exec(segment);
    if (!m) {
      out.push(segment);
      continue;
    }
    // Groups 1 and 2 always match (possibly empty); group 3 only with a `?`.
    const star = m[1] ?? '';
    const param = m[2] ?? '';
    const optional = m[3];
    const value = params[param];
    if (value === undefined || value === '') {
      if (optional || star) continue;
      throw new AtakoraError(`Function "${name}" needs params.${param} for its route "${route}".`, [
        'functions',
        name,
        'params',
        param,
      ]);
    }
    out.push(
      star
        ? String(value)
            .split('/')
            .map((s) => urlSegment(s, ['functions', name, 'params', param]))
            .join('/')
        : urlSegment(String(value), ['functions', name, 'params', param]),
    );
  }
  return out.join('/');
}
