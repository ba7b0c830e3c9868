import { DIRECTORY_ROUTE } from '../enterprise/directory.js';
import { API_PREFIX } from '../routes.js';
import { type Json, json, problem, ref } from './openapi-refs.js';

const LINK = ref('schemas', 'OrganizationDirectory');

/**
 * The schemas of directory sign-in's route: `OrganizationDirectory` (the link as answered) and `DirectoryInput`.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(DIRECTORY_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const DIRECTORY_SCHEMAS: Readonly<Record<string, Json>> = {
  OrganizationDirectory: {
    type: 'object',
    description:
      "The organization's linked Microsoft Entra directory: its users join on their first request as `role`.",
    required: ['tid', 'role', 'requireDirectory'],
    properties: {
      tid: { type: 'string', description: "The directory's tenant id (lower case)." },
      role: {
        type: 'string',
        description: "One of the backend's `tenants.roles` (never `Owner`).",
      },
      requireDirectory: {
        type: 'boolean',
        description:
          'Members signed in from another directory are refused (403 `directory-required`).',
      },
    },
  },
  DirectoryInput: {
    type: 'object',
    required: ['tid'],
    additionalProperties: false,
    properties: {
      tid: {
        type: 'string',
        description: "The tenant id of the Owner's own sign-in (their token's `tid`).",
        examples: ['72f988bf-86f1-41af-91ab-2d7cd011db47'],
      },
      role: { type: 'string', description: 'Default `Member`; never `Owner`.' },
      requireDirectory: { type: 'boolean', default: false },
    },
  },
};

const IN_TENANT = {
  '400': problem(400),
  '401': problem(401),
  '403': problem(403),
  '503': problem(503),
};
const TAGS = ['directory'];

/**
 * Directory sign-in's route by path (runtime/members/directory/directory-routes.ts), in the request's organization.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(DIRECTORY_PATHS)) paths.set(path, item);
 * ```
 */
export const DIRECTORY_PATHS: Readonly<Record<string, Json>> = {
  [`/${API_PREFIX}/${DIRECTORY_ROUTE}`]: {
    get: {
      operationId: 'directory_read',
      summary: "The organization's linked directory (an Owner or an Admin).",
      tags: TAGS,
      responses: {
        '200': { description: 'The link.', content: json(LINK) },
        ...IN_TENANT,
        '404': problem(404),
      },
    },
    put: {
      operationId: 'directory_link',
      summary:
        'Link the directory of your own sign-in (an Owner), or change its role and requireDirectory.',
      description:
        "403 `directory-not-yours` for a `tid` other than your token's; 409 `directory-taken` when another " +
        'organization links it or this one links another; 400 `directory-not-supported` unless the backend signs in ' +
        "work accounts of every directory (`signInAudience: 'AzureADMultipleOrgs'`).",
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'DirectoryInput')) },
      responses: {
        '200': { description: 'The link as stored.', content: json(LINK) },
        '413': problem(413),
        '415': problem(415),
        ...IN_TENANT,
        '409': problem(409),
      },
    },
    delete: {
      operationId: 'directory_unlink',
      summary:
        'Unlink the directory (an Owner, from any directory): its users no longer join; members who joined stay.',
      tags: TAGS,
      responses: { '204': { description: 'Unlinked (or none was linked).' }, ...IN_TENANT },
    },
  },
};
