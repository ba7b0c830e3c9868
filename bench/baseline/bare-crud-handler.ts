/**
 * The baseline of bench/runtime.ts: what a developer writes by hand for one entity's create and read with the
 * Azure Functions v4 model and @azure/cosmos, doing the same work per request as the CRUD runtime's handlers
 * for the bench's entity, and no more: read the body as text, parse it, check it against the entity's fields
 * (an object; `id` a string; `name` a required string of at most 100; `n` an optional integer; `at` an
 * optional ISO timestamp; nothing else), call Cosmos DB, drop the system properties, answer JSON with an ETag
 * (and a Location on create), 400/404/409 with a JSON body. No deadlines, retries, caching, logging,
 * authentication or tenancy: those are what the runtime's overhead buys, and the ratio shows their price.
 */
import type { Container } from '@azure/cosmos';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';

/** The entity both sides serve: what the runtime's manifest says and the bare handler spells out by hand. */
export const BENCH_ENTITY: RuntimeEntity = {
  componentId: 'BenchApi',
  entityName: 'Doc',
  route: 'docs',
  partitionKey: '/id',
  schema: {
    name: { type: 'string', required: true, maxLength: 100 },
    n: { type: 'integer', required: false },
    at: { type: 'timestamp', required: false },
  },
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  // Shared: the bare handler has no tenants, so the runtime must not stamp or filter one either.
  tenancy: 'shared',
  settings: { endpoint: 'E', database: 'D', container: 'C' },
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const FIELDS = new Set(['id', 'name', 'n', 'at']);

// Serialized here, as the runtime does: jsonBody would move the JSON.stringify into the host, outside the timing.
function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponseInit {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

function bad(status: number, message: string): HttpResponseInit {
  return json(status, { error: message });
}

function withoutSystemProperties(resource: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) if (!k.startsWith('_')) out[k] = v;
  return out;
}

function validate(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'body must be a JSON object';
  const doc = body as Record<string, unknown>;
  for (const k of Object.keys(doc)) if (!FIELDS.has(k)) return `unknown field ${k}`;
  if (typeof doc['id'] !== 'string' || doc['id'] === '') return 'id must be a non-empty string';
  if (typeof doc['name'] !== 'string' || doc['name'].length > 100)
    return 'name must be a string of at most 100 characters';
  if (doc['n'] !== undefined && !Number.isInteger(doc['n'])) return 'n must be an integer';
  if (
    doc['at'] !== undefined &&
    (typeof doc['at'] !== 'string' || !ISO.test(doc['at']) || Number.isNaN(Date.parse(doc['at'])))
  )
    return 'at must be an ISO timestamp';
  return undefined;
}

/**
 * Hand-written `POST api/docs` and `GET api/docs/{id}` over one container partitioned on `/id`.
 *
 * @example
 * ```ts
 * const bare = bareCrudHandlers(container);
 * const res = await bare.create(new HttpRequest({ method: 'POST', url, body: { string: '{"id":"a","name":"x"}' } }));
 * ```
 */
export function bareCrudHandlers(container: Container) {
  return {
    async create(request: HttpRequest): Promise<HttpResponseInit> {
      let body: unknown;
      try {
        body = JSON.parse(await request.text());
      } catch {
        return bad(400, 'body is not JSON');
      }
      const problem = validate(body);
      if (problem) return bad(400, problem);
      try {
        const { resource, etag } = await container.items.create(body as { id: string });
        const doc = withoutSystemProperties(resource as unknown as Record<string, unknown>);
        return json(201, doc, {
          ETag: etag,
          Location: `docs/${encodeURIComponent(String(doc['id']))}`,
        });
      } catch (e) {
        if ((e as { code?: number }).code === 409) return bad(409, 'an item with this id exists');
        throw e;
      }
    },
    async read(request: HttpRequest): Promise<HttpResponseInit> {
      const id = request.params['id'] ?? '';
      const { resource, etag, statusCode } = await container
        .item(id, id)
        .read<Record<string, unknown>>();
      if (statusCode === 404 || !resource) return bad(404, 'not found');
      return json(200, withoutSystemProperties(resource), { ETag: etag });
    },
  };
}
