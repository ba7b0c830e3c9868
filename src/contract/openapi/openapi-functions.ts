import type { OpenApiFunction } from './openapi-input.js';
import { API_PREFIX } from '../routes.js';
import { type Json, problem } from './openapi-refs.js';

/** One segment of a Functions route: a literal, or a parameter (`{id}`, `{id:int}`, `{tag?}`, `{*rest}`). */
interface Segment {
  readonly text: string;
  readonly parameter?: string;
  readonly optional?: boolean;
}

function segmentsOf(route: string): Segment[] {
  return route.split('/').map((s) => {
    const m = /^\{\*{0,2}([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}$/.exec(s);
    if (!m) return { text: s };
    // `{tag?}` and `{tag:alpha?}` may be left out, as ASP.NET Core routing (which the Functions host uses) reads them.
    const [, name = '', rest = ''] = m;
    return { text: `{${name}}`, parameter: name, optional: rest.endsWith('?') };
  });
}

/**
 * The document's paths of one HTTP function: `orders/{id:int}` → `/api/orders/{id}`; a route ending in optional
 * segments (`whoami/{tag?}`) is one path with them and one without each (OpenAPI path parameters are required).
 *
 * @example
 * ```ts
 * functionPaths({ route: 'whoami/{tag?}', … }).map(([p]) => p); // ['/api/whoami/{tag}', '/api/whoami']
 * ```
 */
export function functionPaths(f: OpenApiFunction): [string, Json][] {
  const segments = segmentsOf(f.route);
  let keep = segments.length;
  const variants = [segments];
  while (keep > 0 && segments[keep - 1]?.optional) variants.push(segments.slice(0, --keep));
  return variants.map((parts, i) => {
    const names = parts.flatMap((s) => (s.parameter ? [s.parameter] : []));
    const path = `/${API_PREFIX}/${parts.map((s) => s.text).join('/')}`.replace(/\/$/, '');
    const item: Json = {};
    if (names.length)
      item['parameters'] = names.map((name) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
    for (const method of f.methods) {
      const m = method.toLowerCase();
      item[m] = functionOperation(f, m, i === 0 ? '' : `_${String(i)}`);
    }
    return [path, item];
  });
}

function functionOperation(f: OpenApiFunction, m: string, suffix: string): Json {
  // A function without a responseSchema may answer any body: declared as such, so a tool checking responses
  // (Prism) does not read "no content" into it.
  const body = f.responseSchema
    ? { 'application/json': { schema: f.responseSchema } }
    : { '*/*': { schema: {} } };
  return {
    operationId: `${f.name}_${m}${suffix}`,
    summary: `Function ${f.name}`,
    tags: [f.componentId],
    ...(f.requestSchema && m !== 'get' && m !== 'head' && m !== 'delete'
      ? { requestBody: { content: { 'application/json': { schema: f.requestSchema } } } }
      : {}),
    responses: {
      '200': { description: "The function's response.", content: body },
      // The runtime's gate answers these before the function runs (runtime/access/handler-gate.ts).
      '401': problem(401),
      '403': problem(403),
      default: {
        description: 'Any other status the function itself answers with.',
        content: { '*/*': { schema: {} } },
      },
    },
  };
}
