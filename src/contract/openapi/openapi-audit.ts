import { AUDIT_ACTIONS, AUDIT_ROUTE, AUDIT_VIAS } from '../audit.js';
import { CONTINUATION_HEADER } from '../paging.js';
import { API_PREFIX } from '../routes.js';
import { type Json, problem, ref } from './openapi-refs.js';

/**
 * The audit log's schemas: `AuditEntry` (an entry as stored and answered) and `AuditPage`.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(AUDIT_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const AUDIT_SCHEMAS: Readonly<Record<string, Json>> = {
  AuditEntry: {
    type: 'object',
    required: ['id', 'at', 'tenant', 'actor', 'action', 'target'],
    properties: {
      id: { type: 'string', description: 'The time, then a random UUID: unique, sorting by time.' },
      at: { type: 'string', format: 'date-time' },
      tenant: { type: 'string' },
      actor: {
        type: 'object',
        required: ['id', 'via'],
        properties: {
          id: { type: 'string' },
          email: { type: 'string', format: 'email' },
          via: { type: 'string', enum: [...AUDIT_VIAS] },
        },
      },
      action: { type: 'string', enum: [...AUDIT_ACTIONS] },
      target: { type: 'string' },
      changes: {
        type: 'object',
        additionalProperties: true,
        description: 'What changed (secrets and tokens masked).',
      },
    },
  },
  AuditPage: {
    type: 'object',
    required: ['items', 'continuationToken'],
    properties: {
      items: { type: 'array', items: ref('schemas', 'AuditEntry') },
      continuationToken: {
        type: ['string', 'null'],
        description: 'Pass back as `$after` for the next page; `null` on the last one.',
      },
    },
  },
};

/**
 * `GET api/tenant/audit` by path: the request's organization's audit log (Owners and Admins), newest first.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(AUDIT_PATHS)) paths.set(path, item);
 * ```
 */
export const AUDIT_PATHS: Readonly<Record<string, Json>> = {
  [`/${API_PREFIX}/${AUDIT_ROUTE}`]: {
    get: {
      operationId: 'tenant_audit',
      summary: "The organization's audit log, newest first (Owners and Admins).",
      description:
        'Every change to the organization: its actor and door, action, target and changes. Never written through ' +
        "the API (append-only; entries expire after the plan's `auditRetentionDays`, default 90).",
      tags: ['members'],
      parameters: [
        ...['First', 'After', 'Limit', 'ContinuationToken'].map((p) => ref('parameters', p)),
        {
          name: '$filter',
          in: 'query',
          required: false,
          description:
            "Equality on `action`, `actor` (or `actor/id`), `actor/via`, `target`, joined by `and`: `action eq 'member.removed'`.",
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': {
          description: 'A page of entries, newest first.',
          headers: { [CONTINUATION_HEADER]: ref('headers', 'Continuation') },
          content: { 'application/json': { schema: ref('schemas', 'AuditPage') } },
        },
        '400': problem(400),
        '401': problem(401),
        '403': problem(403),
        '503': problem(503),
      },
    },
  },
};
