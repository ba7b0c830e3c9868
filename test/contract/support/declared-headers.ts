/**
 * Which response headers an answer carries that its operation's response in the OpenAPI document does not declare
 * (Prism checks the headers a document declares, not the ones it leaves out). Transport and CORS headers, which no
 * API document declares, are not counted.
 */

type Json = Record<string, unknown>;

/** Headers of HTTP itself, of the platform and of CORS: never part of an operation's contract. */
const GENERIC = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'date',
  'connection',
  'keep-alive',
  'vary',
  'cache-control',
  'server',
  'x-powered-by',
  // A security header every answer carries (nosniff), no part of any operation.
  'x-content-type-options',
  // Prism's own.
  'sl-violations',
]);

const isGeneric = (name: string) => GENERIC.has(name) || name.startsWith('access-control-');

/** `/api/boards/{id}` → a regex matching `/api/boards/x`. */
function templateRegex(template: string): RegExp {
  const escaped = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}$`);
}

/** The document's response object for `method path → status` (literal paths before templated ones), if any. */
function responseOf(doc: Json, method: string, path: string, status: number): Json | undefined {
  const paths = (doc['paths'] ?? {}) as Record<string, Json>;
  const templates = Object.keys(paths).sort(
    (a, b) => Number(a.includes('{')) - Number(b.includes('{')),
  );
  const template = templates.find((t) => templateRegex(t).test(path));
  const op = template ? (paths[template]?.[method.toLowerCase()] as Json | undefined) : undefined;
  const responses = (op?.['responses'] ?? {}) as Record<string, Json>;
  return responses[String(status)] ?? responses['default'];
}

/** Follow a local `$ref` (`#/components/responses/Problem400`). */
function resolved(doc: Json, value: Json | undefined): Json | undefined {
  const ref = value?.['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return value;
  let at: unknown = doc;
  for (const part of ref.slice(2).split('/')) at = (at as Json | undefined)?.[part];
  return resolved(doc, at as Json | undefined);
}

/**
 * The response headers of an answer that the document leaves undeclared for that operation and status, as
 * `METHOD path → status: header` lines (empty when every one is declared).
 *
 * @example
 * ```ts
 * undeclaredHeaders(doc, 'GET', '/api/boards/1/cards', 200, response.headers); // ['GET /api/boards/1/cards → 200: x-ms-continuation']
 * ```
 */
export function undeclaredHeaders(
  doc: Json,
  method: string,
  path: string,
  status: number,
  headers: Headers,
): string[] {
  const response = resolved(doc, responseOf(doc, method, path.split('?')[0] ?? path, status));
  const declared = new Set(
    Object.keys((response?.['headers'] ?? {}) as Json).map((h) => h.toLowerCase()),
  );
  const out: string[] = [];
  headers.forEach((_value, name) => {
    if (!isGeneric(name) && !declared.has(name))
      out.push(`${method} ${path} → ${String(status)}: ${name}`);
  });
  return out;
}
