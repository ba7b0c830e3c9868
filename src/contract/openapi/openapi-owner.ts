// The OpenAPI of what an organization's Owners do with it (DESIGN §2, "Organizations their Owners run"): rename,
// delete and undelete — runtime/members/organization-owner-operations.ts.
import { MAX_ORGANIZATION_NAME, MEMBERSHIP_ROUTES } from '../members.js';
import { API_PREFIX } from '../routes.js';
import { type Json, problem } from './openapi-refs.js';

const RECORD: Json = {
  'application/json': { schema: { $ref: '#/components/schemas/TenantRecord' } },
};
const TAGS = ['members'];
const REFUSED = { '401': problem(401), '403': problem(403), '503': problem(503) };

/**
 * `PATCH` and `DELETE` on `api/tenant` with tenants by membership, merged into `GET api/tenant`'s path item.
 *
 * @example
 * ```ts
 * add(TENANT_PATH_NAME, { ...TENANT_PATH, ...OWNER_TENANT_OPERATIONS }, app.url);
 * ```
 */
export const OWNER_TENANT_OPERATIONS: Readonly<Record<string, Json>> = {
  patch: {
    operationId: 'tenant_update',
    summary: 'Rename the organization (an Owner or an Admin).',
    tags: TAGS,
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1, maxLength: MAX_ORGANIZATION_NAME },
            },
          },
        },
      },
    },
    responses: {
      '200': { description: 'The record as renamed.', content: RECORD },
      '400': problem(400),
      ...REFUSED,
      '409': problem(409),
    },
  },
  delete: {
    operationId: 'tenant_delete',
    summary:
      'Delete the organization (an Owner): suspended at once, erased after `tenants.deleteAfterDays`.',
    description:
      'Every member is refused from the next request (403 `tenant-suspended`; within 30 s on other instances). ' +
      "Until the record's `deleteOn` an Owner restores it with `POST api/tenant/undelete`.",
    tags: TAGS,
    responses: {
      '202': { description: 'Suspended, with its `deleteOn`.', content: RECORD },
      ...REFUSED,
      '409': problem(409),
    },
  },
};

/**
 * `POST api/tenant/undelete`: an Owner restores the organization named in `X-Atakora-Tenant` before its `deleteOn`.
 *
 * @example
 * ```ts
 * add(UNDELETE_PATH_NAME, UNDELETE_PATH, app.url);
 * ```
 */
export const UNDELETE_PATH_NAME = `/${API_PREFIX}/${MEMBERSHIP_ROUTES.tenantUndelete}`;

/** The path item of {@link UNDELETE_PATH_NAME}. */
export const UNDELETE_PATH: Json = {
  post: {
    operationId: 'tenant_undelete',
    summary: 'Restore an organization an Owner deleted (an Owner, before its `deleteOn`).',
    description:
      '409 `organization-not-deleted` for an active organization or one the operator suspended (only the operator ' +
      'resumes it); 410 `organization-deletion-final` after `deleteOn`.',
    tags: TAGS,
    responses: {
      '200': { description: 'Active again.', content: RECORD },
      '400': problem(400),
      ...REFUSED,
      '409': problem(409),
      '410': problem(410),
    },
  },
};
