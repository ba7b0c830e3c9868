import { type Json } from './openapi-refs.js';

/**
 * An optional query parameter of an operation (OpenAPI 3.1 Parameter Object, `in: query`): one shape for the CRUD
 * routes' paging and query parameters and the SCIM list parameters.
 *
 * @example
 * ```ts
 * queryParameter('limit', 'Items per page.', { type: 'integer', minimum: 1 });
 * // { name: 'limit', in: 'query', required: false, description: 'Items per page.', schema: { type: 'integer', minimum: 1 } }
 * ```
 */
export const queryParameter = (name: string, description: string, schema: Json): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
