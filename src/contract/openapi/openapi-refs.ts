import { API_PREFIX } from '../routes.js';

// The small words every OpenAPI table of this folder writes its routes and schemas in: one place, so a table
// (openapi-domains.ts, openapi-joins.ts, …) holds only its own routes and schemas.

/** A JSON value of the document (a schema, an operation, a response). */
export type Json = { [k: string]: unknown };

/**
 * A reference to a component of the document.
 *
 * @example
 * ```ts
 * ref('schemas', 'OrganizationDomain'); // { $ref: '#/components/schemas/OrganizationDomain' }
 * ```
 */
export const ref = (kind: string, name: string): Json => ({ $ref: `#/components/${kind}/${name}` });

/**
 * The shared problem response of a status (`#/components/responses/Problem403`).
 *
 * @example
 * ```ts
 * const responses = { '403': problem(403) };
 * ```
 */
export const problem = (status: number): Json => ref('responses', `Problem${String(status)}`);

/**
 * A JSON content map of one schema.
 *
 * @example
 * ```ts
 * const requestBody = { required: true, content: json(ref('schemas', 'DomainInput')) };
 * ```
 */
export const json = (schema: Json): Json => ({ 'application/json': { schema } });

/**
 * A route's path in the document (under the API prefix).
 *
 * @example
 * ```ts
 * path('tenant/domains'); // '/api/tenant/domains'
 * ```
 */
export const path = (route: string): string => `/${API_PREFIX}/${route}`;

/** A timestamp the server sets. */
export const TIME = { type: 'string', format: 'date-time', readOnly: true };
